// The match score: pure and explainable. Hard constraints (certifications held, compatible category, a unit
// that converts) decide whether a pair may match at all; soft factors combine into one score in [0, 1], and
// every factor is returned as a reason the page can show.
import { convertQuantity } from '$lib/units';
import { compatibleDivisions } from './related';

export interface DemandSide {
	divisionCode: string;
	quantity: number;
	unit: string;
	recurrence: 'once' | 'monthly';
	priceThbMax: number | null;
	deliveryProvince: { code: string; region: string } | null;
	requiredCertifications: string[];
	publishedAt: Date | null;
}

export interface StartupSide {
	divisions: string[];
	/** The certificates valid on the day matched (an expired one is not here). */
	certifications: string[];
	/** Of those, the ones the province's office has checked; the others are declared by the startup. */
	checkedCertifications: string[];
	province: { code: string; region: string };
	products: {
		unit: string;
		monthlyCapacity: number;
		priceThbMin: number | null;
		priceThbMax: number | null;
	}[];
	updatedAt: Date;
}

export type DistanceBand = 'same_province' | 'same_region' | 'elsewhere' | 'anywhere';
export type PriceFit = 'within' | 'above' | 'unknown';

export interface MatchReasons {
	/** Whole words of the startup's product names that matched the demand. */
	matchedTerms: string[];
	/** 'product': the startup makes what is asked for; 'category': only its TSIC division links them. */
	relevance: 'product' | 'category';
	category: 'same' | 'related';
	certificationsRequired: string[];
	/** The required certificates the province's office has checked; the others are only declared. */
	certificationsChecked: string[];
	capacityCoveragePercent: number;
	distanceBand: DistanceBand;
	priceFit: PriceFit;
	freshnessDays: number;
}

/** A match at or above this score counts as good: it is announced, and it covers the demand in the gap figures. */
export const GOOD_MATCH_SCORE = 0.5;

export const WEIGHTS = { text: 0.35, capacity: 0.25, proximity: 0.15, price: 0.15, freshness: 0.1 } as const;
const DAY_MS = 86_400_000;
const FRESHNESS_HALF_LIFE_DAYS = 90;

/** Whether the pair may match at all: every required certification held, a compatible category, a unit that converts. */
export function passesHardConstraints(demand: DemandSide, startup: StartupSide): boolean {
	const held = new Set(startup.certifications);
	if (!demand.requiredCertifications.every((id) => held.has(id))) return false;
	const categories = compatibleDivisions(demand.divisionCode);
	if (!startup.divisions.some((division) => categories.includes(division))) return false;
	return startup.products.some((product) => convertQuantity(1, product.unit, demand.unit) !== null);
}

/** Monthly capacity in the demand's unit, over the products whose unit converts. */
export function capacityInDemandUnit(demand: DemandSide, startup: StartupSide): number {
	return startup.products.reduce(
		(sum, p) => sum + (convertQuantity(p.monthlyCapacity, p.unit, demand.unit) ?? 0),
		0
	);
}

function lowestPriceInDemandUnit(demand: DemandSide, startup: StartupSide): number | null {
	const prices = startup.products
		.map((p) => {
			const perDemandUnit = convertQuantity(1, demand.unit, p.unit);
			const price = p.priceThbMin ?? p.priceThbMax;
			return perDemandUnit === null || price === null ? null : price * perDemandUnit;
		})
		.filter((price): price is number => price !== null);
	return prices.length ? Math.min(...prices) : null;
}

export function distanceBand(demand: DemandSide, startup: StartupSide): DistanceBand {
	if (!demand.deliveryProvince) return 'anywhere';
	if (demand.deliveryProvince.code === startup.province.code) return 'same_province';
	if (demand.deliveryProvince.region === startup.province.region) return 'same_region';
	return 'elsewhere';
}

const PROXIMITY: Record<DistanceBand, number> = {
	same_province: 1,
	same_region: 0.6,
	anywhere: 0.8,
	elsewhere: 0.3
};

/**
 * Scores a pair that passed the hard constraints. `textRelevance` (0–1) comes from the search engine, `freshFrom`
 * is when the side being ranked last changed (a startup's profile, a demand's publication).
 */
export function scoreMatch(input: {
	demand: DemandSide;
	startup: StartupSide;
	textRelevance: number;
	matchedTerms?: string[];
	freshFrom: Date;
	now?: Date;
}): { score: number; reasons: MatchReasons } {
	const { demand, startup } = input;
	const now = input.now ?? new Date();
	// Per recurrence: a monthly demand needs that much every month; a one-off needs it once, from a month's output.
	const coverage = Math.min(1, capacityInDemandUnit(demand, startup) / demand.quantity);
	const band = distanceBand(demand, startup);
	const lowest = lowestPriceInDemandUnit(demand, startup);
	const priceFit: PriceFit =
		demand.priceThbMax === null || lowest === null
			? 'unknown'
			: lowest <= demand.priceThbMax
				? 'within'
				: 'above';
	const priceScore =
		priceFit === 'unknown' ? 0.5 : priceFit === 'within' ? 1 : Math.max(0, demand.priceThbMax! / lowest!);
	const freshnessDays = Math.max(0, Math.floor((now.getTime() - input.freshFrom.getTime()) / DAY_MS));
	const freshness = 0.5 ** (freshnessDays / FRESHNESS_HALF_LIFE_DAYS);
	const text = Math.min(1, Math.max(0, input.textRelevance));
	const score =
		WEIGHTS.text * text +
		WEIGHTS.capacity * coverage +
		WEIGHTS.proximity * PROXIMITY[band] +
		WEIGHTS.price * priceScore +
		WEIGHTS.freshness * freshness;
	return {
		score: Math.round(score * 1000) / 1000,
		reasons: {
			matchedTerms: input.matchedTerms ?? [],
			relevance: text > 0 ? 'product' : 'category',
			category: startup.divisions.includes(demand.divisionCode) ? 'same' : 'related',
			certificationsRequired: [...demand.requiredCertifications].sort(),
			certificationsChecked: demand.requiredCertifications
				.filter((id) => startup.checkedCertifications.includes(id))
				.sort(),
			capacityCoveragePercent: Math.round(coverage * 100),
			distanceBand: band,
			priceFit,
			freshnessDays
		}
	};
}

/**
 * The highest score a category-only suggestion shows: below every good match, so it is never announced nor
 * counted as covering a demand, whatever its capacity, distance and price.
 */
export const CATEGORY_ONLY_MAX_SCORE = 0.3;

/** A scored pair as it is shown and ranked: a category-only suggestion capped as a weak one. */
export function shownScore(scored: { score: number; reasons: MatchReasons }): number {
	return scored.reasons.relevance === 'category'
		? Math.min(scored.score, CATEGORY_ONLY_MAX_SCORE)
		: scored.score;
}

/** Best first: every product match before every category-only suggestion, then by score, then by key. */
export function compareMatches(
	a: { score: number; reasons: MatchReasons; key: string },
	b: { score: number; reasons: MatchReasons; key: string }
): number {
	const kind = (m: { reasons: MatchReasons }) => (m.reasons.relevance === 'product' ? 0 : 1);
	return kind(a) - kind(b) || b.score - a.score || a.key.localeCompare(b.key);
}

/**
 * A related category only counts when the words agree too: a coffee roaster (food) shares a category family
 * with a rice demand (crops) but should not be offered as a match for it.
 */
export function isPlausible(reasons: MatchReasons, textRelevance: number): boolean {
	return reasons.category === 'same' || textRelevance > 0;
}
