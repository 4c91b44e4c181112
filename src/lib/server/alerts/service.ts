// Saved searches and their alerts: a person's own searches (every change checks the owner), the matching of new
// or changed public listings as the search outbox indexes them, and the delivery of alerts at once or as daily or
// weekly digests through notifyEach() (notify() in batches), at most one per search per period.
import { and, asc, count, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Db, Queryable } from '../db';
import { demands, savedSearchHits, savedSearches, startups, users, wasteLots } from '../db/schema';
import { UserError, notFound } from '../errors';
import { tryLeaderLock } from '../leader';
import { lineChannel } from '../line/config';
import { notifyEach, type Notice } from '../notifications/service';
import { repeatEvery } from '../background-jobs';
import { publicStartup } from '../startups/public';
import type { DemandDocument, StartupDocument } from '../search/documents';
import type { LotDocument } from '../waste/search';
import {
	anchorsOf,
	criteriaSchema,
	listingKeys,
	matches,
	searchPath,
	type AlertEntity,
	type Listing,
	type SearchCriteria
} from './criteria';
import { signingKey, signToken } from './unsubscribe';
import { THAILAND_OFFSET_MS } from '$lib/schemas/calendar-date';
import { SAVED_SEARCH_SOURCES, type ALERT_FREQUENCIES } from '../db/schema/alerts';

export { SAVED_SEARCH_SOURCES };

export type AlertFrequency = (typeof ALERT_FREQUENCIES)[number];
export type SavedSearchSource = (typeof SAVED_SEARCH_SOURCES)[number];

/** Searches one person may keep: enough for real use, few enough that nobody floods the lookup. */
export const MAX_SAVED_SEARCHES = 50;
/** Listings named in one alert; the rest are counted and reached through the search's link. */
const LISTED_PER_ALERT = 10;

export interface SavedSearchSettings {
	name: string;
	frequency: AlertFrequency;
	byEmail: boolean;
	byLine: boolean;
}

/**
 * The criteria as the page they were saved from reads them: a by-product search finds lots only (its type is
 * `waste`), and no other page may ask for lots; undefined when they do not belong together.
 */
export function criteriaFor(source: SavedSearchSource, criteria: SearchCriteria): SearchCriteria | undefined {
	if (source === 'waste')
		return { ...criteria, type: 'waste', tsic: [], cert: [], minQuantity: null, maxQuantity: null };
	if (criteria.type === 'waste' || criteria.code.length > 0) return undefined;
	return criteria;
}

/** Alerts by LINE only where a LINE channel is configured: otherwise the choice would do nothing. */
function checkChannels(settings: SavedSearchSettings) {
	if (settings.byLine && !lineChannel())
		throw new UserError('saved_search_line_unavailable', 'LINE is not configured', {
			field: 'line',
			status: 400
		});
}

export async function createSavedSearch(
	db: Db,
	userId: string,
	source: SavedSearchSource,
	given: SearchCriteria,
	settings: SavedSearchSettings
): Promise<string> {
	const criteria = criteriaFor(source, given);
	if (!criteria) throw new UserError('invalid_value', 'criteria do not fit the source', { status: 400 });
	checkChannels(settings);
	return db.transaction(async (tx) => {
		// Serialises one person's saves, so two at once cannot both pass the limit.
		await tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).for('update');
		const [row] = await tx.select({ n: count() }).from(savedSearches).where(eq(savedSearches.userId, userId));
		if (row!.n >= MAX_SAVED_SEARCHES)
			throw new UserError('saved_search_limit', 'too many saved searches', { field: 'name', status: 400 });
		const [created] = await tx
			.insert(savedSearches)
			.values({ userId, source, criteria, anchors: anchorsOf(criteria), ...settings })
			.returning({ id: savedSearches.id });
		return created!.id;
	});
}

export async function listSavedSearches(db: Queryable, userId: string) {
	const rows = await db
		.select()
		.from(savedSearches)
		.where(eq(savedSearches.userId, userId))
		.orderBy(desc(savedSearches.createdAt), asc(savedSearches.id));
	return rows.map((row) => {
		const criteria = criteriaSchema.parse(row.criteria);
		return {
			id: row.id,
			name: row.name,
			source: row.source,
			criteria,
			link: searchPath(row.source, criteria),
			frequency: row.frequency,
			byEmail: row.byEmail,
			byLine: row.byLine,
			lastAlertedAt: row.lastAlertedAt
		};
	});
}

