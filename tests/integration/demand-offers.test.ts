// Demands and offers against a real database: posting rules, offers, accepting into deals (also at the same
// moment), the expiry schedule, moderation and messages.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '$lib/server/accounts/service';
import * as schema from '$lib/server/db/schema';
import {
	closeDemand,
	createDemand,
	hideDemand,
	publishDemand,
	runDemandSchedule,
	updateDemand
} from '$lib/server/demands/service';
import { buyerDemands, demandDetail, offersForComparison, openReports } from '$lib/server/demands/queries';
import {
	acceptOffer,
	declineOffer,
	makeOffer,
	messagesOf,
	OfferChanged,
	OutsideTerms,
	postMessage,
	reportSubject,
	updateOffer,
	withdrawOffer
} from '$lib/server/offers/service';
import { demandSchema, offerSchema } from '$lib/schemas/demand';
import { approveStartupMember, buildUser, daysFromToday } from '../factories';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { codeOf } from '../helpers/errors';

let database: TestDatabase;
let officer: Awaited<ReturnType<typeof buildUser>>;
const origin = 'http://portal.test';
let counter = 0;

beforeAll(async () => {
	database = await createTestDatabase();
	officer = await buildUser(database.db, { role: 'officer', provinceCode: 'TH-45', passwordHash: 'x' });
});
afterAll(async () => {
	await database?.dispose();
});

async function member(accountType: 'buyer' | 'startup', province = 'TH-45') {
	const user = await signUp(
		database.db,
		{
			accountType,
			organisationName: `${accountType} ${++counter}`,
			provinceCode: accountType === 'startup' ? province : null,
			email: `${accountType}-${counter}@example.org`,
			password: 'market leads production',
			locale: 'en'
		},
		{ origin, address: `10.7.${counter}.1` }
	);
	await database.db
		.update(schema.users)
		.set({ emailVerifiedAt: new Date() })
		.where(eq(schema.users.id, user.id));
	return user;
}

async function startupOf(user: { organisationId: string | null }) {
	const [row] = await database.db
		.select()
		.from(schema.startups)
		.where(eq(schema.startups.organisationId, user.organisationId!));
	return row!;
}

async function approvedStartup() {
	const startup = await member('startup');
	await approveStartupMember(database.db, startup, officer, origin);
	return startup;
}

const demandInput = (overrides: Record<string, unknown> = {}) =>
	demandSchema.parse({
		titleTh: '',
		titleEn: 'Hom Mali rice, organic',
		detailsTh: '',
		detailsEn: 'Monthly supply for our hotels',
		divisionCode: '01',
		quantity: '2',
		unit: 'tonne',
		recurrence: 'monthly',
		priceThbMax: '45,000',
		deliveryProvinceCode: 'TH-45',
		neededBy: daysFromToday(365),
		certifications: ['organic-thailand'],
		maxOffers: '',
		...overrides
	});

const offer = (quantity: string, price = '40000') =>
	offerSchema.parse({ quantity, unitPriceThb: price, leadTimeDays: '14', message: 'พร้อมส่ง' });

/** What a promise was rejected with (it must be rejected). */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
	try {
		await promise;
	} catch (error) {
		return error;
	}
	throw new Error('expected a rejection');
}

