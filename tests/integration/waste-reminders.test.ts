// The by-product exchange's reminders and availability end date (issue 23) on a real database, with dates counted
// from today: a lot's owner is told a week before its last day (once per end date, again for a new one), a want's
// owner when nobody proposed anything in 30 days (once), both sides of an agreement when a checklist step stays to
// do for a week (once a week per step); a lot past its last day is no longer matched or proposed.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as schema from '$lib/server/db/schema';
import { wantMatches, proposeAgreement, updateLot, type WasteActor } from '$lib/server/waste/service';
import {
	LOT_ENDING_DAYS,
	remindEndingLots,
	remindIdleWants,
	remindPendingSteps,
	STEP_PENDING_DAYS,
	WANT_IDLE_DAYS
} from '$lib/server/waste/reminders';
import { formatDate } from '$lib/format';
import { wasteLotSchema } from '$lib/schemas/waste';
import { todayInThailand } from '$lib/schemas/calendar-date';
import { setRuntime } from '$lib/server/context';
import type { Runtime } from '$lib/server/runtime';
import { load as homeLoad } from '../../src/routes/(public)/+page.server';
import { buildOrganisation, buildUser } from '../factories';
import { daysFromToday } from '../helpers/dates';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

let database: TestDatabase;
let counter = 0;
const ORIGIN = 'https://portal.test';

beforeAll(async () => {
	database = await createTestDatabase();
	setRuntime({ db: database.db, database, search: { client: null } } as unknown as Runtime);
});
afterAll(async () => {
	setRuntime(undefined);
	await database?.dispose();
});

async function member(provinceCode: string, locale: 'th' | 'en' = 'th'): Promise<WasteActor> {
	const n = ++counter;
	const organisation = await buildOrganisation(database.db, {
		kind: 'buyer',
		provinceCode,
		name: `Factory ${n}`
	});
	const user = await buildUser(database.db, {
		role: 'buyer',
		organisationId: organisation.id,
		email: `remind-${n}@factory.test`,
		locale
	});
	return { id: user.id, email: user.email, organisationId: organisation.id };
}

async function lot(owner: WasteActor, availableUntil: string | null) {
	const [row] = await database.db
		.insert(schema.wasteLots)
		.values({
			organisationId: owner.organisationId!,
			provinceCode: 'TH-70',
			nameTh: 'เปลือกผลไม้',
			nameEn: 'Fruit peel',
			wasteCode: '020304',
			hazardous: false,
			quantityPerMonth: 20,
			unit: 'tonne',
			handling: 'landfill',
			status: 'approved',
			approvedAt: new Date(),
			availableUntil
		})
		.returning();
	return row!;
}

async function want(owner: WasteActor, ageDays: number) {
	const [row] = await database.db
		.insert(schema.materialWants)
		.values({
			organisationId: owner.organisationId!,
			provinceCode: 'TH-76',
			nameTh: 'เศษพืชสำหรับปุ๋ยหมัก',
			wasteCodes: ['020304'],
			quantityPerMonth: 30,
			unit: 'tonne',
			maxDistanceKm: 150,
			createdAt: new Date(Date.now() - ageDays * 86_400_000)
		})
		.returning();
	return row!;
}

const notificationsOf = (userId: string) =>
	database.db.select().from(schema.notifications).where(eq(schema.notifications.userId, userId));
const mailTo = (email: string) =>
	database.db.select().from(schema.emailOutbox).where(eq(schema.emailOutbox.toAddress, email));

