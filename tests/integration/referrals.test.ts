// Referrals to partner agencies on a real database: made when an accepted offer outgrows the startup, by the
// standing check of the demand it matches, answered by the startup from its dashboard, seen by its office and
// fed to the agency's API with the contact email only after the startup asked.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession, generateSessionToken, validateSessionToken } from '$lib/server/auth/session';
import { setRuntime } from '$lib/server/context';
import * as schema from '$lib/server/db/schema';
import { UserError } from '$lib/server/errors';
import { acceptOffer } from '$lib/server/offers/service';
import { referralsForAgency, referralsForProvince } from '$lib/server/referrals/queries';
import { decideReferral, refreshStandingReferrals } from '$lib/server/referrals/service';
import type { Runtime } from '$lib/server/runtime';
import * as officePage from '../../src/routes/(app)/office/[province=province]/+page.server';
import * as startupPage from '../../src/routes/(app)/startup/+page.server';
import {
	buildDemand,
	buildOrganisation,
	buildProduct,
	buildStartup,
	buildUser,
	daysFromToday
} from '../factories';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

let database: TestDatabase;
const origin = 'http://portal.test';
let counter = 0;

beforeAll(async () => {
	database = await createTestDatabase();
	setRuntime({ db: database.db, database } as unknown as Runtime);
});
afterAll(async () => {
	setRuntime(undefined);
	await database?.dispose();
});

/** An approved startup making `capacityKg` kilograms a month, with one signed-up member. */
async function startupWithMember(capacityKg: number, provinceCode = 'TH-50') {
	const { db } = database;
	const n = ++counter;
	const startup = await buildStartup(db, {
		provinceCode,
		approvedAt: new Date(),
		contactEmail: `sales-${n}@startup.test`
	});
	await buildProduct(db, startup.id, { unit: 'kg', monthlyCapacity: capacityKg });
	const member = await buildUser(db, {
		role: 'startup',
		organisationId: startup.organisationId,
		email: `member-${n}@startup.test`,
		emailVerifiedAt: new Date()
	});
	return { startup, member };
}

/** A buyer's open demand with a pending offer from the startup on it. */
async function pendingOffer(
	startupId: string,
	offer: { quantity: number; unitPriceThb: number },
	demand: Partial<typeof schema.demands.$inferInsert> = {}
) {
	const { db } = database;
	const organisation = await buildOrganisation(db, { kind: 'buyer', name: `Buyer ${++counter}` });
	const buyer = await buildUser(db, { role: 'buyer', organisationId: organisation.id });
	const row = await buildDemand(db, {
		buyerOrganisationId: organisation.id,
		quantity: 5000,
		unit: 'kg',
		recurrence: 'monthly',
		...demand
	});
	const [made] = await db
		.insert(schema.offers)
		.values({ demandId: row.id, startupId, leadTimeDays: 7, ...offer })
		.returning();
	return { buyer, demand: row, offer: made! };
}

const referralsOf = (startupId: string) =>
	database.db.select().from(schema.referrals).where(eq(schema.referrals.startupId, startupId));

/** Locals exactly as the auth hook builds them. */
async function localsOf(userId: string): Promise<App.Locals> {
	const token = generateSessionToken();
	await createSession(database.db, token, userId);
	const { user, session } = await validateSessionToken(database.db, token);
	return { user, session };
}

/** Posts the referral form of the startup dashboard, as a browser without JavaScript would. */
async function answer(userId: string, action: 'requestReferral' | 'dismissReferral', referralId: string) {
	const body = new FormData();
	body.set('referralId', referralId);
	const request = new Request('http://portal.test/startup', { method: 'POST', body });
	const event = { locals: await localsOf(userId), request, url: new URL(request.url) };
	return (startupPage.actions[action] as (e: unknown) => Promise<unknown>)(event);
}

