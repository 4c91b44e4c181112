// The volume arithmetic behind the gap and the split orders: pure, so every rule is visible and tested here.
// Quantities are compared per month (capacity is a monthly figure); kilograms and tonnes count together.
import { todayInThailand } from '$lib/schemas/calendar-date';
import { convertQuantity } from '$lib/units';
import { productsNamed } from '../matching/relevance';
import { monthlyLoad } from '../referrals/rules';

export { monthlyLoad };

/**
 * How long a deal on a monthly demand holds its share of the startup's capacity. The portal records no end date
 * for a recurring supply, so a deal is taken to run for a year from the day it was made: a year's supply is the
 * usual term of a framework agreement, and capacity is freed again rather than held for ever.
 */
export const MONTHLY_DEAL_TERM_MONTHS = 12;

const DAYS_PER_MONTH = 365.25 / 12;
const DAY_MS = 86_400_000;

/** The unit a quantity is counted in when units convert: kilograms for weight, the unit itself otherwise. */
export function baseUnit(unit: string): string {
	return convertQuantity(1, unit, 'kg') === null ? unit : 'kg';
}

/** A quantity in its base unit (2 tonne → 2,000 kg). */
export const inBaseUnit = (quantity: number, unit: string) => ({
	unit: baseUnit(unit),
	quantity: convertQuantity(quantity, unit, baseUnit(unit))!
});

/** Monthly quantities per base unit: what a startup can make, or has free. */
export type UnitAmounts = Map<string, number>;

/** What a startup's products make in a month, per base unit. */
export function monthlyCapacity(products: readonly { unit: string; monthlyCapacity: number }[]): UnitAmounts {
	const amounts: UnitAmounts = new Map();
	for (const p of products) {
		const { unit, quantity } = inBaseUnit(p.monthlyCapacity, p.unit);
		amounts.set(unit, (amounts.get(unit) ?? 0) + quantity);
	}
	return amounts;
}

/** An accepted deal as it weighs on its startup: its quantity in its demand's unit and terms. */
export interface Commitment {
	quantity: number;
	unit: string;
	recurrence: 'once' | 'monthly';
	/** YYYY-MM-DD, a Thai calendar date. */
	neededBy: string;
	dealtAt: Date;
}

