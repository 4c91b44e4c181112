// Reads of organisations' verification for the lists that name them (search, the demand board, startup cards,
// the API). Read from Postgres whenever a list is shown, not kept in the search index or a page cache, so a
// revoked verification loses its badge everywhere at once.
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Queryable } from '../db';
import { organisations, startups } from '../db/schema';

/** A select column: whether the organisation joined as `organisations` is verified. */
export const organisationIsVerified = sql<boolean>`(${organisations.verification} = 'verified')`;

/** Which of these startups belong to a verified organisation. */
export async function verifiedStartupIds(db: Queryable, startupIds: string[]): Promise<Set<string>> {
	const ids = [...new Set(startupIds)];
	if (ids.length === 0) return new Set();
	const rows = await db
		.select({ id: startups.id })
		.from(startups)
		.innerJoin(organisations, eq(organisations.id, startups.organisationId))
		.where(and(inArray(startups.id, ids), eq(organisations.verification, 'verified')));
	return new Set(rows.map((row) => row.id));
}