describe('a referral when an accepted offer outgrows the startup', () => {
	it('accepting an offer above capacity makes one finance referral with its figures and tells the startup', async () => {
		const { db } = database;
		const { startup, member } = await startupWithMember(800);
		const { buyer, offer } = await pendingOffer(startup.id, { quantity: 1200, unitPriceThb: 45.5 });
		await acceptOffer(db, buyer, offer, origin);
		const rows = await referralsOf(startup.id);
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({
			agencyId: 'sme-d-bank',
			reason: 'offer_exceeds_capacity',
			offerId: offer.id,
			unit: 'kg',
			quantity: 1200,
			monthlyCapacity: 800,
			valueThb: 54600,
			status: 'offered',
			decidedAt: null
		});
		const notes = await db
			.select()
			.from(schema.notifications)
			.where(
				and(eq(schema.notifications.userId, member.id), eq(schema.notifications.kind, 'referral_offered'))
			);
		expect(notes).toHaveLength(1);
		expect(notes[0]!.payload).toMatchObject({ link: '/startup#referrals', reason: 'offer_exceeds_capacity' });
		const mail = await db
			.select()
			.from(schema.emailOutbox)
			.where(eq(schema.emailOutbox.toAddress, member.email));
		expect(mail.some((m) => m.bodyText.includes(`${origin}/startup#referrals`))).toBe(true);
	});

	it('accepting an offer within capacity makes none, nor does a one-off spread over a year', async () => {
		const { db } = database;
		const { startup } = await startupWithMember(800);
		const within = await pendingOffer(startup.id, { quantity: 800, unitPriceThb: 40 });
		await acceptOffer(db, within.buyer, within.offer, origin);
		const yearAway = daysFromToday(400);
		const once = await pendingOffer(
			startup.id,
			{ quantity: 6000, unitPriceThb: 40 },
			{ recurrence: 'once', neededBy: yearAway, quantity: 6000 }
		);
		await acceptOffer(db, once.buyer, once.offer, origin);
		expect(
			await db.select().from(schema.deals).where(eq(schema.deals.offerId, within.offer.id))
		).toHaveLength(1);
		expect(await referralsOf(startup.id)).toEqual([]);
	});
});

describe('the standing check of matched demand', () => {
	let startupId: string;
	let memberId: string;
	const matched = async (values: Partial<typeof schema.demands.$inferInsert>) => {
		const demand = await buildDemand(database.db, { unit: 'kg', recurrence: 'monthly', ...values });
		await database.db.insert(schema.demandMatches).values({ demandId: demand.id, startupId, score: 0.8 });
		return demand;
	};
	const standing = async () =>
		(await referralsOf(startupId)).filter((r) => r.reason === 'matched_demand_exceeds_capacity');

	beforeAll(async () => {
		const { startup, member } = await startupWithMember(500);
		startupId = startup.id;
		memberId = member.id;
		await matched({ quantity: 600, priceThbMax: 50 });
		await matched({ quantity: 0.5, unit: 'tonne', priceThbMax: 40_000 });
		// Not open, or not a match: neither counts.
		await buildDemand(database.db, { unit: 'kg', quantity: 9000 });
		await matched({ quantity: 9000, status: 'closed' });
	});

	it('makes one land referral with the matched demand per month, and running twice changes nothing', async () => {
		const { db } = database;
		expect(await refreshStandingReferrals(db, origin)).toEqual({ created: 1, updated: 0 });
		const [referral, ...others] = await standing();
		expect(others).toEqual([]);
		expect(referral).toMatchObject({
			agencyId: 'ieat',
			offerId: null,
			unit: 'kg',
			quantity: 1100,
			monthlyCapacity: 500,
			valueThb: 600 * 50 + 0.5 * 40_000,
			status: 'offered'
		});
		const notes = await db
			.select()
			.from(schema.notifications)
			.where(
				and(eq(schema.notifications.userId, memberId), eq(schema.notifications.kind, 'referral_offered'))
			);
		expect(notes).toHaveLength(1);
		const again = await refreshStandingReferrals(db, origin);
		expect(await standing()).toEqual([referral]);
		expect(again.created).toBe(0);
	});

	it('brings the figures of a referral still waiting up to date, counting what accepted offers cover', async () => {
		const { db } = database;
		const extra = await matched({ quantity: 400, priceThbMax: null });
		const other = await buildStartup(db, { approvedAt: new Date() });
		await db.insert(schema.offers).values({
			demandId: extra.id,
			startupId: other.id,
			quantity: 100,
			unitPriceThb: 45,
			leadTimeDays: 3,
			status: 'accepted'
		});
		await refreshStandingReferrals(db, origin);
		const [referral, ...others] = await standing();
		expect(others).toEqual([]);
		expect(referral).toMatchObject({ quantity: 1400, monthlyCapacity: 500, status: 'offered' });
	});

	it('does not make again a referral the startup dismissed, until 90 days have passed', async () => {
		const { db } = database;
		const [referral] = await standing();
		const member = (await db.select().from(schema.users).where(eq(schema.users.id, memberId)))[0]!;
		await decideReferral(db, member, referral!.id, 'dismiss');
		expect((await refreshStandingReferrals(db, origin)).created).toBe(0);
		expect((await standing()).map((r) => r.status)).toEqual(['dismissed']);
		const later = new Date(Date.now() + 91 * 24 * 60 * 60 * 1000);
		await refreshStandingReferrals(db, origin, later);
		expect((await standing()).map((r) => r.status).sort()).toEqual(['dismissed', 'offered']);
	});

	it('keeps the figures a startup asked to be referred with', async () => {
		const { db } = database;
		const waiting = (await standing()).find((r) => r.status === 'offered')!;
		const member = (await db.select().from(schema.users).where(eq(schema.users.id, memberId)))[0]!;
		await decideReferral(db, member, waiting.id, 'request');
		await matched({ quantity: 2000 });
		const run = await refreshStandingReferrals(db, origin);
		const requested = (await standing()).find((r) => r.id === waiting.id)!;
		expect(requested).toMatchObject({ status: 'requested', quantity: waiting.quantity });
		expect(run.created).toBe(0);
	});
});

