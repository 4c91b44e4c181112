// Admission: at most so many requests are worked on at once (MAX_CONCURRENT_REQUESTS); the rest wait their turn
// in the order they came. Under a crowd, a request that needs five queries would otherwise wait five times in the
// database pool's queue behind hundreds of others, and the slowest routes would time out while the quick ones
// were served. In line, everyone waits about as long as everyone else, and what is let in finishes quickly.
//
// - Pages served from the page cache never queue (that hook comes first), nor does /health: a load balancer
//   must see a busy node as alive.
// - A request that has waited `queueTimeoutMs` is answered 503 with Retry-After in the visitor's language (the
//   same answer as for a database that cannot be reached), rather than served long after its visitor gave up.
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
	/** Requests being worked on and waiting, for /health and tests. */
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

	/** Resolves true when the request may go in (its place counted), false when it waited too long. */
	const turn = (): Promise<boolean> => {
		if (active < limit) {
			active++;
			return Promise.resolve(true);
		}
		return new Promise((resolve) => {
			const go = () => {
				clearTimeout(timer);
				resolve(true);
			};
			const timer = setTimeout(() => {
				const index = waiting.indexOf(go);
				if (index >= 0) waiting.splice(index, 1);
				resolve(false);
			}, queueTimeoutMs);
			// The place is handed over by `release`: `active` stays as it was.
			waiting.push(go);
		});
	};

	const handle: Handle = async ({ event, resolve }) => {
		if (limit <= 0 || NEVER_QUEUED.test(event.url.pathname)) return resolve(event);
		if (!(await turn())) return unavailableResponse(event, 'busy');
		try {
			return await resolve(event);
		} finally {
			release();
		}
	};

	return { handle, state: () => ({ active, waiting: waiting.length }) };
}
