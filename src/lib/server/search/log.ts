// The search log: what was searched for (normalised), in which language, how many results it found, which engine
// answered, and an HMAC of the visitor's address with a secret salt (never the address itself), so the public
// report of searches that found nothing can require several different visitors: one visitor repeating a sentence
// must not be able to write on /market. Also the limit on searches per address, and the log's pruning.
import { createHmac, randomBytes } from 'node:crypto';
import { and, asc, count, countDistinct, desc, eq, gte, lt, max, sql } from 'drizzle-orm';
import type { Queryable } from '../db';
import { jobState, searchLog } from '../db/schema';
import { addressKey } from '../client-address';
import { promiseCache } from '../promises';
import { hitRateLimit, pruneRateLimits, type RateLimitResult } from '../rate-limit';
import { repeatEvery, type Repeating } from '../background-jobs';
import { one } from '../db/rows';

export interface SearchLogEntry {
	query: string;
	locale: 'th' | 'en';
	resultCount: number;
	engine: 'meili' | 'fallback';
	/** The visitor's address, hashed before it is stored. */
	address?: string;
}

const VISITOR_SALT = 'search.visitor_salt';
/** The salt, read once an hour per database (it never changes once made). */
const salts = promiseCache({ ttlMs: 3_600_000 });

/**
 * The secret salt of the visitor hashes: made once, at random, and kept in job_state so every node hashes alike.
 * Without it an address could be found again from its hash by trying all 2³² IPv4 addresses.
 */
function visitorSalt(db: Queryable): Promise<string> {
	return salts.get(db, VISITOR_SALT, async () => {
		await db
			.insert(jobState)
			.values({ name: VISITOR_SALT, value: randomBytes(32).toString('base64url') })
			.onConflictDoNothing();
		const row = one(
			await db.select({ value: jobState.value }).from(jobState).where(eq(jobState.name, VISITOR_SALT)),
			'select from jobState'
		);
		return row.value;
	});
}

/** The visitor as the log keeps it: an HMAC of the address (an IPv6 address by its /64). */
export async function visitorHash(db: Queryable, address: string): Promise<string> {
	return createHmac('sha256', await visitorSalt(db))
		.update(addressKey(address))
		.digest('base64url')
		.slice(0, 22);
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
			engine: entry.engine,
			visitorHash: entry.address === undefined ? null : await visitorHash(db, entry.address)
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
	/** Different visitors who searched for it (rows logged without a visitor are not counted). */
	visitors: number;
	lastAt: Date;
}

/**
 * The searches that found nothing since `since`, most frequent first (then the most recent); with `minVisitors`,
 * only those searched by at least that many different visitors (what the public report shows).
 */
export async function zeroResultSearches(
	db: Queryable,
	{ since, limit, minVisitors = 0 }: { since: Date; limit: number; minVisitors?: number }
): Promise<ZeroResultSearch[]> {
	const times = count();
	const visitors = countDistinct(searchLog.visitorHash);
	const lastAt = max(searchLog.createdAt);
	const rows = await db
		.select({ query: searchLog.query, count: times, visitors, lastAt })
		.from(searchLog)
		.where(and(eq(searchLog.resultCount, 0), gte(searchLog.createdAt, since)))
		.groupBy(searchLog.query)
		.having(minVisitors > 0 ? gte(visitors, minVisitors) : undefined)
		.orderBy(desc(times), desc(lastAt), asc(searchLog.query))
		.limit(limit);
	return rows.map((row) => ({
		query: row.query,
		count: row.count,
		visitors: row.visitors,
		lastAt: new Date(row.lastAt!)
	}));
}

/** Searches per address per minute (a search costs Meilisearch far more than a page costs the portal). */
export function hitSearchLimit(db: Queryable, address: string, perMinute: number): Promise<RateLimitResult> {
	return hitRateLimit(db, `search:${addressKey(address)}`, { limit: perMinute, windowMs: 60_000 });
}

export interface SearchLogRetention {
	/** Rows older than this many days are removed. */
	days: number;
	/** At most this many rows are kept, the newest. */
	maxRows: number;
}

/** Removes rows older than `days` and, past `maxRows`, the oldest; returns how many went. */
export async function pruneSearchLog(
	db: Queryable,
	{ days, maxRows }: SearchLogRetention,
	now = new Date()
): Promise<number> {
	const old = await db
		.delete(searchLog)
		.where(lt(searchLog.createdAt, new Date(now.getTime() - days * 86_400_000)))
		.returning({ id: searchLog.id });
	// Ids grow with time: everything below the newest `maxRows` ids goes.
	const over = await db
		.delete(searchLog)
		.where(
			lt(
				searchLog.id,
				sql`(select ${searchLog.id} from ${searchLog} order by ${searchLog.id} desc offset ${maxRows - 1} limit 1)`
			)
		)
		.returning({ id: searchLog.id });
	return old.length + over.length;
}

/** Rate-limit windows are at most a day long (demand posting): those that ended two days ago are dead. */
const RATE_WINDOWS_KEPT_MS = 2 * 86_400_000;

/**
 * Prunes the search log every `intervalMs` (an hour), and the rate-limit windows the searches leave behind. Every
 * node may run it: a delete that finds nothing does nothing.
 */
export function startSearchLogPruning(
	db: Queryable,
	retention: SearchLogRetention,
	options: { intervalMs?: number; log?: (message: string) => void } = {}
): Repeating {
	const log = options.log ?? ((message: string) => console.log(message));
	return repeatEvery(
		'search-log-pruning',
		options.intervalMs ?? 3_600_000,
		async () => {
			const removed = await pruneSearchLog(db, retention);
			await pruneRateLimits(db, new Date(Date.now() - RATE_WINDOWS_KEPT_MS));
			if (removed > 0) log(`[search-log] ${removed} old search(es) removed`);
		},
		(error) =>
			console.error(`[search-log] pruning failed: ${error instanceof Error ? error.message : String(error)}`)
	);
}