/** Renames a search or changes its alerts; another person's search reads as missing. */
export async function updateSavedSearch(
	db: Queryable,
	userId: string,
	id: string,
	settings: SavedSearchSettings
): Promise<void> {
	checkChannels(settings);
	const updated = await db
		.update(savedSearches)
		.set({ ...settings, updatedAt: sql`now()` })
		.where(and(eq(savedSearches.id, id), eq(savedSearches.userId, userId)))
		.returning({ id: savedSearches.id });
	if (updated.length === 0) throw notFound('saved search');
}

export async function deleteSavedSearch(db: Queryable, userId: string, id: string): Promise<void> {
	const deleted = await db
		.delete(savedSearches)
		.where(and(eq(savedSearches.id, id), eq(savedSearches.userId, userId)))
		.returning({ id: savedSearches.id });
	if (deleted.length === 0) throw notFound('saved search');
}

/** The unsubscribe link's work: the token already proved which search; its alerts stop. */
export async function stopAlerts(db: Queryable, id: string): Promise<{ name: string } | undefined> {
	const [row] = await db
		.update(savedSearches)
		.set({ frequency: 'off', updatedAt: sql`now()` })
		.where(eq(savedSearches.id, id))
		.returning({ name: savedSearches.name });
	return row;
}

export async function savedSearchName(db: Queryable, id: string) {
	const [row] = await db
		.select({ name: savedSearches.name, frequency: savedSearches.frequency })
		.from(savedSearches)
		.where(eq(savedSearches.id, id));
	return row;
}

// ---------- matching, from the search outbox ----------

export interface MatchResult {
	/** Searches looked up by the listings' keys: the checks done (compare searches × listings). */
	candidateChecks: number;
	hits: number;
}

/** Listings as the outbox indexes them: only public ones reach here (search/documents.ts decides). */
export function listingsOf(entity: string, documents: object[]): Listing[] {
	if (entity === 'demand')
		return documents.map((document) => ({ entity: 'demand', document: document as DemandDocument }));
	if (entity === 'startup')
		return documents.map((document) => ({ entity: 'startup', document: document as StartupDocument }));
	if (entity === 'waste_lot')
		return documents.map((document) => ({ entity: 'waste_lot', document: document as LotDocument }));
	return [];
}

/**
 * Records which saved searches the listings entered. One query finds every search that shares a key with any of
 * the listings (a GIN index on the keys); each listing is then checked exactly against only the searches its own
 * keys name. A listing already recorded for a search is not recorded again.
 */
export async function recordMatches(db: Queryable, listings: Listing[]): Promise<MatchResult> {
	if (listings.length === 0) return { candidateChecks: 0, hits: 0 };
	const keysByListing = listings.map(listingKeys);
	const allKeys = [...new Set(keysByListing.flat())];
	const candidates = await db
		.select({ id: savedSearches.id, criteria: savedSearches.criteria, anchors: savedSearches.anchors })
		.from(savedSearches)
		.where(
			and(
				sql`${savedSearches.anchors} && ${sql.param(allKeys, savedSearches.anchors)}`,
				sql`${savedSearches.frequency} <> 'off'`
			)
		);
	const byKey = new Map<string, { id: string; criteria: SearchCriteria }[]>();
	for (const candidate of candidates) {
		const parsed = criteriaSchema.safeParse(candidate.criteria);
		if (!parsed.success) continue; // written by this module only; a row it cannot read finds nothing
		for (const key of candidate.anchors)
			byKey.set(key, [...(byKey.get(key) ?? []), { id: candidate.id, criteria: parsed.data }]);
	}
	let candidateChecks = 0;
	const hits: { savedSearchId: string; entity: AlertEntity; entityId: string }[] = [];
	listings.forEach((listing, i) => {
		const seen = new Set<string>();
		for (const key of keysByListing[i]!) {
			for (const search of byKey.get(key) ?? []) {
				if (seen.has(search.id)) continue;
				seen.add(search.id);
				candidateChecks++;
				if (matches(search.criteria, listing))
					hits.push({ savedSearchId: search.id, entity: listing.entity, entityId: listing.document.id });
			}
		}
	});
	let inserted = 0;
	for (let i = 0; i < hits.length; i += 1000) {
		const rows = await db
			.insert(savedSearchHits)
			.values(hits.slice(i, i + 1000))
			.onConflictDoNothing()
			.returning({ id: savedSearchHits.entityId });
		inserted += rows.length;
	}
	return { candidateChecks, hits: inserted };
}

