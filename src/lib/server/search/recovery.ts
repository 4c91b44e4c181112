// Meilisearch back after an outage: the outbox rows the worker put off with growing backoff while it was down
// (up to 5 minutes) are made due at once, so the index catches up within seconds of the restart instead of
// whenever the longest backoff ends. Watches the managed and an external Meilisearch alike.
import { gt, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { searchOutbox } from '../db/schema';
import { repeatEvery, type Repeating } from '../background-jobs';
import { isHealthy } from './process';

/** Makes every put-off outbox row due now; returns how many there were. */
export async function retryOutboxNow(db: Db): Promise<number> {
	const released = await db
		.update(searchOutbox)
		.set({ availableAt: sql`now()` })
		.where(gt(searchOutbox.availableAt, sql`now()`))
		.returning({ id: searchOutbox.id });
	return released.length;
}

/**
 * Checks Meilisearch's health every `intervalMs` (half a second: cheap, and it bounds how long the release waits);
 * on the way from down to up, releases the outbox's backoff.
 */
export function startSearchRecovery(
	db: Db,
	url: string,
	options: { intervalMs?: number; log?: (message: string) => void } = {}
): Repeating {
	const log = options.log ?? ((message: string) => console.warn(`[search] ${message}`));
	let wasUp = true;
	return repeatEvery(
		'search-recovery',
		options.intervalMs ?? 500,
		async () => {
			const up = await isHealthy(url);
			if (up && !wasUp) {
				const released = await retryOutboxNow(db);
				if (released > 0) log(`Meilisearch at ${url} answers again; ${released} outbox row(s) retried now`);
			}
			wasUp = up;
		},
		(error) => log(`recovery check failed: ${error instanceof Error ? error.message : String(error)}`)
	);
}
