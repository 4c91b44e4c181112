// Reports reach the office and are settled (issue 20 item 3): officers are told and counted; a report card names
// what was reported and who posted it; a baseless report is dismissed on the record; hiding a demand settles the
// reports on it and on its offers, and tells its buyer why; a reported offer is withdrawn by the office; a startup
// profile is reported to its own province's office and settled by its suspension.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as schema from '$lib/server/db/schema';
import { openReportCount, openReports } from '$lib/server/demands/queries';
import { dismissReport, hideDemand } from '$lib/server/demands/service';
import { decideStanding } from '$lib/server/curation/standing';
import { reportSubject, withdrawReportedOffer } from '$lib/server/offers/service';
import { startWorld, type RunningWorld } from '../helpers/world';
import type { NotificationKind } from '$lib/notifications';

const origin = 'http://portal.test';
let running: RunningWorld;
beforeAll(async () => {
	running = await startWorld({ search: false });
}, 120_000);
afterAll(async () => {
	await running?.stop();
});

describe('reports', () => {
	it('tells the officers, counts it, and shows what was reported and who posted it', async () => {
		const { db } = running.database;
		const { users, ids } = running.world;
		const before = await openReportCount(db, 'TH-50');
		await reportSubject(db, users.buyer, { type: 'offer', id: ids.offer }, 'ราคาไม่จริง', origin);
		expect(await openReportCount(db, 'TH-50')).toBe(before + 1);
		const told = await db
			.select()
			.from(schema.notifications)
			.where(
				and(
					eq(schema.notifications.userId, users.officer.id),
					eq(schema.notifications.kind, 'report_received')
				)
			);
		expect(told.map((n) => n.payload)).toContainEqual(expect.objectContaining({ reason: 'ราคาไม่จริง' }));
		const cards = await openReports(db, 'TH-50');
		const onOffer = cards.find((c) => c.report.subjectId === ids.offer)!;
		// The offer's card: its demand's title, the startup that made the offer, the reporter's reason.
		expect(onOffer).toMatchObject({
			demandId: ids.demand,
			titleTh: 'ข้าวสำหรับโรงแรม',
			postedBy: 'ข้าวหอมมะลิทุ่งกุลา'
		});
		// The offer's card names the startup that made it, for the verified badge beside its name.
		expect(onOffer.startupId).toEqual(expect.any(String));
		expect(onOffer.report.reason).toBe('ราคาไม่จริง');
		const onDemand = cards.find((c) => c.report.subjectId === ids.demand)!;
		expect(onDemand).toMatchObject({ titleTh: 'ข้าวสำหรับโรงแรม', postedBy: 'Fuzz Buyer' });
	});

	it('dismisses a baseless report on the record; another province cannot, and twice is refused', async () => {
		const { db } = running.database;
		const { users, ids } = running.world;
		const [report] = await db.select().from(schema.reports).where(eq(schema.reports.id, ids.report));
		await expect(dismissReport(db, users.officer, 'TH-10', report!.id, null)).rejects.toMatchObject({
			status: 404
		});
		await dismissReport(db, users.officer, 'TH-50', report!.id, 'ประกาศจริง ตรวจแล้ว');
		const [after] = await db.select().from(schema.reports).where(eq(schema.reports.id, ids.report));
		expect(after).toMatchObject({ status: 'dismissed', resolvedBy: users.officer.id });
		const [event] = await db
			.select()
			.from(schema.auditEvents)
			.where(
				and(eq(schema.auditEvents.subjectId, ids.demand), eq(schema.auditEvents.action, 'report.dismiss'))
			);
		expect(event!.after).toMatchObject({ status: 'dismissed', note: 'ประกาศจริง ตรวจแล้ว' });
		await expect(dismissReport(db, users.officer, 'TH-50', report!.id, null)).rejects.toMatchObject({
			code: 'report_closed'
		});
		expect((await openReports(db, 'TH-50')).map((c) => c.report.id)).not.toContain(ids.report);
	});

	it('hiding a demand settles the reports on its offers and tells the buyer why', async () => {
		const { db } = running.database;
		const { users, ids } = running.world;
		await hideDemand(db, users.officer, ids.demand, 'ข้อมูลไม่ถูกต้อง', origin);
		const onOffer = await db.select().from(schema.reports).where(eq(schema.reports.subjectId, ids.offer));
		expect(onOffer.map((r) => r.status)).toEqual(['resolved']);
		const [told] = await db
			.select()
			.from(schema.notifications)
			.where(
				and(eq(schema.notifications.userId, users.buyer.id), eq(schema.notifications.kind, 'demand_hidden'))
			);
		expect(told!.payload).toMatchObject({ reason: 'ข้อมูลไม่ถูกต้อง', link: `/buyer/demands/${ids.demand}` });
	});

	it('withdraws a reported offer: the startup and the buyer are told why, and its reports are settled', async () => {
		const { db } = running.database;
		const { users, ids } = running.world;
		await reportSubject(db, users.otherBuyer, { type: 'offer', id: ids.otherOffer }, 'ราคาหลอก', origin);
		const card = (await openReports(db, 'TH-50')).find((c) => c.report.subjectId === ids.otherOffer)!;
		expect(card).toMatchObject({ offerStatus: 'pending', link: `/demand/${ids.otherDemand}` });
		await expect(
			withdrawReportedOffer(db, users.officer, 'TH-52', card.report.id, 'ไม่ซื่อตรง', origin)
		).rejects.toMatchObject({ status: 404 });
		await withdrawReportedOffer(db, users.officer, 'TH-50', card.report.id, 'ราคาไม่ตรงกับสินค้า', origin);
		const [offer] = await db.select().from(schema.offers).where(eq(schema.offers.id, ids.otherOffer));
		expect(offer!.status).toBe('withdrawn');
		const [report] = await db.select().from(schema.reports).where(eq(schema.reports.id, card.report.id));
		expect(report).toMatchObject({ status: 'resolved', resolvedBy: users.officer.id });
		const toldOf = async (userId: string, kind: NotificationKind) =>
			db
				.select({ payload: schema.notifications.payload })
				.from(schema.notifications)
				.where(and(eq(schema.notifications.userId, userId), eq(schema.notifications.kind, kind)));
		expect(await toldOf(users.otherStartup.id, 'offer_withdrawn_by_office')).toEqual([
			{ payload: expect.objectContaining({ reason: 'ราคาไม่ตรงกับสินค้า' }) as unknown }
		]);
		expect(await toldOf(users.otherBuyer.id, 'offer_withdrawn_reported')).toHaveLength(1);
		const events = await db
			.select()
			.from(schema.auditEvents)
			.where(eq(schema.auditEvents.action, 'offer.withdraw_reported'));
		expect(events.map((e) => e.subjectId)).toEqual([ids.otherOffer]);
		// A second report on an offer no longer pending cannot withdraw it again: it is dismissed or the startup's
		// standing decided.
		await reportSubject(db, users.otherBuyer, { type: 'offer', id: ids.otherOffer }, 'อีกครั้ง', origin);
		const again = (await openReports(db, 'TH-50')).find((c) => c.report.subjectId === ids.otherOffer)!;
		expect(again.offerStatus).toBe('withdrawn');
		await expect(
			withdrawReportedOffer(db, users.officer, 'TH-50', again.report.id, 'ซ้ำ', origin)
		).rejects.toMatchObject({ code: 'offer_not_pending', status: 409 });
	});

	it('takes a report on a startup profile to its province, names it on the card, and settles it by suspension', async () => {
		const { db } = running.database;
		const { users, ids } = running.world;
		const before = await openReportCount(db, 'TH-50');
		await reportSubject(db, users.buyer, { type: 'startup', id: ids.otherStartup }, 'โปรไฟล์ปลอม', origin);
		expect(await openReportCount(db, 'TH-50')).toBe(before + 1);
		// Only a public startup can be reported; another id reads as missing.
		await expect(
			reportSubject(db, users.buyer, { type: 'startup', id: ids.demand }, 'x', origin)
		).rejects.toMatchObject({ status: 404 });
		const [startup] = await db.select().from(schema.startups).where(eq(schema.startups.id, ids.otherStartup));
		const card = (await openReports(db, 'TH-50')).find((c) => c.report.subjectType === 'startup')!;
		expect(card).toMatchObject({
			titleTh: startup!.nameTh,
			link: `/startups/${startup!.slug}`,
			postedBy: 'Other Startup',
			standingStartupId: ids.otherStartup,
			// The startup the moderation page looks up for its verified badge.
			startupId: ids.otherStartup
		});
		expect(card.report.reason).toBe('โปรไฟล์ปลอม');
		await decideStanding(
			db,
			users.officer,
			'TH-50',
			ids.otherStartup,
			{ startupId: ids.otherStartup, decision: 'suspend', reason: 'ตรวจแล้วพบว่าปลอม' },
			origin
		);
		const [after] = await db.select().from(schema.reports).where(eq(schema.reports.id, card.report.id));
		expect(after!.status).toBe('resolved');
		// A suspended startup is no longer public: it cannot be reported again.
		await expect(
			reportSubject(db, users.buyer, { type: 'startup', id: ids.otherStartup }, 'อีก', origin)
		).rejects.toMatchObject({ status: 404 });
	});
});
