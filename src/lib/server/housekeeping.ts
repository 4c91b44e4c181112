// Tables that only grow unless someone trims them, and the retention periods of the privacy notice (PDPA s.37(3)):
// rate-limit windows, mail already delivered (its links open accounts), identity-provider trips that expired,
// sessions past their age, and old notifications. The search log has its own hourly pruning (search/log.ts).
// Deleting is idempotent, so every node may run it; no leader needed.
import { lt, or } from 'drizzle-orm';
import type { Db } from './db';
import { notifications, sessions } from './db/schema';
import { pruneEmailOutbox } from './email/outbox';
import { pruneIdentityFlows } from './identity/queries';
import { pruneLineOutbox } from './line/outbox';
import { pruneRateLimits } from './rate-limit';
import { repeatEvery } from './background-jobs';

const DAY_MS = 86_400_000;

/** Days each kind of record is kept (env RETENTION_*; defaults in the README and src/lib/server/env.ts). */
export interface Retention {
	sessionDays: number;
	sentMailDays: number;
	rateLimitDays: number;
	notificationDays: number;
}

export const DEFAULT_RETENTION: Retention = {
	sessionDays: 90,
	sentMailDays: 1,
	rateLimitDays: 1,
	notificationDays: 365
};

export interface Tidied {
	mail: number;
	line: number;
	sessions: number;
	notifications: number;
}

export async function tidyOnce(
	db: Db,
	now = new Date(),
	retention: Retention = DEFAULT_RETENTION
): Promise<Tidied> {
	const before = (days: number) => new Date(now.getTime() - days * DAY_MS);
	// No rate limit counts over a window longer than a day (demand posting's), so the period is at least that.
	await pruneRateLimits(db, before(Math.max(1, retention.rateLimitDays)));
	await pruneIdentityFlows(db, now);
	const mail = await pruneEmailOutbox(db, now, retention.sentMailDays * DAY_MS);
	const line = await pruneLineOutbox(db, now);
	const oldSessions = await db
		.delete(sessions)
		.where(or(lt(sessions.expiresAt, now), lt(sessions.createdAt, before(retention.sessionDays))))
		.returning({ id: sessions.id });
	const oldNotifications = await db
		.delete(notifications)
		.where(lt(notifications.createdAt, before(retention.notificationDays)))
		.returning({ id: notifications.id });
	return { mail, line, sessions: oldSessions.length, notifications: oldNotifications.length };
}

export function startHousekeeping(
	db: Db,
	log: (message: string) => void,
	retention: Retention = DEFAULT_RETENTION,
	intervalMs = 10 * 60_000
) {
	return repeatEvery(
		'housekeeping',
		intervalMs,
		async () => {
			await tidyOnce(db, new Date(), retention);
		},
		(error) => log(`[housekeeping] failed: ${String(error)}`)
	);
}
