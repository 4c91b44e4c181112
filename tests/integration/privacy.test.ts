// PDPA by design against a real database: the export holds every category of a person's data, deleting an account
// erases what identifies them and keeps the deal under a pseudonym, consent is asked again when the notice changes,
// retention removes old rows and keeps recent ones, and contact details show only to those the organisation chose.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '$lib/server/accounts/service';
import { createSession, generateSessionToken } from '$lib/server/auth/session';
import * as schema from '$lib/server/db/schema';
import { createDemand } from '$lib/server/demands/service';
import { UserError } from '$lib/server/errors';
import { tidyOnce } from '$lib/server/housekeeping';
import { acceptOffer, makeOffer, postMessage } from '$lib/server/offers/service';
import { currentConsents, hasConsent, recordConsent, withdrawConsent } from '$lib/server/privacy/consents';
import { contactShownTo, sendContactMessage, setContactVisibility } from '$lib/server/privacy/contact';
import { deleteAccount, tablesErasedWithAccount } from '$lib/server/privacy/erase';
import { exportPersonalData, tablesKeyedByUser } from '$lib/server/privacy/export';
import { PRIVACY_NOTICE_VERSION, pseudonymOf } from '$lib/server/privacy/notice';
import { listPrivacyRequests, recordPrivacyRequest } from '$lib/server/privacy/requests';
import { saveLineTopics } from '$lib/server/line/service';
import { LINE_CONSENT_NOTICE_VERSION } from '$lib/line';
import { demandSchema, offerSchema } from '$lib/schemas/demand';
import { approveStartupMember, buildUser, daysFromToday } from '../factories';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

let database: TestDatabase;
let officer: Awaited<ReturnType<typeof buildUser>>;
const origin = 'http://portal.test';
const PASSWORD = 'market leads production';
const DAY = 86_400_000;
let counter = 0;

beforeAll(async () => {
	database = await createTestDatabase();
	officer = await buildUser(database.db, { role: 'officer', provinceCode: 'TH-45', passwordHash: 'x' });
});
afterAll(async () => {
	await database?.dispose();
});

async function member(accountType: 'buyer' | 'startup') {
	const n = ++counter;
	const user = await signUp(
		database.db,
		{
			accountType,
			organisationName: `${accountType} privacy ${n}`,
			provinceCode: accountType === 'startup' ? 'TH-45' : null,
			email: `privacy-${accountType}-${n}@example.org`,
			password: PASSWORD,
			locale: 'th'
		},
		{ origin, address: `10.9.${n}.1` }
	);
	const [verified] = await database.db
		.update(schema.users)
		.set({ emailVerifiedAt: new Date(), displayName: `คุณสมชาย ${n}` })
		.where(eq(schema.users.id, user.id))
		.returning();
	return verified!;
}

const demandInput = () =>
	demandSchema.parse({
		titleTh: 'ข้าวหอมมะลิอินทรีย์',
		titleEn: '',
		detailsTh: 'ส่งทุกเดือน',
		detailsEn: '',
		divisionCode: '01',
		quantity: '2',
		unit: 'tonne',
		recurrence: 'monthly',
		priceThbMax: '45,000',
		deliveryProvinceCode: 'TH-45',
		neededBy: daysFromToday(200),
		certifications: [],
		maxOffers: ''
	});

/** A session signed in at `createdAt` (createSession stamps the database's now). */
async function sessionCreated(userId: string, createdAt: Date, expiresAt?: Date) {
	const session = await createSession(database.db, generateSessionToken(), userId);
	const [row] = await database.db
		.update(schema.sessions)
		.set({ createdAt, ...(expiresAt ? { expiresAt } : {}) })
		.where(eq(schema.sessions.id, session.id))
		.returning();
	return row!;
}

