// Matching in both directions: the startups that can supply a demand, and the open demands a startup can serve.
// Meilisearch narrows the candidates with the hard constraints as filters and finds the text hits (Thai and
// English, with the vocabulary's synonyms); every candidate is then scored by score.ts over text relevance
// computed by relevance.ts from the same fields whichever engine found it, so a pair has one score. When Meilisearch fails or its
// index is behind (outbox rows older than 5 s), the same constraints and score run on Postgres, and the answer
// says it is degraded.
import { and, desc, eq, exists, inArray, lt, sql } from 'drizzle-orm';
import type { Queryable } from '../db';
import {
	certifications,
	demandCertifications,
	demands,
	products,
	searchOutbox,
	startupDivisions,
	startups
} from '../db/schema';
import { notFound } from '../errors';
import { promiseCache } from '../promises';
import { isPaused, noteFailure, type Meilisearch } from '../search/client';
import type { SearchEntity } from '../search/outbox';
import { holdsValidCertificate, quote } from '../search/filters';
import { INDEXES } from '../search/indexes';
import { loadDemandSources, loadStartupSources } from '../search/sources';
import { awaitingReReview } from '../startups/public';
import type { DemandDocument, DemandSource, StartupDocument, StartupSource } from '../search/documents';
import { epochDay, validCertifications } from '$lib/certificates';
import { todayInThailand } from '$lib/schemas/calendar-date';
import { UNITS } from '$lib/schemas/units';
import { convertQuantity } from '$lib/units';
import { compatibleDivisions } from './related';
import { productsNamed, textRelevance } from './relevance';
import {
	capacityInDemandUnit,
	compareMatches,
	shownScore,
	isPlausible,
	passesHardConstraints,
	scoreMatch,
	type DemandSide,
	type MatchReasons,
	type StartupSide
} from './score';

export type Engine = 'meili' | 'fallback';

export interface Match {
	id: string;
	ref: string | null;
	score: number;
	reasons: MatchReasons;
}

export interface MatchResult {
	engine: Engine;
	/** True when Meilisearch was asked for but could not answer. */
	degraded: boolean;
	matches: Match[];
}

const CANDIDATES = 50;
/**
 * Filter-only candidates: more than the text hits, as Postgres considers every startup in the categories; the
 * text may name the product in a way the engine did not find and relevance.ts does (a typo across languages).
 */
const FILTER_ONLY_CANDIDATES = 200;
/**
 * The fallback's candidates, in the shape of Meilisearch's: every row whose text is about the product (by the
 * relevance both engines score with), then the first FILTER_ONLY_CANDIDATES of the others. Read as ids and
 * texts first, so that only these are loaded whole and scored.
 */
function preselect(
	rows: { id: string; text: string }[],
	relevant: (text: string) => boolean,
	othersKept = FILTER_ONLY_CANDIDATES
): string[] {
	const about: string[] = [];
	const others: string[] = [];
	for (const row of rows) {
		if (relevant(row.text)) about.push(row.id);
		else if (others.length < othersKept) others.push(row.id);
	}
	return [...about, ...others];
}

/** The open demands the fallback reads, newest first: beyond these, Postgres alone would take too long. */
const FALLBACK_DEMANDS = 5_000;
/** A demand's id and its titles, as relevance reads them (textOfDemand). */
const titlesOfDemands = {
	id: demands.id,
	text: sql<string>`concat_ws(' ', ${demands.titleTh}, ${demands.titleEn})`
};

/** An index whose outbox holds rows older than this is behind: matching answers from Postgres instead. */
const BEHIND_AFTER_MS = 5_000;

/**
 * Whether the index is behind. Matches come in crowds: "up to date" is asked of the database at most once a second
 * per entity (a row counts as behind only after 5 s, so this notices it a second later at most); "behind" is
 * asked again every time, so matching returns to Meilisearch as soon as the outbox drains.
 */
const upToDate = promiseCache({ ttlMs: 1_000, keep: (behind) => behind === false });
export const indexBehind = (db: Queryable, entity: SearchEntity): Promise<boolean> =>
	upToDate.get(db, entity, () => outboxHoldsOldRows(db, entity, new Date()));

