// Invitations to quote against a real database, through the pages' own actions and loads where a person acts:
// who may invite whom, once, within a limit; the startup told in its language, its form filled from the demand;
// and what the buyer sees of each invitation (invited, viewed, offered, declined).
import { and, eq, inArray, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '$lib/server/accounts/service';
import { setRuntime } from '$lib/server/context';
import * as schema from '$lib/server/db/schema';
import { closeDemand, createDemand } from '$lib/server/demands/service';
import { invitationsOfDemand, invitationsOfStartup } from '$lib/server/invitations/queries';
import { declineInvitation, INVITE_LIMIT, inviteToQuote } from '$lib/server/invitations/service';
import { makeOffer } from '$lib/server/offers/service';
import type { Runtime } from '$lib/server/runtime';
import { demandSchema, offerSchema } from '$lib/schemas/demand';
import { approveStartupMember, buildUser, daysFromToday } from '../factories';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { routeEvent, routeModule, settle, signedInLocals } from '../helpers/route-event';
import { codeOf } from '../helpers/errors';

let database: TestDatabase;
let officer: Awaited<ReturnType<typeof buildUser>>;
const origin = 'http://portal.test';
let counter = 0;

beforeAll(async () => {
	database = await createTestDatabase();
	setRuntime({ db: database.db, database } as unknown as Runtime);
	officer = await buildUser(database.db, { role: 'officer', provinceCode: 'TH-45', passwordHash: 'x' });
});
afterAll(async () => {
	setRuntime(undefined);
	await database?.dispose();
});

async function member(accountType: 'buyer' | 'startup', locale: 'th' | 'en' = 'th', confirmed = true) {
	const user = await signUp(
		database.db,
		{
			accountType,
			organisationName: `${accountType} ${++counter}`,
			provinceCode: accountType === 'startup' ? 'TH-45' : null,
			email: `${accountType}-${counter}@invite.test`,
			password: 'market leads production',
			locale
		},
		{ origin, address: `10.9.${counter}.1` }
	);
	if (confirmed)
		await database.db
			.update(schema.users)
			.set({ emailVerifiedAt: new Date() })
			.where(eq(schema.users.id, user.id));
	return user;
}

/** An approved startup (jasmine rice, organic certificate, 5 tonnes a month) and its member. */
async function approvedStartup(locale: 'th' | 'en' = 'th') {
	const user = await member('startup', locale);
	const startup = await approveStartupMember(database.db, user, officer, origin);
	return { user, startup };
}

const demandInput = () =>
	demandSchema.parse({
		titleTh: 'ข้าวหอมมะลิอินทรีย์',
		titleEn: 'Organic Hom Mali rice',
		detailsTh: '',
		detailsEn: '',
		divisionCode: '01',
		quantity: '2',
		unit: 'tonne',
		recurrence: 'monthly',
		priceThbMax: '45,000',
		deliveryProvinceCode: 'TH-45',
		neededBy: daysFromToday(30),
		certifications: ['organic-thailand'],
		maxOffers: ''
	});

/** Posts the form to the page's action as the user, the way SvelteKit calls it. */
async function post(
	file: string,
	action: string,
	userId: string,
	params: Record<string, string>,
	fields: [string, string][]
) {
	const actions = (await routeModule(file)).actions as Record<string, (event: unknown) => unknown>;
	const body = new FormData();
	for (const [name, value] of fields) body.append(name, value);
	const locals = await signedInLocals(database.db, userId);
	return settle(() => actions[action]!(routeEvent({ locals, method: 'POST', params, body })));
}

async function load(file: string, userId: string, params: Record<string, string>) {
	const module = await routeModule(file);
	const locals = await signedInLocals(database.db, userId);
	return settle(() =>
		(module.load as (event: unknown) => unknown)(routeEvent({ locals, method: 'GET', params }))
	);
}

const BUYER_PAGE = '(app)/buyer/demands/[id]/+page.server.ts';
const DEMAND_PAGE = '(public)/demand/[id]/+page.server.ts';

/** The mail to `email` that leads to the demand (sign-up and approval mail left aside). */
const mailAbout = (email: string, demandId: string) =>
	database.db
		.select()
		.from(schema.emailOutbox)
		.where(
			and(eq(schema.emailOutbox.toAddress, email), like(schema.emailOutbox.bodyText, `%/demand/${demandId}%`))
		);

describe('inviting matched startups to quote', () => {
	it('invites two startups in one step, tells each in its language, and never twice', async () => {
		const { db } = database;
		const buyer = await member('buyer');
		const demand = await createDemand(db, buyer, demandInput(), { publish: true });
		const thai = await approvedStartup('th');
		const english = await approvedStartup('en');

		const sent = await post(BUYER_PAGE, 'invite', buyer.id, { id: demand.id }, [
			['startupId', thai.startup.id],
			['startupId', english.startup.id],
			['startupId', thai.startup.id]
		]);
		expect(sent).toEqual({
			kind: 'data',
			status: 200,
			value: { done: 'invited', invitation: { invited: 2, already: 0 } }
		});
		const notes = await db
			.select()
			.from(schema.notifications)
			.where(inArray(schema.notifications.userId, [thai.user.id, english.user.id]));
		expect(notes.filter((n) => n.kind === 'quote_invited')).toHaveLength(2);
		const [thaiMail] = await mailAbout(thai.user.email, demand.id);
		const [englishMail] = await mailAbout(english.user.email, demand.id);
		expect(thaiMail!.subject).toBe('คำเชิญให้เสนอราคา: ข้าวหอมมะลิอินทรีย์');
		expect(englishMail!.subject).toBe('Invitation to quote: Organic Hom Mali rice');
		expect(englishMail!.bodyText).toContain(`${origin}/demand/${demand.id}`);

		// The same group again (a double click, or a group with members invited before): nothing is sent again.
		const again = await post(BUYER_PAGE, 'invite', buyer.id, { id: demand.id }, [
			['startupId', thai.startup.id],
			['startupId', english.startup.id]
		]);
		expect(again).toMatchObject({ value: { invitation: { invited: 0, already: 2 } } });
		expect(await mailAbout(thai.user.email, demand.id)).toHaveLength(1);
		const statuses = (await invitationsOfDemand(db, demand.id)).map((i) => i.status);
		expect(statuses).toEqual(['invited', 'invited']);
	});

	it('refuses a startup that is not a match, not public or unknown, and then invites none of the group', async () => {
		const { db } = database;
		const buyer = await member('buyer');
		const demand = await createDemand(db, buyer, demandInput(), { publish: true });
		const good = await approvedStartup();
		// Approved, but without the organic certificate the demand requires: never a match for the buyer.
		const uncertified = await approvedStartup();
		await db
			.delete(schema.startupCertifications)
			.where(eq(schema.startupCertifications.startupId, uncertified.startup.id));
		const suspended = await approvedStartup();
		await db
			.update(schema.startups)
			.set({ status: 'suspended' })
			.where(eq(schema.startups.id, suspended.startup.id));
		// An application waiting for its first review: not public yet.
		const waiting = await approvedStartup();
		await db
			.update(schema.startups)
			.set({ status: 'submitted', approvedAt: null, approvedSnapshot: null })
			.where(eq(schema.startups.id, waiting.startup.id));
		for (const refused of [
			uncertified.startup.id,
			suspended.startup.id,
			waiting.startup.id,
			'00000000-0000-4000-8000-000000000000'
		])
			expect(await codeOf(inviteToQuote(db, buyer, demand.id, [good.startup.id, refused], origin))).toBe(
				'invite_not_a_match'
			);
		expect(await invitationsOfDemand(db, demand.id)).toEqual([]);
		expect(await mailAbout(good.user.email, demand.id)).toEqual([]);

		// The page answers with the field's error, not a crash; a form with no startup or a malformed id likewise.
		const refused = await post(BUYER_PAGE, 'invite', buyer.id, { id: demand.id }, [
			['startupId', uncertified.startup.id]
		]);
		expect(refused).toMatchObject({
			kind: 'failure',
			status: 400,
			data: { errors: { startupId: 'invite_not_a_match' } }
		});
		expect(await post(BUYER_PAGE, 'invite', buyer.id, { id: demand.id }, [])).toMatchObject({
			kind: 'failure',
			status: 400,
			data: { errors: { startupId: 'invite_choose_startup' } }
		});
		expect(
			await post(BUYER_PAGE, 'invite', buyer.id, { id: demand.id }, [['startupId', "1' or 1=1"]])
		).toMatchObject({ kind: 'failure', status: 400, data: { errors: { startupId: 'invalid_value' } } });
		const tooMany = Array.from({ length: 21 }, (_, i): [string, string] => [
			'startupId',
			`00000000-0000-4000-8000-${String(i).padStart(12, '0')}`
		]);
		expect(await post(BUYER_PAGE, 'invite', buyer.id, { id: demand.id }, tooMany)).toMatchObject({
			status: 400,
			data: { errors: { startupId: 'invite_too_many' } }
		});
	});

	it("invites only to the buyer's own open demand, from a confirmed address", async () => {
		const { db } = database;
		const buyer = await member('buyer');
		const stranger = await member('buyer');
		const { startup } = await approvedStartup();
		const demand = await createDemand(db, buyer, demandInput(), { publish: true });
		// Another buyer's demand reads as missing, through the page as through the service.
		expect(await codeOf(inviteToQuote(db, stranger, demand.id, [startup.id], origin))).toBe('not_found');
		expect(
			await post(BUYER_PAGE, 'invite', stranger.id, { id: demand.id }, [['startupId', startup.id]])
		).toMatchObject({ kind: 'failure', status: 404 });
		// A draft takes no invitations, nor does a closed demand.
		const draft = await createDemand(db, buyer, demandInput(), { publish: false });
		expect(await codeOf(inviteToQuote(db, buyer, draft.id, [startup.id], origin))).toBe('demand_not_open');
		const closed = await createDemand(db, buyer, demandInput(), { publish: true });
		await closeDemand(db, buyer, closed.id, origin);
		expect(await codeOf(inviteToQuote(db, buyer, closed.id, [startup.id], origin))).toBe('demand_not_open');
		// A colleague who has not confirmed the address cannot send mail through the portal.
		const colleague = await member('buyer', 'th', false);
		await db
			.update(schema.users)
			.set({ organisationId: buyer.organisationId })
			.where(eq(schema.users.id, colleague.id));
		expect(
			await codeOf(
				inviteToQuote(
					db,
					{ ...colleague, organisationId: buyer.organisationId },
					demand.id,
					[startup.id],
					origin
				)
			)
		).toBe('email_unconfirmed');
		expect(await invitationsOfDemand(db, demand.id)).toEqual([]);
	});

	it('limits new invitations per buyer organisation and day', async () => {
		const { db } = database;
		const buyer = await member('buyer');
		const { startup } = await approvedStartup();
		const demand = await createDemand(db, buyer, demandInput(), { publish: true });
		// The organisation has used its day (in whichever window the call below falls).
		const now = Date.now();
		for (const at of [now, now + 60_000])
			await db
				.insert(schema.rateLimits)
				.values({
					key: `quote-invite:${buyer.organisationId}`,
					windowStart: new Date(Math.floor(at / INVITE_LIMIT.windowMs) * INVITE_LIMIT.windowMs),
					hits: INVITE_LIMIT.limit
				})
				.onConflictDoNothing();
		const refused = await post(BUYER_PAGE, 'invite', buyer.id, { id: demand.id }, [
			['startupId', startup.id]
		]);
		expect(refused).toMatchObject({
			kind: 'failure',
			status: 429,
			data: { errors: { form: 'rate_limited' } }
		});
		expect(await invitationsOfDemand(db, demand.id)).toEqual([]);
	});
});

describe('an invited startup', () => {
	it('opens a form filled from the demand; the buyer sees viewed, offered and declined', async () => {
		const { db } = database;
		const buyer = await member('buyer');
		const demand = await createDemand(db, buyer, demandInput(), { publish: true });
		const offering = await approvedStartup();
		const declining = await approvedStartup();
		const bystander = await approvedStartup();
		await inviteToQuote(db, buyer, demand.id, [offering.startup.id, declining.startup.id], origin);

		// Opening the demand fills the offer form from it and tells the buyer it was seen.
		const page = await load(DEMAND_PAGE, offering.user.id, { id: demand.id });
		expect(page).toMatchObject({
			kind: 'data',
			value: {
				invitation: {
					declined: false,
					prefill: { quantity: '2', unitPriceThb: '45000', leadTimeDays: '30', message: '' }
				}
			}
		});
		const statusOf = async (startupId: string) =>
			(await invitationsOfDemand(db, demand.id)).find((i) => i.startupId === startupId)?.status;
		expect(await statusOf(offering.startup.id)).toBe('viewed');
		expect(await statusOf(declining.startup.id)).toBe('invited');
		// A startup that was not invited sees the plain form.
		expect(await load(DEMAND_PAGE, bystander.user.id, { id: demand.id })).toMatchObject({
			value: { invitation: null }
		});

		await makeOffer(
			db,
			offering.user,
			demand.id,
			offerSchema.parse({ quantity: '2', unitPriceThb: '45000', leadTimeDays: '30', message: '' }),
			origin
		);
		expect(await statusOf(offering.startup.id)).toBe('offered');
		// Having offered, it withdraws the offer rather than declining.
		expect(await codeOf(declineInvitation(db, offering.user, demand.id, null))).toBe('invitation_has_offer');

		const declined = await post(DEMAND_PAGE, 'declineInvitation', declining.user.id, { id: demand.id }, [
			['reason', 'กำลังการผลิตเดือนนี้เต็มแล้ว']
		]);
		expect(declined).toMatchObject({ kind: 'data', value: { invitationDeclined: true } });
		const rows = await invitationsOfDemand(db, demand.id);
		// Both were invited in the same moment: read by startup.
		const byStartup = new Map(rows.map((r) => [r.startupId, [r.status, r.declineReason]]));
		expect(byStartup.get(offering.startup.id)).toEqual(['offered', null]);
		expect(byStartup.get(declining.startup.id)).toEqual(['declined', 'กำลังการผลิตเดือนนี้เต็มแล้ว']);
		// The buyer's page carries the same.
		const buyerPage = await load(BUYER_PAGE, buyer.id, { id: demand.id });
		const shown = (buyerPage as { value: { invitations: { status: string }[] } }).value.invitations;
		expect(shown.map((i) => i.status).sort()).toEqual(['declined', 'offered']);
		// And each startup's home lists its invitation with where it stands.
		expect((await invitationsOfStartup(db, declining.startup.id)).map((i) => i.status)).toEqual(['declined']);

		// Nobody declines an invitation that is not theirs; a reason too long is a field error.
		expect(
			await post(DEMAND_PAGE, 'declineInvitation', bystander.user.id, { id: demand.id }, [['reason', '']])
		).toMatchObject({ kind: 'failure', status: 404 });
		expect(
			await post(DEMAND_PAGE, 'declineInvitation', declining.user.id, { id: demand.id }, [
				['reason', 'ก'.repeat(501)]
			])
		).toMatchObject({ kind: 'failure', status: 400, data: { errors: { reason: 'too_long' } } });
		const [kept] = await db
			.select()
			.from(schema.quoteInvitations)
			.where(
				and(
					eq(schema.quoteInvitations.demandId, demand.id),
					eq(schema.quoteInvitations.startupId, bystander.startup.id)
				)
			);
		expect(kept).toBeUndefined();
	});
});

describe('near misses on the pages (the Postgres fallback; the engines are compared in near-misses.test.ts)', () => {
	it("the startup's home lists what it lacks; the office page counts the certificate", async () => {
		const { db } = database;
		const buyer = await member('buyer');
		const farm = await approvedStartup();
		const demand = await createDemand(
			db,
			buyer,
			{ ...demandInput(), certifications: ['halal', 'organic-thailand'] },
			{ publish: true }
		);
		// Not a match for the buyer: the farm holds the organic certificate only.
		expect(await codeOf(inviteToQuote(db, buyer, demand.id, [farm.startup.id], origin))).toBe(
			'invite_not_a_match'
		);
		const home = await load('(app)/startup/+page.server.ts', farm.user.id, {});
		const nearMisses = (home as { value: { nearMisses: { id: string; lacks: unknown }[] } }).value.nearMisses;
		expect(nearMisses.find((miss) => miss.id === demand.id)?.lacks).toEqual({
			certifications: ['halal'],
			capacityShortBy: null
		});
		const office = await load('(app)/office/[province=province]/+page.server.ts', officer.id, {
			province: 'TH-45'
		});
		const gaps = (office as { value: { certificateGaps: { certification: string }[] } }).value
			.certificateGaps;
		expect(gaps.map((gap) => gap.certification)).toContain('halal');
	});
});
