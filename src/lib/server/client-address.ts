// A visitor's address as the portal counts it, for the limits per address and the search log's distinct visitors.
// IPv6 counts by its /64 (one subscriber's network): a single machine can take a fresh address per request inside it.
import type { RequestEvent } from '@sveltejs/kit';

/** What requests whose address cannot be known are counted as, together. */
export const UNKNOWN_ADDRESS = 'unknown';

/**
 * The visitor's address. Behind a proxy, adapter-node reads it from ADDRESS_HEADER and throws when a request lacks
 * that header: one sent straight to the node (a load balancer's health probe, say) rather than through the proxy.
 * Such requests share UNKNOWN_ADDRESS rather than failing with a 500.
 */
export function clientAddressOf(event: Pick<RequestEvent, 'getClientAddress'>): string {
	try {
		return event.getClientAddress();
	} catch (error) {
		if (error instanceof Error && /ADDRESS_HEADER/.test(error.message)) return UNKNOWN_ADDRESS;
		throw error;
	}
}

/** IPv4 as it is (also when written as ::ffff:a.b.c.d), IPv6 by its first 64 bits. */
export function addressKey(address: string): string {
	const bare = address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
	if (!bare.includes(':')) return bare;
	const [head = '', tail = ''] = bare.toLowerCase().split('::');
	const front = head ? head.split(':') : [];
	const back = tail ? tail.split(':') : [];
	const groups = bare.includes('::')
		? [...front, ...Array<string>(Math.max(0, 8 - front.length - back.length)).fill('0'), ...back]
		: front;
	return `${groups
		.slice(0, 4)
		.map((group) => group.replace(/^0+(?=.)/, ''))
		.join(':')}::/64`;
}