describe('the startup answers from its dashboard', () => {
	async function offeredReferral() {
		const { startup, member } = await startupWithMember(100);
		const { buyer, offer } = await pendingOffer(startup.id, { quantity: 300, unitPriceThb: 10 });
		await acceptOffer(database.db, buyer, offer, origin);
		const [referral] = await referralsOf(startup.id);
		return { startup, member, referral: referral! };
	}
	const auditOf = (referralId: string) =>
		database.db.select().from(schema.auditEvents).where(eq(schema.auditEvents.subjectId, referralId));

	it('shows the referral with its figures on the dashboard', async () => {
		const { member, referral } = await offeredReferral();
		const load = startupPage.load as (event: unknown) => Promise<Record<string, unknown>>;
		const data = await load({
			locals: await localsOf(member.id),
			url: new URL('http://portal.test/startup')
		});
		expect(data.referrals).toEqual([
			expect.objectContaining({ id: referral.id, quantity: 300, monthlyCapacity: 100, status: 'offered' })
		]);
		expect(data.hasContactEmail).toBe(true);
	});

	it('"refer me" marks it requested, with the time and an audit row', async () => {
		const { startup, member, referral } = await offeredReferral();
		expect(await answer(member.id, 'requestReferral', referral.id)).toEqual({ referral: 'request' });
		const [row] = await referralsOf(startup.id);
		expect(row!.status).toBe('requested');
		expect(row!.decidedAt).toBeInstanceOf(Date);
		const audit = await auditOf(referral.id);
		expect(audit).toHaveLength(1);
		expect(audit[0]).toMatchObject({
			action: 'referral.request',
			actorId: member.id,
			subjectType: 'referral',
			provinceCode: 'TH-50',
			before: { status: 'offered' }
		});
		// Asking twice changes nothing; taking it back once asked is refused.
		expect(await answer(member.id, 'requestReferral', referral.id)).toEqual({ referral: 'request' });
		expect(await answer(member.id, 'dismissReferral', referral.id)).toMatchObject({
			status: 409,
			data: { errors: { form: 'referral_decided' } }
		});
		expect(await auditOf(referral.id)).toHaveLength(1);
	});

	it('"not needed" marks it dismissed with an audit row', async () => {
		const { startup, member, referral } = await offeredReferral();
		expect(await answer(member.id, 'dismissReferral', referral.id)).toEqual({ referral: 'dismiss' });
		const [row] = await referralsOf(startup.id);
		expect(row!.status).toBe('dismissed');
		expect((await auditOf(referral.id)).map((a) => a.action)).toEqual(['referral.dismiss']);
	});

	it("refuses another startup's referral as not found, and leaves it as it was", async () => {
		const { startup, referral } = await offeredReferral();
		const { member: stranger } = await startupWithMember(100);
		for (const action of ['requestReferral', 'dismissReferral'] as const)
			expect(await answer(stranger.id, action, referral.id)).toMatchObject({ status: 404 });
		const [row] = await referralsOf(startup.id);
		expect(row!.status).toBe('offered');
		expect(await auditOf(referral.id)).toEqual([]);
	});
});

