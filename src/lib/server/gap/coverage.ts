// Which open demands the registered startups can serve: the matching engine's answer for each open demand, kept
// in demand_coverage / demand_matches so the gap figures are a query, not 100,000 match calls per page view.
// A background worker computes what is missing or stale: a demand edited since, or a startup changed that could
// serve it (read from startups.updated_at past a watermark kept in job_state). A demand its buyer has just
// published is announced to its best-matched startups from the same answer, in the same transaction: once, and
// never lost if the portal stops in between (it is still pending, and still has no coverage, when it comes back).
// Only a verified buyer's demand is announced: an unverified buyer's stays pending, and is announced by the first
// pass after its office verifies the buyer, if it is still open then.
import { and, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { Meilisearch } from 'meilisearch';
import type { Db } from '../db';
import {
	demandCoverage,
	demandMatches,
	demands,
	jobState,
	organisations,
	startupDivisions,
	startups
} from '../db/schema';
import { announceDemand } from '../demands/announce';
import { matchStartupsForDemand } from '../matching/service';
import { compatibleDivisions } from '../matching/related';
import { GOOD_MATCH_SCORE } from '../matching/score';
import { asLeader } from '../leader';
import { repeatEvery } from '../background-jobs';
import { invalidateFigures } from './cache';

const WATERMARK = 'coverage.startups_seen_until';

/** A demand waiting to be announced whose buyer the office verified: the only kind announced. */
function announceable(db: Db) {
	return and(
		eq(demands.announcePending, true),
		inArray(
			demands.buyerOrganisationId,
			db
				.select({ id: organisations.id })
				.from(organisations)
				.where(eq(organisations.verification, 'verified'))
		)
	);
}
/** Enough good matches to say a demand is covered and to show which provinces' startups could serve it. */
const MATCHES_KEPT = 10;
/** How often the worker looks for new demands: the longest a new demand waits for its announcement. */
const NEW_DEMAND_CHECK_MS = 10_000;

export interface CoverageRun {
	/** Demands whose coverage was dropped because a startup that could serve them changed. */
	invalidated: number;
	computed: number;
	/** True when more stale demands are waiting than one batch took. */
	more: boolean;
}

/** Drops the coverage of open demands that a startup changed since the last run could serve (or served). */
async function invalidateForChangedStartups(db: Db): Promise<number> {
	const [mark] = await db.select().from(jobState).where(eq(jobState.name, WATERMARK));
	// Compared as Postgres text, not a JS Date: timestamps carry microseconds that a Date would cut off.
	const after = sql`${startups.updatedAt} > ${mark?.value ?? '-infinity'}::timestamptz`;
	const changed = await db.select({ id: startups.id }).from(startups).where(after);
	if (changed.length === 0) return 0;
	const ids = changed.map((s) => s.id);
	const [{ until }] = (await db
		.select({ until: sql<string>`max(${startups.updatedAt})::text` })
		.from(startups)
		.where(inArray(startups.id, ids))) as [{ until: string }];
	const divisionRows = await db
		.selectDistinct({ code: startupDivisions.divisionCode })
		.from(startupDivisions)
		.where(inArray(startupDivisions.startupId, ids));
	const divisions = [...new Set(divisionRows.flatMap((r) => compatibleDivisions(r.code)))];
	const affected = db
		.select({ id: demands.id })
		.from(demands)
		.where(
			and(
				eq(demands.status, 'open'),
				or(
					divisions.length ? inArray(demands.divisionCode, divisions) : sql`false`,
					// A startup that left a category or was suspended no longer serves what it matched.
					inArray(
						demands.id,
						db
							.select({ id: demandMatches.demandId })
							.from(demandMatches)
							.where(inArray(demandMatches.startupId, ids))
					)
				)
			)
		);
	const dropped = await db.transaction(async (tx) => {
		const rows = await tx
			.delete(demandCoverage)
			.where(inArray(demandCoverage.demandId, affected))
			.returning({ id: demandCoverage.demandId });
		await tx
			.insert(jobState)
			.values({ name: WATERMARK, value: until })
			.onConflictDoUpdate({ target: jobState.name, set: { value: until, updatedAt: new Date() } });
		return rows.length;
	});
	return dropped;
}

/**
 * Drops the coverage of the demands these startups were good matches for: a certificate of theirs expired, so
 * they may no longer serve them. Their startup rows do not change, so the watermark above would not see it.
 */
export async function dropCoverageServedBy(db: Db, startupIds: string[]): Promise<number> {
	if (startupIds.length === 0) return 0;
	const rows = await db
		.delete(demandCoverage)
		.where(
			inArray(
				demandCoverage.demandId,
				db
					.select({ id: demandMatches.demandId })
					.from(demandMatches)
					.where(inArray(demandMatches.startupId, startupIds))
			)
		)
		.returning({ id: demandCoverage.demandId });
	if (rows.length) invalidateFigures();
	return rows.length;
}

/**
 * Open demands with no coverage yet, edited after it was computed, or still to be announced by a verified buyer
 * (their coverage may have been computed without announcing, by the CLI, or before the buyer was verified);
 * oldest publication first.
 */
async function staleDemands(db: Db, limit: number): Promise<string[]> {
	const rows = await db
		.select({ id: demands.id })
		.from(demands)
		.leftJoin(demandCoverage, eq(demandCoverage.demandId, demands.id))
		.where(
			and(
				eq(demands.status, 'open'),
				or(
					isNull(demandCoverage.demandId),
					lt(demandCoverage.computedAt, demands.updatedAt),
					announceable(db)
				)
			)
		)
		.orderBy(demands.publishedAt, demands.id)
		.limit(limit);
	return rows.map((r) => r.id);
}

export interface CoverageOptions {
	/**
	 * The portal's address for links in announcements: a demand waiting to be announced is announced. Without it
	 * (loading data, the CLI) announcements stay pending for the worker.
	 */
	origin?: string;
}

/** Asks the matching engine about one demand, stores its good matches and announces it if that is pending. */
export async function computeCoverage(
	db: Db,
	search: Meilisearch | null,
	demandId: string,
	{ origin }: CoverageOptions = {}
): Promise<number> {
	const computedAt = new Date();
	const result = await matchStartupsForDemand(db, search, demandId, { limit: MATCHES_KEPT });
	const good = result.matches.filter((m) => m.score >= GOOD_MATCH_SCORE);
	await db.transaction(async (tx) => {
		if (origin) {
			// Claimed in this transaction: announced once, however many nodes or passes compute it.
			const [pending] = await tx
				.update(demands)
				// updated_at stays: it says when the buyer last changed the demand, and moving it would make this
				// coverage stale at once.
				.set({ announcePending: false, updatedAt: sql`${demands.updatedAt}` })
				.where(and(eq(demands.id, demandId), announceable(db), eq(demands.status, 'open')))
				.returning({ id: demands.id, titleTh: demands.titleTh, titleEn: demands.titleEn });
			if (pending) await announceDemand(tx, pending, result.matches, origin);
		}
		await tx.delete(demandMatches).where(eq(demandMatches.demandId, demandId));
		if (good.length)
			await tx.insert(demandMatches).values(good.map((m) => ({ demandId, startupId: m.id, score: m.score })));
		const values = { goodMatches: good.length, bestScore: good[0]?.score ?? null, computedAt };
		await tx
			.insert(demandCoverage)
			.values({ demandId, ...values })
			.onConflictDoUpdate({ target: demandCoverage.demandId, set: values });
	});
	return good.length;
}

/** One pass: drop what startup changes made stale, then compute up to `batch` demands. */
export async function refreshCoverage(
	db: Db,
	search: Meilisearch | null,
	batch = 200,
	options: CoverageOptions = {}
): Promise<CoverageRun> {
	const invalidated = await invalidateForChangedStartups(db);
	const ids = await staleDemands(db, batch + 1);
	const todo = ids.slice(0, batch);
	for (const id of todo) await computeCoverage(db, search, id, options);
	if (invalidated || todo.length) invalidateFigures();
	return { invalidated, computed: todo.length, more: ids.length > batch };
}

/** Runs refreshCoverage until nothing is stale: for tests, the CLI and the demo loader. */
export async function refreshAllCoverage(db: Db, search: Meilisearch | null): Promise<number> {
	let total = 0;
	for (;;) {
		const run = await refreshCoverage(db, search);
		total += run.computed;
		if (!run.more) return total;
	}
}

/**
 * Every `intervalMs` (and at once while more is waiting), as the leader: coverage of what is stale, and the
 * announcements of newly published demands. A new demand is announced within about one interval.
 */
export function startCoverageWorker(
	db: Db,
	search: Meilisearch | null,
	{
		origin,
		log,
		intervalMs = NEW_DEMAND_CHECK_MS
	}: { origin: string; log: (message: string) => void; intervalMs?: number }
) {
	return repeatEvery(
		'gap-coverage',
		intervalMs,
		// On one node at a time (../leader.ts): on the others the round does nothing. The figures cache of those
		// nodes is not dropped by the leader's writes; it expires within its minute.
		async () => (await asLeader(db, 'gapCoverage', () => refreshCoverage(db, search, 200, { origin })))?.more,
		(error) => log(`[gap] coverage refresh failed: ${String(error)}`)
	);
}
