// "The market wants this from you": unmet demand close to what a startup makes, with what it lacks to serve it
// (a certification, capacity, a unit it sells in). For a startup's dashboard, and summed up for its province.
import { and, eq, inArray, notInArray, sql } from 'drizzle-orm';
import type { Queryable } from '../db';
import { demandCoverage, demandMatches, demands, startups } from '../db/schema';
import { textRelevance } from '../matching/relevance';
import { demandSide, startupSide, textOfDemand, textOfStartup } from '../matching/service';
import { compatibleDivisions } from '../matching/related';
import { capacityInDemandUnit } from '../matching/score';
import type { DemandSource, StartupSource } from '../search/documents';
import { loadDemandSources, loadStartupSources } from '../search/sources';
import { publicStartup } from '../startups/public';
import { convertQuantity } from '$lib/units';
import { cachedFigures } from './cache';

export interface Lacks {
	certifications: string[];
	/** The demand's unit, when none of the startup's products is sold in a unit that converts to it. */
	unit: string | null;
	/** How much more monthly capacity, in the demand's unit, the startup would need. */
	capacityShortBy: number | null;
}

export interface Suggestion {
	demandId: string;
	titleTh: string | null;
	titleEn: string | null;
	division: string;
	quantity: number;
	unit: string;
	recurrence: string;
	value: number;
	deliveryProvince: string | null;
	lacks: Lacks;
}

const CANDIDATES = 300;

export const lacksNothing = (lacks: Lacks) =>
	lacks.certifications.length === 0 && lacks.unit === null && lacks.capacityShortBy === null;

/** Up to `limit` unmet open demands the startup comes closest to serving, nearest first. */
export async function suggestionsForStartup(
	db: Queryable,
	startupId: string,
	limit = 10
): Promise<Suggestion[]> {
	const [source] = await loadStartupSources(db, [startupId]);
	if (!source || source.divisions.length === 0) return [];
	const divisions = [...new Set(source.divisions.flatMap(compatibleDivisions))];
	const value = sql`coalesce(${demands.quantity} * ${demands.priceThbMax}, 0)`;
	const rows = await db
		.select({ id: demands.id })
		.from(demands)
		.innerJoin(demandCoverage, eq(demandCoverage.demandId, demands.id))
		.where(
			and(
				eq(demands.status, 'open'),
				eq(demandCoverage.goodMatches, 0),
				inArray(demands.divisionCode, divisions),
				notInArray(
					demands.id,
					db
						.select({ id: demandMatches.demandId })
						.from(demandMatches)
						.where(eq(demandMatches.startupId, startupId))
				)
			)
		)
		.orderBy(sql`${value} desc`, demands.id)
		.limit(CANDIDATES);
	const candidates = await loadDemandSources(
		db,
		rows.map((r) => r.id)
	);
	return rankSuggestions(source, candidates, limit);
}

/**
 * The startup's suggestions among `candidates` (unmet demands, most valuable first): close to what it makes
 * (the same division, or a related one whose words agree), then what it lacks the least of, then value.
 */
function rankSuggestions(source: StartupSource, candidates: DemandSource[], limit: number): Suggestion[] {
	const startup = startupSide(source);
	const held = new Set(startup.certifications);
	const text = textOfStartup(source);
	const ranked = candidates
		.map((d) => {
			const demand = demandSide(d);
			const convertible = startup.products.some((p) => convertQuantity(1, p.unit, demand.unit) !== null);
			const capacity = convertible ? capacityInDemandUnit(demand, startup) : 0;
			const lacks: Lacks = {
				certifications: demand.requiredCertifications.filter((id) => !held.has(id)),
				unit: convertible ? null : demand.unit,
				capacityShortBy: convertible && capacity < demand.quantity ? demand.quantity - capacity : null
			};
			const sameDivision = source.divisions.includes(demand.divisionCode);
			const relevance = textRelevance(textOfDemand(d), text).relevance;
			return { d, demand, lacks, relevance, sameDivision };
		})
		.filter((c) => c.sameDivision || c.relevance > 0)
		.sort(
			(a, b) =>
				b.relevance - a.relevance ||
				lackCount(a.lacks) - lackCount(b.lacks) ||
				valueOf(b.demand) - valueOf(a.demand)
		);
	return ranked.slice(0, limit).map(({ d, demand, lacks }) => ({
		demandId: d.id,
		titleTh: d.titleTh,
		titleEn: d.titleEn,
		division: d.division,
		quantity: d.quantity,
		unit: d.unit,
		recurrence: d.recurrence,
		value: valueOf(demand),
		deliveryProvince: d.deliveryProvince?.code ?? null,
		lacks
	}));
}

