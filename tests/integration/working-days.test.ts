// Working days skip Thailand's public holidays as the administrators keep them in the database (issue 20 item 5):
// the arithmetic, the office's queue and the response-time figures, the administrators' page (validated, localized
// errors, audited) and the seed (loads the official list once, leaves the administrators' changes alone). Every
// date is relative to today.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setRuntime } from '$lib/server/context';
import * as schema from '$lib/server/db/schema';
import { addHoliday, holidaysBetween, listHolidays, removeHoliday } from '$lib/server/holidays/service';
import { auditSubjectNames, reviewQueue } from '$lib/server/offices/queries';
import { responseTimes } from '$lib/server/offices/response-times';
import { publicHolidayData } from '$lib/server/reference';
import { seedReferenceData } from '$lib/server/reference/seed';
import type { Runtime } from '$lib/server/runtime';
import { thaiDate, workingDaysBetween } from '$lib/working-days';
import { errorText } from '$lib/form-errors';
import { buildStartup, buildUser } from '../factories';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { routeEvent, routeModule, settle, signedInLocals } from '../helpers/route-event';

const DAY_MS = 24 * 60 * 60 * 1000;
const PROVINCE = 'TH-58';
const PAGE = '(app)/admin/holidays/+page.server.ts';

let database: TestDatabase;
let admin: typeof schema.users.$inferSelect;

beforeAll(async () => {
	database = await createTestDatabase();
	setRuntime({ db: database.db, database } as unknown as Runtime);
	// Start from an empty list: the holidays each test needs are added relative to today.
	await database.db.delete(schema.publicHolidays);
	admin = await buildUser(database.db, { role: 'admin' });
});
afterAll(async () => {
	setRuntime(undefined);
	await database?.dispose();
});

/** Noon in Bangkok on the Monday `weeks` whole weeks before this week's. */
function mondayWeeksAgo(weeks: number): Date {
	const noon = new Date();
	noon.setUTCHours(5, 0, 0, 0);
	while (noon.getUTCDay() !== 1) noon.setTime(noon.getTime() - DAY_MS);
	return new Date(noon.getTime() - weeks * 7 * DAY_MS);
}
const plusDays = (at: Date, days: number) => new Date(at.getTime() + days * DAY_MS);
const actor = () => ({ id: admin.id, email: admin.email });

async function call(userId: string, action: 'add' | 'remove' | null, body: Record<string, string> = {}) {
	const module = await routeModule(PAGE);
	const event = routeEvent({
		locals: await signedInLocals(database.db, userId),
		method: action ? 'POST' : 'GET',
		body
	});
	if (action)
		return settle(() => (module.actions as Record<string, (e: unknown) => unknown>)[action]!(event));
	return settle(() => (module.load as (e: unknown) => unknown)(event));
}

describe('working days with public holidays from the database', () => {
	it('skips a weekday holiday, and counts it again once removed', async () => {
		const monday = mondayWeeksAgo(3);
		const wednesday = thaiDate(plusDays(monday, 2));
		const saturday = thaiDate(plusDays(monday, 5));
		await addHoliday(database.db, actor(), { day: wednesday, nameTh: 'วันทดสอบ', nameEn: 'Test Day' });
		// A holiday on a Saturday changes nothing: the weekend is off already.
		await addHoliday(database.db, actor(), { day: saturday, nameTh: 'วันเสาร์', nameEn: 'A Saturday' });
		const from = thaiDate(monday);
		const holidays = await holidaysBetween(database.db, from, thaiDate(plusDays(monday, 7)));
		expect([...holidays].sort()).toEqual([wednesday, saturday]);
		// Monday to the next Monday: five weekdays, one a holiday.
		expect(workingDaysBetween(monday, plusDays(monday, 7))).toBe(5);
		expect(workingDaysBetween(monday, plusDays(monday, 7), holidays)).toBe(4);
		// Ending on the holiday itself, or on the day before it.
		expect(workingDaysBetween(monday, plusDays(monday, 2), holidays)).toBe(1);
		expect(workingDaysBetween(monday, plusDays(monday, 1), holidays)).toBe(1);

		await removeHoliday(database.db, actor(), wednesday);
		const after = await holidaysBetween(database.db, from, thaiDate(plusDays(monday, 7)));
		expect(workingDaysBetween(monday, plusDays(monday, 7), after)).toBe(5);
		await removeHoliday(database.db, actor(), saturday);
		const audit = await database.db
			.select({ action: schema.auditEvents.action, subject: schema.auditEvents.subjectId })
			.from(schema.auditEvents)
			.where(eq(schema.auditEvents.subjectType, 'holiday'))
			.orderBy(schema.auditEvents.id);
		expect(audit).toEqual([
			{ action: 'holiday.add', subject: wednesday },
			{ action: 'holiday.add', subject: saturday },
			{ action: 'holiday.remove', subject: wednesday },
			{ action: 'holiday.remove', subject: saturday }
		]);
		// The audit trail names the holiday, removed or not.
		const names = await auditSubjectNames(
			database.db,
			audit.map((a) => ({ subjectType: 'holiday', subjectId: a.subject }))
		);
		expect(names[`holiday:${wednesday}`]).toEqual({ th: 'วันทดสอบ', en: 'Test Day' });
	});

	it('moves the office queue and the response times by the holidays in their spans', async () => {
		const { db } = database;
		const submitted = mondayWeeksAgo(4);
		const waiting = await buildStartup(db, {
			provinceCode: PROVINCE,
			status: 'submitted',
			submittedAt: submitted
		});
		// Decided after ten calendar days: 8 weekdays (Tuesday to the next Thursday is after Monday 4 weeks ago).
		const decidedStartup = await buildStartup(db, { provinceCode: PROVINCE });
		await db.insert(schema.reviews).values({
			startupId: decidedStartup.id,
			marketScore: 4,
			innovationScore: 4,
			readinessScore: 4,
			complianceScore: 4,
			decision: 'approve',
			submittedAt: submitted,
			createdAt: plusDays(submitted, 10)
		});
		const now = new Date();
		const before = (await reviewQueue(db, PROVINCE, now)).find((row) => row.id === waiting.id)!;
		const [figuresBefore] = await responseTimes(db, PROVINCE, now);
		expect(figuresBefore!.medianWorkingDays).toBe(8);

		// Two weekday holidays inside the decision's span (also inside the wait).
		for (const offset of [1, 8])
			await addHoliday(db, actor(), {
				day: thaiDate(plusDays(submitted, offset)),
				nameTh: `หยุด ${offset}`,
				nameEn: `Holiday ${offset}`
			});
		const after = (await reviewQueue(db, PROVINCE, now)).find((row) => row.id === waiting.id)!;
		expect(after.workingDaysWaiting).toBe(before.workingDaysWaiting - 2);
		const [figuresAfter] = await responseTimes(db, PROVINCE, now);
		expect(figuresAfter!.medianWorkingDays).toBe(6);
		expect(figuresAfter!.oldestWorkingDays).toBe(figuresBefore!.oldestWorkingDays - 2);
	});
});