describe('demands', () => {
	it('validates what buyers type: future date, a title, a positive quantity', () => {
		expect(
			demandSchema.safeParse({
				...demandInput(),
				neededBy: daysFromToday(-30),
				quantity: '2',
				priceThbMax: '',
				maxOffers: '',
				certifications: []
			}).success
		).toBe(false);
		const bad = demandSchema.safeParse({
			titleTh: '',
			titleEn: '',
			detailsTh: '',
			detailsEn: '',
			divisionCode: '01',
			quantity: '-3',
			unit: 'tonne',
			recurrence: 'monthly',
			priceThbMax: '',
			deliveryProvinceCode: '',
			neededBy: daysFromToday(-30),
			certifications: [],
			maxOffers: ''
		});
		expect(bad.success).toBe(false);
		const codes = bad.error!.issues.map((i) => `${String(i.path[0])}:${i.message}`).sort();
		expect(codes).toEqual(['neededBy:needed_by_future', 'quantity:number_invalid', 'titleTh:title_required']);
		expect(demandInput().maxOffers).toBe(10);
		expect(demandInput({ deliveryProvinceCode: '' }).deliveryProvinceCode).toBeNull();
	});

	it('edits only while no offer exists, then the buyer closes and reposts', async () => {
		const { db } = database;
		const buyer = await member('buyer');
		const startup = await approvedStartup();
		const demand = await createDemand(db, buyer, demandInput(), { publish: true });
		await updateDemand(db, buyer, demand.id, demandInput({ quantity: '3' }));
		await makeOffer(db, startup, demand.id, offer('1'), origin);
		expect(await codeOf(updateDemand(db, buyer, demand.id, demandInput({ quantity: '4' })))).toBe(
			'demand_has_offers'
		);
		await closeDemand(db, buyer, demand.id, origin);
		const [offerRow] = await db.select().from(schema.offers).where(eq(schema.offers.demandId, demand.id));
		expect(offerRow!.status).toBe('declined');
		const outbox = await db
			.select()
			.from(schema.searchOutbox)
			.where(eq(schema.searchOutbox.entityId, demand.id));
		expect(outbox.length).toBeGreaterThanOrEqual(3);
		// Another buyer cannot touch it.
		const stranger = await member('buyer');
		expect(await codeOf(closeDemand(db, stranger, demand.id, origin))).toBe('not_found');
	});

	it('asks for an announcement when a buyer publishes, at once or from a draft, and not for a draft', async () => {
		const { db } = database;
		const buyer = await member('buyer');
		const pending = async (id: string) =>
			(
				await db
					.select({ pending: schema.demands.announcePending })
					.from(schema.demands)
					.where(eq(schema.demands.id, id))
			)[0]!.pending;
		const published = await createDemand(db, buyer, demandInput(), { publish: true });
		const draft = await createDemand(db, buyer, demandInput(), { publish: false });
		expect(await pending(published.id)).toBe(true);
		expect(await pending(draft.id)).toBe(false);
		await publishDemand(db, buyer, draft.id);
		expect(await pending(draft.id)).toBe(true);
	});

	it('limits posting to 20 demands a day per buyer', async () => {
		const { db } = database;
		const buyer = await member('buyer');
		for (let i = 0; i < 20; i++) await createDemand(db, buyer, demandInput(), { publish: false });
		expect(await codeOf(createDemand(db, buyer, demandInput(), { publish: false }))).toBe('rate_limited');
	});
});