describe('a lot’s last day on offer', () => {
	it('reminds the owner in-app and by email, in Thai with the Buddhist-era date, once per end date', async () => {
		const owner = await member('TH-70');
		const soon = await lot(owner, daysFromToday(3));
		const later = await member('TH-70');
		await lot(later, daysFromToday(LOT_ENDING_DAYS + 10));
		await lot(later, null);

		expect(await remindEndingLots(database.db, ORIGIN)).toBeGreaterThanOrEqual(1);
		const [note] = await notificationsOf(owner.id);
		expect(note).toMatchObject({ kind: 'waste_lot_ending', payload: { link: `/waste/lots/${soon.id}` } });
		const [mail] = await mailTo(owner.email);
		const thaiDate = formatDate(daysFromToday(3), 'th');
		expect(thaiDate).toMatch(/25\d\d/);
		expect(mail!.bodyText).toContain(thaiDate);
		expect(mail!.bodyText).toContain('เปลือกผลไม้');
		expect(mail!.bodyText).toContain(`${ORIGIN}/waste/lots/${soon.id}`);
		expect(await notificationsOf(later.id)).toEqual([]);

		// Once: the next round sends nothing more.
		await remindEndingLots(database.db, ORIGIN);
		expect(await notificationsOf(owner.id)).toHaveLength(1);

		// A new end date is a new event.
		await database.db
			.update(schema.wasteLots)
			.set({ availableUntil: daysFromToday(5) })
			.where(eq(schema.wasteLots.id, soon.id));
		await remindEndingLots(database.db, ORIGIN);
		expect(await notificationsOf(owner.id)).toHaveLength(2);
	});

	it('takes a lot off the exchange after its last day: not matched, not proposed', async () => {
		const sender = await member('TH-70');
		const receiver = await member('TH-76');
		const ended = await lot(sender, daysFromToday(-1));
		const open = await lot(sender, daysFromToday(0));
		const taker = await want(receiver, 0);
		const matched = (await wantMatches(database.db, taker)).map((m) => m.lot.id);
		expect(matched).toContain(open.id);
		expect(matched).not.toContain(ended.id);
		await expect(proposeAgreement(database.db, receiver, ended.id, taker.id)).rejects.toMatchObject({
			code: 'waste_not_available'
		});
		expect(await proposeAgreement(database.db, receiver, open.id, taker.id)).toMatchObject({
			status: 'proposed'
		});
	});

	it('is typed on the form: empty is none, a past day is refused, and an edit keeps an approved lot public', async () => {
		const form = {
			nameTh: 'เปลือกผลไม้',
			nameEn: '',
			wasteCode: '020304',
			quantityPerMonth: '20',
			unit: 'tonne',
			provinceCode: '',
			handling: 'landfill',
			priceThb: '',
			availableNow: 'yes'
		};
		expect(wasteLotSchema.parse({ ...form, availableUntil: '' }).availableUntil).toBeNull();
		const past = wasteLotSchema.safeParse({ ...form, availableUntil: daysFromToday(-1) });
		expect(past.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
			['availableUntil', 'available_until_past']
		]);
		expect(wasteLotSchema.parse({ ...form, availableUntil: todayInThailand() }).availableUntil).toBe(
			todayInThailand()
		);
		const owner = await member('TH-70');
		const listed = await lot(owner, null);
		const result = await updateLot(
			database.db,
			owner,
			listed.id,
			wasteLotSchema.parse({ ...form, nameEn: 'Fruit peel', availableUntil: daysFromToday(60) })
		);
		expect(result.review).toBe(false);
		const [stored] = await database.db
			.select()
			.from(schema.wasteLots)
			.where(eq(schema.wasteLots.id, listed.id));
		expect(stored).toMatchObject({ status: 'approved', availableUntil: daysFromToday(60) });
	});
});

