// Requests in flight per client address (MAX_REQUESTS_PER_ADDRESS): one address cannot hold more than so many
// requests at once, counted from arrival to answer — the time its bodies take to arrive and its wait in the
// admission line included. Without it, one machine opening a hundred slow connections held every place in the line.
// A request past the limit is answered 429 at once, in the visitor's language, with Retry-After.
//
// The count is kept in this process: it bounds what one node holds, which is what a flood exhausts. IPv6 addresses
// count by their /64 (one subscriber's network), or a single machine could use a fresh address per request.
// Behind a proxy, adapter-node must be told where the visitor's address is (ADDRESS_HEADER, XFF_DEPTH:
// docs/SCALING.md), or every visitor shares the proxy's.
import type { Handle, RequestEvent } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { addressKey, clientAddressOf } from '$lib/server/client-address';
import { plainPage } from './unavailable';

const RETRY_AFTER_SECONDS = '2';

export interface AddressLimitOptions {
	/** Requests in flight per address; 0 lets everything in. */
	limit: number;
}

export interface AddressLimit {
	handle: Handle;
	/** Requests in flight per address (tests). */
	inFlight(address: string): number;
}

export function addressLimit({ limit }: AddressLimitOptions): AddressLimit {
	const counts = new Map<string, number>();

	const handle: Handle = async ({ event, resolve }) => {
		if (limit <= 0) return resolve(event);
		const key = addressKey(clientAddressOf(event));
		const count = counts.get(key) ?? 0;
		if (count >= limit) return tooManyResponse(event);
		counts.set(key, count + 1);
		try {
			return await resolve(event);
		} finally {
			const left = counts.get(key)! - 1;
			if (left === 0) counts.delete(key);
			else counts.set(key, left);
		}
	};

	return { handle, inFlight: (address) => counts.get(addressKey(address)) ?? 0 };
}

/** 429 in the visitor's language; under /api and for data requests plain (the API's error hook makes it JSON). */
function tooManyResponse(event: RequestEvent): Response {
	// Closed: the refused request's body, perhaps still on its way, is not read.
	const headers = { 'Retry-After': RETRY_AFTER_SECONDS, 'Cache-Control': 'no-store', Connection: 'close' };
	if (event.url.pathname.startsWith('/api/') || event.isDataRequest)
		return new Response('too many requests', {
			status: 429,
			headers: { ...headers, 'Content-Type': 'text/plain' }
		});
	return plainPage(429, m.error_too_many_requests_title(), m.error_too_many_requests_body(), headers);
}
