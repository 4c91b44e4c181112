// Years and dates as Thai and English readers write them: Buddhist era in Thai, Common era in English, from the
// Gregorian values the database and the forms keep.
import { describe, expect, it } from 'vitest';
import { formatBahtCompact, formatDate, formatMonth, formatYear } from './format';
import { notificationText } from './notifications';

describe('formatYear', () => {
	it('shows a stored (Common-era) year in the Buddhist era in Thai and as is in English', () => {
		expect(formatYear(2026, 'th')).toBe('พ.ศ. 2569');
		expect(formatYear(2027, 'th')).toBe('พ.ศ. 2570');
		expect(formatYear(2026, 'en')).toBe('2026');
		// The reader's language when none is given: Thai outside a request, the base locale.
		expect(formatYear(2026)).toBe('พ.ศ. 2569');
	});

	it('agrees with the dates beside it', () => {
		expect(formatDate('2027-09-30', 'th')).toBe('30 ก.ย. 2570');
		expect(formatDate('2027-09-30', 'en')).toBe('30 Sept 2027');
		expect(formatMonth('2026-03', 'th')).toBe('มี.ค. 2569');
		expect(formatMonth('2026-03', 'en')).toBe('Mar 2026');
	});

	it("names the year in the recipient's language in the selection notification", () => {
		const payload = { link: '/startups/silk', startupName: 'ผ้าไหม', year: 2026 };
		expect(notificationText('startup_selected', payload, 'th').title).toContain('ปี พ.ศ. 2569');
		expect(notificationText('startup_selected', payload, 'th').title).not.toContain('2026');
		expect(notificationText('startup_selected', payload, 'en').body).toContain('2026');
	});
});

describe('formatBahtCompact', () => {
	it('counts large sums in ล้านบาท in Thai, and compactly in English', () => {
		expect(formatBahtCompact(1_700_000_000, 'th')).toBe('1,700 ล้านบาท');
		expect(formatBahtCompact(697_800_000, 'th')).toBe('697.8 ล้านบาท');
		expect(formatBahtCompact(1_250_000, 'th')).toBe('1.3 ล้านบาท');
		expect(formatBahtCompact(48_893.25, 'th')).toBe('48,893 บาท');
		expect(formatBahtCompact(0, 'th')).toBe('0 บาท');
		// Node's ICU data, as the server renders it.
		expect(formatBahtCompact(1_700_000_000, 'en')).toBe('THB\u00a01.7bn');
		expect(formatBahtCompact(697_800_000, 'en')).toBe('THB\u00a0697.8m');
	});
});
