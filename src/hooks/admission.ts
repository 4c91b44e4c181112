// Admission: at most so many requests are worked on at once (MAX_CONCURRENT_REQUESTS); the rest wait their turn
// in the order they came. Under a crowd, a request that needs five queries would otherwise wait five times in the
// database pool's queue behind hundreds of others, and the slowest routes would time out while the quick ones
// were served. In line, everyone waits about as long as everyone else, and what is let in finishes quickly.
//
// - Pages served from the page cache never queue (that hook comes first), nor does /health: a load balancer
//   must see a busy node as alive.
// - A request that has waited `queueTimeoutMs` is answered 503 with Retry-After in the visitor's language ("many
//   people are using the portal, try again"), rather than served long after its visitor gave up. One whose
//   visitor has already gone (the connection closed) leaves the line at once and is never worked on.
import type { Handle } from '@sveltejs/kit';
import { unavailableResponse } from './unavailable';

const NEVER_QUEUED = /^\/health(\/|$)/;

export interface AdmissionOptions {
	/** Requests worked on at once; 0 lets everything in. */
	limit: number;
	/** How long a request may wait for its turn. */
	queueTimeoutMs?: number;
}

export interface Admission {
	handle: Handle;
	/** Requests being worked on and waiting (tests). */
	state(): { active: number; waiting: number };
}

export function admission({ limit, queueTimeoutMs = 30_000 }: AdmissionOptions): Admission {
	let active = 0;
	const waiting: (() => void)[] = [];

	const release = () => {
		const next = waiting.shift();
		if (next) next();
		else active--;
	};

	/**
	 * Resolves true when the request may go in (its place counted), false when it waited too long or its visitor
	 * went away (closed the tab, or gave up): nobody would read what it made.
	 */
	const turn = (signal: AbortSignal): Promise<boolean> => {
		if (signal.aborted) return Promise.resolve(false);
		if (active < limit) {
			active++;
			return Promise.resolve(true);
		}
		return new Promise((resolve) => {
			const leave = () => {
				clearTimeout(timer);
				signal.removeEventListener('abort', leave);
				const index = waiting.indexOf(go);
				if (index >= 0) waiting.splice(index, 1);
				resolve(false);
			};
			const go = () => {
				clearTimeout(timer);
				signal.removeEventListener('abort', leave);
				resolve(true);
			};
			const timer = setTimeout(leave, queueTimeoutMs);
			signal.addEventListener('abort', leave, { once: true });
			// The place is handed over by `release`: `active` stays as it was.
			waiting.push(go);
		});
	};

	const handle: Handle = async ({ event, resolve }) => {
		if (limit <= 0 || NEVER_QUEUED.test(event.url.pathname)) return resolve(event);
		if (!(await turn(event.request.signal))) return unavailableResponse(event, 'busy');
		try {
			return await resolve(event);
		} finally {
			release();
		}
	};

	return { handle, state: () => ({ active, waiting: waiting.length }) };
}
