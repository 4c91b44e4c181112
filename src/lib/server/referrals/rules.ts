// When a startup has outgrown itself and which partner agency could help: pure rules on figures the services
// load, so every threshold is visible and tested here.
import { todayInThailand } from '$lib/schemas/demand';
import { QUANTITY, VALUE, type NumericColumn, type Unit } from '$lib/schemas/units';
import { convertQuantity } from '$lib/units';

/** SME Development Bank: financing for more machines, stock and working capital. */
export const FINANCE_AGENCY = 'sme-d-bank';
/** Industrial Estate Authority: factory space in an industrial estate. */
export const LAND_AGENCY = 'ieat';

/**
 * An accepted offer is a commitment: any monthly load above what the startup can make is a shortfall it must
 * finance (overtime, machines, a subcontractor), so the offer rule fires as soon as the load passes capacity.
 */
export const OFFER_LOAD_FACTOR = 1;
/**
 * Matched demand is only potential: each demand keeps up to ten good matches and a startup wins a share of them
 * at best. Only when the demand it matches is more than twice what it can make would it fill its plant even by
 * winning half of it — the point where more space, not more shifts, is the answer.
 */
export const STANDING_DEMAND_FACTOR = 2;
/** A startup that said "not needed" is not asked again about the same kind of referral for this long. */
export const DISMISSED_QUIET_DAYS = 90;

/** The average calendar month, so a one-off demand's months until needed-by do not depend on which months. */
const DAYS_PER_MONTH = 365.25 / 12;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface ProductCapacity {
	unit: string;
	monthlyCapacity: number;
}

export interface DemandTerms {
	quantity: number;
	unit: Unit;
	recurrence: 'once' | 'monthly';
	/** YYYY-MM-DD, a Thai calendar date. */
	neededBy: string;
}

/** The figures a referral records. `quantity` and `monthlyCapacity` are per month, in `unit`. */
export interface ReferralFigures {
	unit: Unit;
	quantity: number;
	monthlyCapacity: number;
	valueThb: number | null;
}

/** What the startup can make in a month, in `unit`: its products that convert to it, summed; others ignored. */
export function capacityIn(products: readonly ProductCapacity[], unit: string): number {
	return products.reduce((sum, p) => sum + (convertQuantity(p.monthlyCapacity, p.unit, unit) ?? 0), 0);
}

/**
 * Months from today (in Thailand) to a needed-by date, never less than one. Fractional: 45 days is about 1.5
 * months, neither rounded up (which would hide the squeeze) nor down (which would double it). The floor of one
 * month is there because capacity is a monthly figure: a delivery due within days is served from stock or a
 * month's production, and dividing by a fraction of a month would inflate small urgent orders into referrals.
 */
export function monthsUntil(neededBy: string, now = new Date()): number {
	const days =
		(Date.parse(`${neededBy}T00:00:00Z`) - Date.parse(`${todayInThailand(now)}T00:00:00Z`)) / DAY_MS;
	return Math.max(1, days / DAYS_PER_MONTH);
}

/**
 * The monthly load a quantity of a demand puts on its maker: the quantity itself for a monthly demand; for a
 * one-off demand, the quantity spread evenly over the months until needed-by (see monthsUntil), since production
 * can start as soon as the deal is made.
 */
export function monthlyLoad(
	quantity: number,
	demand: Omit<DemandTerms, 'quantity' | 'unit'>,
	now = new Date()
) {
	return demand.recurrence === 'monthly' ? quantity : quantity / monthsUntil(demand.neededBy, now);
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * A figure as its column can hold it. Sums over many demands, and tonnes counted in kilograms, can pass what any
 * single typed number may be; the referral then records the most the column keeps (it is already far past the
 * threshold), where the write would otherwise fail and stop the referral check for every startup.
 */
const within = (value: number, column: NumericColumn) => Math.min(round(value, column.scale), column.max);

/**
 * An accepted offer (its quantity is in the demand's unit) whose monthly load exceeds the startup's capacity in
 * that unit: a referral to the finance agency. None when the startup registers no capacity in a unit that
 * converts: then the figures cannot be compared, and a referral would rest on a unit mismatch, not a shortfall.
 */
export function offerReferral(
	offer: { quantity: number; unitPriceThb: number },
	demand: Omit<DemandTerms, 'quantity'>,
	products: readonly ProductCapacity[],
	now = new Date()
): ReferralFigures | null {
	const capacity = capacityIn(products, demand.unit);
	const load = round(monthlyLoad(offer.quantity, demand, now), 3);
	if (capacity <= 0 || load <= OFFER_LOAD_FACTOR * capacity) return null;
	return {
		unit: demand.unit,
		quantity: within(load, QUANTITY),
		monthlyCapacity: within(capacity, QUANTITY),
		// The whole offer's value (for a monthly demand, a month's), as the deal records it.
		valueThb: within(offer.quantity * offer.unitPriceThb, VALUE)
	};
}

export interface MatchedDemand extends DemandTerms {
	priceThbMax: number | null;
}

/**
 * The standing check: the open demand a startup is a good match for, as a monthly load per unit, against its
 * capacity in that unit. Only units the startup makes are weighed (demand in a unit it has no product in is a
 * different product, not a reason for more space); kilograms and tonnes count together. The referral (there is
 * one per startup) names the unit where the demand outgrows the capacity most. Its value is the matched demand's
 * monthly value at the buyers' price ceilings, counting the demands that state one; null if none does.
 */
export function standingReferral(
	products: readonly (ProductCapacity & { unit: Unit })[],
	demands: readonly MatchedDemand[],
	now = new Date()
): ReferralFigures | null {
	let best: { figures: ReferralFigures; ratio: number } | null = null;
	for (const unit of new Set(products.map((p) => p.unit))) {
		const capacity = capacityIn(products, unit);
		let load = 0;
		let value: number | null = null;
		for (const demand of demands) {
			const monthly = monthlyLoad(demand.quantity, demand, now);
			const converted = convertQuantity(monthly, demand.unit, unit);
			if (converted === null) continue;
			load += converted;
			if (demand.priceThbMax !== null) value = (value ?? 0) + monthly * demand.priceThbMax;
		}
		const ratio = load / capacity;
		if (load > STANDING_DEMAND_FACTOR * capacity && (!best || ratio > best.ratio))
			best = {
				ratio,
				figures: {
					unit,
					quantity: within(load, QUANTITY),
					monthlyCapacity: within(capacity, QUANTITY),
					valueThb: value === null ? null : within(value, VALUE)
				}
			};
	}
	return best?.figures ?? null;
}
