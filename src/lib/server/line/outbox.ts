// LINE messages leave through a table, as mail does (src/lib/server/email/outbox.ts): written in the transaction of
// the event they report, pushed afterwards by a worker with no transaction open, tried again later and later when
// LINE is unreachable or busy, given up after MAX_LINE_ATTEMPTS, pruned once delivered.
import { and, count, eq, gte, isNotNull, isNull, lt, min, or, sql } from 'drizzle-orm';
import type { Db, Queryable } from '../db';
import { lineChannelState, lineOutbox } from '../db/schema';
import { repeatEvery } from '../background-jobs';
import { drainOutbox, type DrainOptions, type OutboxChannel } from '../outbox/drain';
import { MAX_LINE_ATTEMPTS } from './attempts';
import { LinePushError, type LinePush } from './client';

export interface OutgoingLineMessage {
	userId: string;
	lineUserId: string;
	kind: string;
	text: string;
	locale: 'th' | 'en';
}

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

/**
 * LINE's rules for the shared drain (../outbox/drain.ts): backoff up to two hours, given up after
 * MAX_LINE_ATTEMPTS or at once when LINE refuses a message for good; each push recorded in the channel's health.
 */
const lineOutboxChannel = (line: LinePush): OutboxChannel<typeof lineOutbox> => ({
	table: lineOutbox,
	maxAttempts: MAX_LINE_ATTEMPTS,
	retryDelayMs: lineRetryDelayMs,
	leaseMs: SENDING_LEASE_MS,
	send: (row) => line.push({ to: row.lineUserId, text: row.text, retryKey: row.id }),
	attemptsAfter: (row, error) =>
		error instanceof LinePushError && error.permanent ? MAX_LINE_ATTEMPTS : row.attempts + 1,
	failedValues: (at) => ({ lastFailedAt: at }),
	afterSend: (db, { at, error }) =>
		recordChannel(db, error === undefined ? { lastSuccessAt: at } : { lastErrorAt: at, lastError: error })
});

/** Pushes up to `limit` due messages: taken in a short transaction (locked rows skipped), pushed outside it. */
export function drainLineOutboxOnce(
	db: Db,
	line: LinePush,
	options: DrainOptions = {}
): Promise<{ sent: number; failed: number }> {
	return drainOutbox(db, lineOutboxChannel(line), options);
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