describe('a want nobody has proposed for', () => {
	it(`tells its owner after ${WANT_IDLE_DAYS} days without a proposal, once, in their language`, async () => {
		const idle = await member('TH-76', 'en');
		const idleWant = await want(idle, WANT_IDLE_DAYS + 2);
		const young = await member('TH-76');
		await want(young, WANT_IDLE_DAYS - 2);
		const proposed = await member('TH-76');
		const proposedWant = await want(proposed, WANT_IDLE_DAYS + 2);
		const sender = await member('TH-70');
		const offered = await lot(sender, null);
		await database.db.insert(schema.wasteAgreements).values({
			lotId: offered.id,
			wantId: proposedWant.id,
			proposedByOrganisationId: sender.organisationId!,
			distanceKm: 60
		});

		expect(await remindIdleWants(database.db, ORIGIN)).toBeGreaterThanOrEqual(1);
		const [note] = await notificationsOf(idle.id);
		expect(note).toMatchObject({ kind: 'waste_want_idle', payload: { link: `/waste/wants/${idleWant.id}` } });
		const [mail] = await mailTo(idle.email);
		expect(mail!.subject).toBe('No proposals yet for a material you take');
		expect(mail!.bodyText).toContain(`${WANT_IDLE_DAYS} days`);
		expect(await notificationsOf(young.id)).toEqual([]);
		expect(await notificationsOf(proposed.id)).toEqual([]);

		await remindIdleWants(database.db, ORIGIN);
		expect(await notificationsOf(idle.id)).toHaveLength(1);
	});
});

describe('a checklist step left to do', () => {
	const DAY = 86_400_000;

	/** An agreement between two organisations, agreed `ageDays` ago, with its checklist as it stands. */
	async function agreed(
		sender: WasteActor,
		receiver: WasteActor,
		ageDays: number,
		steps: { removal_permit: 'todo' | 'done'; licensed_receiver: 'todo' | 'done'; fresh?: boolean }
	) {
		const offered = await lot(sender, null);
		const taker = await want(receiver, ageDays);
		const agreedAt = new Date(Date.now() - ageDays * DAY);
		const [agreement] = await database.db
			.insert(schema.wasteAgreements)
			.values({
				lotId: offered.id,
				wantId: taker.id,
				proposedByOrganisationId: receiver.organisationId!,
				distanceKm: 60,
				status: 'agreed',
				agreedAt
			})
			.returning();
		await database.db.insert(schema.wastePermitSteps).values([
			{
				agreementId: agreement!.id,
				step: 'removal_permit',
				position: 0,
				status: steps.removal_permit,
				updatedAt: agreedAt
			},
			{
				agreementId: agreement!.id,
				step: 'licensed_receiver',
				position: 1,
				status: steps.licensed_receiver,
				// A step someone touched today (set back to do, say) has not been waiting for a week.
				updatedAt: steps.fresh ? new Date() : agreedAt
			},
			{
				agreementId: agreement!.id,
				step: 'transport_manifest',
				position: 2,
				status: 'not_needed',
				updatedAt: agreedAt
			}
		]);
		return agreement!;
	}

	it(`reminds both sides, each in their language, of the steps to do for ${STEP_PENDING_DAYS} days, once per period`, async () => {
		const sender = await member('TH-70', 'th');
		const receiver = await member('TH-76', 'en');
		const late = await agreed(sender, receiver, STEP_PENDING_DAYS + 1, {
			removal_permit: 'todo',
			licensed_receiver: 'todo',
			fresh: true
		});
		// Another pair whose checklist is complete, and one agreed only yesterday: neither is reminded.
		const done = await member('TH-70');
		await agreed(done, await member('TH-76'), STEP_PENDING_DAYS + 1, {
			removal_permit: 'done',
			licensed_receiver: 'done'
		});
		const recent = await member('TH-70');
		await agreed(recent, await member('TH-76'), 1, { removal_permit: 'todo', licensed_receiver: 'todo' });

		expect(await remindPendingSteps(database.db, ORIGIN)).toBeGreaterThanOrEqual(1);
		for (const side of [sender, receiver]) {
			const notes = await notificationsOf(side.id);
			expect(notes).toHaveLength(1);
			expect(notes[0]).toMatchObject({
				kind: 'waste_step_pending',
				payload: { link: `/waste/agreements/${late.id}`, steps: ['removal_permit'] }
			});
		}
		const [thai] = await mailTo(sender.email);
		expect(thai!.subject).toBe('ขั้นตอนก่อนส่งมอบผลพลอยได้ยังค้างอยู่');
		expect(thai!.bodyText).toContain('เปลือกผลไม้');
		expect(thai!.bodyText).toContain('สก.2');
		expect(thai!.bodyText).not.toContain('ผู้รับมีใบอนุญาต');
		expect(thai!.bodyText).toContain(`${ORIGIN}/waste/agreements/${late.id}`);
		const [english] = await mailTo(receiver.email);
		expect(english!.subject).toBe('Steps before a by-product transfer are still to do');
		expect(english!.bodyText).toContain('Fruit peel');
		expect(english!.bodyText).toContain(`${STEP_PENDING_DAYS} days`);
		expect(english!.bodyText).toContain('Permission to take the waste out of the factory');
		expect(await notificationsOf(done.id)).toEqual([]);
		expect(await notificationsOf(recent.id)).toEqual([]);

		// Once per period: the next hourly round, and one a day short of a period later, send nothing more.
		await remindPendingSteps(database.db, ORIGIN);
		await remindPendingSteps(database.db, ORIGIN, new Date(Date.now() + (STEP_PENDING_DAYS - 1) * DAY));
		expect(await notificationsOf(sender.id)).toHaveLength(1);
		expect(await notificationsOf(receiver.id)).toHaveLength(1);

		// A period later, still not done: reminded again, now of both steps (the receiver's has waited too).
		await remindPendingSteps(database.db, ORIGIN, new Date(Date.now() + (STEP_PENDING_DAYS + 1) * DAY));
		const again = await notificationsOf(receiver.id);
		expect(again).toHaveLength(2);
		expect(again.map((note) => note.payload.steps)).toContainEqual(['removal_permit', 'licensed_receiver']);
		expect(await notificationsOf(sender.id)).toHaveLength(2);

		// Once done, a step is not reminded of any more.
		await database.db
			.update(schema.wastePermitSteps)
			.set({ status: 'done' })
			.where(eq(schema.wastePermitSteps.agreementId, late.id));
		await remindPendingSteps(database.db, ORIGIN, new Date(Date.now() + (3 * STEP_PENDING_DAYS + 1) * DAY));
		expect(await notificationsOf(sender.id)).toHaveLength(2);
	});
});

