// How quickly the offices answer applications, in working days against their target: what waits now, what waits
// past the target, and the median time from submission to decision over the last year.
import { and, asc, eq, gte, isNotNull } from 'drizzle-orm';
import { toCsv } from '../csv';
import type { Queryable } from '../db';
import { provinces, reviews, startups } from '../db/schema';
import { FIRST_DECISION_TARGET_WORKING_DAYS, median, thaiDate, workingDaysBetween } from '$lib/working-days';
import { holidaysBetween } from '../holidays/service';

/** Decisions older than this leave the median, so an office that has caught up sees it. */
const MEDIAN_WINDOW_DAYS = 365;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface OfficeResponseTimes {
	provinceCode: string;
	nameTh: string;
	nameEn: string;
	/** Applications waiting for a decision now. */
	waiting: number;
	/** Of those, the ones past the target. */
	overdue: number;
	/** The longest wait now, in working days (0 when nothing waits). */
	oldestWorkingDays: number;
	/** Median working days from submission to decision over the window; null without decisions. */
	medianWorkingDays: number | null;
	/** Decisions in the window, so a median of two is read as such. */
	decisions: number;
	/** Of those, the ones taken after the target. */
	decidedLate: number;
}

/** Whether an application that has waited this many working days is past the office's target. */
export const isOverdue = (workingDays: number) => workingDays > FIRST_DECISION_TARGET_WORKING_DAYS;

/** Every province's figures (null), or one province's, ordered by most overdue, then longest queue. */
export async function responseTimes(
	db: Queryable,
	provinceCode: string | null,
	now = new Date()
): Promise<OfficeResponseTimes[]> {
	const inProvince = (column: typeof provinces.code | typeof startups.provinceCode) =>
		provinceCode ? eq(column, provinceCode) : undefined;
	const [places, waiting, decided] = await Promise.all([
		db
			.select({ code: provinces.code, nameTh: provinces.nameTh, nameEn: provinces.nameEn })
			.from(provinces)
			.where(inProvince(provinces.code))
			.orderBy(asc(provinces.nameTh)),
		db
			.select({ provinceCode: startups.provinceCode, submittedAt: startups.submittedAt })
			.from(startups)
			.where(and(eq(startups.status, 'submitted'), inProvince(startups.provinceCode))),
		db
			.select({
				provinceCode: startups.provinceCode,
				submittedAt: reviews.submittedAt,
				decidedAt: reviews.createdAt
			})
			.from(reviews)
			.innerJoin(startups, eq(startups.id, reviews.startupId))
			.where(
				and(
					isNotNull(reviews.submittedAt),
					gte(reviews.createdAt, new Date(now.getTime() - MEDIAN_WINDOW_DAYS * DAY_MS)),
					inProvince(startups.provinceCode)
				)
			)
	]);
	// Every holiday that can fall in a wait or a decision measured here: from the earliest start to now.
	const starts = [...waiting.map((row) => row.submittedAt), ...decided.map((row) => row.submittedAt)]
		.filter((at): at is Date => at !== null)
		.map((at) => at.getTime());
	const holidays =
		starts.length > 0
			? await holidaysBetween(db, thaiDate(new Date(Math.min(...starts))), thaiDate(now))
			: new Set<string>();
	const waits = new Map<string, number[]>();
	for (const row of waiting) {
		const list = waits.get(row.provinceCode) ?? [];
		list.push(row.submittedAt ? workingDaysBetween(row.submittedAt, now, holidays) : 0);
		waits.set(row.provinceCode, list);
	}
	const took = new Map<string, number[]>();
	for (const row of decided) {
		const list = took.get(row.provinceCode) ?? [];
		list.push(workingDaysBetween(row.submittedAt!, row.decidedAt, holidays));
		took.set(row.provinceCode, list);
	}
	return places
		.map((place) => {
			const current = waits.get(place.code) ?? [];
			const past = took.get(place.code) ?? [];
			return {
				provinceCode: place.code,
				nameTh: place.nameTh,
				nameEn: place.nameEn,
				waiting: current.length,
				overdue: current.filter(isOverdue).length,
				oldestWorkingDays: Math.max(0, ...current),
				medianWorkingDays: median(past),
				decisions: past.length,
				decidedLate: past.filter(isOverdue).length
			};
		})
		.sort((a, b) => b.overdue - a.overdue || b.waiting - a.waiting);
}

/** Every office's figures as a CSV file (machine headers, as the other staff downloads). */
export async function responseTimesCsv(db: Queryable, now = new Date()): Promise<string> {
	const rows = await responseTimes(db, null, now);
	return toCsv(
		[
			'province_code',
			'name_th',
			'name_en',
			'target_working_days',
			'waiting',
			'overdue',
			'oldest_working_days',
			'median_working_days_12_months',
			'decisions_12_months',
			'decided_late_12_months'
		],
		rows.map((row) => [
			row.provinceCode,
			row.nameTh,
			row.nameEn,
			FIRST_DECISION_TARGET_WORKING_DAYS,
			row.waiting,
			row.overdue,
			row.oldestWorkingDays,
			row.medianWorkingDays,
			row.decisions,
			row.decidedLate
		])
	);
}
