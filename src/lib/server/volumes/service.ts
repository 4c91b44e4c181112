// Volumes from the database: startups' free capacity (capacity less what running deals hold), every open
// demand's unmet quantity and value for the gap figures, and the group proposed for a demand no single startup
// covers. The rules are in arithmetic.ts and split.ts; this module only loads their inputs.
import type { Meilisearch } from 'meilisearch';
import type { Queryable } from '../db';
import { notFound } from '../errors';
import { withStartupNames } from '../matching/display';
import { GOOD_MATCH_SCORE } from '../matching/score';
import { matchStartupsForDemand, type MatchResult } from '../matching/service';
import { provinceDistanceKm } from '../provinces/distance';
import { todayInThailand } from '$lib/schemas/calendar-date';
import {
	acceptedPrices,
	allocateCoverage,
	demandVolume,
	freeCapacity,
	freeIn,
	monthlyCapacity,
	monthlyLoad,
	MONTHLY_DEAL_TERM_MONTHS,
	productOf,
	quantity3,
	unitValue,
	type Commitment,
	type DemandVolume,
	type UnitAmounts
} from './arithmetic';
import { proposeSplit } from './split';
import type { ProposedGroup } from '$lib/matching';
import {
	acceptedPriceRows,
	currentMatches,
	demandVolumeSource,
	openDemandVolumes,
	possiblyRunningDeals,
	productCapacities,
	startupProvinces
} from './queries';

const DAY_MS = 86_400_000;

/** Free capacity per month of the public startups (or the given ones), per base unit. */
export async function freeCapacities(
	db: Queryable,
	now = new Date(),
	startupIds?: string[]
): Promise<Map<string, UnitAmounts>> {
	// A little more than the term, so no deal that still runs is left out; committedPerMonth decides exactly.
	const since = new Date(now.getTime() - (MONTHLY_DEAL_TERM_MONTHS + 1) * 31 * DAY_MS);
	const [productRows, dealRows] = await Promise.all([
		productCapacities(db, startupIds),
		possiblyRunningDeals(db, since, todayInThailand(now), startupIds)
	]);
	const productsOf = Map.groupBy(productRows, (p) => p.startupId);
	const dealsOf: Map<string, Commitment[]> = Map.groupBy(dealRows, (d) => d.startupId);
	const free = new Map<string, UnitAmounts>();
	for (const [id, list] of productsOf)
		free.set(id, freeCapacity(monthlyCapacity(list), dealsOf.get(id) ?? [], now));
	return free;
}

/** The accepted prices per product (see arithmetic.ts acceptedPrices). */
export async function acceptedPricesOf(db: Queryable) {
	const rows = await acceptedPriceRows(db);
	return acceptedPrices(
		rows.map((r) => ({ product: productOf(r), unit: r.unit, unitPriceThb: r.unitPriceThb }))
	);
}

export interface OpenDemandVolume extends DemandVolume {
	id: string;
	province: string | null;
	divisionCode: string;
	unit: string;
	/** False while the matching engine has not looked at the demand since its last edit: its unmet part is unknown. */
	current: boolean;
}

/**
 * Every open demand's volumes: its stored good matches' free capacity allocated over all open demands (each
 * startup counted once), what deals already supply, and its value. A demand whose coverage is not current has
 * no unmet quantity yet (it is pending).
 */