describe('offers and deals', () => {
	it('takes offers only from approved startups, one live offer each, only on open demands', async () => {
		const { db } = database;
		const buyer = await member('buyer');
		const demand = await createDemand(db, buyer, demandInput(), { publish: true });
		const draftStartup = await member('startup');
		expect(await codeOf(makeOffer(db, draftStartup, demand.id, offer('1'), origin))).toBe(
			'offer_needs_approval'
		);
		const startup = await approvedStartup();
		const first = await makeOffer(db, startup, demand.id, offer('1'), origin);
		expect(await codeOf(makeOffer(db, startup, demand.id, offer('1'), origin))).toBe('offer_exists');
		await withdrawOffer(db, startup, first.id);
		await makeOffer(db, startup, demand.id, offer('2'), origin);
		const notes = await db
			.select()
			.from(schema.notifications)
			.where(eq(schema.notifications.kind, 'offer_received'));
		expect(notes.length).toBeGreaterThanOrEqual(2);
		await closeDemand(db, buyer, demand.id, origin);
		const third = await approvedStartup();
		expect(await codeOf(makeOffer(db, third, demand.id, offer('1'), origin))).toBe('demand_not_open');
	});

	it('accepts two partial offers into deals and fulfils the demand', async () => {
		const { db } = database;
		const buyer = await member('buyer');
		const demand = await createDemand(db, buyer, demandInput(), { publish: true });
		const [a, b, c] = [await approvedStartup(), await approvedStartup(), await approvedStartup()];
		const offerA = await makeOffer(db, a, demand.id, offer('1.5', '40000'), origin);
		const offerB = await makeOffer(db, b, demand.id, offer('0.5', '42000'), origin);
		const offerC = await makeOffer(db, c, demand.id, offer('2', '44000'), origin);
		await acceptOffer(db, buyer, offerA, origin);
		let [row] = await db.select().from(schema.demands).where(eq(schema.demands.id, demand.id));
		expect(row!.status).toBe('open');
		await acceptOffer(db, buyer, offerB, origin);
		[row] = await db.select().from(schema.demands).where(eq(schema.demands.id, demand.id));
		expect(row!.status).toBe('fulfilled');
		const dealRows = await db.select().from(schema.deals).where(eq(schema.deals.demandId, demand.id));
		expect(dealRows.map((d) => d.valueThb).sort((x, y) => x - y)).toEqual([21000, 60000]);
		const [summary] = await buyerDemands(db, buyer.organisationId!);
		expect(summary).toMatchObject({ id: demand.id, offerCount: 3, dealValue: 81000 });
		const [cRow] = await db.select().from(schema.offers).where(eq(schema.offers.id, offerC.id));
		expect(cRow).toMatchObject({ status: 'declined', declineReason: 'demand_covered' });
		expect(await codeOf(acceptOffer(db, buyer, offerC, origin))).toBe('offer_decided');
	});

	it('never accepts past the quantity by more than one offer, even when accepts arrive together', async () => {
		const { db } = database;
		const buyer = await member('buyer');
		const demand = await createDemand(db, buyer, demandInput({ quantity: '100', unit: 'kg' }), {
			publish: true
		});
		const startups = await Promise.all([
			approvedStartup(),
			approvedStartup(),
			approvedStartup(),
			approvedStartup()
		]);
		const made = [];
		for (const s of startups) made.push(await makeOffer(db, s, demand.id, offer('60', '50'), origin));
		const results = await Promise.allSettled(made.map((o) => acceptOffer(db, buyer, o, origin)));
		const accepted = await db
			.select()
			.from(schema.offers)
			.where(and(eq(schema.offers.demandId, demand.id), eq(schema.offers.status, 'accepted')));
		const total = accepted.reduce((sum, o) => sum + o.quantity, 0);
		expect(accepted).toHaveLength(2);
		expect(total - 100).toBeLessThan(60);
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
		const deals = await db.select().from(schema.deals).where(eq(schema.deals.demandId, demand.id));
		expect(deals).toHaveLength(2);
	});

	it('lets only the two parties of an offer see and write its messages', async () => {
		const { db } = database;
		const buyer = await member('buyer');
		const demand = await createDemand(db, buyer, demandInput(), { publish: true });
		const startup = await approvedStartup();
		const made = await makeOffer(db, startup, demand.id, offer('1'), origin);
		await postMessage(db, buyer, made.id, 'Can you deliver to Roi Et every first Monday?', origin);
		await postMessage(db, startup, made.id, 'ได้ครับ ส่งทุกวันจันทร์แรกของเดือน', origin);
		expect((await messagesOf(db, startup, made.id)).map((m) => m.body)).toHaveLength(2);
		const outsider = await member('buyer');
		expect(await codeOf(messagesOf(db, outsider, made.id))).toBe('not_found');
		expect(await codeOf(postMessage(db, outsider, made.id, 'hello', origin))).toBe('not_found');
		await declineOffer(db, buyer, made.id, 'ราคาสูงไป', origin);
	});
});

