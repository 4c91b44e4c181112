import { describe, expect, it } from 'vitest';
import { codeFit, compatibleCodes, licenceAllows, wasteCode } from './codes';
import { scoreFit, tonnes, type LotTerms, type WantTerms } from './score';

const peel: LotTerms = {
	provinceCode: 'TH-70',
	wasteCode: '020304',
	hazardous: false,
	quantityPerMonth: 20,
	unit: 'tonne',
	nameTh: 'เปลือกผลไม้',
	nameEn: 'fruit peel'
};
const compost: WantTerms = {
	provinceCode: 'TH-71',
	wasteCodes: ['020301'],
	quantityPerMonth: 25_000,
	unit: 'kg',
	maxDistanceKm: 150,
	licenceClass: null,
	nameTh: 'เศษพืชทำปุ๋ยหมัก',
	nameEn: 'plant residues for compost'
};

describe('waste codes', () => {
	it('reads hazard from the list', () => {
		expect(wasteCode('020304')?.hazardous).toBe(false);
		expect(wasteCode('160601')?.hazardous).toBe(true);
		expect(wasteCode('999999')).toBeUndefined();
	});

	it('fits the same code, the same sub-chapter, a declared substitute, and nothing else', () => {
		expect(codeFit('020304', '020304')).toBe('same_code');
		expect(codeFit('020304', '020301')).toBe('same_sub_chapter');
		expect(codeFit('020304', '200108')).toBe('substitute');
		expect(codeFit('020304', '020202')).toBeNull();
		expect(codeFit('020304', '150102')).toBeNull();
		expect(compatibleCodes('020304')).toContain('200108');
		expect(compatibleCodes('020304')).not.toContain('150102');
	});

	it('lets only a listed licence class receive a hazardous code', () => {
		expect(licenceAllows(true, null)).toBe(false);
		expect(licenceAllows(true, '999')).toBe(false);
		expect(licenceAllows(true, '101')).toBe(true);
		expect(licenceAllows(false, null)).toBe(true);
	});
});

describe('scoreFit', () => {
	it('matches fruit peel to a composter a neighbouring province away, with the transport cost', () => {
		const fit = scoreFit(peel, compost, 100, 2.5);
		if ('excluded' in fit) throw new Error(`excluded for ${fit.excluded}`);
		expect(fit.codeFit).toBe('same_sub_chapter');
		// 20 t against 25,000 kg: the units are compared as mass.
		expect(fit.quantityRatio).toBeCloseTo(0.8);
		expect(fit.transportThbPerMonth).toBe(20 * 100 * 2.5);
	});

	it('prefers the nearer receiver and the exact code', () => {
		const near = scoreFit(peel, compost, 20, 1);
		const far = scoreFit(peel, compost, 140, 1);
		const exact = scoreFit(peel, { ...compost, wasteCodes: ['020304'] }, 140, 1);
		if ('excluded' in near || 'excluded' in far || 'excluded' in exact) throw new Error('excluded');
		expect(near.score).toBeGreaterThan(far.score);
		expect(exact.score).toBeGreaterThan(far.score);
	});

	it('excludes beyond the collection distance, other codes and a hazardous lot without the licence', () => {
		expect(scoreFit(peel, compost, 151, 1)).toEqual({ excluded: 'distance' });
		expect(scoreFit(peel, { ...compost, wasteCodes: ['150102'] }, 10, 1)).toEqual({ excluded: 'code' });
		const batteries = { ...peel, wasteCode: '160601', hazardous: true };
		const recycler = { ...compost, wasteCodes: ['160601'] };
		expect(scoreFit(batteries, recycler, 10, 1)).toEqual({ excluded: 'licence' });
		expect('excluded' in scoreFit(batteries, { ...recycler, licenceClass: '106' }, 10, 1)).toBe(false);
	});

	it('does not compare mass with volume', () => {
		const oil = { ...peel, wasteCode: '200125', unit: 'litre' as const, quantityPerMonth: 500 };
		const fit = scoreFit(oil, { ...compost, wasteCodes: ['200125'] }, 10, 1);
		if ('excluded' in fit) throw new Error('excluded');
		expect(fit.quantityRatio).toBeNull();
		expect(fit.transportThbPerMonth).toBeNull();
		expect(tonnes(500, 'kg')).toBe(0.5);
	});
});