export async function openDemandVolumesOf(db: Queryable, now = new Date()): Promise<OpenDemandVolume[]> {
	const [rows, matchRows, free, prices] = await Promise.all([
		openDemandVolumes(db),
		currentMatches(db),
		freeCapacities(db, now),
		acceptedPricesOf(db)
	]);
	const matchesOf = Map.groupBy(matchRows, (m) => m.demandId);
	const perMonth = new Map(
		rows.map((d) => [d.id, monthlyLoad(Math.max(0, d.quantity - d.acceptedQuantity), d, now)])
	);
	const covered = allocateCoverage(
		rows
			.filter((d) => d.current)
			.map((d) => ({
				id: d.id,
				unit: d.unit,
				perMonth: perMonth.get(d.id)!,
				neededBy: d.neededBy,
				matches: matchesOf.get(d.id) ?? []
			})),
		free
	);
	return rows.map((d) => {
		const price = unitValue({ priceThbMax: d.priceThbMax, product: productOf(d), unit: d.unit }, prices);
		const volume = demandVolume({
			quantity: d.quantity,
			acceptedQuantity: d.acceptedQuantity,
			perMonth: perMonth.get(d.id)!,
			coveredPerMonth: covered.get(d.id) ?? 0,
			priceThb: price?.priceThb ?? null
		});
		return {
			id: d.id,
			province: d.province,
			divisionCode: d.divisionCode,
			unit: d.unit,
			current: d.current,
			...volume,
			// Unknown until the engine has looked: counted as pending, not as unmet.
			unmetQuantity: d.current ? volume.unmetQuantity : 0,
			unmetValue: d.current ? volume.unmetValue : volume.value === null ? null : 0
		};
	});
}

/** How many matches a split proposal considers: more than a page shows, as small ones add up. */
export const SPLIT_CANDIDATES = 50;

/**
 * The group of good product matches whose free capacity together covers a demand that no single one covers;
 * null when one startup can, or no group can be formed. Quantities are compared per month and stated in the
 * demand's terms. `matched`: the demand's matches when the caller has them already (at least SPLIT_CANDIDATES).
 */
export async function proposeGroupForDemand(
	db: Queryable,
	search: Meilisearch | null,
	demandId: string,
	{ now = new Date(), matched }: { now?: Date; matched?: MatchResult } = {}
): Promise<ProposedGroup | null> {
	const demand = await demandVolumeSource(db, demandId);
	if (!demand) throw notFound('demand');
	const remaining = Math.max(0, demand.quantity - demand.acceptedQuantity);
	const perMonth = monthlyLoad(remaining, demand, now);
	if (perMonth <= 0) return null;
	const result =
		matched ?? (await matchStartupsForDemand(db, search, demandId, { limit: SPLIT_CANDIDATES, now }));
	const good = result.matches.filter((m) => m.score >= GOOD_MATCH_SCORE && m.reasons.relevance === 'product');
	if (good.length < 2) return null;
	const ids = good.map((m) => m.id);
	const [free, places] = await Promise.all([freeCapacities(db, now, ids), startupProvinces(db, ids)]);
	const provinceOf = new Map(places.map((p) => [p.id, p.provinceCode]));
	const distanceOf = (id: string) => {
		const from = provinceOf.get(id);
		return demand.province && from ? provinceDistanceKm(from, demand.province) : null;
	};
	const proposal = proposeSplit(
		perMonth,
		good.map((m) => ({
			id: m.id,
			score: m.score,
			distanceKm: distanceOf(m.id),
			free: freeIn(free.get(m.id) ?? new Map<string, number>(), demand.unit)
		}))
	);
	if (!proposal) return null;
	// Back to the demand's terms: a one-off demand's monthly need is its remaining quantity spread over months.
	const toTerms = (monthly: number) => quantity3((monthly / perMonth) * remaining);
	const named = await withStartupNames(
		db,
		proposal.members.map((member) => good.find((m) => m.id === member.id)!)
	);
	const members = named.map((n) => ({
		id: n.id,
		slug: n.slug,
		nameTh: n.nameTh,
		nameEn: n.nameEn,
		provinceTh: n.provinceTh,
		provinceEn: n.provinceEn,
		distanceKm: distanceOf(n.id),
		score: n.score,
		covers: toTerms(proposal.members.find((m) => m.id === n.id)!.covers)
	}));
	const covered = members.reduce((sum, m) => sum + m.covers, 0);
	return {
		unit: demand.unit,
		recurrence: demand.recurrence,
		needed: quantity3(remaining),
		members,
		// Stated so the figures on the page add up to the need exactly.
		uncovered: proposal.uncovered > 0 ? quantity3(Math.max(0, remaining - covered)) : 0
	};
}
