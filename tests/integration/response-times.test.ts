// How quickly offices answer, in working days against the 15-day target, and the audit events no office sees:
// against a real database, with every date relative to today.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as schema from '$lib/server/db/schema';
import { nationalAuditPage, NATIONAL_AUDIT_PAGE_SIZE, reviewQueue } from '$lib/server/offices/queries';
import { responseTimes, responseTimesCsv } from '$lib/server/offices/response-times';
import { buildStartup, buildUser } from '../factories';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

const DAY_MS = 24 * 60 * 60 * 1000;
const PROVINCE = 'TH-57';

let database: TestDatabase;
beforeAll(async () => {
	database = await createTestDatabase();
	// Weekdays alone here: the seeded public holidays would move these counts on some dates (working-days.test.ts
	// counts them).
	await database.db.delete(schema.publicHolidays);
});
afterAll(async () => {
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

async function decided(submittedAt: Date, decidedAt: Date) {
	const startup = await buildStartup(database.db, { provinceCode: PROVINCE });
	await database.db.insert(schema.reviews).values({
		startupId: startup.id,
		marketScore: 4,
		innovationScore: 4,
		readinessScore: 4,
		complianceScore: 4,
		decision: 'approve',
		submittedAt,
		createdAt: decidedAt
	});
}

describe('response times', () => {
	it('counts working days, flags what waits past 15 of them, and takes the median over the last year', async () => {
		const { db } = database;
		const monday = mondayWeeksAgo(8);
		// 5, 10 and 20 working days; the last is late. One decided more than a year ago does not count.
		await decided(monday, plusDays(monday, 7));
		await decided(monday, plusDays(monday, 14));
		await decided(monday, plusDays(monday, 28));
		const longAgo = mondayWeeksAgo(70);
		await decided(longAgo, plusDays(longAgo, 42));
		const overdue = await buildStartup(db, {
			provinceCode: PROVINCE,
			status: 'submitted',
			submittedAt: mondayWeeksAgo(5)
		});
		const fresh = await buildStartup(db, {
			provinceCode: PROVINCE,
			status: 'submitted',
			submittedAt: new Date()
		});

		const queue = await reviewQueue(db, PROVINCE);
		expect(queue.map((row) => [row.id, row.overdue])).toEqual([
			[overdue.id, true],
			[fresh.id, false]
		]);
		expect(queue[0]!.workingDaysWaiting).toBeGreaterThanOrEqual(25);
		expect(queue[1]!.workingDaysWaiting).toBe(0);

		const [office] = await responseTimes(db, PROVINCE);
		expect(office).toMatchObject({
			provinceCode: PROVINCE,
			waiting: 2,
			overdue: 1,
			medianWorkingDays: 10,
			decisions: 3,
			decidedLate: 1
		});
		expect(office!.oldestWorkingDays).toBe(queue[0]!.workingDaysWaiting);

		// Every province on the admin page, the one with overdue work first; its CSV carries the same figures.
		const all = await responseTimes(db, null);
		expect(all).toHaveLength(77);
		expect(all[0]!.provinceCode).toBe(PROVINCE);
		expect(all.find((row) => row.provinceCode === 'TH-50')).toMatchObject({
			waiting: 0,
			medianWorkingDays: null
		});
		const csv = await responseTimesCsv(db);
		const lines = csv
			.replace(/^\uFEFF/, '')
			.trim()
			.split('\r\n');
		expect(lines[0]).toBe(
			'province_code,name_th,name_en,target_working_days,waiting,overdue,oldest_working_days,' +
				'median_working_days_12_months,decisions_12_months,decided_late_12_months'
		);
		expect(lines).toHaveLength(78);
		expect(lines[1]).toBe(`${PROVINCE},เชียงราย,Chiang Rai,15,2,1,${office!.oldestWorkingDays},10,3,1`);
	});
});

describe('the nationwide audit trail', () => {
	it('pages the events without a province, naming who acted and on what', async () => {
		const { db } = database;
		const admin = await buildUser(db, { role: 'admin', displayName: 'สมชาย ผู้ดูแล' });
		const member = await buildUser(db, { displayName: 'มานี ผู้ขาย' });
		const events = Array.from({ length: NATIONAL_AUDIT_PAGE_SIZE + 3 }, (_, i) => ({
			actorId: admin.id,
			actorLabel: admin.email,
			action: 'user.suspend',
			subjectType: 'user',
			subjectId: member.id,
			at: new Date(Date.now() - (i + 1) * 60_000)
		}));
		await db.insert(schema.auditEvents).values(events);
		// An office's event stays on its own trail.
		await db.insert(schema.auditEvents).values({
			actorLabel: admin.email,
			action: 'startup.approve',
			subjectType: 'startup',
			subjectId: member.id,
			provinceCode: 'TH-50'
		});
		// A subject since deleted has no name to show.
		await db.insert(schema.auditEvents).values({
			actorLabel: 'gone@example.org',
			action: 'api_token.revoke',
			subjectType: 'api_token',
			subjectId: '00000000-0000-4000-8000-000000000000',
			at: new Date(Date.now() + 1000)
		});

		const first = await nationalAuditPage(db, 1);
		expect(first.events).toHaveLength(NATIONAL_AUDIT_PAGE_SIZE);
		expect(first.events.every((e) => e.provinceCode === null)).toBe(true);
		expect(first.events[0]).toMatchObject({
			action: 'api_token.revoke',
			actorName: 'gone@example.org',
			subjectNameTh: null
		});
		expect(first.events[1]).toMatchObject({
			action: 'user.suspend',
			actorName: `สมชาย ผู้ดูแล (${admin.email})`,
			subjectNameTh: 'มานี ผู้ขาย',
			subjectNameEn: 'มานี ผู้ขาย'
		});
		const second = await nationalAuditPage(db, 2);
		expect(first.total).toBe(second.total);
		expect(second.events.length).toBe(first.total - NATIONAL_AUDIT_PAGE_SIZE);
		const seen = new Set([...first.events, ...second.events].map((e) => e.id));
		expect(seen.size).toBe(first.total);
	});
});
