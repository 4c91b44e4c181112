// Fixed-window rate limits kept in Postgres, so every app node counts the same hits. One atomic upsert per
// hit: concurrent requests can never both take the last allowed slot.
import { and, eq, gt, lt, or, sql } from 'drizzle-orm';
import type { Queryable } from '../db';
import { rateLimits } from '../db/schema';
import { one } from '../db/rows';

export interface RateLimit {
	/** Hits allowed per window. */
	limit: number;
	windowMs: number;
}

export interface RateLimitResult {
	allowed: boolean;
	remaining: number;
	/** Seconds until the window ends (for Retry-After). */
	retryAfterSeconds: number;
}

/** Counts `hits` hits at once (several invitations in one request count one each) in one statement. */
export async function hitRateLimit(
	db: Queryable,
	key: string,
	{ limit, windowMs }: RateLimit,
	now = new Date(),
	hits = 1
): Promise<RateLimitResult> {
	const windowStart = new Date(Math.floor(now.getTime() / windowMs) * windowMs);
	const row = one(
		await db
			.insert(rateLimits)
			.values({ key, windowStart, hits })
			.onConflictDoUpdate({
				target: [rateLimits.key, rateLimits.windowStart],
				set: { hits: sql`${rateLimits.hits} + ${hits}` }
			})
			.returning({ hits: rateLimits.hits }),
		'insert into rateLimits'
	);
	const counted = row.hits;
	return {
		allowed: counted <= limit,
		remaining: Math.max(0, limit - counted),
		retryAfterSeconds: Math.ceil((windowStart.getTime() + windowMs - now.getTime()) / 1000)
	};
}

/**
 * Takes back one hit counted at `now` on each of these keys and windows (an attempt that turned out to be the
 * owner's), in one statement; never below zero.
 */
export async function refundRateLimits(
	db: Queryable,
	windows: { key: string; limit: RateLimit }[],
	now = new Date()
): Promise<void> {
	if (windows.length === 0) return;
	const windowStart = (windowMs: number) => new Date(Math.floor(now.getTime() / windowMs) * windowMs);
	await db
		.update(rateLimits)
		.set({ hits: sql`${rateLimits.hits} - 1` })
		.where(
			and(
				gt(rateLimits.hits, 0),
				or(
					...windows.map(({ key, limit }) =>
						and(eq(rateLimits.key, key), eq(rateLimits.windowStart, windowStart(limit.windowMs)))
					)
				)
			)
		);
}

/** Removes windows that ended before `before`; run from a periodic job. */
export async function pruneRateLimits(db: Queryable, before: Date): Promise<void> {
	await db.delete(rateLimits).where(lt(rateLimits.windowStart, before));
}
