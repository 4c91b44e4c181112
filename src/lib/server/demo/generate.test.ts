import { afterEach, describe, expect, it, vi } from 'vitest';
import { categoryData, certificationData, provinceData } from '../reference';
import {
	capacityInDemandUnit,
	passesHardConstraints,
	type DemandSide,
	type StartupSide
} from '../matching/score';
import { exchangeDocumentSchema, type ExchangeDemand, type ExchangeStartup } from '$lib/schemas/exchange';
import {
	CONSUMER_BUYERS,
	DEMO_MARK_EN,
	DEMO_MARK_TH,
	DEMO_NOTE_EN,
	DEMO_NOTE_TH,
	INDUSTRIAL_BUYERS,
	UNHELD_CERTIFICATIONS
} from './data';
import { generateDemo, nice } from './generate';

const now = new Date('2026-11-24T03:00:00Z');
const today = '2026-11-24';
const data = generateDemo({ now });
const codes = provinceData.map((p) => p.code);
const regionOf = new Map(provinceData.map((p) => [p.code, p.region]));
const allDemands = [...data.openDemands.map((d) => d.record), ...data.pastDemands.map((d) => d.record)];

const startupSide = (s: ExchangeStartup): StartupSide => ({
	divisions: s.tsic,
	certifications: s.certifications,
	checkedCertifications: [],
	province: { code: s.province, region: regionOf.get(s.province)! },
	products: s.products.map((p) => ({
		unit: p.unit,
		monthlyCapacity: p.monthly_capacity,
		priceThbMin: p.price_thb_min ?? null,
		priceThbMax: p.price_thb_max ?? null
	})),
	updatedAt: now
});
const demandSide = (d: ExchangeDemand): DemandSide => ({
	divisionCode: d.tsic,
	quantity: d.quantity,
	unit: d.unit,
	recurrence: d.recurrence,
	priceThbMax: d.price_thb_max ?? null,
	deliveryProvince: d.delivery_province
		? { code: d.delivery_province, region: regionOf.get(d.delivery_province)! }
		: null,
	requiredCertifications: d.required_certifications,
	publishedAt: now
});
const sides = data.startups.map(startupSide);

afterEach(() => {
	vi.restoreAllMocks();
});