async function outboxHoldsOldRows(db: Queryable, entity: SearchEntity, now: Date): Promise<boolean> {
	const [row] = await db
		.select({ id: searchOutbox.id })
		.from(searchOutbox)
		.where(
			and(
				eq(searchOutbox.entity, entity),
				lt(searchOutbox.enqueuedAt, new Date(now.getTime() - BEHIND_AFTER_MS))
			)
		)
		.limit(1);
	return row !== undefined;
}
const list = (values: string[]) => `[${values.map(quote).join(', ')}]`;
const convertibleUnits = (unit: string) => UNITS.filter((u) => convertQuantity(1, unit, u) !== null);

export function demandSide(source: DemandSource): DemandSide {
	return {
		divisionCode: source.division,
		quantity: source.quantity,
		unit: source.unit,
		recurrence: source.recurrence,
		priceThbMax: source.priceThbMax,
		deliveryProvince: source.deliveryProvince,
		requiredCertifications: source.requiredCertifications,
		publishedAt: source.publishedAt
	};
}

/** A startup as matching reads it on `day` (today in Thailand): only its certificates valid that day count. */
export function startupSide(source: StartupSource, day = todayInThailand()): StartupSide {
	const valid = validCertifications(source.certifications, source.certificateExpiry, day);
	return {
		divisions: source.divisions,
		certifications: valid,
		checkedCertifications: valid.filter((id) => source.checkedCertifications.includes(id)),
		province: { code: source.province.code, region: source.province.region },
		products: source.products,
		updatedAt: source.updatedAt
	};
}

const startupSideOf = (doc: StartupDocument, day: string): StartupSide => {
	const valid = doc.certifications.filter((id) => {
		const expiry = (doc.certificate_expiry as Record<string, number> | undefined)?.[id];
		return expiry === undefined || expiry >= epochDay(day);
	});
	return {
		divisions: doc.tsic,
		certifications: valid,
		checkedCertifications: valid.filter((id) => doc.certificates_checked?.includes(id)),
		province: { code: doc.province, region: doc.region },
		products: doc.products.map((p) => ({
			unit: p.unit,
			monthlyCapacity: p.monthly_capacity,
			priceThbMin: p.price_thb_min,
			priceThbMax: p.price_thb_max
		})),
		updatedAt: new Date(doc.updated_at)
	};
};

const demandSideOf = (doc: DemandDocument): DemandSide => ({
	divisionCode: doc.tsic,
	quantity: doc.quantity,
	unit: doc.unit,
	recurrence: doc.recurrence,
	priceThbMax: doc.price_thb_max,
	deliveryProvince: doc.delivery_province
		? { code: doc.delivery_province, region: doc.delivery_region! }
		: null,
	requiredCertifications: doc.required_certifications,
	publishedAt: doc.published_at ? new Date(doc.published_at) : null
});

/** The text searches behind a match (exported for the eval, which measures what they find by themselves). */
export const textSearches = (query: string) => [
	{ q: query, matchingStrategy: 'last' as const },
	...productsNamed(query).map((q) => ({ q }))
];

/**
 * Candidates from Meilisearch: its text hits for the query (words dropped from the end when too few match all:
 * a title names the product first, "silk scarves" then finds silk), one search per product the query names
 * (Meilisearch's synonyms add its other spellings), then filter-only candidates, which the pure relevance may
 * still find to be about the product. Meilisearch only finds candidates; textRelevance scores every one alike,
 * whichever engine found it.
 */
async function candidates<T extends Record<string, unknown>>(
	search: Meilisearch,
	uid: string,
	query: string,
	filter: string[]
): Promise<T[]> {
	const { results } = await search.multiSearch({
		queries: [
			...textSearches(query).map((q) => ({ indexUid: uid, filter, limit: CANDIDATES, ...q })),
			{ indexUid: uid, q: '', filter, limit: FILTER_ONLY_CANDIDATES }
		]
	});
	const byId = new Map<string, T>();
	for (const result of results)
		for (const hit of result.hits as (T & { id: string })[]) if (!byId.has(hit.id)) byId.set(hit.id, hit);
	return [...byId.values()];
}

const rank = (matches: Match[], limit: number) =>
	matches
		.map((m) => ({ ...m, key: m.ref ?? m.id }))
		.sort(compareMatches)
		.slice(0, limit)
		.map(({ key: _key, ...m }) => m);

/** What a demand asks for, as relevance reads it: its titles. */
export const textOfDemand = (d: { titleTh: string | null; titleEn: string | null }) =>
	[d.titleTh, d.titleEn].filter(Boolean).join(' ');
