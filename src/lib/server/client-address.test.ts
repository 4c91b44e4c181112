import { describe, expect, it } from 'vitest';
import { addressKey, clientAddressOf, UNKNOWN_ADDRESS } from './client-address';

describe('addressKey', () => {
	it('keeps IPv4 addresses, also written as IPv4-mapped IPv6', () => {
		expect(addressKey('203.0.113.9')).toBe('203.0.113.9');
		expect(addressKey('::ffff:203.0.113.9')).toBe('203.0.113.9');
	});

	it('counts IPv6 addresses by their /64, however they are written', () => {
		const key = addressKey('2001:db8:0:12:aaaa:bbbb:cccc:dddd');
		expect(key).toBe('2001:db8:0:12::/64');
		expect(addressKey('2001:DB8:0000:0012::1')).toBe(key);
		expect(addressKey('2001:db8:0:13::1')).not.toBe(key);
		expect(addressKey('::1')).toBe('0:0:0:0::/64');
	});
});

describe('clientAddressOf', () => {
	it("counts a request without the proxy's address header as unknown instead of failing it", () => {
		const missing = () => {
			throw new Error(
				'Address header was specified with ADDRESS_HEADER=x-forwarded-for but is absent from request'
			);
		};
		expect(clientAddressOf({ getClientAddress: missing })).toBe(UNKNOWN_ADDRESS);
		expect(clientAddressOf({ getClientAddress: () => '203.0.113.9' })).toBe('203.0.113.9');
		const broken = () => {
			throw new Error('something else');
		};
		expect(() => clientAddressOf({ getClientAddress: broken })).toThrow('something else');
	});
});