const daysBetween = (from: string, to: string) =>
	(Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS;

/**
 * The monthly share of a startup's capacity a deal holds today, in the deal's unit; 0 once it has ended.
 * A monthly deal holds its quantity every month for MONTHLY_DEAL_TERM_MONTHS from the day it was made. A one-off
 * deal holds its quantity spread over the months from the day it was made to needed-by (at least one month, as
 * referrals count it), until needed-by has passed.
 */
export function committedPerMonth(deal: Commitment, now = new Date()): number {
	if (deal.recurrence === 'monthly') {
		const ends = deal.dealtAt.getTime() + MONTHLY_DEAL_TERM_MONTHS * DAYS_PER_MONTH * DAY_MS;
		return now.getTime() < ends ? deal.quantity : 0;
	}
	if (todayInThailand(now) > deal.neededBy) return 0;
	const months = Math.max(1, daysBetween(todayInThailand(deal.dealtAt), deal.neededBy) / DAYS_PER_MONTH);
	return deal.quantity / months;
}

/** Capacity less what running deals hold, per base unit, never below zero. */
export function freeCapacity(
	capacity: UnitAmounts,
	deals: readonly Commitment[],
	now = new Date()
): UnitAmounts {
	const free = new Map(capacity);
	for (const deal of deals) {
		const { unit, quantity } = inBaseUnit(committedPerMonth(deal, now), deal.unit);
		if (free.has(unit)) free.set(unit, Math.max(0, free.get(unit)! - quantity));
	}
	return free;
}

/** What is free in a demand's unit (tonnes for a demand in tonnes, from capacity counted in kilograms). */
export const freeIn = (free: UnitAmounts, unit: string) =>
	convertQuantity(free.get(baseUnit(unit)) ?? 0, baseUnit(unit), unit)!;

/** An open demand as the allocation weighs it: what is still to be supplied per month, and who could. */
export interface DemandNeed {
	id: string;
	unit: string;
	/** Per month, in `unit`: the quantity not yet under a deal, normalised per month (monthlyLoad). */
	perMonth: number;
	/** YYYY-MM-DD: the earliest need draws on capacity first. */
	neededBy: string;
	/** Its good matches (best first is not required: they are sorted here). */
	matches: readonly { startupId: string; score: number }[];
}

/**
 * How much of each demand the free capacity of its matched startups supplies per month, each startup's
 * capacity counted once over all demands: demands draw in order of needed-by (then id), each from its matches best
 * first, and what one demand draws is gone for the next. `free` is not changed.
 */
export function allocateCoverage(
	demands: readonly DemandNeed[],
	free: ReadonlyMap<string, UnitAmounts>
): Map<string, number> {
	const left = new Map([...free].map(([id, amounts]) => [id, new Map(amounts)]));
	const covered = new Map<string, number>();
	const order = [...demands].sort((a, b) =>
		a.neededBy < b.neededBy ? -1 : a.neededBy > b.neededBy ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0
	);
	for (const demand of order) {
		const base = inBaseUnit(demand.perMonth, demand.unit);
		let need = base.quantity;
		const matches = [...demand.matches].sort(
			(a, b) => b.score - a.score || (a.startupId < b.startupId ? -1 : 1)
		);
		for (const match of matches) {
			if (need <= 0) break;
			const amounts = left.get(match.startupId);
			const available = amounts?.get(base.unit) ?? 0;
			const taken = Math.min(available, need);
			if (taken <= 0) continue;
			amounts!.set(base.unit, available - taken);
			need -= taken;
		}
		covered.set(demand.id, convertQuantity(base.quantity - need, base.unit, demand.unit)!);
	}
	return covered;
}

/** The share of a need that coverage leaves unmet, 0–1 (a need of nothing is met). */
export function unmetShare(perMonth: number, coveredPerMonth: number): number {
	if (perMonth <= 0) return 0;
	return Math.max(0, Math.min(1, 1 - coveredPerMonth / perMonth));
}

// ---------- valuation ----------

/** A deal's price as valuation reads it: the product it was for, its unit and price per unit. */
export interface AcceptedPrice {
	product: string;
	unit: string;
	unitPriceThb: number;
}

/**
 * The price per base unit the deals for each product were accepted at: the median, so one unusual deal does not
 * set the value of a whole market. Keyed by product, then base unit.
 */
export function acceptedPrices(deals: readonly AcceptedPrice[]): Map<string, Map<string, number>> {
	const lists = new Map<string, number[]>();
	for (const deal of deals) {
		// The price of one base unit: a tonne at 20,000 is 20 a kilogram.
		const perBase = deal.unitPriceThb / convertQuantity(1, deal.unit, baseUnit(deal.unit))!;
		const key = `${deal.product}\u0000${baseUnit(deal.unit)}`;
		const list = lists.get(key);
		if (list) list.push(perBase);
		else lists.set(key, [perBase]);
	}
	const prices = new Map<string, Map<string, number>>();
	for (const [key, list] of lists) {
		const [product, unit] = key.split('\u0000') as [string, string];
		list.sort((a, b) => a - b);
		const middle = Math.floor(list.length / 2);
		const median = list.length % 2 ? list[middle]! : (list[middle - 1]! + list[middle]!) / 2;
		if (!prices.has(product)) prices.set(product, new Map());
		prices.get(product)!.set(unit, median);
	}
	return prices;
}

/**
 * The price one unit of a demand is valued at: its price ceiling when the buyer stated one; else the median price
 * accepted for the same product in a unit that converts; else null, "value not stated" (never 0 baht).
 */
export function unitValue(
	demand: { priceThbMax: number | null; product: string; unit: string },
	prices: ReadonlyMap<string, ReadonlyMap<string, number>>
): { priceThb: number; source: 'ceiling' | 'accepted' } | null {
	if (demand.priceThbMax !== null) return { priceThb: demand.priceThbMax, source: 'ceiling' };
	const perBase = prices.get(demand.product)?.get(baseUnit(demand.unit));
	if (perBase === undefined) return null;
	return { priceThb: perBase * convertQuantity(1, demand.unit, baseUnit(demand.unit))!, source: 'accepted' };
}

/** Baht to the satang, as deals record them: sums of rounded figures add up to the rounded total. */
export const baht = (value: number) => Math.round(value * 100) / 100;
/** Quantities to three decimals, as the columns keep them. */
export const quantity3 = (value: number) => Math.round(value * 1000) / 1000;

/**
 * Which product a demand is for, as valuation groups deals: its TSIC division and the first product its title
 * names in the search vocabulary (อาราบิก้า and Arabica are one product), else its title as typed. A demand
 * for a product no deal was accepted on has no accepted price.
 */
export function productOf(demand: { divisionCode: string; titleTh: string | null; titleEn: string | null }) {
	const text = [demand.titleTh, demand.titleEn].filter(Boolean).join(' ');
	const named = productsNamed(text)[0];
	return `${demand.divisionCode}:${named ?? text.trim().toLowerCase()}`;
}

/** One open demand's volumes in its own terms (a monthly demand's are per month). */
export interface DemandVolume {
	/** The quantity asked for. */
	quantity: number;
	/** The part no deal and no free capacity of its matches supplies. */
	unmetQuantity: number;
	/** quantity × unit value; null when the value is not stated. */
	value: number | null;
	unmetValue: number | null;
}

/**
 * A demand's unmet quantity and values: what accepted deals do not already supply, less the share its matches'
 * free capacity covers per month (coverage is compared per month, the unmet part is stated in the demand's terms).
 */
export function demandVolume(input: {
	quantity: number;
	acceptedQuantity: number;
	/** The remaining quantity normalised per month, and how much of it the allocation covered. */
	perMonth: number;
	coveredPerMonth: number;
	priceThb: number | null;
}): DemandVolume {
	const remaining = Math.max(0, input.quantity - input.acceptedQuantity);
	const unmetQuantity = quantity3(remaining * unmetShare(input.perMonth, input.coveredPerMonth));
	const price = input.priceThb;
	return {
		quantity: input.quantity,
		unmetQuantity,
		value: price === null ? null : baht(input.quantity * price),
		unmetValue: price === null ? null : baht(unmetQuantity * price)
	};
}
