// A day as forms, the API and the import take it (YYYY-MM-DD): one the calendar has (no 30 February, no month 13),
// in a year PostgreSQL's date type keeps as written. A regex alone lets 2099-02-30 through to a failed write (500).
import { z } from 'zod';

export const calendarDate = (error?: string) =>
	z.iso
		.date(error ? { error } : undefined)
		.refine((value) => value >= '1900-01-01', error ? { error } : undefined);

/** Thailand keeps UTC+7 all year (no daylight saving since 1920). */
export const THAILAND_OFFSET_MS = 7 * 60 * 60 * 1000;

/**
 * Today's date in Thailand, as YYYY-MM-DD: "needed by" is a Thai calendar date. Plain arithmetic, because the
 * referral check calls it once per demand: building an Intl.DateTimeFormat each time took 96 s of the portal's
 * CPU during a 20-second load run on 100,000 demands.
 */
export function todayInThailand(now = new Date()): string {
	return new Date(now.getTime() + THAILAND_OFFSET_MS).toISOString().slice(0, 10);
}

/**
 * The year it is in Thailand: the office's "current year" (a province's selection year) turns at midnight in
 * Bangkok, seven hours before the server's UTC clock does.
 */
export function yearInThailand(now = new Date()): number {
	return Number(todayInThailand(now).slice(0, 4));
}

/** The Buddhist era counts 543 years ahead of the Common era: 2570 BE is 2027 CE. */
export const BUDDHIST_ERA_OFFSET = 543;

/** How far from today a date people type for their business may lie: a demand's needed-by, a certificate's expiry. */
export const DATE_RANGE_YEARS = 10;

function shiftYears(day: string, years: number): string {
	const year = Number(day.slice(0, 4)) + years;
	return `${String(year).padStart(4, '0')}${day.slice(4)}`;
}

/**
 * What is wrong with a typed date beyond its form, or undefined: `date_buddhist_era` for a Buddhist-era year typed
 * into a date field (it would otherwise be stored 543 years late; refused, with a message saying to type the
 * Common-era year, rather than converted, because a date the person did not see is not one to store), and
 * `date_out_of_range` for one more than DATE_RANGE_YEARS years before or after today. A value that is not a date
 * at all is left to `calendarDate`.
 */
export function dateRangeProblem(value: string, now = new Date()): string | undefined {
	if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
	const today = todayInThailand(now);
	const earliest = shiftYears(today, -DATE_RANGE_YEARS);
	const latest = shiftYears(today, DATE_RANGE_YEARS);
	if (value >= earliest && value <= latest) return undefined;
	const common = shiftYears(value, -BUDDHIST_ERA_OFFSET);
	if (value > latest && common >= earliest && common <= latest) return 'date_buddhist_era';
	return 'date_out_of_range';
}

/** `calendarDate` within DATE_RANGE_YEARS of today (see dateRangeProblem). */
export const nearDate = (error: string) =>
	calendarDate(error).superRefine((value, ctx) => {
		const problem = dateRangeProblem(value);
		if (problem) ctx.addIssue({ code: 'custom', message: problem });
	});
