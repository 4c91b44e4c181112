// The one way a message outbox (mail, LINE) is drained: due rows are taken in a short transaction (locked rows
// skipped, so workers on several nodes take different rows; each taken row's next attempt moved past a sending
// lease, so a worker that dies mid-send leaves it due again later), then sent one by one with no transaction open,
// so a slow or unreachable service holds no locks or connections. Each channel brings its own send, its backoff and
// when it gives up, and what a success or failure also records.
import { SpanStatusCode } from '@opentelemetry/api';
import { and, inArray, lt, lte, isNull, eq, getTableName } from 'drizzle-orm';
import type { AnyPgColumn, PgTable, PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type { Db } from '../db';
import { traced } from '../tracing/spans';

/** What every outbox table has. */
export type OutboxTable = PgTable & {
	id: AnyPgColumn;
	sentAt: AnyPgColumn;
	attempts: AnyPgColumn;
	nextAttemptAt: AnyPgColumn;
	lastError: AnyPgColumn;
};

type Row<T extends OutboxTable> = T['$inferSelect'] & { id: string; attempts: number };

export interface OutboxChannel<T extends OutboxTable> {
	table: T;
	/** A row that failed this many times is given up (left unsent, no longer due). */
	maxAttempts: number;
	/** The wait after the `attempts`-th failure. */
	retryDelayMs(attempts: number): number;
	/** How long a taken row is held by the worker that took it. */
	leaseMs: number;
	send(row: Row<T>): Promise<void>;
	/** The failure count after this error (a channel may give up at once on an error that cannot pass). */
	attemptsAfter?(row: Row<T>, error: unknown): number;
	/** Columns a success sets besides when it was sent and the attempt count. */
	sentValues?(): PgUpdateSetSource<T>;
	/** Columns a failure sets besides attempts, error and next attempt. */
	failedValues?(at: Date): PgUpdateSetSource<T>;
	/** After each success or failure (e.g. the channel's health). */
	afterSend?(db: Db, outcome: { at: Date; error?: string }): Promise<void>;
}

export interface DrainOptions {
	limit?: number;
	now?: () => Date;
}

export async function drainOutbox<T extends OutboxTable>(
	db: Db,
	channel: OutboxChannel<T>,
	{ limit = 20, now = () => new Date() }: DrainOptions = {}
): Promise<{ sent: number; failed: number }> {
	const { table } = channel;
	// Drizzle's select() refuses a table of a generic type; the same table, typed as the PgTable it is.
	const source: PgTable = table;
	const taken = (await db.transaction(async (tx) => {
		const due = await tx
			.select({ id: table.id })
			.from(source)
			.where(
				and(isNull(table.sentAt), lt(table.attempts, channel.maxAttempts), lte(table.nextAttemptAt, now()))
			)
			.orderBy(table.nextAttemptAt)
			.limit(limit)
			.for('update', { skipLocked: true });
		if (due.length === 0) return [];
		return tx
			.update(table)
			.set({ nextAttemptAt: new Date(now().getTime() + channel.leaseMs) } as PgUpdateSetSource<T>)
			.where(
				inArray(
					table.id,
					due.map((row) => row.id as string)
				)
			)
			.returning();
	})) as Row<T>[];
	let sent = 0;
	let failed = 0;
	const outbox = getTableName(table);
	for (const row of taken) {
		// One span per message sent (the row's id, never its address or text): a failure is marked, not thrown.
		await traced(
			'outbox.send',
			{ 'portal.outbox': outbox, 'portal.outbox.attempt': row.attempts + 1 },
			async (span) => {
				try {
					await channel.send(row);
					await db
						.update(table)
						.set({
							...channel.sentValues?.(),
							sentAt: now(),
							attempts: row.attempts + 1
						} as PgUpdateSetSource<T>)
						.where(eq(table.id, row.id));
					await channel.afterSend?.(db, { at: now() });
					sent++;
				} catch (error) {
					const attempts = channel.attemptsAfter?.(row, error) ?? row.attempts + 1;
					const message = String(error).slice(0, 500);
					span.setStatus({ code: SpanStatusCode.ERROR, message });
					await db
						.update(table)
						.set({
							...channel.failedValues?.(now()),
							attempts,
							lastError: message,
							nextAttemptAt: new Date(now().getTime() + channel.retryDelayMs(attempts))
						} as PgUpdateSetSource<T>)
						.where(eq(table.id, row.id));
					await channel.afterSend?.(db, { at: now(), error: message });
					failed++;
				}
			}
		);
	}
	return { sent, failed };
}