/**
 * The unmet open demands any startup's suggestions come from: the CANDIDATES most valuable of each division
 * (a startup's candidates are the most valuable of its divisions together, so they are all among these), most
 * valuable first. Loaded once for every province's summary, and not again after each write: recomputing it
 * (about 8,000 demands on 100,000) every ten seconds under writes cost more than every province page together.
 */
function unmetDemandPool(db: Queryable): Promise<DemandSource[]> {
	return cachedFigures(
		db,
		'suggestion-pool',
		async () => {
			const value = sql`coalesce(${demands.quantity} * ${demands.priceThbMax}, 0)`;
			const ranked = db
				.select({
					id: demands.id,
					value: sql<string>`${value}`.as('value'),
					rank: sql<number>`row_number() over (partition by ${demands.divisionCode} order by ${value} desc, ${demands.id})`.as(
						'rank'
					)
				})
				.from(demands)
				.innerJoin(demandCoverage, eq(demandCoverage.demandId, demands.id))
				.where(and(eq(demands.status, 'open'), eq(demandCoverage.goodMatches, 0)))
				.as('ranked');
			const rows = await db
				.select({ id: ranked.id })
				.from(ranked)
				.where(sql`${ranked.rank} <= ${CANDIDATES}`)
				.orderBy(sql`${ranked.value} desc`, ranked.id);
			const order = new Map(rows.map((row, i) => [row.id, i]));
			const sources = await loadDemandSources(
				db,
				rows.map((row) => row.id)
			);
			return sources.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
		},
		{ followWrites: false }
	);
}

const lackCount = (l: Lacks) => l.certifications.length + (l.unit ? 1 : 0) + (l.capacityShortBy ? 1 : 0);
const valueOf = (d: { quantity: number; priceThbMax: number | null }) => d.quantity * (d.priceThbMax ?? 0);

export interface ProvinceSuggestions {
	/** Unmet demands close to what the province's startups make. */
	demands: number;
	value: number;
	/** How many of those demands ask for a certification none of the close startups holds, by certification. */
	certifications: { id: string; demands: number }[];
	capacityShort: number;
	unitMissing: number;
	/** Demands a startup here could serve as it is (no lack), though the engine rated the match below good. */
	withinReach: number;
}

/** The province's startups' suggestions summed up, each demand counted once (by its nearest startup). */
export function provinceSuggestions(db: Queryable, provinceCode: string): Promise<ProvinceSuggestions> {
	return cachedFigures(db, `suggestions:${provinceCode}`, async () => {
		const ids = await db
			.select({ id: startups.id })
			.from(startups)
			.where(and(eq(startups.provinceCode, provinceCode), publicStartup))
			.limit(50);
		const [sources, pool] = await Promise.all([
			loadStartupSources(
				db,
				ids.map((row) => row.id)
			),
			unmetDemandPool(db)
		]);
		const best = new Map<string, Suggestion>();
		for (const source of sources) {
			if (source.divisions.length === 0) continue;
			const divisions = new Set(source.divisions.flatMap(compatibleDivisions));
			const candidates = pool.filter((d) => divisions.has(d.division)).slice(0, CANDIDATES);
			for (const s of rankSuggestions(source, candidates, 25)) {
				const known = best.get(s.demandId);
				if (!known || lackCount(s.lacks) < lackCount(known.lacks)) best.set(s.demandId, s);
			}
		}
		const certifications = new Map<string, number>();
		let capacityShort = 0;
		let unitMissing = 0;
		let withinReach = 0;
		let value = 0;
		for (const s of best.values()) {
			value += s.value;
			for (const id of s.lacks.certifications) certifications.set(id, (certifications.get(id) ?? 0) + 1);
			if (s.lacks.capacityShortBy !== null) capacityShort++;
			if (s.lacks.unit !== null) unitMissing++;
			if (lacksNothing(s.lacks)) withinReach++;
		}
		return {
			demands: best.size,
			value,
			certifications: [...certifications]
				.map(([id, n]) => ({ id, demands: n }))
				.sort((a, b) => b.demands - a.demands || a.id.localeCompare(b.id)),
			capacityShort,
			unitMissing,
			withinReach
		};
	});
}
