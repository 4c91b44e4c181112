import { describe, expect, it } from 'vitest';
import {
	capacityIn,
	monthlyLoad,
	monthsUntil,
	offerReferral,
	standingReferral,
	type MatchedDemand
} from './rules';
import { QUANTITY, VALUE } from '$lib/schemas/units';

// Noon in Bangkok on 1 March 2030.
const now = new Date('2030-03-01T05:00:00Z');
const kg = (monthlyCapacity: number) => ({ unit: 'kg' as const, monthlyCapacity });

describe('capacity', () => {
	it('sums the products that convert to the unit and ignores the others', () => {
		const products = [
			kg(500),
			{ unit: 'tonne' as const, monthlyCapacity: 0.3 },
			{ unit: 'box', monthlyCapacity: 40 }
		];
		expect(capacityIn(products, 'kg')).toBe(800);
		expect(capacityIn(products, 'tonne')).toBeCloseTo(0.8);
		expect(capacityIn(products, 'box')).toBe(40);
		expect(capacityIn(products, 'litre')).toBe(0);
	});
});

describe('monthly load', () => {
	it('is the quantity itself for a monthly demand', () => {
		expect(monthlyLoad(1200, { recurrence: 'monthly', neededBy: '2030-03-02' }, now)).toBe(1200);
	});

	it('spreads a one-off quantity over the months until needed-by, in fractions of a month', () => {
		expect(monthsUntil('2031-03-01', now)).toBeCloseTo(12, 1);
		expect(monthlyLoad(1200, { recurrence: 'once', neededBy: '2031-03-01' }, now)).toBeCloseTo(100, 0);
		// 92 days ≈ 3.02 months
		expect(monthlyLoad(3000, { recurrence: 'once', neededBy: '2030-06-01' }, now)).toBeCloseTo(992.5, 1);
	});

	it('counts at least one month, for a date within weeks or already past', () => {
		expect(monthsUntil('2030-03-10', now)).toBe(1);
		expect(monthsUntil('2030-02-01', now)).toBe(1);
		expect(monthlyLoad(900, { recurrence: 'once', neededBy: '2030-03-05' }, now)).toBe(900);
	});

	it('counts days from the date in Thailand: 00:30 on 1 March there is still 28 February in UTC', () => {
		const lateFebruary = monthsUntil('2030-06-01', new Date('2030-02-28T16:30:00Z'));
		const firstOfMarch = monthsUntil('2030-06-01', new Date('2030-02-28T17:30:00Z'));
		expect(firstOfMarch).toBe(monthsUntil('2030-06-01', now));
		expect((lateFebruary - firstOfMarch) * (365.25 / 12)).toBeCloseTo(1, 6);
	});
});

describe('offer referral (finance)', () => {
	const monthly = { unit: 'kg' as const, recurrence: 'monthly' as const, neededBy: '2030-12-31' };

	it('fires when the monthly load passes the capacity, with quantity, capacity and value', () => {
		expect(offerReferral({ quantity: 1200, unitPriceThb: 45.5 }, monthly, [kg(500), kg(300)], now)).toEqual({
			unit: 'kg',
			quantity: 1200,
			monthlyCapacity: 800,
			valueThb: 54600
		});
	});

	it('does not fire at or below capacity', () => {
		expect(offerReferral({ quantity: 800, unitPriceThb: 40 }, monthly, [kg(800)], now)).toBeNull();
		expect(offerReferral({ quantity: 300, unitPriceThb: 40 }, monthly, [kg(800)], now)).toBeNull();
	});

	it('converts tonnes of capacity to a demand in kilograms', () => {
		const products = [{ unit: 'tonne' as const, monthlyCapacity: 1 }];
		expect(offerReferral({ quantity: 1500, unitPriceThb: 10 }, monthly, products, now)).toMatchObject({
			quantity: 1500,
			monthlyCapacity: 1000
		});
	});

	it('spreads a one-off offer: within capacity over a year, above it within a month', () => {
		const yearAway = { ...monthly, recurrence: 'once' as const, neededBy: '2031-03-01' };
		expect(offerReferral({ quantity: 6000, unitPriceThb: 10 }, yearAway, [kg(800)], now)).toBeNull();
		const soon = { ...yearAway, neededBy: '2030-03-20' };
		expect(offerReferral({ quantity: 6000, unitPriceThb: 10 }, soon, [kg(800)], now)).toEqual({
			unit: 'kg',
			quantity: 6000,
			monthlyCapacity: 800,
			valueThb: 60000
		});
	});

	it('does not fire when no product converts to the demand unit', () => {
		expect(
			offerReferral({ quantity: 50, unitPriceThb: 10 }, { ...monthly, unit: 'litre' }, [kg(1)], now)
		).toBeNull();
	});
});

describe('standing referral (space)', () => {
	const demand = (overrides: Partial<MatchedDemand>): MatchedDemand => ({
		quantity: 1000,
		unit: 'kg',
		recurrence: 'monthly',
		neededBy: '2030-12-31',
		priceThbMax: null,
		...overrides
	});

	it('fires when matched demand per month is more than twice the capacity, summing kilograms and tonnes', () => {
		const figures = standingReferral(
			[kg(500)],
			[
				demand({ quantity: 600, priceThbMax: 50 }),
				demand({ quantity: 0.5, unit: 'tonne', priceThbMax: 40_000 })
			],
			now
		);
		expect(figures).toEqual({
			unit: 'kg',
			quantity: 1100,
			monthlyCapacity: 500,
			valueThb: 600 * 50 + 0.5 * 40_000
		});
	});

	it('does not fire at twice the capacity or below', () => {
		expect(standingReferral([kg(500)], [demand({ quantity: 1000 })], now)).toBeNull();
	});

	it('records sums past what the columns hold as the most they keep, so the write cannot fail', () => {
		// Each demand at the largest quantity and ceiling a form takes; ten of them, in tonnes counted as kilograms.
		const largest = demand({ quantity: 999_999_999_999.999, unit: 'tonne', priceThbMax: 9.99 });
		const figures = standingReferral([kg(1)], Array(10).fill(largest), now);
		expect(figures).toEqual({
			unit: 'kg',
			quantity: QUANTITY.max,
			monthlyCapacity: 1,
			valueThb: VALUE.max
		});
	});

	it('ignores demand in units the startup does not make, and a value without price ceilings is null', () => {
		expect(standingReferral([kg(100)], [demand({ quantity: 5000, unit: 'litre' })], now)).toBeNull();
		expect(standingReferral([kg(100)], [demand({ quantity: 300 })], now)?.valueThb).toBeNull();
	});

	it('spreads one-off demands over their months', () => {
		// 11,000 kg over about 12 months: about 917 kg a month.
		const yearAway = demand({ quantity: 11_000, recurrence: 'once', neededBy: '2031-03-01' });
		expect(standingReferral([kg(500)], [yearAway], now)).toBeNull();
		const figures = standingReferral([kg(400)], [yearAway], now);
		expect(figures?.monthlyCapacity).toBe(400);
		expect(figures?.quantity).toBeCloseTo(917.3, 1);
	});

	it('names the unit where demand outgrows capacity most', () => {
		const figures = standingReferral(
			[kg(100), { unit: 'box', monthlyCapacity: 10 }],
			[demand({ quantity: 300 }), demand({ quantity: 100, unit: 'box' })],
			now
		);
		expect(figures).toMatchObject({ unit: 'box', quantity: 100, monthlyCapacity: 10 });
	});
});