describe('generateDemo', () => {
	it('is deterministic, never asks Math.random, and stays the same all month', () => {
		const random = vi.spyOn(Math, 'random');
		const again = generateDemo({ now });
		expect(again).toEqual(data);
		expect(random).not.toHaveBeenCalled();
		const laterThisMonth = generateDemo({ now: new Date('2026-11-29T15:00:00Z') });
		expect(laterThisMonth.startups).toEqual(data.startups);
		expect(laterThisMonth.openDemands).toEqual(data.openDemands);
		expect(laterThisMonth.pastDemands.map((p) => p.record)).toEqual(data.pastDemands.map((p) => p.record));
		expect(generateDemo({ now, seed: 7 }).startups).not.toEqual(data.startups);
	});

	it('covers every province, Bangkok included, with startups and open demand delivered there', () => {
		expect(codes).toHaveLength(77);
		for (const code of codes) {
			const startups = data.startups.filter((s) => s.province === code);
			expect(startups.length, code).toBeGreaterThanOrEqual(2);
			expect(startups.length, code).toBeLessThanOrEqual(6);
			const open = data.openDemands.filter((d) => d.record.ref.startsWith(`demo-d-${code.toLowerCase()}-`));
			expect(open.length, code).toBeGreaterThanOrEqual(3);
			expect(open.length, code).toBeLessThanOrEqual(10);
			expect(
				open.some((d) => d.record.delivery_province === code),
				code
			).toBe(true);
		}
		expect(data.startups.filter((s) => s.province === 'TH-10').length).toBeGreaterThanOrEqual(2);
		expect(data.openDemands.some((d) => d.record.delivery_province === null)).toBe(true);
		for (const s of data.startups) {
			expect(s.products.length).toBeGreaterThanOrEqual(1);
			expect(s.certifications.length).toBeGreaterThanOrEqual(1);
			for (const p of s.products) {
				expect(p.monthly_capacity).toBeGreaterThan(0);
				expect(p.price_thb_min!).toBeLessThanOrEqual(p.price_thb_max!);
			}
		}
	});

	it('marks every demo organisation in both languages and gives everything a unique demo- ref', () => {
		for (const s of data.startups) {
			expect(s.name_th!.startsWith(DEMO_MARK_TH)).toBe(true);
			expect(s.name_en!.startsWith(DEMO_MARK_EN)).toBe(true);
			expect(s.summary_th).toContain(DEMO_NOTE_TH);
			expect(s.summary_en).toContain(DEMO_NOTE_EN);
		}
		for (const d of allDemands) {
			expect(d.buyer_name.startsWith(DEMO_MARK_TH)).toBe(true);
			expect(d.buyer_name).toContain(` / ${DEMO_MARK_EN}`);
			expect(d.details_th).toContain(DEMO_NOTE_TH);
			expect(d.details_en).toContain(DEMO_NOTE_EN);
		}
		const startupRefs = data.startups.map((s) => s.ref);
		const demandRefs = allDemands.map((d) => d.ref);
		for (const ref of [...startupRefs, ...demandRefs]) expect(ref).toMatch(/^demo-[a-z0-9-]+$/);
		expect(new Set(startupRefs).size).toBe(startupRefs.length);
		expect(new Set(demandRefs).size).toBe(demandRefs.length);
	});

	it('is a valid exchange document that uses only reference codes', () => {
		const document = {
			format: 'provincial-matchmaking/v1',
			startups: data.startups,
			demands: data.openDemands.map((d) => d.record)
		};
		const parsed = exchangeDocumentSchema.safeParse(document);
		expect(parsed.error?.issues ?? []).toEqual([]);
		const divisions = new Set(categoryData.tsic_divisions.map((d) => d.code));
		const certifications = new Set(certificationData.map((c) => c.id));
		for (const s of data.startups) {
			for (const code of s.tsic) expect(divisions.has(code), code).toBe(true);
			for (const id of s.certifications) expect(certifications.has(id), id).toBe(true);
		}
		for (const d of allDemands) {
			expect(divisions.has(d.tsic), d.tsic).toBe(true);
			for (const id of d.required_certifications) expect(certifications.has(id), id).toBe(true);
		}
	});

	it('leaves part of the demand certainly unmatchable and the rest servable by some demo startup', () => {
		for (const s of data.startups)
			for (const id of UNHELD_CERTIFICATIONS) expect(s.certifications).not.toContain(id);
		const unmatchable = data.openDemands.filter((d) => d.intent === 'uncertified' || d.intent === 'unmade');
		for (const d of unmatchable) {
			const demand = demandSide(d.record);
			expect(
				sides.some((s) => passesHardConstraints(demand, s)),
				d.record.ref
			).toBe(false);
		}
		const share = unmatchable.length / data.openDemands.length;
		expect(share).toBeGreaterThan(0.1);
		expect(share).toBeLessThan(0.5);
		for (const d of [
			...data.openDemands.filter((o) => o.intent === 'matchable').map((o) => o.record),
			...data.pastDemands.map((p) => p.record)
		]) {
			const demand = demandSide(d);
			expect(
				sides.some((s) => passesHardConstraints(demand, s) && capacityInDemandUnit(demand, s) >= d.quantity),
				d.ref
			).toBe(true);
		}
	});

	it('dates open demand ahead of today and spreads ended demand over the last twelve months', () => {
		for (const d of data.openDemands) {
			expect(d.record.needed_by > today).toBe(true);
			expect(d.postedDaysAgo).toBeGreaterThanOrEqual(0);
		}
		const yearAgo = new Date('2025-12-01T00:00:00Z');
		const months = new Set<string>();
		for (const p of data.pastDemands) {
			expect(p.publishedAt.getTime()).toBeGreaterThanOrEqual(yearAgo.getTime());
			expect(p.closedAt.getTime()).toBeGreaterThanOrEqual(p.publishedAt.getTime());
			expect(p.closedAt.getTime()).toBeLessThan(now.getTime());
			expect(p.deal !== null).toBe(p.status === 'fulfilled');
			if (p.status === 'expired') expect(p.record.needed_by < today).toBe(true);
			if (p.deal) {
				expect(p.deal.offeredAt.getTime()).toBeGreaterThanOrEqual(p.publishedAt.getTime());
				expect(p.deal.offeredAt.getTime()).toBeLessThanOrEqual(p.closedAt.getTime());
				if (p.record.price_thb_max !== undefined)
					expect(p.deal.unitPriceThb).toBeLessThanOrEqual(p.record.price_thb_max);
			}
			months.add(p.publishedAt.toISOString().slice(0, 7));
		}
		expect(months.size).toBeGreaterThanOrEqual(10);
		expect(new Set(data.pastDemands.map((p) => p.status))).toEqual(
			new Set(['fulfilled', 'closed', 'expired'])
		);
	});

	it("selects one of the province's own startups in about two thirds of the provinces", () => {
		expect(data.year).toBe(2026);
		expect(data.selections).toHaveLength(51);
		expect(new Set(data.selections.map((s) => s.province)).size).toBe(51);
		const provinceOf = new Map(data.startups.map((s) => [s.ref, s.province]));
		for (const s of data.selections) expect(provinceOf.get(s.startupRef)).toBe(s.province);
	});

	it("keeps startups' text clear of the words demand titles are made of", () => {
		const buyers = [...CONSUMER_BUYERS, ...INDUSTRIAL_BUYERS];
		const englishWords = new Set([
			'for',
			'a',
			'every',
			'month',
			...buyers.flatMap((b) => b.use[1].split(' '))
		]);
		const thaiWords = ['สำหรับ', 'ส่ง', 'ทุก', ...buyers.map((b) => b.use[0])];
		for (const s of data.startups) {
			const words = `${s.name_en} ${s.summary_en}`.toLowerCase().split(/[^a-z]+/);
			expect(
				words.filter((w) => englishWords.has(w)),
				s.ref
			).toEqual([]);
			const thai = `${s.name_th} ${s.summary_th}`;
			expect(
				thaiWords.filter((w) => thai.includes(w)),
				s.ref
			).toEqual([]);
		}
	});
});

describe('nice', () => {
	it('rounds to figures a person would write', () => {
		expect(nice(3456)).toBe(3500);
		expect(nice(96.4)).toBe(96);
		expect(nice(2.3)).toBe(2.5);
		expect(nice(0.1)).toBe(0.5);
		expect(nice(1234, Math.ceil)).toBe(1300);
	});
});
