// Working days on Thailand's calendar, the unit of an office's response targets. Saturdays, Sundays and the public
// holidays the administrators keep (server/holidays, passed in by the caller) are off.
import { THAILAND_OFFSET_MS } from '$lib/schemas/calendar-date';

/** The office's target: a first decision on an application within this many working days of its submission. */
export const FIRST_DECISION_TARGET_WORKING_DAYS = 15;

const DAY_MS = 24 * 60 * 60 * 1000;

/** Days since 1970-01-01 of the date it is in Thailand at that instant. */
const thaiDay = (at: Date) => Math.floor((at.getTime() + THAILAND_OFFSET_MS) / DAY_MS);

/** 1970-01-01 was a Thursday: day 0 is weekday 4 (Sunday = 0). */
const weekday = (day: number) => (((day + 4) % 7) + 7) % 7;

/** The Thai date (YYYY-MM-DD) of a day number. */
const isoDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** The Thai date (YYYY-MM-DD) at an instant. */
export const thaiDate = (at: Date) => isoDay(thaiDay(at));

/**
 * Working days that have ended between two instants: the Thai dates after `from`'s up to and including `to`'s that
 * fall Monday to Friday and are not in `holidays` (YYYY-MM-DD). Submitted on a Friday, decided the next Monday: 1
 * (0 when that Monday is a holiday). Decided the same day: 0.
 */
export function workingDaysBetween(from: Date, to: Date, holidays: ReadonlySet<string> = new Set()): number {
	const first = thaiDay(from) + 1;
	const last = thaiDay(to);
	if (last < first) return 0;
	const span = last - first + 1;
	let count = Math.floor(span / 7) * 5;
	for (let day = first + Math.floor(span / 7) * 7; day <= last; day++) {
		const w = weekday(day);
		if (w !== 0 && w !== 6) count++;
	}
	// Each holiday in the span that falls on a weekday is one working day fewer (a weekend one changes nothing:
	// its substitute day is a holiday of its own).
	const [start, end] = [isoDay(first), isoDay(last)];
	for (const holiday of holidays) {
		if (holiday < start || holiday > end) continue;
		const w = weekday(Math.round(Date.parse(`${holiday}T00:00:00Z`) / DAY_MS));
		if (w !== 0 && w !== 6) count--;
	}
	return count;
}

/** The median of a list of figures, to one decimal; null for an empty list. */
export function median(values: number[]): number | null {
	if (values.length === 0) return null;
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	const value = sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
	return Math.round(value * 10) / 10;
}