/** A buyer and a startup who made a deal, with a message, a notification, a session and a consent. */
async function dealMade() {
	const { db } = database;
	const buyer = await member('buyer');
	const startup = await member('startup');
	await approveStartupMember(db, startup, officer, origin);
	const demand = await createDemand(db, buyer, demandInput(), { publish: true });
	const offer = await makeOffer(
		db,
		startup,
		demand.id,
		offerSchema.parse({ quantity: '2', unitPriceThb: '40000', leadTimeDays: '7', message: '' }),
		origin
	);
	await postMessage(db, buyer, offer.id, 'ส่งตัวอย่างได้ไหมครับ', origin);
	await acceptOffer(db, buyer, offer, origin);
	const token = generateSessionToken();
	const session = await createSession(db, token, buyer.id, { userAgent: 'Firefox', ipAddress: '10.0.0.1' });
	await db
		.insert(schema.userIdentities)
		.values({ userId: buyer.id, provider: 'thaid', subject: `s-${counter}` });
	await db
		.insert(schema.notifications)
		.values({ userId: buyer.id, kind: 'offer_received', payload: { link: '/buyer' } });
	await recordConsent(db, buyer.id, 'marketing');
	return { buyer, startup, demand, offer, session };
}

describe('download my data', () => {
	it('finds every table that names a person from the schema, secrets withheld', () => {
		const names = tablesKeyedByUser().map((link) => link.name);
		for (const table of [
			'sessions',
			'user_identities',
			'notifications',
			'consents',
			'privacy_requests',
			'demands',
			'offer_messages',
			'quote_invitations',
			'reports',
			'audit_events',
			'waste_lots',
			'material_wants'
		])
			expect(names).toContain(table);
	});

	it('exports profile, organisation, listings, offers, deals, messages, notifications, sign-ins, identities and consents', async () => {
		const { buyer, demand, session } = await dealMade();
		const data = (await exportPersonalData(database.db, buyer.id))!;
		expect(data.profile).toMatchObject({ id: buyer.id, email: buyer.email, displayName: buyer.displayName });
		expect(data.profile).not.toHaveProperty('passwordHash');
		expect(data.organisation).toMatchObject({ id: buyer.organisationId });
		expect(data.records.demands!.map((row) => row.id)).toEqual([demand.id]);
		expect(data.offers).toHaveLength(1);
		expect(data.deals).toHaveLength(1);
		expect(data.records.offer_messages!.map((row) => row.body)).toEqual(['ส่งตัวอย่างได้ไหมครับ']);
		expect(data.records.notifications!.length).toBeGreaterThanOrEqual(1);
		expect(data.records.sessions!.map((row) => row.ipAddress)).toContain('10.0.0.1');
		expect(JSON.stringify(data.records.sessions)).not.toContain(session.id);
		expect(data.records.user_identities!.map((row) => row.provider)).toEqual(['thaid']);
		expect(data.records.consents!.map((row) => row.purpose)).toEqual(['marketing']);
		expect(data.records.audit_events!.length).toBeGreaterThan(0);
		// The file is JSON a machine reads back as it was.
		const readBack: unknown = JSON.parse(JSON.stringify(data));
		expect(readBack).toMatchObject({ format: 'talad-nam-kan-phalit/personal-data' });
	});
});

