// Admission: at most so many requests are worked on at once (MAX_CONCURRENT_REQUESTS); the rest wait their turn.
// Under a crowd, a request that needs five queries would otherwise wait five times in the database pool's queue
// behind hundreds of others, and the slowest routes would time out while the quick ones were served. In line,
// everyone waits about as long as everyone else, and what is let in finishes quickly.
//
// - The line is ordered by when each request should start so that it ends when the others do: its arrival time
//   less the time its route usually takes to work on (learned as it runs, at most MAX_HEAD_START_MS). A match
//   that takes two seconds goes in ahead of pages that arrived up to two seconds before it, so under a crowd the
//   slow routes are not the ones that time out. Among requests to routes that take as long, it is arrival order.
// - Pages served from the page cache never queue (that hook comes first), nor does /health: a load balancer
//   must see a busy node as alive — /health then says how full the line is (src/lib/server/health.ts).
// - A request's body has arrived before it joins the line (src/hooks/body-limit.ts): a visitor sending slowly
//   waits without holding a place that someone else's work could use.
// - A request that has waited `queueTimeoutMs` is answered 503 with Retry-After in the visitor's language ("many
//   people are using the portal, try again"), rather than served long after its visitor gave up. One whose
//   visitor has already gone (the connection closed) leaves the line at once and is never worked on.
// - Every answer says how long it waited for its turn and how long it was worked on (Server-Timing `queue` and
//   `work`, in ms): the browser's developer tools and the load bench tell waiting from working by it.
import type { Handle, RequestEvent } from '@sveltejs/kit';
import { unavailableResponse } from './unavailable';

const NEVER_QUEUED = /^\/(health|metrics)(\/|$)/;
/** No route goes further ahead than this, however slow it has been: a broken route must not jump the line. */
const MAX_HEAD_START_MS = 5_000;
/** Weight of the newest measurement in a route's usual work time. */
const SMOOTHING = 0.2;

export interface AdmissionOptions {
	/** Requests worked on at once; 0 lets everything in. */
	limit: number;
	/** How long a request may wait for its turn. */
	queueTimeoutMs?: number;
	/** Milliseconds on a monotonic clock (tests). */
	now?: () => number;
}

export interface Admission {
	handle: Handle;
	/** Requests being worked on and waiting (tests). */
	state: () => { active: number; waiting: number };
	/** The line as /health reports it: how full it is and how long its longest wait has been so far. */
	load: () => AdmissionLoad;
}

export interface AdmissionLoad {
	limit: number;
	active: number;
	waiting: number;
	/** How long the request that has waited longest so far has been waiting (0 with nobody waiting). */
	longestWaitMs: number;
}

interface Waiting {
	/** Arrival less the route's head start: the line is kept in this order. */
	place: number;
	arrived: number;
	go: () => void;
}

export function admission({
	limit,
	queueTimeoutMs = 30_000,
	now = () => performance.now()
}: AdmissionOptions): Admission {
	let active = 0;
	const waiting: Waiting[] = [];
	/** Usual work time by route (method and route id), in ms. */
	const usual = new Map<string, number>();

	const release = () => {
		const next = waiting.shift();
		if (next) next.go();
		else active--;
	};

	const learn = (route: string, workMs: number) => {
		const before = usual.get(route);
		usual.set(route, before === undefined ? workMs : before + SMOOTHING * (workMs - before));
	};

	/**
	 * Resolves true when the request may go in (its place counted), false when it waited too long or its visitor
	 * went away (closed the tab, or gave up): nobody would read what it made.
	 */
	const turn = (signal: AbortSignal, place: number, arrived: number): Promise<boolean> => {
		if (signal.aborted) return Promise.resolve(false);
		if (active < limit) {
			active++;
			return Promise.resolve(true);
		}
		return new Promise((resolve) => {
			const leave = () => {
				clearTimeout(timer);
				signal.removeEventListener('abort', leave);
				const index = waiting.indexOf(entry);
				if (index >= 0) waiting.splice(index, 1);
				resolve(false);
			};
			const entry: Waiting = {
				place,
				arrived,
				go: () => {
					clearTimeout(timer);
					signal.removeEventListener('abort', leave);
					resolve(true);
				}
			};
			const timer = setTimeout(leave, queueTimeoutMs);
			signal.addEventListener('abort', leave, { once: true });
			// After everyone whose place is the same or earlier. The place is handed over by `release`: `active`
			// stays as it was.
			waiting.splice(placeAfter(waiting, place), 0, entry);
		});
	};

	const handle: Handle = async ({ event, resolve }) => {
		if (limit <= 0 || NEVER_QUEUED.test(event.url.pathname)) return resolve(event);
		const route = routeOf(event);
		const arrived = now();
		const headStart = Math.min(usual.get(route) ?? 0, MAX_HEAD_START_MS);
		if (!(await turn(event.request.signal, arrived - headStart, arrived)))
			return unavailableResponse(event, 'busy');
		const admitted = now();
		try {
			const response = await resolve(event);
			const workMs = now() - admitted;
			learn(route, workMs);
			return timed(response, admitted - arrived, workMs);
		} finally {
			release();
		}
	};

	const load = (): AdmissionLoad => {
		// The line is ordered by place, not arrival: the longest wait may be anywhere in it.
		const earliest = waiting.reduce((first, entry) => Math.min(first, entry.arrived), Infinity);
		return {
			limit,
			active,
			waiting: waiting.length,
			longestWaitMs: waiting.length === 0 ? 0 : Math.max(0, now() - earliest)
		};
	};

	return { handle, state: () => ({ active, waiting: waiting.length }), load };
}

function routeOf(event: RequestEvent): string {
	return `${event.request.method} ${event.route?.id ?? 'unmatched'}`;
}

/** The index before which `place` goes: after every entry with the same or an earlier place. */
function placeAfter(line: Waiting[], place: number): number {
	let low = 0;
	let high = line.length;
	while (low < high) {
		const middle = (low + high) >>> 1;
		if (line[middle]!.place <= place) low = middle + 1;
		else high = middle;
	}
	return low;
}

/** The response with its wait and work in Server-Timing; a response whose headers cannot change goes as it is. */
function timed(response: Response, queueMs: number, workMs: number): Response {
	try {
		response.headers.append(
			'Server-Timing',
			`queue;dur=${queueMs.toFixed(1)}, work;dur=${workMs.toFixed(1)}`
		);
	} catch {
		// Immutable headers (a response passed through from fetch): the timing is only a diagnostic.
	}
	return response;
}