/** What a startup makes, as relevance reads it: its product names (not its company name). */
export const textOfStartup = (s: StartupSource) =>
	s.products
		.flatMap((p) => [p.nameTh, p.nameEn])
		.filter(Boolean)
		.join(' ');
const textOfStartupDocument = (doc: StartupDocument) =>
	[...doc.product_names_th, ...doc.product_names_en].join(' ');
const textOfDemandDocument = (doc: DemandDocument) =>
	textOfDemand({ titleTh: doc.title_th, titleEn: doc.title_en });

/** One pair to score: both sides, their texts for relevance, and when the ranked side last changed. */
interface Candidate {
	id: string;
	ref: string | null;
	demand: DemandSide;
	startup: StartupSide;
	demandText: string;
	productText: string;
	freshFrom: Date;
}

type MatchOptions = { limit?: number; engine?: Engine; now?: Date };

/** A pair that passes the hard constraints and is plausible, scored; null for a pair that may not match. */
function scoreCandidate(c: Candidate, now?: Date): Match | null {
	if (!passesHardConstraints(c.demand, c.startup)) return null;
	const { relevance, terms } = textRelevance(c.demandText, c.productText);
	const scored = scoreMatch({
		demand: c.demand,
		startup: c.startup,
		textRelevance: relevance,
		matchedTerms: terms,
		freshFrom: c.freshFrom,
		now
	});
	return isPlausible(scored.reasons, relevance)
		? { id: c.id, ref: c.ref, score: shownScore(scored), reasons: scored.reasons }
		: null;
}

/**
 * Whether a searchable startup matches an open demand, by the rule both directions rank with (the startup's
 * match, scored; null when it is not one), without asking where it would rank.
 */
export function matchOfPair(demand: DemandSource, startup: StartupSource, now?: Date): Match | null {
	if (demand.status !== 'open' || startup.status !== 'approved') return null;
	const startupSideOfPair = startupSide(startup, todayInThailand(now));
	return scoreCandidate(
		{
			id: startup.id,
			ref: startup.ref,
			demand: demandSide(demand),
			startup: startupSideOfPair,
			demandText: textOfDemand(demand),
			productText: textOfStartup(startup),
			freshFrom: startupSideOfPair.updatedAt
		},
		now
	);
}

/** The pairs that pass the hard constraints and are plausible, scored and ranked. */
const ranked = (found: Candidate[], options: MatchOptions): Match[] =>
	rank(
		found.flatMap((c) => scoreCandidate(c, options.now) ?? []),
		options.limit ?? 10
	);

/**
 * The half both directions and the near misses share: the candidates from Meilisearch (when chosen, reachable and
 * not behind), else from Postgres.
 */
async function candidatesFrom(
	db: Queryable,
	search: Meilisearch | null,
	indexed: 'startup' | 'demand',
	options: MatchOptions,
	fromMeili: (search: Meilisearch) => Promise<Candidate[]>,
	fromPostgres: () => Promise<Candidate[]>
): Promise<{ engine: Engine; degraded: boolean; found: Candidate[] }> {
	const wanted = options.engine ?? 'meili';
	if (wanted === 'meili' && search && !isPaused(search) && !(await indexBehind(db, indexed))) {
		try {
			return { engine: 'meili', degraded: false, found: await fromMeili(search) };
		} catch (error) {
			// Meilisearch down, past its deadline or failing: answer from Postgres below, marked degraded.
			noteFailure(search, error);
		}
	}
	return { engine: 'fallback', degraded: wanted === 'meili', found: await fromPostgres() };
}