describe('the administrators’ holiday page', () => {
	it('adds a holiday, refuses bad input with localized errors changing nothing, and removes it', async () => {
		const day = thaiDate(plusDays(new Date(), 40));
		const count = async () => (await listHolidays(database.db)).length;
		const start = await count();

		const empty = await call(admin.id, 'add', { day: '', nameTh: '', nameEn: '' });
		expect(empty).toMatchObject({ kind: 'failure', status: 400 });
		const errors = (empty as { data: { errors: Record<string, string> } }).data.errors;
		expect(Object.keys(errors).sort()).toEqual(['day', 'nameEn', 'nameTh']);
		// Every code has its sentence in the catalogue, not the generic fallback.
		for (const code of Object.values(errors)) expect(errorText(code)).not.toBe(errorText('invalid_value'));
		const buddhist = await call(admin.id, 'add', {
			day: `${Number(day.slice(0, 4)) + 543}${day.slice(4)}`,
			nameTh: 'วันหยุดพิเศษ',
			nameEn: 'Special holiday'
		});
		expect(buddhist).toMatchObject({
			kind: 'failure',
			data: { errors: { day: 'date_buddhist_era' }, values: { nameTh: 'วันหยุดพิเศษ' } }
		});
		expect(await count()).toBe(start);

		const added = await call(admin.id, 'add', { day, nameTh: 'วันหยุดพิเศษ', nameEn: 'Special holiday' });
		expect(added).toMatchObject({ kind: 'data', value: { added: day } });
		expect(await count()).toBe(start + 1);
		const again = await call(admin.id, 'add', { day, nameTh: 'ซ้ำ', nameEn: 'Again' });
		expect(again).toMatchObject({
			kind: 'failure',
			status: 409,
			data: { errors: { day: 'holiday_exists' } }
		});
		expect(errorText('holiday_exists')).not.toBe(errorText('invalid_value'));

		const page = await call(admin.id, null);
		expect(page.kind).toBe('data');
		expect((page as { value: { holidays: { day: string }[] } }).value.holidays.map((h) => h.day)).toContain(
			day
		);

		// Nobody but an administrator reads or changes the list.
		const officer = await buildUser(database.db, { role: 'officer', provinceCode: PROVINCE });
		expect((await call(officer.id, 'remove', { day })).kind).toBe('http');
		expect(await count()).toBe(start + 1);

		expect(await call(admin.id, 'remove', { day })).toMatchObject({ kind: 'data', value: { removed: day } });
		expect(await call(admin.id, 'remove', { day })).toMatchObject({ kind: 'failure', status: 404 });
		expect(await count()).toBe(start);
	});
});

describe('the seed', () => {
	it('loads the official list once and leaves the administrators’ changes alone', async () => {
		const { db } = database;
		await seedReferenceData(db);
		const loaded = await listHolidays(db);
		expect(loaded.length).toBeGreaterThanOrEqual(publicHolidayData.length);
		const first = publicHolidayData[0]!;
		await removeHoliday(db, actor(), first.date);
		await seedReferenceData(db);
		const again = await listHolidays(db);
		expect(again.map((h) => h.day)).not.toContain(first.date);
		expect(again).toHaveLength(loaded.length - 1);
		const [kept] = await db
			.select()
			.from(schema.publicHolidays)
			.where(and(eq(schema.publicHolidays.day, first.date)));
		expect(kept!.removedAt).not.toBeNull();
	});
});
