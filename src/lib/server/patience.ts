// Waiting for work, but not for ever: what stale-while-refreshing caches (gap figures, public pages) need.
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * `work`'s result when it settles within `ms` (its error too), else `fallback`; the work itself goes on. The
 * timer is cancelled as soon as either side wins, so it never holds the process open.
 */
export async function within<T, F>(work: Promise<T>, ms: number, fallback: F): Promise<T | F> {
	const waiting = new AbortController();
	const patience = sleep(ms, fallback, { signal: waiting.signal }).catch(() => fallback);
	return Promise.race([work, patience]).finally(() => waiting.abort());
}