// ---------- delivery ----------

const DAY_MS = 24 * 60 * 60 * 1000;

/** Where the current period began, in Thai time: today's midnight, or this week's Monday midnight. */
export function periodStart(frequency: 'daily' | 'weekly', now: Date): Date {
	const local = new Date(now.getTime() + THAILAND_OFFSET_MS);
	const midnight = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate());
	const daysSinceMonday = frequency === 'weekly' ? (local.getUTCDay() + 6) % 7 : 0;
	return new Date(midnight - daysSinceMonday * DAY_MS - THAILAND_OFFSET_MS);
}

export interface DeliveryResult {
	alerts: number;
	listings: number;
}

/**
 * Sends what is due, reading only the hits that wait: a search at once gets one alert with everything that waits
 * for it; a digest, once its period has turned, one alert with the previous period's listings. A listing no
 * longer public by then is dropped from the alert. On one node at a time.
 */
export async function deliverAlerts(db: Db, origin: string, now = new Date()): Promise<DeliveryResult> {
	return db.transaction(async (tx) => {
		if (!(await tryLeaderLock(tx, 'savedSearchAlerts'))) return { alerts: 0, listings: 0 };
		// Every read below is one query for all searches: the hits that wait, their searches, the listings named.
		const waiting = await tx
			.select({
				search: savedSearches,
				recipient: { id: users.id, email: users.email, locale: users.locale, status: users.status }
			})
			.from(savedSearches)
			.innerJoin(users, eq(users.id, savedSearches.userId))
			.where(
				inArray(
					savedSearches.id,
					tx
						.selectDistinct({ id: savedSearchHits.savedSearchId })
						.from(savedSearchHits)
						.where(isNull(savedSearchHits.alertedAt))
				)
			);
		const due = new Map<string, { row: (typeof waiting)[number]; before: Date }>();
		for (const row of waiting) {
			const { frequency, lastAlertedAt } = row.search;
			if (frequency === 'off' || row.recipient.status !== 'active') continue;
			const before = frequency === 'instant' ? now : periodStart(frequency, now);
			if (frequency !== 'instant' && lastAlertedAt && lastAlertedAt >= before) continue;
			due.set(row.search.id, { row, before });
		}
		if (due.size === 0) return { alerts: 0, listings: 0 };
		const pending = (
			await tx
				.select({
					savedSearchId: savedSearchHits.savedSearchId,
					entity: savedSearchHits.entity,
					entityId: savedSearchHits.entityId,
					matchedAt: savedSearchHits.matchedAt
				})
				.from(savedSearchHits)
				.where(and(anyId(savedSearchHits.savedSearchId, [...due.keys()]), isNull(savedSearchHits.alertedAt)))
				.orderBy(asc(savedSearchHits.matchedAt))
		).filter((hit) => hit.matchedAt <= due.get(hit.savedSearchId)!.before);
		if (pending.length === 0) return { alerts: 0, listings: 0 };
		// Marked by their keys: a hit recorded meanwhile by the drain waits for the next round.
		await tx.execute(sql`
			update ${savedSearchHits} set alerted_at = ${now.toISOString()}
			from unnest(
				${sql.param(pending.map((p) => p.savedSearchId))}::uuid[],
				${sql.param(pending.map((p) => p.entity))}::text[],
				${sql.param(pending.map((p) => p.entityId))}::uuid[]
			) as done(search_id, entity, entity_id)
			where ${savedSearchHits.savedSearchId} = done.search_id and ${savedSearchHits.entity} = done.entity
				and ${savedSearchHits.entityId} = done.entity_id`);
		const named = await stillPublic(tx, pending);
		const key = await signingKey(tx);
		const result: DeliveryResult = { alerts: 0, listings: 0 };
		const alerted: string[] = [];
		const notices: Notice[] = [];
		for (const [searchId, hits] of Map.groupBy(pending, (hit) => hit.savedSearchId)) {
			const items = hits.flatMap((hit) => named.get(hit.entityId) ?? []);
			if (items.length === 0) continue; // all gone from public view since: nothing to tell
			const { search, recipient } = due.get(searchId)!.row;
			const criteria = criteriaSchema.parse(search.criteria);
			const unsubscribeUrl = `${origin}/alerts/unsubscribe/${signToken(key, search.id)}`;
			notices.push({
				recipient: { id: recipient.id, email: recipient.email, locale: recipient.locale },
				kind: 'saved_search_alert',
				payload: {
					link: searchPath(search.source, criteria),
					searchName: search.name,
					frequency: search.frequency,
					count: items.length,
					items: items.slice(0, LISTED_PER_ALERT).map((item) => ({ ...item, url: `${origin}${item.link}` })),
					unsubscribeUrl
				},
				options: {
					channels: { email: search.byEmail, line: search.byLine },
					// RFC 8058: mail programs offer one-click unsubscribe, a POST to the same signed link.
					emailHeaders: {
						'List-Unsubscribe': `<${unsubscribeUrl}>`,
						'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click'
					}
				}
			});
			alerted.push(searchId);
			result.alerts++;
			result.listings += items.length;
		}
		// In batches: one insert for the in-app alerts and one for their mail per few hundred alerts.
		await notifyEach(tx, notices, origin);
		if (alerted.length > 0)
			await tx.update(savedSearches).set({ lastAlertedAt: now }).where(anyId(savedSearches.id, alerted));
		return result;
	});
}

