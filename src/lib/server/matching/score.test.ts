import { describe, expect, it } from 'vitest';
import {
	CATEGORY_ONLY_MAX_SCORE,
	compareMatches,
	GOOD_MATCH_SCORE,
	passesHardConstraints,
	scoreMatch,
	shownScore,
	WEIGHTS,
	type DemandSide,
	type StartupSide
} from './score';

const now = new Date('2026-11-24T00:00:00Z');
const demand = (overrides: Partial<DemandSide> = {}): DemandSide => ({
	divisionCode: '01',
	quantity: 2,
	unit: 'tonne',
	recurrence: 'monthly',
	priceThbMax: 45_000,
	deliveryProvince: { code: 'TH-10', region: 'Central' },
	requiredCertifications: ['organic-thailand'],
	publishedAt: now,
	...overrides
});
const startup = (overrides: Partial<StartupSide> = {}): StartupSide => ({
	divisions: ['01'],
	certifications: ['organic-thailand', 'gap'],
	checkedCertifications: [],
	province: { code: 'TH-10', region: 'Central' },
	products: [{ unit: 'kg', monthlyCapacity: 4000, priceThbMin: 38, priceThbMax: 42 }],
	updatedAt: now,
	...overrides
});
const score = (d: DemandSide, s: StartupSide, textRelevance = 1) =>
	scoreMatch({ demand: d, startup: s, textRelevance, freshFrom: s.updatedAt, now });

describe('hard constraints', () => {
	it('needs every required certification, a compatible category and a convertible unit', () => {
		expect(passesHardConstraints(demand(), startup())).toBe(true);
		expect(passesHardConstraints(demand(), startup({ certifications: ['gap'] }))).toBe(false);
		expect(passesHardConstraints(demand(), startup({ divisions: ['13'] }))).toBe(false);
		// Food (10) is declared related to crops (01).
		expect(passesHardConstraints(demand(), startup({ divisions: ['10'] }))).toBe(true);
		expect(
			passesHardConstraints(
				demand(),
				startup({ products: [{ unit: 'litre', monthlyCapacity: 10, priceThbMin: null, priceThbMax: null }] })
			)
		).toBe(false);
	});
});

describe('scoreMatch', () => {
	it('gives a perfect pair the full score and says why', () => {
		const { score: value, reasons } = score(demand(), startup());
		expect(value).toBe(1);
		expect(reasons).toEqual({
			matchedTerms: [],
			relevance: 'product',
			category: 'same',
			certificationsRequired: ['organic-thailand'],
			certificationsChecked: [],
			capacityCoveragePercent: 100,
			distanceBand: 'same_province',
			priceFit: 'within',
			freshnessDays: 0
		});
	});

	it('tells a required certificate checked by the office from one only declared, and scores them alike', () => {
		const declared = score(demand(), startup());
		const checked = score(demand(), startup({ checkedCertifications: ['organic-thailand', 'gap'] }));
		expect(declared.reasons.certificationsChecked).toEqual([]);
		expect(checked.reasons.certificationsChecked).toEqual(['organic-thailand']);
		expect(checked.score).toBe(declared.score);
	});

	it('converts kilograms to tonnes for capacity and price', () => {
		const half = score(
			demand(),
			startup({ products: [{ unit: 'kg', monthlyCapacity: 1000, priceThbMin: 50, priceThbMax: null }] })
		);
		expect(half.reasons.capacityCoveragePercent).toBe(50);
		// 50 THB/kg is 50,000 THB/tonne, above the 45,000 ceiling.
		expect(half.reasons.priceFit).toBe('above');
		expect(half.score).toBeCloseTo(1 - WEIGHTS.capacity * 0.5 - WEIGHTS.price * (1 - 45 / 50), 3);
	});

	it('ranks the same province above the same region above elsewhere', () => {
		const at = (code: string, region: string) =>
			score(demand(), startup({ province: { code, region } })).score;
		expect(at('TH-10', 'Central')).toBeGreaterThan(at('TH-12', 'Central'));
		expect(at('TH-12', 'Central')).toBeGreaterThan(at('TH-50', 'North'));
		expect(score(demand({ deliveryProvince: null }), startup()).reasons.distanceBand).toBe('anywhere');
	});

	it('treats a missing price as neutral, text relevance as a weight, and age as decay', () => {
		const noPrice = score(demand({ priceThbMax: null }), startup());
		expect(noPrice.reasons.priceFit).toBe('unknown');
		expect(noPrice.score).toBeCloseTo(1 - WEIGHTS.price * 0.5, 3);
		expect(score(demand(), startup(), 0).score).toBeCloseTo(1 - WEIGHTS.text, 3);
		const old = scoreMatch({
			demand: demand(),
			startup: startup(),
			textRelevance: 1,
			freshFrom: new Date('2026-08-26T00:00:00Z'),
			now
		});
		expect(old.reasons.freshnessDays).toBe(90);
		expect(old.score).toBeCloseTo(1 - WEIGHTS.freshness * 0.5, 3);
	});
});

describe('category-only suggestions', () => {
	it('are marked as such, shown below a good match, and ranked after every product match', () => {
		// Everything but the words agrees: certified, near, cheap, fresh, enough capacity.
		const categoryOnly = score(demand(), startup(), 0);
		expect(categoryOnly.reasons.relevance).toBe('category');
		expect(categoryOnly.score).toBeGreaterThan(GOOD_MATCH_SCORE);
		expect(shownScore(categoryOnly)).toBe(CATEGORY_ONLY_MAX_SCORE);
		// A weak product match: little of the words, far away, short of capacity.
		const weakProduct = score(
			demand(),
			startup({
				province: { code: 'TH-50', region: 'North' },
				products: [{ unit: 'kg', monthlyCapacity: 10, priceThbMin: 90, priceThbMax: null }]
			}),
			0.1
		);
		expect(weakProduct.reasons.relevance).toBe('product');
		expect(shownScore(weakProduct)).toBe(weakProduct.score);
		const ranked = [
			{ ...categoryOnly, score: categoryOnly.score, key: 'a' },
			{ ...weakProduct, score: shownScore(weakProduct), key: 'b' }
		].sort(compareMatches);
		expect(ranked.map((m) => m.key)).toEqual(['b', 'a']);
	});
});
