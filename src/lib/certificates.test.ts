import { describe, expect, it } from 'vitest';
import { addDays, dayOfEpoch, epochDay, isValidOn, validCertifications } from './certificates';
import { todayInThailand } from './schemas/calendar-date';

const today = todayInThailand();

describe('a certificate on a day', () => {
	it('counts up to and including its expiry date, and not the day after', () => {
		expect(isValidOn(today, today)).toBe(true);
		expect(isValidOn(addDays(today, 1), today)).toBe(true);
		expect(isValidOn(addDays(today, -1), today)).toBe(false);
		expect(isValidOn(today, addDays(today, 1))).toBe(false);
	});

	it('always counts without an expiry date', () => {
		expect(isValidOn(null, today)).toBe(true);
		expect(isValidOn(undefined, addDays(today, 3650))).toBe(true);
		expect(isValidOn('', today)).toBe(true);
	});

	it('keeps only the certificates valid on the day', () => {
		const expiry = { gmp: addDays(today, -1), halal: today };
		expect(validCertifications(['gmp', 'halal', 'organic-thailand'], expiry, today)).toEqual([
			'halal',
			'organic-thailand'
		]);
		expect(validCertifications(['gmp', 'halal'], expiry, addDays(today, 1))).toEqual([]);
	});

	it('numbers days so the index compares them as the calendar does, across months and leap days', () => {
		expect(epochDay('1970-01-02')).toBe(1);
		expect(epochDay(addDays(today, 1)) - epochDay(today)).toBe(1);
		expect(dayOfEpoch(epochDay(today))).toBe(today);
		const year = Number(today.slice(0, 4));
		const leap = [0, 1, 2, 3]
			.map((n) => year + n)
			.find((y) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0)!;
		expect(addDays(`${leap}-02-28`, 1)).toBe(`${leap}-02-29`);
		expect(addDays(`${leap}-02-29`, 1)).toBe(`${leap}-03-01`);
	});
});