describe('delete my account', () => {
	it('erases what identifies the person and keeps the deal under a pseudonym', async () => {
		const { db } = database;
		const { buyer, offer } = await dealMade();
		// LINE notifications chosen on the account page: their consent is one more row of the same record.
		await db
			.insert(schema.userIdentities)
			.values({ userId: buyer.id, provider: 'line', subject: `U-privacy-${counter}` });
		await saveLineTopics(db, buyer.id, ['report']);
		expect(await hasConsent(db, buyer.id, 'line_notifications')).toBe(true);
		await expect(
			deleteAccount(db, buyer.id, { password: 'wrong password here', sessionId: null }, origin)
		).rejects.toThrow(UserError);
		const result = await deleteAccount(db, buyer.id, { password: PASSWORD, sessionId: null }, origin);
		const pseudonym = pseudonymOf(buyer.id).th;
		expect(result.pseudonym).toBe(pseudonym);
		expect(pseudonym).toMatch(/^ผู้ใช้ที่ลบแล้ว #[0-9a-f]{6}$/);
		const [after] = await db.select().from(schema.users).where(eq(schema.users.id, buyer.id));
		expect(after).toMatchObject({ displayName: pseudonym, passwordHash: null, status: 'suspended' });
		expect(after!.email).not.toContain('example.org');
		expect(after!.deletedAt).not.toBeNull();
		for (const table of [schema.sessions, schema.userIdentities, schema.notifications, schema.authTokens])
			expect(await db.select().from(table).where(eq(table.userId, buyer.id))).toEqual([]);
		// The deal and the accepted offer stay; the audit record of the accept names the pseudonym, not the address.
		const [deal] = await db.select().from(schema.deals).where(eq(schema.deals.offerId, offer.id));
		expect(deal).toBeDefined();
		const [accepted] = await db.select().from(schema.offers).where(eq(schema.offers.id, offer.id));
		expect(accepted!.status).toBe('accepted');
		const events = await db.select().from(schema.auditEvents).where(eq(schema.auditEvents.actorId, buyer.id));
		expect(events.length).toBeGreaterThan(1);
		for (const event of events) {
			expect(event.actorLabel).toBe(pseudonym);
			expect(JSON.stringify([event.before, event.after])).not.toContain(buyer.email);
		}
		const [message] = await db
			.select()
			.from(schema.offerMessages)
			.where(eq(schema.offerMessages.authorId, buyer.id));
		expect(message).toBeDefined();
		// The request is on record, done, with its due date 30 days on.
		const [request] = (await listPrivacyRequests(db)).filter((r) => r.who === pseudonym);
		expect(request).toMatchObject({ kind: 'deletion', overdue: false });
		expect(request!.dueAt.getTime() - request!.requestedAt.getTime()).toBe(30 * DAY);
		// Consents are withdrawn, their history kept as proof: the LINE consent as well as the marketing one.
		expect(await currentConsents(db, buyer.id)).toEqual([]);
		const kept = await db.select().from(schema.consents).where(eq(schema.consents.userId, buyer.id));
		expect(kept.map((row) => row.purpose).sort()).toEqual(['line_notifications', 'marketing']);
		expect(kept.find((row) => row.purpose === 'line_notifications')).toMatchObject({
			noticeVersion: LINE_CONSENT_NOTICE_VERSION,
			withdrawnAt: expect.any(Date) as unknown
		});
	});

	it('closes the open demands of an organisation whose last member leaves, but not while another remains', async () => {
		const { db } = database;
		const buyer = await member('buyer');
		const demand = await createDemand(db, buyer, demandInput(), { publish: true });
		const colleague = await buildUser(db, {
			role: 'buyer',
			organisationId: buyer.organisationId,
			passwordHash: null
		});
		// Without a password, a sign-in older than ten minutes does not confirm.
		const old = await sessionCreated(colleague.id, new Date(Date.now() - 3_600_000));
		await expect(
			deleteAccount(db, colleague.id, { password: '', sessionId: old.id }, origin)
		).rejects.toMatchObject({ code: 'privacy_reauthenticate' });
		const fresh = await createSession(db, generateSessionToken(), colleague.id);
		expect(
			(await deleteAccount(db, colleague.id, { password: '', sessionId: fresh.id }, origin))
				.closedOrganisation
		).toBe(false);
		let [row] = await db.select().from(schema.demands).where(eq(schema.demands.id, demand.id));
		expect(row!.status).toBe('open');
		expect(
			(await deleteAccount(db, buyer.id, { password: PASSWORD, sessionId: null }, origin)).closedOrganisation
		).toBe(true);
		[row] = await db.select().from(schema.demands).where(eq(schema.demands.id, demand.id));
		expect(row!.status).toBe('closed');
	});

	it('refuses staff accounts and erases every table that cascades with users', async () => {
		await expect(
			deleteAccount(database.db, officer.id, { password: 'x', sessionId: null }, origin)
		).rejects.toMatchObject({ code: 'privacy_staff_account' });
		const erased = tablesErasedWithAccount().map(({ table }) => table);
		for (const table of [schema.sessions, schema.userIdentities, schema.notifications, schema.authTokens])
			expect(erased).toContain(table);
		expect(erased).not.toContain(schema.consents);
		expect(erased).not.toContain(schema.privacyRequests);
	});
});

describe('consent', () => {
	it('is asked again when the notice version changes, and withdrawn as easily as given', async () => {
		const { db } = database;
		const person = await member('startup');
		const older = '2000-01-01';
		await recordConsent(db, person.id, 'line_notifications', { version: older });
		expect(await currentConsents(db, person.id)).toMatchObject([
			{ purpose: 'line_notifications', noticeVersion: older, stale: true }
		]);
		expect(await hasConsent(db, person.id, 'line_notifications')).toBe(false);
		// Each purpose is given under its own notice: LINE notifications under the notice beside the LINE choices.
		await recordConsent(db, person.id, 'line_notifications');
		expect(await currentConsents(db, person.id)).toMatchObject([
			{ purpose: 'line_notifications', noticeVersion: LINE_CONSENT_NOTICE_VERSION, stale: false }
		]);
		await recordConsent(db, person.id, 'marketing');
		expect(await currentConsents(db, person.id)).toContainEqual(
			expect.objectContaining({ purpose: 'marketing', noticeVersion: PRIVACY_NOTICE_VERSION, stale: false })
		);
		expect(await hasConsent(db, person.id, 'line_notifications')).toBe(true);
		// Giving the same consent twice keeps one standing row.
		await recordConsent(db, person.id, 'line_notifications');
		const history = await db
			.select()
			.from(schema.consents)
			.where(and(eq(schema.consents.userId, person.id), eq(schema.consents.purpose, 'line_notifications')));
		expect(history).toHaveLength(2);
		expect(await withdrawConsent(db, person.id, 'line_notifications')).toBe(true);
		expect(await withdrawConsent(db, person.id, 'line_notifications')).toBe(false);
		expect(await hasConsent(db, person.id, 'line_notifications')).toBe(false);
	});
});

describe('privacy requests', () => {
	it('flags requests past their due date and not the others', async () => {
		const { db } = database;
		const person = await member('buyer');
		const now = new Date();
		const late = await recordPrivacyRequest(db, person.id, 'correction', {
			detail: 'ชื่อองค์กรสะกดผิด',
			now: new Date(now.getTime() - 31 * DAY)
		});
		const recent = await recordPrivacyRequest(db, person.id, 'correction', {
			detail: 'เบอร์โทรผิด',
			now: new Date(now.getTime() - 29 * DAY)
		});
		const listed = await listPrivacyRequests(db, now);
		expect(listed.find((r) => r.id === late)!.overdue).toBe(true);
		expect(listed.find((r) => r.id === recent)!.overdue).toBe(false);
		// Open requests come first, the most urgent at the top.
		expect(listed.findIndex((r) => r.id === late)).toBeLessThan(listed.findIndex((r) => r.id === recent));
	});
});

describe('retention', () => {
	it('removes rows older than their period and keeps recent ones', async () => {
		const { db } = database;
		const person = await member('buyer');
		const now = new Date();
		const ago = (days: number) => new Date(now.getTime() - days * DAY);
		const retention = { sessionDays: 30, sentMailDays: 2, rateLimitDays: 3, notificationDays: 60 };
		// Still valid but signed in past the period; recent; expired yesterday.
		await sessionCreated(person.id, ago(31), ago(-10));
		const newSession = await sessionCreated(person.id, ago(1));
		await sessionCreated(person.id, ago(2), ago(1));
		await db.insert(schema.notifications).values([
			{ userId: person.id, kind: 'offer_received', payload: { link: '/old' }, createdAt: ago(61) },
			{ userId: person.id, kind: 'offer_received', payload: { link: '/recent' }, createdAt: ago(59) }
		]);
		await db.insert(schema.emailOutbox).values([
			{ toAddress: 'old@example.org', subject: 's', bodyText: 'b', createdAt: ago(4), sentAt: ago(3) },
			{ toAddress: 'new@example.org', subject: 's', bodyText: 'b', createdAt: ago(1), sentAt: ago(1) }
		]);
		await db.insert(schema.rateLimits).values([
			{ key: `retention-old-${person.id}`, windowStart: ago(4), hits: 1 },
			{ key: `retention-new-${person.id}`, windowStart: ago(2), hits: 1 }
		]);
		await tidyOnce(database.db, now, retention);
		const sessions = await db.select().from(schema.sessions).where(eq(schema.sessions.userId, person.id));
		expect(sessions.map((s) => s.id)).toEqual([newSession.id]);
		const kinds = await db
			.select()
			.from(schema.notifications)
			.where(eq(schema.notifications.userId, person.id));
		expect(kinds.map((n) => n.payload.link)).toEqual(['/recent']);
		const mail = await db.select({ to: schema.emailOutbox.toAddress }).from(schema.emailOutbox);
		expect(mail.map((row) => row.to)).toContain('new@example.org');
		expect(mail.map((row) => row.to)).not.toContain('old@example.org');
		const windows = await db.select({ key: schema.rateLimits.key }).from(schema.rateLimits);
		expect(windows.map((row) => row.key)).toContain(`retention-new-${person.id}`);
		expect(windows.map((row) => row.key)).not.toContain(`retention-old-${person.id}`);
	});
});

describe('contact details', () => {
	it('show only to those the organisation chose, and the form never reveals the address', async () => {
		const { db } = database;
		const startup = await member('startup');
		const organisationId = startup.organisationId!;
		const buyer = await member('buyer');
		const otherStartup = await member('startup');
		const asViewer = (u: typeof buyer) => ({ id: u.id, role: u.role, organisationId: u.organisationId });
		// The default: nobody outside the organisation and the offices.
		expect(await contactShownTo(db, null, organisationId)).toBe(false);
		expect(await contactShownTo(db, asViewer(buyer), organisationId)).toBe(false);
		expect(await contactShownTo(db, asViewer(startup), organisationId)).toBe(true);
		expect(await contactShownTo(db, asViewer(officer), organisationId)).toBe(true);
		// Counterparts: a buyer whose organisation is verified, never a competitor or an unverified buyer.
		await setContactVisibility(db, organisationId, 'counterparts');
		expect(await contactShownTo(db, asViewer(buyer), organisationId)).toBe(false);
		await db
			.update(schema.organisations)
			.set({ verification: 'verified', registrationNumber: `0105${String(Date.now()).slice(-9)}` })
			.where(eq(schema.organisations.id, buyer.organisationId!));
		expect(await contactShownTo(db, asViewer(buyer), organisationId)).toBe(true);
		expect(await contactShownTo(db, null, organisationId)).toBe(false);
		await db
			.update(schema.organisations)
			.set({ verification: 'verified', registrationNumber: `0107${String(Date.now()).slice(-9)}` })
			.where(eq(schema.organisations.id, otherStartup.organisationId!));
		expect(await contactShownTo(db, asViewer(otherStartup), organisationId)).toBe(false);
		await setContactVisibility(db, organisationId, 'public');
		expect(await contactShownTo(db, null, organisationId)).toBe(true);
		// The contact form: the message goes to the organisation's address through the outbox.
		await sendContactMessage(
			db,
			buyer,
			{ organisationId, contactEmail: 'sales@startup.example', name: 'ข้าวหอม' },
			'สนใจสั่งข้าว 2 ตันต่อเดือน'
		);
		const [sent] = await db
			.select()
			.from(schema.emailOutbox)
			.where(and(eq(schema.emailOutbox.toAddress, 'sales@startup.example')));
		expect(sent!.bodyText).toContain('สนใจสั่งข้าว 2 ตันต่อเดือน');
		expect(sent!.bodyText).toContain(buyer.email);
	});
});
