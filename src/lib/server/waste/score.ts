// How well a by-product lot fits a material want, explained: pure, so the rules are tested on their own. Waste
// travels short distances, so distance weighs most; a hazardous lot never fits a receiver without the licence.
import { bestCodeFit, licenceAllows, type CodeFit } from './codes';
import type { WasteUnit } from '$lib/schemas/waste';

export interface LotTerms {
	provinceCode: string;
	wasteCode: string;
	hazardous: boolean;
	quantityPerMonth: number;
	unit: WasteUnit;
	nameTh: string | null;
	nameEn: string | null;
}

export interface WantTerms {
	provinceCode: string;
	wasteCodes: string[];
	quantityPerMonth: number;
	unit: WasteUnit;
	maxDistanceKm: number;
	licenceClass: string | null;
	nameTh: string | null;
	nameEn: string | null;
}

export type Exclusion = 'code' | 'licence' | 'distance';

export interface WasteFit {
	score: number;
	codeFit: CodeFit;
	distanceKm: number;
	/** Lot quantity as a share of the want's (same dimension only); null when one is mass and the other volume. */
	quantityRatio: number | null;
	/** Baht a month to carry the whole lot that far at the admin's rate; null when the lot is not counted by mass. */
	transportThbPerMonth: number | null;
	textShared: boolean;
}

const WEIGHTS = { distance: 50, code: 30, quantity: 15, text: 5 };
/** Kilometres at which the distance points halve: absolute, not relative to the receiver's limit, because a lorry
 * costs the same per kilometre whoever declared 800 km acceptable. */
const HALF_POINTS_KM = 60;
const CODE_POINTS: Record<CodeFit, number> = { same_code: 1, same_sub_chapter: 0.75, substitute: 0.6 };

/** A quantity in the base unit of its dimension: kilograms for mass, litres for volume. */
export function baseQuantity(
	quantity: number,
	unit: WasteUnit
): { dimension: 'mass' | 'volume'; amount: number } {
	switch (unit) {
		case 'kg':
			return { dimension: 'mass', amount: quantity };
		case 'tonne':
			return { dimension: 'mass', amount: quantity * 1000 };
		case 'litre':
			return { dimension: 'volume', amount: quantity };
		case 'cubic_metre':
			return { dimension: 'volume', amount: quantity * 1000 };
	}
}

/** Tonnes, for a quantity counted by mass; null for volumes (no density is assumed). */
export function tonnes(quantity: number, unit: WasteUnit): number | null {
	const base = baseQuantity(quantity, unit);
	return base.dimension === 'mass' ? base.amount / 1000 : null;
}

function words(...names: (string | null)[]): Set<string> {
	return new Set(
		names
			.filter((name): name is string => !!name)
			.flatMap((name) => name.toLocaleLowerCase().split(/[\s,;/()]+/u))
			.filter((word) => word.length >= 3)
	);
}

/**
 * The fit of a lot to a want at `distanceKm`, or why there is none. `rate` is baht per tonne-kilometre.
 */
export function scoreFit(
	lot: LotTerms,
	want: WantTerms,
	distanceKm: number,
	rate: number,
	/** The search engine found the names share words (it segments Thai, which has no spaces to split on). */
	namesShareWords = false
): WasteFit | { excluded: Exclusion } {
	const codeFit = bestCodeFit(lot.wasteCode, want.wasteCodes);
	if (!codeFit) return { excluded: 'code' };
	if (!licenceAllows(lot.hazardous, want.licenceClass)) return { excluded: 'licence' };
	if (distanceKm > want.maxDistanceKm) return { excluded: 'distance' };

	const offered = baseQuantity(lot.quantityPerMonth, lot.unit);
	const wanted = baseQuantity(want.quantityPerMonth, want.unit);
	const quantityRatio = offered.dimension === wanted.dimension ? offered.amount / wanted.amount : null;
	const quantityPoints = quantityRatio === null ? 0 : Math.min(quantityRatio, 1 / quantityRatio);
	const lotWords = words(lot.nameTh, lot.nameEn);
	const textShared =
		namesShareWords || [...words(want.nameTh, want.nameEn)].some((word) => lotWords.has(word));
	const lotTonnes = tonnes(lot.quantityPerMonth, lot.unit);

	const score =
		WEIGHTS.distance * (HALF_POINTS_KM / (HALF_POINTS_KM + distanceKm)) +
		WEIGHTS.code * CODE_POINTS[codeFit] +
		WEIGHTS.quantity * quantityPoints +
		(textShared ? WEIGHTS.text : 0);
	return {
		score: Math.round(score),
		codeFit,
		distanceKm,
		quantityRatio,
		transportThbPerMonth: lotTonnes === null ? null : Math.round(lotTonnes * distanceKm * rate),
		textShared
	};
}