describe('the home map’s by-product layer', () => {
	it('counts per province the unclaimed lots on offer (not ended ones) and the open wants, and takes ?layer=byproducts', async () => {
		const before = (await homeLoad({ url: new URL('http://portal.test/?layer=byproducts') } as never)) as {
			layer: string;
			waste: Record<string, { unclaimedLots: number; unclaimedTonnesPerMonth: number; wants: number }>;
		};
		expect(before.layer).toBe('byproducts');
		const lotsBefore = before.waste['TH-70']?.unclaimedLots ?? 0;
		const tonnesBefore = before.waste['TH-70']?.unclaimedTonnesPerMonth ?? 0;
		const wantsBefore = before.waste['TH-76']?.wants ?? 0;
		const sender = await member('TH-70');
		await lot(sender, daysFromToday(30));
		await lot(sender, daysFromToday(-2));
		await want(await member('TH-76'), 1);
		const after = (await homeLoad({
			url: new URL('http://portal.test/?layer=byproducts')
		} as never)) as typeof before;
		expect(after.waste['TH-70']!.unclaimedLots).toBe(lotsBefore + 1);
		expect(after.waste['TH-70']!.unclaimedTonnesPerMonth).toBe(tonnesBefore + 20);
		expect(after.waste['TH-76']!.wants).toBe(wantsBefore + 1);
		expect(
			((await homeLoad({ url: new URL('http://portal.test/?layer=nonsense') } as never)) as typeof before)
				.layer
		).toBe('demand');
	});
});
