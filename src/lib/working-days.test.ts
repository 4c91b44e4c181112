// Working days on Thailand's calendar: weekends skipped, the Thai date (UTC+7) deciding which day it is.
import { describe, expect, it } from 'vitest';
import { median, workingDaysBetween } from './working-days';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Noon in Bangkok on the next day from today that falls on the weekday asked for (0 = Sunday). */
function nextThaiNoon(weekday: number): Date {
	const noon = new Date();
	noon.setUTCHours(5, 0, 0, 0);
	while (noon.getUTCDay() !== weekday) noon.setTime(noon.getTime() + DAY_MS);
	return noon;
}
const plusDays = (at: Date, days: number) => new Date(at.getTime() + days * DAY_MS);

describe('workingDaysBetween', () => {
	it('skips Saturdays and Sundays', () => {
		const friday = nextThaiNoon(5);
		expect(workingDaysBetween(friday, plusDays(friday, 1))).toBe(0);
		expect(workingDaysBetween(friday, plusDays(friday, 3))).toBe(1);
		expect(workingDaysBetween(friday, plusDays(friday, 7))).toBe(5);
		expect(workingDaysBetween(friday, plusDays(friday, 21))).toBe(15);
		expect(workingDaysBetween(friday, plusDays(friday, 24))).toBe(16);
	});

	it('counts whole Thai days: the same day is none, and late evening UTC is already tomorrow in Bangkok', () => {
		const monday = nextThaiNoon(1);
		expect(workingDaysBetween(monday, plusDays(monday, 0.4))).toBe(0);
		// 17:30 UTC on Monday is 00:30 on Tuesday in Bangkok.
		const lateMondayUtc = new Date(monday.getTime() + 12.5 * 60 * 60 * 1000);
		expect(workingDaysBetween(monday, lateMondayUtc)).toBe(1);
		expect(workingDaysBetween(plusDays(monday, 3), monday)).toBe(0);
	});

	it('agrees with a day-by-day count over long spans', () => {
		const start = nextThaiNoon(3);
		for (const days of [0, 1, 6, 13, 40, 365]) {
			let expected = 0;
			for (let d = 1; d <= days; d++) {
				const w = plusDays(start, d).getUTCDay();
				if (w !== 0 && w !== 6) expected++;
			}
			expect(workingDaysBetween(start, plusDays(start, days))).toBe(expected);
		}
	});
});

describe('median', () => {
	it('takes the middle figure, or the mean of the two middle ones', () => {
		expect(median([])).toBeNull();
		expect(median([7, 1, 3])).toBe(3);
		expect(median([4, 1, 2, 9])).toBe(3);
		expect(median([1, 2])).toBe(1.5);
	});
});
