// LINE messages leave through a table, as mail does (src/lib/server/email/outbox.ts): written in the transaction of
// the event they report, pushed afterwards by a worker with no transaction open, tried again later and later when
// LINE is unreachable or busy, given up after MAX_LINE_ATTEMPTS, pruned once delivered.
import { and, count, eq, gte, inArray, isNotNull, isNull, lt, lte, min, or, sql } from 'drizzle-orm';
import type { Db, Queryable } from '../db';
import { lineChannelState, lineOutbox } from '../db/schema';
import { repeatEvery } from '../repeat';
import { LinePushError, type LinePush } from './client';

export interface OutgoingLineMessage {
	userId: string;
	lineUserId: string;
	kind: string;
	text: string;
	locale: 'th' | 'en';
}

/** Gives up on a message after this many failed pushes (about 15 hours of trying, as for mail). */
export const MAX_LINE_ATTEMPTS = 12;
const FIRST_RETRY_MS = 60_000;
const LONGEST_WAIT_MS = 2 * 60 * 60_000;
const SENDING_LEASE_MS = 5 * 60_000;

/** The wait after the `attempts`-th failure: one minute, doubling, at most two hours. */
export function lineRetryDelayMs(attempts: number): number {
	return Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1), LONGEST_WAIT_MS);
}

export async function enqueueLineMessages(db: Queryable, messages: OutgoingLineMessage[]): Promise<void> {
	if (messages.length === 0) return;
	await db.insert(lineOutbox).values(messages);
}

/** Pushes up to `limit` due messages: taken in a short transaction (locked rows skipped), pushed outside it. */
export async function drainLineOutboxOnce(
	db: Db,
	line: LinePush,
	{ limit = 20, now = () => new Date() }: { limit?: number; now?: () => Date } = {}
): Promise<{ sent: number; failed: number }> {
	const taken = await db.transaction(async (tx) => {
		const due = await tx
			.select({ id: lineOutbox.id })
			.from(lineOutbox)
			.where(
				and(
					isNull(lineOutbox.sentAt),
					lt(lineOutbox.attempts, MAX_LINE_ATTEMPTS),
					lte(lineOutbox.nextAttemptAt, now())
				)
			)
			.orderBy(lineOutbox.nextAttemptAt)
			.limit(limit)
			.for('update', { skipLocked: true });
		if (due.length === 0) return [];
		return tx
			.update(lineOutbox)
			.set({ nextAttemptAt: new Date(now().getTime() + SENDING_LEASE_MS) })
			.where(
				inArray(
					lineOutbox.id,
					due.map((row) => row.id)
				)
			)
			.returning();
	});
	let sent = 0;
	let failed = 0;
	for (const row of taken) {
		try {
			await line.push({ to: row.lineUserId, text: row.text, retryKey: row.id });
			await db
				.update(lineOutbox)
				.set({ sentAt: now(), attempts: row.attempts + 1 })
				.where(eq(lineOutbox.id, row.id));
			await recordChannel(db, { lastSuccessAt: now() });
			sent++;
		} catch (error) {
			const permanent = error instanceof LinePushError && error.permanent;
			const attempts = permanent ? MAX_LINE_ATTEMPTS : row.attempts + 1;
			const message = String(error).slice(0, 500);
			await db
				.update(lineOutbox)
				.set({
					attempts,
					lastError: message,
					lastFailedAt: now(),
					nextAttemptAt: new Date(now().getTime() + lineRetryDelayMs(attempts))
				})
				.where(eq(lineOutbox.id, row.id));
			await recordChannel(db, { lastErrorAt: now(), lastError: message });
			failed++;
		}
	}
	return { sent, failed };
}

async function recordChannel(
	db: Queryable,
	values: { lastSuccessAt?: Date; lastErrorAt?: Date; lastError?: string }
): Promise<void> {
	await db
		.insert(lineChannelState)
		.values({ id: 1, ...values })
		.onConflictDoUpdate({ target: lineChannelState.id, set: values });
}

/** Delivered messages are kept a day (the admin page counts the day's failures from them), then deleted. */
export const KEEP_SENT_LINE_MS = 24 * 60 * 60_000;
/** Messages given up on stay 30 days so an operator can see what failed and why. */
export const KEEP_UNDELIVERED_LINE_MS = 30 * 24 * 60 * 60_000;

export async function pruneLineOutbox(db: Queryable, now = new Date()): Promise<number> {
	const removed = await db
		.delete(lineOutbox)
		.where(
			or(
				and(isNotNull(lineOutbox.sentAt), lt(lineOutbox.sentAt, new Date(now.getTime() - KEEP_SENT_LINE_MS))),
				and(
					isNull(lineOutbox.sentAt),
					sql`${lineOutbox.attempts} >= ${MAX_LINE_ATTEMPTS}`,
					lt(lineOutbox.createdAt, new Date(now.getTime() - KEEP_UNDELIVERED_LINE_MS))
				)
			)
		)
		.returning({ id: lineOutbox.id });
	return removed.length;
}

export interface LineChannelHealth {
	/** Messages still to be pushed (given-up ones excluded). */
	queued: number;
	/** When the oldest of them was queued. */
	oldestQueuedAt: Date | null;
	/** Messages LINE never took, given up on (kept 30 days). */
	givenUp: number;
	lastSuccessAt: Date | null;
	lastErrorAt: Date | null;
	lastError: string | null;
	/** Messages with a failed push in the last 24 hours. */
	failedLastDay: number;
}

export async function lineChannelHealth(db: Queryable, now = new Date()): Promise<LineChannelHealth> {
	const dayAgo = new Date(now.getTime() - 24 * 60 * 60_000);
	const [[queue], [givenUp], [failures], [state]] = await Promise.all([
		db
			.select({ queued: count(), oldest: min(lineOutbox.createdAt) })
			.from(lineOutbox)
			.where(and(isNull(lineOutbox.sentAt), lt(lineOutbox.attempts, MAX_LINE_ATTEMPTS))),
		db
			.select({ n: count() })
			.from(lineOutbox)
			.where(and(isNull(lineOutbox.sentAt), gte(lineOutbox.attempts, MAX_LINE_ATTEMPTS))),
		db.select({ n: count() }).from(lineOutbox).where(gte(lineOutbox.lastFailedAt, dayAgo)),
		db.select().from(lineChannelState).where(eq(lineChannelState.id, 1))
	]);
	return {
		queued: queue?.queued ?? 0,
		oldestQueuedAt: queue?.oldest ?? null,
		givenUp: givenUp?.n ?? 0,
		lastSuccessAt: state?.lastSuccessAt ?? null,
		lastErrorAt: state?.lastErrorAt ?? null,
		lastError: state?.lastError ?? null,
		failedLastDay: failures?.n ?? 0
	};
}

export function startLineWorker(
	db: Db,
	line: LinePush,
	{ intervalMs = 1_000, log = console.error }: { intervalMs?: number; log?: (message: string) => void } = {}
) {
	return repeatEvery(
		'line',
		intervalMs,
		async () => {
			const { sent, failed } = await drainLineOutboxOnce(db, line);
			if (failed > 0) log(`[line] ${failed} message(s) could not be pushed; tried again later`);
			// A full batch went out: more may be waiting.
			return failed === 0 && sent >= 20;
		},
		(error) => log(`[line] outbox check failed: ${String(error)}`)
	);
}
