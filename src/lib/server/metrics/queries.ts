// What /metrics reads from the database at each scrape: the outboxes' depth and age, and the connections open.
import { count, isNull, min, sql } from 'drizzle-orm';
import type { Queryable } from '../db';
import { emailOutbox, lineOutbox, searchOutbox } from '../db/schema';
import { MAX_EMAIL_ATTEMPTS } from '../email/attempts';
import { MAX_LINE_ATTEMPTS } from '../line/attempts';

export async function searchOutboxByEntity(db: Queryable) {
	return db
		.select({ entity: searchOutbox.entity, pending: count(), oldest: min(searchOutbox.enqueuedAt) })
		.from(searchOutbox)
		.groupBy(searchOutbox.entity);
}

/** Mail still to be delivered (given-up messages are counted apart: nobody will try them again). */
export async function mailOutboxDepth(db: Queryable) {
	const [row] = await db
		.select({
			waiting: sql<number>`count(*) filter (where ${emailOutbox.attempts} < ${MAX_EMAIL_ATTEMPTS})`.mapWith(
				Number
			),
			givenUp: sql<number>`count(*) filter (where ${emailOutbox.attempts} >= ${MAX_EMAIL_ATTEMPTS})`.mapWith(
				Number
			)
		})
		.from(emailOutbox)
		.where(isNull(emailOutbox.sentAt));
	return { waiting: row?.waiting ?? 0, givenUp: row?.givenUp ?? 0 };
}

/** LINE messages still to be pushed, counted as mail is. */
export async function lineOutboxDepth(db: Queryable) {
	const [row] = await db
		.select({
			waiting: sql<number>`count(*) filter (where ${lineOutbox.attempts} < ${MAX_LINE_ATTEMPTS})`.mapWith(
				Number
			),
			givenUp: sql<number>`count(*) filter (where ${lineOutbox.attempts} >= ${MAX_LINE_ATTEMPTS})`.mapWith(
				Number
			)
		})
		.from(lineOutbox)
		.where(isNull(lineOutbox.sentAt));
	return { waiting: row?.waiting ?? 0, givenUp: row?.givenUp ?? 0 };
}

/** Connections to this database from every node, by state (active, idle, idle in transaction). */
export async function databaseConnections(db: Queryable) {
	return db.execute<{ state: string; n: number }>(
		sql`select coalesce(state, 'unknown') as state, count(*)::int as n from pg_stat_activity
			where datname = current_database() group by 1`
	);
}