/** `column = any($ids)`: one parameter however many ids (an IN list stops at 65,534). */
const anyId = (column: AnyPgColumn, ids: string[]) => sql`${column} = any(${sql.param(ids)}::uuid[])`;

interface AlertItem {
	th: string;
	en: string | null;
	link: string;
}

/** The waiting listings that are still public, by id, named in both languages. */
async function stillPublic(
	db: Queryable,
	pending: { entity: string; entityId: string }[]
): Promise<Map<string, AlertItem>> {
	const ids = (entity: string) => [
		...new Set(pending.filter((p) => p.entity === entity).map((p) => p.entityId))
	];
	const demandIds = ids('demand');
	const startupIds = ids('startup');
	const lotIds = ids('waste_lot');
	const [openDemands, publicStartups, publicLots] = await Promise.all([
		demandIds.length === 0
			? []
			: db
					.select({ id: demands.id, titleTh: demands.titleTh, titleEn: demands.titleEn })
					.from(demands)
					.where(and(anyId(demands.id, demandIds), eq(demands.status, 'open'))),
		startupIds.length === 0
			? []
			: db
					.select({
						id: startups.id,
						slug: startups.slug,
						nameTh: startups.nameTh,
						nameEn: startups.nameEn
					})
					.from(startups)
					.where(and(anyId(startups.id, startupIds), publicStartup)),
		// As waste/search.ts's isLotSearchable: approved and available now.
		lotIds.length === 0
			? []
			: db
					.select({ id: wasteLots.id, nameTh: wasteLots.nameTh, nameEn: wasteLots.nameEn })
					.from(wasteLots)
					.where(
						and(
							anyId(wasteLots.id, lotIds),
							eq(wasteLots.status, 'approved'),
							eq(wasteLots.availableNow, true)
						)
					)
	]);
	const named = new Map<string, AlertItem>();
	for (const d of openDemands)
		named.set(d.id, { th: d.titleTh ?? d.titleEn ?? '', en: d.titleEn, link: `/demand/${d.id}` });
	for (const s of publicStartups)
		named.set(s.id, { th: s.nameTh ?? s.nameEn ?? '', en: s.nameEn, link: `/startups/${s.slug}` });
	// A lot has no page of its own for the public: the by-product search shows it alone (waste/public-search.ts).
	for (const lot of publicLots)
		named.set(lot.id, { th: lot.nameTh ?? lot.nameEn ?? '', en: lot.nameEn, link: `/waste?lot=${lot.id}` });
	return named;
}

/** Delivers due alerts every `intervalMs` (at-once alerts wait at most this long after indexing). */
export function startAlertWorker(db: Db, origin: string, log: (message: string) => void, intervalMs = 5_000) {
	return repeatEvery(
		'saved-search-alerts',
		intervalMs,
		async () => {
			await deliverAlerts(db, origin);
		},
		(error) => log(`[saved-search-alerts] failed: ${String(error)}`)
	);
}
