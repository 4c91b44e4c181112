// A visitor's address as the portal counts it, for the limits per address and the search log's distinct visitors.
// IPv6 counts by its /64 (one subscriber's network): a single machine can take a fresh address per request inside it.

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