describe('who sees referrals', () => {
	it("an office sees its own province's referrals in every status, an administrator all of them", async () => {
		const { db } = database;
		const lampang = await startupWithMember(10, 'TH-52');
		const made = await pendingOffer(lampang.startup.id, { quantity: 50, unitPriceThb: 10 });
		await acceptOffer(db, made.buyer, made.offer, origin);
		const chiangMai = await referralsForProvince(db, 'TH-50');
		expect(chiangMai.length).toBeGreaterThan(0);
		expect(new Set(chiangMai.map((r) => r.provinceCode))).toEqual(new Set(['TH-50']));
		expect(new Set(chiangMai.map((r) => r.status))).toEqual(new Set(['offered', 'requested', 'dismissed']));
		const all = await referralsForProvince(db, null);
		expect(all.some((r) => r.startupId === lampang.startup.id)).toBe(true);
		expect(all.length).toBeGreaterThan(chiangMai.length);

		const officer = await buildUser(db, { role: 'officer', provinceCode: 'TH-50', passwordHash: 'x' });
		const load = officePage.load as (event: unknown) => Promise<{ referrals: { provinceCode: string }[] }>;
		const data = await load({
			locals: await localsOf(officer.id),
			params: { province: 'TH-50' },
			url: new URL('http://localhost/office/TH-50')
		});
		expect(data.referrals.map((r) => r.provinceCode)).toEqual(chiangMai.map(() => 'TH-50'));
	});

	it("the agency's feed pages by id and shows the contact email only once the startup asked", async () => {
		const { db } = database;
		const all = await referralsForAgency(db, 'sme-d-bank', { limit: 1000 });
		expect(all.length).toBeGreaterThanOrEqual(4);
		expect(all.map((r) => r.id)).toEqual([...all.map((r) => r.id)].sort());
		for (const row of all) {
			expect(row.agency_id).toBe('sme-d-bank');
			expect(row.contact_email === null).toBe(row.status !== 'requested');
		}
		const requested = all.find((r) => r.status === 'requested')!;
		expect(requested.contact_email).toMatch(/@startup\.test$/);
		expect(requested.startup).toMatchObject({ province_code: 'TH-50' });
		expect(Object.keys(requested.startup).sort()).toEqual(
			['id', 'name_en', 'name_th', 'province_code', 'ref', 'slug'].sort()
		);

		const pages: string[] = [];
		let after: string | undefined;
		for (;;) {
			const page = await referralsForAgency(db, 'sme-d-bank', { after, limit: 2 });
			pages.push(...page.map((r) => r.id));
			if (page.length < 2) break;
			after = page.at(-1)!.id;
		}
		expect(pages).toEqual(all.map((r) => r.id));

		const onlyRequested = await referralsForAgency(db, 'sme-d-bank', { limit: 1000, status: 'requested' });
		expect(onlyRequested.map((r) => r.id)).toEqual(
			all.filter((r) => r.status === 'requested').map((r) => r.id)
		);
		const space = await referralsForAgency(db, 'ieat', { limit: 1000, status: 'requested' });
		expect(space.map((r) => [r.reason, r.contact_email !== null])).toEqual([
			['matched_demand_exceeds_capacity', true]
		]);
		expect(() => referralsForAgency(db, 'sme-d-bank', { after: 'not-an-id', limit: 2 })).toThrow(UserError);
	});
});