export async function matchStartupsForDemand(
	db: Queryable,
	search: Meilisearch | null,
	demandId: string,
	options: MatchOptions = {}
): Promise<MatchResult> {
	const [source] = await loadDemandSources(db, [demandId]);
	if (!source) throw notFound('demand');
	const demand = demandSide(source);
	const query = textOfDemand(source);
	const divisions = compatibleDivisions(demand.divisionCode);
	const day = todayInThailand(options.now);
	const { engine, degraded, found } = await candidatesFrom(
		db,
		search,
		'startup',
		options,
		async (client) => {
			const filter = [
				'status = "approved"',
				`tsic IN ${list(divisions)}`,
				`units IN ${list(convertibleUnits(demand.unit))}`,
				...demand.requiredCertifications.map((id) => holdsValidCertificate(id, day))
			];
			const found = await candidates<StartupDocument>(client, INDEXES.startups.uid, query, filter);
			return found.map((doc) => {
				const startup = startupSideOf(doc, day);
				return {
					id: doc.id,
					ref: doc.ref,
					demand,
					startup,
					demandText: query,
					productText: textOfStartupDocument(doc),
					freshFrom: startup.updatedAt
				};
			});
		},
		async () => {
			// As the index has them: approved startups by their categories (read as their product names first, so
			// only the candidates are loaded whole), those waiting for re-review by the categories they were
			// approved with (few: loadStartupSources reads them from the snapshot).
			const [approved, reReview] = await Promise.all([
				db
					.select({
						id: startups.id,
						text: sql<string>`coalesce(string_agg(concat_ws(' ', ${products.nameTh}, ${products.nameEn}), ' '), '')`
					})
					.from(startups)
					.leftJoin(products, eq(products.startupId, startups.id))
					.where(
						and(
							eq(startups.status, 'approved'),
							exists(
								db
									.select({ one: sql`1` })
									.from(startupDivisions)
									.where(
										and(
											eq(startupDivisions.startupId, startups.id),
											inArray(startupDivisions.divisionCode, divisions)
										)
									)
							)
						)
					)
					.groupBy(startups.id)
					.orderBy(startups.id),
				db
					.select({ id: startups.id })
					.from(startups)
					.where(
						and(
							awaitingReReview,
							sql`jsonb_exists_any(${startups.approvedSnapshot}->'divisions', array[${sql.join(
								divisions.map((code) => sql`${code}`),
								sql`, `
							)}]::text[])`
						)
					)
			]);
			const relevant = (text: string) => textRelevance(query, text).relevance > 0;
			const sources = await loadStartupSources(db, [
				...preselect(approved, relevant),
				...reReview.map((r) => r.id)
			]);
			return sources.map((s) => {
				const startup = startupSide(s, day);
				return {
					id: s.id,
					ref: s.ref,
					demand,
					startup,
					demandText: query,
					productText: textOfStartup(s),
					freshFrom: startup.updatedAt
				};
			});
		}
	);
	return { engine, degraded, matches: ranked(found, options) };
}

/**
 * What a startup asks of the demand index, for its matches and its near misses alike: its side of a pair, its
 * products' names as the query, the divisions it may serve and the units its capacity converts to.
 */
async function startupAsked(db: Queryable, startupId: string, now?: Date) {
	const [source] = await loadStartupSources(db, [startupId]);
	if (!source) throw notFound('startup');
	const startup = startupSide(source, todayInThailand(now));
	return {
		startup,
		query: textOfStartup(source),
		divisions: [...new Set(startup.divisions.flatMap(compatibleDivisions))],
		units: [...new Set(startup.products.flatMap((p) => convertibleUnits(p.unit)))]
	};
}

type StartupAsked = Awaited<ReturnType<typeof startupAsked>>;

export async function matchDemandsForStartup(
	db: Queryable,
	search: Meilisearch | null,
	startupId: string,
	options: MatchOptions = {}
): Promise<MatchResult> {
	const asked = await startupAsked(db, startupId, options.now);
	if (asked.divisions.length === 0 || asked.units.length === 0)
		return { engine: options.engine ?? 'meili', degraded: false, matches: [] };
	const lacking = await certificatesLacked(db, asked.startup);
	const { engine, degraded, found } = await demandCandidates(
		db,
		search,
		asked,
		{ lacking, take: 'held' },
		options
	);
	return { engine, degraded, matches: ranked(found, options) };
}

/**
 * The open demands in the divisions and units a startup may serve, as its candidates, from Meilisearch or else
 * Postgres. `held`, for its matches: the engine leaves out demands requiring a certificate it lacks (the hard
 * constraints refuse them whichever engine found them). `lacking`, for its near misses: only those demands, and
 * of them only the ones about its products.
 */
