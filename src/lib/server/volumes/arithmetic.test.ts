import { describe, expect, it } from 'vitest';
import { todayInThailand } from '$lib/schemas/calendar-date';
import {
	acceptedPrices,
	allocateCoverage,
	committedPerMonth,
	demandVolume,
	freeCapacity,
	freeIn,
	monthlyCapacity,
	monthlyLoad,
	MONTHLY_DEAL_TERM_MONTHS,
	productOf,
	unitValue,
	unmetShare
} from './arithmetic';

const DAY = 86_400_000;
const now = new Date();
/** A Thai calendar date `days` from today in Thailand, as the rules read needed-by dates. */
const date = (days: number) =>
	new Date(Date.parse(`${todayInThailand(now)}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
const ago = (days: number) => new Date(now.getTime() - days * DAY);

describe('monthly normalisation', () => {
	it('keeps a monthly demand per month and spreads a one-off over the months to needed-by, at least one', () => {
		expect(monthlyLoad(300, { recurrence: 'monthly', neededBy: date(200) }, now)).toBe(300);
		expect(monthlyLoad(300, { recurrence: 'once', neededBy: date(10) }, now)).toBe(300);
		const threeMonths = (365.25 / 12) * 3;
		expect(monthlyLoad(300, { recurrence: 'once', neededBy: date(threeMonths) }, now)).toBeCloseTo(100, 0);
	});
});

describe('committed capacity', () => {
	it('holds a monthly deal in full every month for its term, then frees it', () => {
		const deal = { quantity: 40, unit: 'kg', recurrence: 'monthly' as const, neededBy: date(-20) };
		expect(committedPerMonth({ ...deal, dealtAt: ago(30) }, now)).toBe(40);
		expect(committedPerMonth({ ...deal, dealtAt: ago(MONTHLY_DEAL_TERM_MONTHS * 31) }, now)).toBe(0);
	});

	it('holds a one-off deal spread from the deal to needed-by, and nothing once needed-by has passed', () => {
		const once = { quantity: 120, unit: 'kg', recurrence: 'once' as const };
		// Dealt today, needed in about four months: 30 a month.
		expect(committedPerMonth({ ...once, neededBy: date(4 * 30.4375), dealtAt: now }, now)).toBeCloseTo(30, 0);
		// Due within the month: all of it this month.
		expect(committedPerMonth({ ...once, neededBy: date(5), dealtAt: now }, now)).toBe(120);
		expect(committedPerMonth({ ...once, neededBy: date(-1), dealtAt: ago(40) }, now)).toBe(0);
	});

	it('subtracts running deals from capacity in converting units only, never below zero', () => {
		const capacity = monthlyCapacity([
			{ unit: 'tonne', monthlyCapacity: 1 },
			{ unit: 'kg', monthlyCapacity: 500 },
			{ unit: 'piece', monthlyCapacity: 10 }
		]);
		expect(capacity.get('kg')).toBe(1500);
		const deals = [
			{ quantity: 0.5, unit: 'tonne', recurrence: 'monthly' as const, neededBy: date(30), dealtAt: ago(1) },
			{ quantity: 99, unit: 'litre', recurrence: 'monthly' as const, neededBy: date(30), dealtAt: ago(1) },
			{ quantity: 50, unit: 'piece', recurrence: 'monthly' as const, neededBy: date(30), dealtAt: ago(1) }
		];
		const free = freeCapacity(capacity, deals, now);
		expect(free.get('kg')).toBe(1000);
		expect(freeIn(free, 'tonne')).toBe(1);
		expect(free.get('piece')).toBe(0);
		expect(free.has('litre')).toBe(false);
		// The input is left as it was.
		expect(capacity.get('kg')).toBe(1500);
	});
});

describe('allocateCoverage', () => {
	it('counts each startup once over all demands: the earliest need draws first, from its best match first', () => {
		const free = new Map([
			['a', new Map([['kg', 100]])],
			['b', new Map([['kg', 50]])]
		]);
		const covered = allocateCoverage(
			[
				{
					id: 'late',
					unit: 'kg',
					perMonth: 100,
					neededBy: date(60),
					matches: [{ startupId: 'a', score: 0.9 }]
				},
				{
					id: 'early',
					unit: 'tonne',
					perMonth: 0.12,
					neededBy: date(10),
					matches: [
						{ startupId: 'b', score: 0.6 },
						{ startupId: 'a', score: 0.8 }
					]
				}
			],
			free
		);
		// early takes 100 kg from a (its best), then 20 from b; late finds a empty.
		expect(covered.get('early')).toBeCloseTo(0.12, 9);
		expect(covered.get('late')).toBe(0);
		expect(free.get('a')!.get('kg')).toBe(100);
	});

	it('does not cover a demand from capacity in a unit that does not convert', () => {
		const covered = allocateCoverage(
			[{ id: 'd', unit: 'litre', perMonth: 10, neededBy: date(5), matches: [{ startupId: 'a', score: 1 }] }],
			new Map([['a', new Map([['kg', 100]])]])
		);
		expect(covered.get('d')).toBe(0);
	});
});

describe('valuation', () => {
	it('uses the price ceiling, else the median accepted price for the product in a converting unit, else none', () => {
		const prices = acceptedPrices([
			{ product: 'coffee', unit: 'kg', unitPriceThb: 300 },
			{ product: 'coffee', unit: 'tonne', unitPriceThb: 400_000 },
			{ product: 'coffee', unit: 'kg', unitPriceThb: 350 },
			{ product: 'coffee', unit: 'kg', unitPriceThb: 9_000 },
			{ product: 'rice', unit: 'piece', unitPriceThb: 5 }
		]);
		// 300, 350, 400, 9000 a kilogram: the median is 375.
		expect(prices.get('coffee')!.get('kg')).toBe(375);
		expect(unitValue({ priceThbMax: 200, product: 'coffee', unit: 'kg' }, prices)).toEqual({
			priceThb: 200,
			source: 'ceiling'
		});
		expect(unitValue({ priceThbMax: null, product: 'coffee', unit: 'tonne' }, prices)).toEqual({
			priceThb: 375_000,
			source: 'accepted'
		});
		expect(unitValue({ priceThbMax: null, product: 'rice', unit: 'kg' }, prices)).toBeNull();
		expect(unitValue({ priceThbMax: null, product: 'tea', unit: 'kg' }, prices)).toBeNull();
	});

	it('names the same product whatever its spelling, within its division', () => {
		const a = productOf({ divisionCode: '10', titleTh: 'กาแฟอาราบิก้าคั่ว', titleEn: null });
		const b = productOf({ divisionCode: '10', titleTh: null, titleEn: 'Roasted Arabica coffee' });
		expect(a).toBe(b);
		expect(productOf({ divisionCode: '01', titleTh: 'กาแฟอาราบิก้าคั่ว', titleEn: null })).not.toBe(a);
	});
});

describe('demandVolume', () => {
	it('states the unmet part in the demand terms and values it, or leaves the value unstated', () => {
		expect(unmetShare(100, 25)).toBe(0.75);
		expect(unmetShare(100, 250)).toBe(0);
		// 1,000 asked, 400 under deals: 600 left, spread to 200 a month of which 50 are covered.
		expect(
			demandVolume({
				quantity: 1000,
				acceptedQuantity: 400,
				perMonth: 200,
				coveredPerMonth: 50,
				priceThb: 10
			})
		).toEqual({ quantity: 1000, unmetQuantity: 450, value: 10_000, unmetValue: 4500 });
		expect(
			demandVolume({ quantity: 10, acceptedQuantity: 0, perMonth: 10, coveredPerMonth: 0, priceThb: null })
		).toEqual({ quantity: 10, unmetQuantity: 10, value: null, unmetValue: null });
	});
});