describe('an offer changed while the buyer looks, or outside the terms', () => {
	it('an accept of the terms the buyer saw fails once the startup re-prices, shows the new terms and tells the buyer', async () => {
		const { db } = database;
		const buyer = await member('buyer');
		const demand = await createDemand(db, buyer, demandInput(), { publish: true });
		const startup = await approvedStartup();
		const seen = await makeOffer(db, startup, demand.id, offer('1', '10'), origin);
		expect(seen.version).toBe(1);
		// The same terms sent again are no change: the version stays, and nobody is told.
		expect((await updateOffer(db, startup, seen.id, offer('1', '10'), origin)).version).toBe(1);
		const repriced = await updateOffer(db, startup, seen.id, offer('1', '9999'), origin);
		expect(repriced.version).toBe(2);

		const refused = await rejection(acceptOffer(db, buyer, seen, origin));
		expect(refused).toBeInstanceOf(OfferChanged);
		expect((refused as OfferChanged).terms).toMatchObject({ version: 2, quantity: 1, unitPriceThb: 9999 });
		expect(await db.select().from(schema.deals).where(eq(schema.deals.offerId, seen.id))).toEqual([]);
		const [still] = await db.select().from(schema.offers).where(eq(schema.offers.id, seen.id));
		expect(still!.status).toBe('pending');

		const told = await db
			.select()
			.from(schema.notifications)
			.where(and(eq(schema.notifications.userId, buyer.id), eq(schema.notifications.kind, 'offer_changed')));
		expect(told).toHaveLength(1);
		expect(told[0]!.payload).toMatchObject({ link: `/buyer/demands/${demand.id}` });
		const mail = await db
			.select()
			.from(schema.emailOutbox)
			.where(eq(schema.emailOutbox.toAddress, buyer.email));
		expect(mail.filter((m) => m.subject.startsWith('Offer changed'))).toHaveLength(1);

		// Accepting the version now shown records the deal at the new price.
		const deal = await acceptOffer(db, buyer, { id: seen.id, version: 2 }, origin);
		expect(deal.valueThb).toBe(9999);
	});

	it("an offer outside the demand's terms needs the startup's confirmation, and the comparison flags it", async () => {
		const { db } = database;
		const buyer = await member('buyer');
		const demand = await createDemand(db, buyer, demandInput(), { publish: true });
		const over = await approvedStartup();
		const outside = offerSchema.parse({
			quantity: '3',
			unitPriceThb: '50,000',
			leadTimeDays: '7',
			message: ''
		});
		const refused = await rejection(makeOffer(db, over, demand.id, outside, origin));
		expect(refused).toBeInstanceOf(OutsideTerms);
		expect((refused as OutsideTerms).flags).toEqual(['over_quantity', 'over_price']);
		expect(await db.select().from(schema.offers).where(eq(schema.offers.demandId, demand.id))).toEqual([]);
		await makeOffer(db, over, demand.id, { ...outside, confirmTerms: true }, origin);

		// A startup without the required certificate: flagged too.
		const uncertified = await approvedStartup();
		await db
			.delete(schema.startupCertifications)
			.where(eq(schema.startupCertifications.startupId, (await startupOf(uncertified)).id));
		expect(await codeOf(makeOffer(db, uncertified, demand.id, offer('1'), origin))).toBe(
			'offer_outside_terms'
		);
		await makeOffer(db, uncertified, demand.id, { ...offer('1'), confirmTerms: true }, origin);
		const within = await approvedStartup();
		const kept = await makeOffer(db, within, demand.id, offer('1'), origin);
		// Changing a kept offer to one outside the terms needs the confirmation too.
		expect(await codeOf(updateOffer(db, within, kept.id, offer('1', '45000.01'), origin))).toBe(
			'offer_outside_terms'
		);

		const compared = await offersForComparison(db, demand, ['organic-thailand']);
		const flagsOf = async (user: { organisationId: string | null }) => {
			const { id } = await startupOf(user);
			return compared.find((row) => row.offer.startupId === id)?.termsFlags;
		};
		expect(await flagsOf(over)).toEqual(['over_quantity', 'over_price']);
		expect(await flagsOf(uncertified)).toEqual(['certification_missing']);
		expect(await flagsOf(within)).toEqual([]);
	});
});

