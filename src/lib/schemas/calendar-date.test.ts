import { describe, expect, it } from 'vitest';
import {
	BUDDHIST_ERA_OFFSET,
	DATE_RANGE_YEARS,
	dateRangeProblem,
	todayInThailand,
	yearInThailand
} from './calendar-date';
import { demandSchema } from './demand';
import { profileSchema } from './startup';

/** `years` years and `days` days from today in Thailand, as a form posts it. */
function fromToday(years: number, days = 0): string {
	const today = new Date(`${todayInThailand()}T00:00:00Z`);
	today.setUTCFullYear(today.getUTCFullYear() + years);
	return new Date(today.getTime() + days * 86_400_000).toISOString().slice(0, 10);
}
const buddhist = (day: string) => `${Number(day.slice(0, 4)) + BUDDHIST_ERA_OFFSET}${day.slice(4)}`;

describe('dates people type', () => {
	it('are kept within ten years of today; a Buddhist-era year is named as such; 9999 is out of range', () => {
		expect(dateRangeProblem(fromToday(1))).toBeUndefined();
		expect(dateRangeProblem(fromToday(DATE_RANGE_YEARS, -1))).toBeUndefined();
		expect(dateRangeProblem(fromToday(-DATE_RANGE_YEARS, 1))).toBeUndefined();
		expect(dateRangeProblem(fromToday(DATE_RANGE_YEARS, 2))).toBe('date_out_of_range');
		expect(dateRangeProblem(fromToday(-DATE_RANGE_YEARS, -2))).toBe('date_out_of_range');
		expect(dateRangeProblem(buddhist(fromToday(1)))).toBe('date_buddhist_era');
		expect(dateRangeProblem(buddhist(todayInThailand()))).toBe('date_buddhist_era');
		expect(dateRangeProblem('9999-12-31')).toBe('date_out_of_range');
		// Not a date at all: calendarDate says so.
		expect(dateRangeProblem('31/12/2030')).toBeUndefined();
	});

	it("a demand's needed-by and a certificate's expiry refuse a Buddhist-era year with its own message", () => {
		const demand = {
			titleTh: 'ข้าว',
			titleEn: '',
			detailsTh: '',
			detailsEn: '',
			priceThbMax: '',
			deliveryProvinceCode: '',
			maxOffers: '',
			divisionCode: '01',
			quantity: '2',
			unit: 'tonne',
			recurrence: 'once',
			certifications: []
		};
		const errorsOf = (result: {
			success: boolean;
			error?: { issues: { path: PropertyKey[]; message: string }[] };
		}) => result.error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) ?? [];
		expect(demandSchema.safeParse({ ...demand, neededBy: fromToday(1) }).success).toBe(true);
		expect(errorsOf(demandSchema.safeParse({ ...demand, neededBy: buddhist(fromToday(1)) }))).toEqual([
			'neededBy: date_buddhist_era'
		]);
		expect(errorsOf(demandSchema.safeParse({ ...demand, neededBy: '9999-12-31' }))).toEqual([
			'neededBy: date_out_of_range'
		]);
		const profile = (expiresOn: string) => ({
			nameTh: 'ไร่',
			nameEn: '',
			summaryTh: '',
			summaryEn: '',
			contactEmail: '',
			phone: '',
			website: '',
			divisions: ['01'],
			certifications: [{ id: 'gmp', number: '', expiresOn }]
		});
		expect(profileSchema.safeParse(profile(fromToday(2))).success).toBe(true);
		expect(profileSchema.safeParse(profile('')).success).toBe(true);
		expect(errorsOf(profileSchema.safeParse(profile(buddhist(fromToday(2)))))).toEqual([
			'certifications.0.expiresOn: date_buddhist_era'
		]);
	});
});

describe("the office's current year", () => {
	it("turns at midnight in Bangkok, not at the server's UTC midnight", () => {
		expect(yearInThailand(new Date('2026-12-31T16:59:59Z'))).toBe(2026);
		expect(yearInThailand(new Date('2026-12-31T17:00:00Z'))).toBe(2027);
		expect(yearInThailand(new Date('2027-01-01T00:00:00Z'))).toBe(2027);
		expect(yearInThailand()).toBe(Number(todayInThailand().slice(0, 4)));
	});
});
