// Every audit action the services write has a Thai and English text, so officers never read a code.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { auditActionName, localized, priceRangeText, quantityText, unitName } from './i18n';
import { m } from './paraglide/messages';
import { getLocale, overwriteGetLocale } from './paraglide/runtime';

function sources(dir: string): string[] {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name);
		// The services, not their tests (which name other things alike, e.g. a span attribute 'user.email').
		if (entry.isDirectory()) return sources(full);
		return full.endsWith('.ts') && !full.endsWith('.test.ts') ? [full] : [];
	});
}

describe('audit action names', () => {
	it('names every action the services record', () => {
		const actions = new Set<string>();
		for (const file of sources('src/lib/server')) {
			const text = fs.readFileSync(file, 'utf8');
			for (const match of text.matchAll(
				/'((?:user|startup|selection|demand|referral|api_token|report|office|offer|material_want|waste_[a-z]+|organisation)\.[a-z_]+)'/g
			))
				actions.add(match[1]!);
		}
		// Actions written from a template: `startup.${decision}` (standing) and `offer.${decision}` (agencies).
		for (const decision of ['suspend', 'revoke', 'reinstate']) actions.add(`startup.${decision}`);
		for (const decision of ['accept', 'decline']) actions.add(`offer.${decision}`);
		expect(actions.size).toBeGreaterThan(40);
		expect([...actions].filter((action) => auditActionName(action) === action)).toEqual([]);
		expect(auditActionName('startup.approve')).toBe('อนุมัติใบสมัคร');
	});
});

describe('quantities in English agree in number', () => {
	const serverLocale = getLocale;
	afterEach(() => overwriteGetLocale(serverLocale));

	it('writes "500 metres" and "1 metre", and leaves Thai and symbols alone', () => {
		overwriteGetLocale(() => 'en');
		expect(quantityText(500, 'metre')).toBe('500 metres');
		expect(quantityText(1, 'piece')).toBe('1 piece');
		expect(quantityText(1.0004, 'box')).toBe('1 box');
		expect(quantityText(1.5, 'tonne')).toBe('1.5 tonnes');
		expect(quantityText(2, 'cubic_metre')).toBe('2 cubic metres');
		expect(quantityText(1200, 'kg')).toBe('1,200 kg');
		expect(unitName('litre')).toBe('litre');
		expect(m.buyer_offer_count({ count: '1' })).toBe('1 offer');
		expect(m.buyer_offer_count({ count: '1,200' })).toBe('1,200 offers');
		expect(priceRangeText(900, 1500, 'kg')).toBe('900–1,500 THB per kg');
		expect(priceRangeText(null, 40, 'piece')).toBe('up to 40 THB per piece');
		expect(priceRangeText(40, 40, 'box')).toBe('40 THB per box');
		expect(priceRangeText(null, null, 'box')).toBeNull();
		overwriteGetLocale(() => 'th');
		expect(quantityText(500, 'metre')).toBe('500 เมตร');
		expect(priceRangeText(900, 1500, 'kg')).toBe('900–1,500 บาท ต่อกก.'.replace('กก.', unitName('kg')));
	});
});

describe('bilingual fields', () => {
	const serverLocale = getLocale;
	afterEach(() => overwriteGetLocale(serverLocale));

	it("reads the reader's language, falls back to the other, and gives '' when neither is kept", () => {
		const province = { code: 'TH-40', nameTh: 'ขอนแก่น', nameEn: 'Khon Kaen' };
		const thaiOnly = { titleTh: 'ข้าวหอมมะลิ', titleEn: null };
		const englishOnly = { summaryTh: undefined, summaryEn: 'Silk weaving' };
		const neither = { nameTh: null, nameEn: null };
		overwriteGetLocale(() => 'th');
		expect(localized(province, 'name')).toBe('ขอนแก่น');
		expect(localized(thaiOnly, 'title')).toBe('ข้าวหอมมะลิ');
		expect(localized(englishOnly, 'summary')).toBe('Silk weaving');
		expect(localized(neither, 'name')).toBe('');
		overwriteGetLocale(() => 'en');
		expect(localized(province, 'name')).toBe('Khon Kaen');
		expect(localized(thaiOnly, 'title')).toBe('ข้าวหอมมะลิ');
		expect(localized(englishOnly, 'summary')).toBe('Silk weaving');
		expect(localized(neither, 'name')).toBe('');
		// An empty string is a kept value, as the ternaries it replaces read it: no fallback.
		expect(localized({ nameTh: 'ขอนแก่น', nameEn: '' }, 'name')).toBe('');
	});
});
