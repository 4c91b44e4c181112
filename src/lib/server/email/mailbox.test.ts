import { describe, expect, it } from 'vitest';
import { isLoopbackAddress, mayReadDevMailbox } from './mailbox';

const request = (headers: Record<string, string> = {}) =>
	new Request('http://localhost/dev/mail', { headers });

describe('the development mailbox', () => {
	it('knows loopback addresses, IPv4-mapped ones included, and nothing else', () => {
		for (const address of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1']) {
			expect(isLoopbackAddress(address), address).toBe(true);
		}
		for (const address of [
			'10.0.0.1',
			'192.168.1.5',
			'::ffff:10.0.0.1',
			'1127.0.0.1',
			'127.0.0.1.evil',
			'fe80::1',
			''
		]) {
			expect(isLoopbackAddress(address), address).toBe(false);
		}
	});

	it('answers nobody when it is off, even on this machine', () => {
		expect(mayReadDevMailbox(false, request(), () => '127.0.0.1')).toBe(false);
	});

	it('answers a browser on this machine when it is on, and no one else', () => {
		expect(mayReadDevMailbox(true, request(), () => '127.0.0.1')).toBe(true);
		expect(mayReadDevMailbox(true, request(), () => '203.0.113.9')).toBe(false);
	});

	it('refuses requests that came through a proxy, which makes every visitor look local', () => {
		for (const header of ['forwarded', 'x-forwarded-for', 'x-real-ip', 'via']) {
			expect(
				mayReadDevMailbox(true, request({ [header]: '203.0.113.9' }), () => '127.0.0.1'),
				header
			).toBe(false);
		}
	});
});