function demandCandidates(
	db: Queryable,
	search: Meilisearch | null,
	{ startup, query, divisions, units }: StartupAsked,
	{ lacking, take }: { lacking: string[]; take: 'held' | 'lacking' },
	options: MatchOptions
) {
	const candidateOf = (
		id: string,
		ref: string | null,
		demand: DemandSide,
		demandText: string
	): Candidate => ({
		id,
		ref,
		demand,
		startup,
		demandText,
		productText: query,
		freshFrom: demand.publishedAt ?? new Date(0)
	});
	return candidatesFrom(
		db,
		search,
		'demand',
		options,
		async (client) => {
			const filter = ['status = "open"', `tsic IN ${list(divisions)}`, `unit IN ${list(units)}`];
			if (take === 'lacking') filter.push(`required_certifications IN ${list(lacking)}`);
			else if (lacking.length) filter.push(`NOT required_certifications IN ${list(lacking)}`);
			const docs = await candidates<DemandDocument>(client, INDEXES.demands.uid, query, filter);
			return docs.map((doc) => candidateOf(doc.id, doc.ref, demandSideOf(doc), textOfDemandDocument(doc)));
		},
		async () => {
			const requiringLacking =
				take === 'lacking'
					? exists(
							db
								.select({ one: sql`1` })
								.from(demandCertifications)
								.where(
									and(
										eq(demandCertifications.demandId, demands.id),
										inArray(demandCertifications.certificationId, lacking)
									)
								)
						)
					: undefined;
			const rows = await db
				.select(titlesOfDemands)
				.from(demands)
				.where(
					and(
						eq(demands.status, 'open'),
						inArray(demands.divisionCode, divisions),
						inArray(demands.unit, units),
						requiringLacking
					)
				)
				.orderBy(desc(demands.publishedAt), demands.id)
				.limit(FALLBACK_DEMANDS);
			const about = (text: string) => textRelevance(text, query).relevance > 0;
			// Only demands about the product can be near misses: none of the others is loaded for them.
			const ids = preselect(rows, about, take === 'lacking' ? 0 : undefined);
			const sources = await loadDemandSources(db, ids);
			return sources.map((d) => candidateOf(d.id, d.ref, demandSide(d), textOfDemand(d)));
		}
	);
}

/** What a startup lacks to be matched with a demand it nearly serves. */
export interface NearMissLacks {
	/** The required certificates it does not hold: without them it is never a match (the hard rule). */
	certifications: string[];
	/** How much more monthly capacity, in the demand's unit, it would need for the whole quantity (else null). */
	capacityShortBy: number | null;
}

export interface NearMiss extends Match {
	lacks: NearMissLacks;
}

export interface NearMissResult {
	engine: Engine;
	degraded: boolean;
	nearMisses: NearMiss[];
}

/**
 * The open demands a startup would match but for certificates it lacks: about what it makes (the words agree,
 * not the category alone), scored as if it held them, fewest missing first, with what it lacks (and any
 * capacity short). Never a match for the buyer: for the startup to see what to get.
 */
export async function nearMissesForStartup(
	db: Queryable,
	search: Meilisearch | null,
	startupId: string,
	options: MatchOptions = {}
): Promise<NearMissResult> {
	const asked = await startupAsked(db, startupId, options.now);
	const { startup } = asked;
	const lacking = await certificatesLacked(db, startup);
	if (asked.divisions.length === 0 || asked.units.length === 0 || lacking.length === 0)
		return { engine: options.engine ?? 'meili', degraded: false, nearMisses: [] };
	const { engine, degraded, found } = await demandCandidates(
		db,
		search,
		asked,
		{ lacking, take: 'lacking' },
		options
	);
	const nearMisses = found.flatMap((c): NearMiss[] => {
		const missing = c.demand.requiredCertifications.filter((id) => !startup.certifications.includes(id));
		if (missing.length === 0) return [];
		// The pair as it would be with the certificates: if it is a match then, only they stand in the way.
		const granted = {
			...c,
			startup: { ...startup, certifications: [...startup.certifications, ...missing] }
		};
		const match = scoreCandidate(granted, options.now);
		if (!match || match.reasons.relevance !== 'product') return [];
		const capacity = capacityInDemandUnit(c.demand, startup);
		return [
			{
				...match,
				lacks: {
					certifications: missing.sort(),
					capacityShortBy: capacity < c.demand.quantity ? c.demand.quantity - capacity : null
				}
			}
		];
	});
	const fewestMissing = (a: NearMiss, b: NearMiss) =>
		a.lacks.certifications.length - b.lacks.certifications.length ||
		b.score - a.score ||
		(a.ref ?? a.id).localeCompare(b.ref ?? b.id);
	return { engine, degraded, nearMisses: nearMisses.sort(fewestMissing).slice(0, options.limit ?? 10) };
}

/** The certificates a startup does not hold (valid today): every one it could be asked for but these. */
async function certificatesLacked(db: Queryable, startup: StartupSide): Promise<string[]> {
	const rows = await db.select({ id: certifications.id }).from(certifications);
	return rows.map((r) => r.id).filter((id) => !startup.certifications.includes(id));
}
