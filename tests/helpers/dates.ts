// Dates for tests, computed from the day the test runs in Thailand, so that no test breaks when the calendar
// moves on. Plain module (a relative import, no $lib) so the browser walks can use it as well as vitest.
import { todayInThailand, yearInThailand } from '../../src/lib/schemas/calendar-date';

/** A day `days` after today in Thailand (negative: before), as forms post it: test dates move with the calendar. */
export function daysFromToday(days: number): string {
	const today = new Date(`${todayInThailand()}T00:00:00Z`);
	return new Date(today.getTime() + days * 86_400_000).toISOString().slice(0, 10);
}

/** This year in Thailand: the year the office page offers first for a province's selection. */
export { yearInThailand };
