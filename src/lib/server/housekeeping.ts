// Tables that only grow unless someone trims them: rate-limit windows (a row per address and minute), mail
// already delivered (its links open accounts) and identity-provider trips that expired. Deleting is idempotent, so every node may run it; no leader needed.
import type { Db } from './db';
import { pruneEmailOutbox } from './email/outbox';
import { pruneIdentityFlows } from './identity/queries';
import { pruneLineOutbox } from './line/outbox';
import { pruneRateLimits } from './rate-limit';
import { repeatEvery } from './repeat';

/** No rate limit counts over a window longer than a day (demand posting's); older windows are over. */
const LONGEST_RATE_WINDOW_MS = 24 * 60 * 60_000;

export async function tidyOnce(db: Db, now = new Date()): Promise<{ mail: number; line: number }> {
	await pruneRateLimits(db, new Date(now.getTime() - LONGEST_RATE_WINDOW_MS));
	await pruneIdentityFlows(db, now);
	return { mail: await pruneEmailOutbox(db, now), line: await pruneLineOutbox(db, now) };
}

export function startHousekeeping(db: Db, log: (message: string) => void, intervalMs = 10 * 60_000) {
	return repeatEvery(
		'housekeeping',
		intervalMs,
		async () => {
			await tidyOnce(db);
		},
		(error) => log(`[housekeeping] failed: ${String(error)}`)
	);
}
