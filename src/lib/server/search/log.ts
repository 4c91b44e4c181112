// The search log: what was searched for (normalised), in which language, how many results it found and which
// engine answered. Nothing about who searched. Also the report of the searches that found nothing.
import { and, asc, count, desc, eq, gte, max } from 'drizzle-orm';
import type { Queryable } from '../db';
import { searchLog } from '../db/schema';

export interface SearchLogEntry {
	query: string;
	locale: 'th' | 'en';
	resultCount: number;
	engine: 'meili' | 'fallback';
}

/** Trimmed, lower-cased, runs of white space as one space, at most 200 characters (code points, as Postgres counts). */
export function normaliseQuery(query: string): string {
	const collapsed = query.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim();
	return [...collapsed].slice(0, 200).join('').trimEnd();
}

/**
 * Records one search; an empty query (browsing by filters alone) is not recorded. Never throws: a search must not
 * fail because its log could not be written, so the failure goes to the error log and the search goes on.
 * Resolves to whether a row was written.
 */
export async function logSearch(db: Queryable, entry: SearchLogEntry): Promise<boolean> {
	const query = normaliseQuery(entry.query);
	if (!query) return false;
	try {
		await db.insert(searchLog).values({
			query,
			locale: entry.locale,
			resultCount: Math.max(0, Math.trunc(entry.resultCount)),
			engine: entry.engine
		});
		return true;
	} catch (error) {
		console.error('[search-log] could not record a search:', error);
		return false;
	}
}

export interface ZeroResultSearch {
	query: string;
	count: number;
	lastAt: Date;
}

/** The searches that found nothing since `since`, most frequent first (then the most recent). */
export async function zeroResultSearches(
	db: Queryable,
	{ since, limit }: { since: Date; limit: number }
): Promise<ZeroResultSearch[]> {
	const times = count();
	const lastAt = max(searchLog.createdAt);
	const rows = await db
		.select({ query: searchLog.query, count: times, lastAt })
		.from(searchLog)
		.where(and(eq(searchLog.resultCount, 0), gte(searchLog.createdAt, since)))
		.groupBy(searchLog.query)
		.orderBy(desc(times), desc(lastAt), asc(searchLog.query))
		.limit(limit);
	return rows.map((row) => ({ query: row.query, count: row.count, lastAt: new Date(row.lastAt!) }));
}