describe('schedule and moderation', () => {
	it('expires demands past their date or at their offer cap, idempotently, and reminds once', async () => {
		const { db } = database;
		const buyer = await member('buyer');
		const late = await createDemand(db, buyer, demandInput(), { publish: true });
		await db.update(schema.demands).set({ neededBy: '2020-01-01' }).where(eq(schema.demands.id, late.id));
		const capped = await createDemand(db, buyer, demandInput({ maxOffers: '1' }), { publish: true });
		await makeOffer(db, await approvedStartup(), capped.id, offer('1'), origin);
		const soon = await createDemand(db, buyer, demandInput(), { publish: true });
		const inTwoDays = new Date(Date.now() + 2 * 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
		await db.update(schema.demands).set({ neededBy: inTwoDays }).where(eq(schema.demands.id, soon.id));
		const first = await runDemandSchedule(db, origin);
		const second = await runDemandSchedule(db, origin);
		expect(first.expired).toBeGreaterThanOrEqual(2);
		expect(second).toEqual({ expired: 0, reminded: 0 });
		const statuses = await db
			.select({ id: schema.demands.id, status: schema.demands.status })
			.from(schema.demands);
		const statusOf = (id: string) => statuses.find((s) => s.id === id)!.status;
		expect([statusOf(late.id), statusOf(capped.id), statusOf(soon.id)]).toEqual([
			'expired',
			'expired',
			'open'
		]);
		const reminders = await db
			.select()
			.from(schema.notifications)
			.where(and(eq(schema.notifications.userId, buyer.id), eq(schema.notifications.kind, 'demand_closing')));
		expect(reminders.length).toBeGreaterThanOrEqual(1);
		expect(reminders.filter((r) => (r.payload as { link: string }).link.endsWith(soon.id))).toHaveLength(1);
	});

	it("lets the delivery province's office hide a reported demand, with the reason audited", async () => {
		const { db } = database;
		const buyer = await member('buyer');
		const spam = await createDemand(db, buyer, demandInput({ titleEn: 'BUY FOLLOWERS NOW' }), {
			publish: true
		});
		const reporter = await member('startup');
		await reportSubject(db, reporter, { type: 'demand', id: spam.id }, 'spam', 'http://portal.test');
		expect((await openReports(db, 'TH-45')).map((r) => r.demandId)).toContain(spam.id);
		const elsewhere = await buildUser(db, { role: 'officer', provinceCode: 'TH-50' });
		expect(await codeOf(hideDemand(db, elsewhere, spam.id, 'spam', 'http://portal.test'))).toBe('not_found');
		await hideDemand(db, officer, spam.id, 'โฆษณาไม่เกี่ยวข้อง', 'http://portal.test');
		const [row] = await db.select().from(schema.demands).where(eq(schema.demands.id, spam.id));
		expect(row).toMatchObject({ status: 'hidden', hiddenReason: 'โฆษณาไม่เกี่ยวข้อง' });
		const [event] = await db
			.select()
			.from(schema.auditEvents)
			.where(and(eq(schema.auditEvents.subjectId, spam.id), eq(schema.auditEvents.action, 'demand.hide')));
		expect(event).toMatchObject({ actorLabel: officer.email, provinceCode: 'TH-45' });
		const [report] = await db.select().from(schema.reports).where(eq(schema.reports.subjectId, spam.id));
		expect(report!.status).toBe('resolved');
	});
});

describe('emails in the recipient language', () => {
	it('an English-language buyer reads the English title and business name; a Thai one the Thai ones', async () => {
		const { db } = database;
		const startupUser = await approvedStartup();
		const startup = await startupOf(startupUser);
		await db
			.update(schema.startups)
			.set({ nameTh: 'ข้าวหอมสหกรณ์', nameEn: 'Fragrant Rice Co-op' })
			.where(eq(schema.startups.id, startup.id));
		const inEnglish = await member('buyer');
		const inThai = await member('buyer');
		await db.update(schema.users).set({ locale: 'th' }).where(eq(schema.users.id, inThai.id));
		const titles = { titleTh: 'ข้าวหอมมะลิอินทรีย์', titleEn: 'Organic jasmine rice' };
		for (const buyer of [inEnglish, inThai]) {
			const demand = await createDemand(db, buyer, demandInput(titles), { publish: true });
			expect((await demandDetail(db, demand.id))!.offerCount).toBe(0);
			await makeOffer(db, startupUser, demand.id, offer('1'), origin);
			// The public page counts the offer made.
			expect((await demandDetail(db, demand.id))!.offerCount).toBe(1);
		}
		const mailTo = async (email: string) => {
			const mail = await db.select().from(schema.emailOutbox).where(eq(schema.emailOutbox.toAddress, email));
			return mail.find((row) => row.bodyText.includes(origin + '/buyer/demands/'))!;
		};
		const english = await mailTo(inEnglish.email);
		expect(english.subject).toBe('New offer: Organic jasmine rice');
		expect(english.bodyText).toContain('Fragrant Rice Co-op has made an offer on "Organic jasmine rice"');
		expect(english.bodyText).not.toContain('ข้าว');
		const thai = await mailTo(inThai.email);
		expect(thai.subject).toContain('ข้าวหอมมะลิอินทรีย์');
		expect(thai.bodyText).toContain('ข้าวหอมสหกรณ์');
	});
});
