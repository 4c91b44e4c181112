// Verified organisations (issue 20 item 6), on real PostgreSQL: the juristic person number is checked at entry,
// documents stay private to the organisation and its office, only the organisation's own office (the
// administrators for Bangkok and buyers without a province) decides, every decision is audited, the badge shows
// only while verified, a buyer can take offers from verified startups only, and only verified buyers' demands are
// announced to startups.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as schema from '$lib/server/db/schema';
import { codeOf } from '../helpers/errors';
import { demandDetail, offersForComparison } from '$lib/server/demands/queries';
import { createDemand } from '$lib/server/demands/service';
import { computeCoverage, refreshCoverage } from '$lib/server/gap/coverage';
import { makeOffer } from '$lib/server/offers/service';
import type { Actor } from '$lib/server/auth/actor';
import { decideVerification, verificationQueue } from '$lib/server/organisations/verification';
import { m } from '$lib/paraglide/messages';
import { demandSchema, offerSchema } from '$lib/schemas/demand';
import { verificationDecisionSchema } from '$lib/schemas/organisation';
import { buildOrganisation, buildUser } from '../factories';
import { routeEvent, routeModule, settle, signedInLocals, type Settled } from '../helpers/route-event';
import { DEMAND_FORM, startWorld, type RunningWorld } from '../helpers/world';

// Uploads are written here, never into the working copy's ./data.
process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'verified-organisations-'));

const origin = 'http://portal.test';
const PDF = '%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n';

/** Twelve digits and their check digit, computed here independently of the portal's code. */
function juristicNumber(twelve: string): string {
	const sum = [...twelve].reduce((total, digit, i) => total + Number(digit) * (13 - i), 0);
	return twelve + String((11 - (sum % 11)) % 10);
}
const wrongCheckDigit = (valid: string) => valid.slice(0, 12) + String((Number(valid[12]) + 1) % 10);

let running: RunningWorld;
let officerElsewhere: typeof schema.users.$inferSelect;
beforeAll(async () => {
	running = await startWorld({ search: false });
	officerElsewhere = await buildUser(running.database.db, {
		role: 'officer',
		provinceCode: 'TH-52',
		passwordHash: 'x'
	});
}, 120_000);
afterAll(async () => {
	await running?.stop();
});

const db = () => running.database.db;
const users = () => running.world.users;

async function call(
	file: string,
	userId: string | null,
	what: {
		action?: string;
		method?: 'GET' | 'POST';
		params?: Record<string, string>;
		body?: FormData | Record<string, string>;
	}
): Promise<Settled> {
	const module = await routeModule(file);
	const locals = await signedInLocals(db(), userId);
	const event = routeEvent({
		locals,
		method: what.action || what.method === 'POST' ? 'POST' : 'GET',
		params: what.params,
		body: what.body
	});
	if (what.action) {
		const actions = module.actions as Record<string, (e: unknown) => unknown>;
		return settle(() => actions[what.action!]!(event));
	}
	const handler = (module.GET ?? module.load) as (e: unknown) => unknown;
	return settle(() => handler(event));
}

const ORGANISATION_PAGE = '(app)/organisation/+page.server.ts';
const DOCUMENT_ROUTE = '(app)/organisation/documents/[id]/+server.ts';

async function upload(userId: string, name: string, content: string, type: string) {
	const form = new FormData();
	form.set('document', new File([content], name, { type }));
	return call(ORGANISATION_PAGE, userId, { action: 'upload', body: form });
}

const organisationOf = async (organisationId: string) =>
	(await db().select().from(schema.organisations).where(eq(schema.organisations.id, organisationId)))[0]!;

const documentsOf = (organisationId: string) =>
	db()
		.select()
		.from(schema.organisationDocuments)
		.where(eq(schema.organisationDocuments.organisationId, organisationId));

const auditOf = (organisationId: string) =>
	db()
		.select()
		.from(schema.auditEvents)
		.where(
			and(
				eq(schema.auditEvents.subjectType, 'organisation'),
				eq(schema.auditEvents.subjectId, organisationId)
			)
		)
		.orderBy(schema.auditEvents.id);

const actorOf = (
	user: typeof schema.users.$inferSelect
): Pick<Actor, 'id' | 'email' | 'role' | 'provinceCode'> => ({
	id: user.id,
	email: user.email,
	role: user.role,
	provinceCode: user.provinceCode
});

const decide = (
	user: typeof schema.users.$inferSelect,
	province: string,
	organisationId: string,
	decision: string,
	reason = ''
) =>
	decideVerification(
		db(),
		actorOf(user),
		province,
		organisationId,
		verificationDecisionSchema.parse({ decision, reason }),
		origin
	);

/** Uploads a PDF and asks for verification with a valid number; the organisation is then pending. */
async function askForVerification(user: typeof schema.users.$inferSelect, twelve: string, provinceCode = '') {
	expect((await upload(user.id, 'หนังสือรับรอง.pdf', PDF, 'application/pdf')).kind).toBe('redirect');
	const asked = await call(ORGANISATION_PAGE, user.id, {
		action: 'request',
		body: { registrationNumber: juristicNumber(twelve), provinceCode }
	});
	expect(asked).toMatchObject({ kind: 'redirect', location: '/organisation?requested' });
}

describe('asking for verification', () => {
	it('checks the check digit at entry, needs a document, and changes nothing when refused', async () => {
		const buyer = users().otherBuyer;
		const valid = juristicNumber('010555011111');
		const refusedFor = async (registrationNumber: string) => {
			const settled = await call(ORGANISATION_PAGE, buyer.id, {
				action: 'request',
				body: { registrationNumber }
			});
			expect(settled.kind).toBe('failure');
			return (settled as { data: { errors: Record<string, string> } }).data.errors;
		};
		// No document yet: refused, with the field to fix.
		expect(await refusedFor(valid)).toEqual({ document: 'verification_documents_required' });
		// A text file is neither a PDF nor a picture.
		const text = await upload(buyer.id, 'notes.txt', 'not a document', 'text/plain');
		expect(text).toMatchObject({ kind: 'failure', status: 415 });
		expect(await documentsOf(buyer.organisationId!)).toEqual([]);
		expect((await upload(buyer.id, 'affidavit.pdf', PDF, 'application/pdf')).kind).toBe('redirect');
		expect(await refusedFor(wrongCheckDigit(valid))).toEqual({
			registrationNumber: 'juristic_number_check_digit'
		});
		expect(await refusedFor('12345')).toEqual({ registrationNumber: 'juristic_number_format' });
		let organisation = await organisationOf(buyer.organisationId!);
		expect([organisation.verification, organisation.registrationNumber]).toEqual(['unverified', null]);

		// Typed with dashes, as on the affidavit: accepted, waiting for the office, on the record.
		const typed = `${valid.slice(0, 1)}-${valid.slice(1, 5)}-${valid.slice(5, 10)}-${valid.slice(10, 12)}-${valid[12]}`;
		expect(
			await call(ORGANISATION_PAGE, buyer.id, { action: 'request', body: { registrationNumber: typed } })
		).toMatchObject({ kind: 'redirect' });
		organisation = await organisationOf(buyer.organisationId!);
		expect([organisation.verification, organisation.registrationNumber]).toEqual(['pending', valid]);
		expect((await auditOf(buyer.organisationId!)).map((a) => [a.action, a.provinceCode])).toEqual([
			['organisation.request_verification', 'TH-10']
		]);
		// The deciding office (the administrators, for a buyer without a province) is told, in-app and by email;
		// another province's officers are not.
		const link = `/office/TH-10/verification/${buyer.organisationId}`;
		const toldOf = (userId: string) =>
			db()
				.select()
				.from(schema.notifications)
				.where(
					and(
						eq(schema.notifications.userId, userId),
						eq(schema.notifications.kind, 'verification_requested')
					)
				);
		const told = await toldOf(users().admin.id);
		expect(told.map((n) => (n.payload as { link: string }).link)).toEqual([link]);
		const mail = await db()
			.select()
			.from(schema.emailOutbox)
			.where(eq(schema.emailOutbox.toAddress, users().admin.email));
		expect(mail.filter((e) => e.bodyText.endsWith(`${origin}${link}`))).toHaveLength(1);
		expect(await toldOf(officerElsewhere.id)).toEqual([]);
		// While waiting, the number and documents stay as the office sees them.
		expect(await upload(buyer.id, 'more.pdf', PDF, 'application/pdf')).toMatchObject({
			kind: 'failure',
			status: 409
		});
		// Another organisation cannot claim the same number.
		await askForVerificationExpectTaken(valid);
	});

	it('frees a number once the office refuses the claim on it, so a claim typed by someone else locks nobody out', async () => {
		const buyerOf = async () =>
			buildUser(db(), {
				role: 'buyer',
				organisationId: (await buildOrganisation(db(), { kind: 'buyer', provinceCode: null })).id
			});
		const [claimant, holder] = [await buyerOf(), await buyerOf()];
		await askForVerification(claimant, '010555022222');
		expect((await upload(holder.id, 'affidavit.pdf', PDF, 'application/pdf')).kind).toBe('redirect');
		const request = () =>
			call(ORGANISATION_PAGE, holder.id, {
				action: 'request',
				body: { registrationNumber: juristicNumber('010555022222') }
			});
		expect(await request()).toMatchObject({ kind: 'failure', status: 409 });
		const refused = await decide(
			users().admin,
			'TH-10',
			claimant.organisationId!,
			'refuse',
			'ไม่ใช่เลขของกิจการนี้'
		);
		expect(refused).toBe('refused');
		expect(await request()).toMatchObject({ kind: 'redirect' });
	});
});

async function askForVerificationExpectTaken(number: string) {
	const other = users().otherStartup;
	expect((await upload(other.id, 'vat.pdf', PDF, 'application/pdf')).kind).toBe('redirect');
	const settled = await call(ORGANISATION_PAGE, other.id, {
		action: 'request',
		body: { registrationNumber: number }
	});
	expect(settled).toMatchObject({
		kind: 'failure',
		status: 409,
		data: { errors: { registrationNumber: 'juristic_number_taken' } }
	});
}

describe('documents', () => {
	it('are shown to the organisation, its office and the administrators only, never on the public upload path', async () => {
		const { startup, buyer, otherBuyer, officer, admin } = users();
		expect((await upload(startup.id, 'ภพ20.pdf', PDF, 'application/pdf')).kind).toBe('redirect');
		const [document] = await documentsOf(startup.organisationId!);
		expect(document!.fileName).toBe('ภพ20.pdf');
		const get = (userId: string | null) => call(DOCUMENT_ROUTE, userId, { params: { id: document!.id } });
		const own = await get(startup.id);
		expect(own.kind).toBe('data');
		const response = (own as { value: Response }).value;
		expect(response.headers.get('content-type')).toBe('application/pdf');
		expect(response.headers.get('content-disposition')).toMatch(/^attachment/);
		expect(Buffer.from(await response.arrayBuffer()).toString()).toBe(PDF);
		// The startup is in Chiang Mai: its office reads it; another province's office, other members and
		// visitors are told it does not exist.
		expect((await get(officer.id)).kind).toBe('data');
		expect((await get(admin.id)).kind).toBe('data');
		for (const outsider of [buyer.id, otherBuyer.id, officerElsewhere.id])
			expect(await get(outsider)).toMatchObject({ kind: 'http', status: 404 });
		expect(await get(null)).toMatchObject({ kind: 'http', status: 401 });
		// The public upload route serves logos, photos and attachments, never documents.
		const publicRoute = await call('uploads/[...path]/+server.ts', null, {
			params: { path: document!.path }
		});
		expect(publicRoute).toMatchObject({ kind: 'http', status: 404 });
		// Other organisations cannot remove it either: to them it does not exist.
		for (const stranger of [buyer.id, users().otherStartup.id]) {
			const removed = await call(ORGANISATION_PAGE, stranger, {
				action: 'remove',
				body: { documentId: document!.id }
			});
			expect(removed).toMatchObject({ kind: 'failure', status: 404 });
		}
		expect(await documentsOf(startup.organisationId!)).toHaveLength(1);
	});
});

describe("the office's decision", () => {
	it('belongs to the organisation’s own office; refusing and revoking need a reason; every decision is audited and told', async () => {
		const { startup, officer, admin } = users();
		await askForVerification(startup, '050555022222');
		const organisationId = startup.organisationId!;
		expect((await verificationQueue(db(), 'TH-50')).map((o) => o.id)).toContain(organisationId);
		expect((await verificationQueue(db(), 'TH-52')).map((o) => o.id)).not.toContain(organisationId);
		expect((await verificationQueue(db(), 'TH-10')).map((o) => o.id)).not.toContain(organisationId);

		// Lampang's officer can neither decide for Chiang Mai nor reach the startup from Lampang.
		expect(await codeOf(decide(officerElsewhere, 'TH-50', organisationId, 'verify'))).toBe('not_found');
		expect(await codeOf(decide(officerElsewhere, 'TH-52', organisationId, 'verify'))).toBe('not_found');
		const page = await call(
			'(app)/office/[province=province]/verification/[id]/+page.server.ts',
			officerElsewhere.id,
			{
				params: { province: 'TH-50', id: organisationId }
			}
		);
		expect(page).toMatchObject({ kind: 'http', status: 403 });
		expect((await organisationOf(organisationId)).verification).toBe('pending');

		// No reason, no refusal.
		expect(verificationDecisionSchema.safeParse({ decision: 'refuse', reason: '' }).success).toBe(false);
		expect(await decide(officer, 'TH-50', organisationId, 'refuse', 'สำเนาหนังสือรับรองหมดอายุ')).toBe('refused');
		// Refused: it can correct and ask again.
		expect((await upload(startup.id, 'ใหม่.pdf', PDF, 'application/pdf')).kind).toBe('redirect');
		expect(
			await call(ORGANISATION_PAGE, startup.id, {
				action: 'request',
				body: { registrationNumber: juristicNumber('050555022222') }
			})
		).toMatchObject({ kind: 'redirect' });
		expect(await decide(officer, 'TH-50', organisationId, 'verify')).toBe('verified');
		// Deciding twice is a conflict, not a second decision.
		expect(await codeOf(decide(officer, 'TH-50', organisationId, 'verify'))).toBe('verification_not_allowed');
		// The administrators act everywhere, here to revoke when the documents turn out wrong.
		expect(await decide(admin, 'TH-50', organisationId, 'revoke', 'หนังสือรับรองปลอม')).toBe('revoked');

		const trail = await auditOf(organisationId);
		expect(trail.map((a) => [a.action, a.actorId, a.provinceCode])).toEqual([
			['organisation.request_verification', startup.id, 'TH-50'],
			['organisation.refuse', officer.id, 'TH-50'],
			['organisation.request_verification', startup.id, 'TH-50'],
			['organisation.verify', officer.id, 'TH-50'],
			['organisation.revoke', admin.id, 'TH-50']
		]);
		expect(trail[1]!.after).toMatchObject({ verification: 'refused', reason: 'สำเนาหนังสือรับรองหมดอายุ' });
		expect(trail[4]!.after).toMatchObject({ verification: 'revoked', reason: 'หนังสือรับรองปลอม' });
		const organisation = await organisationOf(organisationId);
		expect([organisation.verification, organisation.verificationReason, organisation.verifiedAt]).toEqual([
			'revoked',
			'หนังสือรับรองปลอม',
			null
		]);
		const told = await db()
			.select({ kind: schema.notifications.kind })
			.from(schema.notifications)
			.where(
				and(
					eq(schema.notifications.userId, startup.id),
					sql`${schema.notifications.kind} like 'organisation_%'`
				)
			)
			.orderBy(schema.notifications.createdAt);
		expect(told.map((n) => n.kind)).toEqual([
			'organisation_refused',
			'organisation_verified',
			'organisation_revoked'
		]);
		// Chiang Mai's officer does not decide for a buyer without a province: the administrators do.
		expect(await codeOf(decide(officer, 'TH-50', users().otherBuyer.organisationId!, 'verify'))).toBe(
			'not_found'
		);
	});
});

describe('the badge, verified-only offers and announcements', () => {
	const demandInput = (extra: Record<string, string> = {}) =>
		demandSchema.parse({ ...DEMAND_FORM, titleTh: 'ข้าวหอมมะลิสำหรับโรงแรม', certifications: [], ...extra });
	const offerInput = offerSchema.parse({
		quantity: '1',
		unitPriceThb: '40000',
		leadTimeDays: '14',
		message: ''
	});

	it('shows the badge only while the organisation is verified', async () => {
		const { buyer, otherStartup, admin, officer } = users();
		const demand = await createDemand(db(), buyer, demandInput(), { publish: true });
		await makeOffer(db(), otherStartup, demand.id, offerInput, origin);
		const publicDemand = async () =>
			(
				(await call('(public)/demand/[id]/+page.server.ts', null, { params: { id: demand.id } })) as {
					value: { buyerVerified: boolean };
				}
			).value.buyerVerified;
		const [startupRow] = await db()
			.select()
			.from(schema.startups)
			.where(eq(schema.startups.organisationId, otherStartup.organisationId!));
		const publicStartup = async () =>
			(
				(await call('(public)/startups/[slug]/+page.server.ts', null, {
					params: { slug: startupRow!.slug }
				})) as {
					value: { verified: boolean };
				}
			).value.verified;
		const offerBadge = async () => {
			const detail = (await demandDetail(db(), demand.id))!;
			return (await offersForComparison(db(), detail.demand, detail.certifications))[0]!.startupVerified;
		};
		expect([await publicDemand(), await publicStartup(), await offerBadge()]).toEqual([false, false, false]);

		// Pending is not verified.
		// A buyer registered in Chiang Mai is checked by Chiang Mai's office, not the administrators' queue.
		await askForVerification(buyer, '010555033333', 'TH-50');
		expect((await verificationQueue(db(), 'TH-50')).map((o) => o.id)).toContain(buyer.organisationId);
		expect((await verificationQueue(db(), 'TH-10')).map((o) => o.id)).not.toContain(buyer.organisationId);
		expect(await publicDemand()).toBe(false);
		expect(await codeOf(decide(admin, 'TH-10', buyer.organisationId!, 'verify'))).toBe('not_found');
		await decide(officer, 'TH-50', buyer.organisationId!, 'verify');
		expect(await publicDemand()).toBe(true);
		// The other startup already asked (with a number another organisation holds, refused above); it asks with its own.
		await db()
			.update(schema.organisations)
			.set({ verification: 'pending', registrationNumber: juristicNumber('050555044444') })
			.where(eq(schema.organisations.id, otherStartup.organisationId!));
		await decide(officer, 'TH-50', otherStartup.organisationId!, 'verify');
		expect([await publicStartup(), await offerBadge()]).toEqual([true, true]);
		await decide(officer, 'TH-50', otherStartup.organisationId!, 'revoke', 'เอกสารไม่ตรงกับชื่อกิจการ');
		expect([await publicStartup(), await offerBadge()]).toEqual([false, false]);
	});

	it('refuses an offer from an unverified startup when the buyer asked for verified startups only, in words', async () => {
		const { buyer, startup, otherStartup, officer } = users();
		const demand = await createDemand(db(), buyer, demandInput({ verifiedOffersOnly: 'on' }), {
			publish: true
		});
		expect(demand.verifiedOffersOnly).toBe(true);
		// The startup's verification was revoked above; the other startup's too.
		expect((await organisationOf(startup.organisationId!)).verification).toBe('revoked');
		const offered = await call('(public)/demand/[id]/+page.server.ts', startup.id, {
			action: 'offer',
			params: { id: demand.id },
			body: { quantity: '1', unitPriceThb: '40000', leadTimeDays: '14', message: '' }
		});
		expect(offered).toMatchObject({
			kind: 'failure',
			status: 403,
			data: { errors: { form: 'offer_verified_only' } }
		});
		expect(m.error_offer_verified_only({}, { locale: 'th' })).toContain('ยืนยันตัวตน');
		expect(m.error_offer_verified_only({}, { locale: 'en' })).toContain('verified');
		const offers = () => db().select().from(schema.offers).where(eq(schema.offers.demandId, demand.id));
		expect(await offers()).toEqual([]);
		// Verified again, the other startup offers.
		await db()
			.update(schema.organisations)
			.set({ verification: 'pending' })
			.where(eq(schema.organisations.id, otherStartup.organisationId!));
		await decide(officer, 'TH-50', otherStartup.organisationId!, 'verify');
		await makeOffer(db(), otherStartup, demand.id, offerInput, origin);
		expect(await offers()).toHaveLength(1);
		// A demand without the choice takes offers from anyone approved.
		const open = await createDemand(db(), buyer, demandInput(), { publish: true });
		expect(await codeOf(makeOffer(db(), startup, open.id, offerInput, origin))).toBe('ok');
	});

	it('announces only a verified buyer’s demand, and an unverified buyer’s once the office verifies it', async () => {
		const { otherBuyer, admin } = users();
		// The other buyer is still waiting (asked in the first test).
		expect((await organisationOf(otherBuyer.organisationId!)).verification).toBe('pending');
		const demand = await createDemand(db(), otherBuyer, demandInput({ titleTh: 'ข้าวหอมมะลิอินทรีย์ทุกเดือน' }), {
			publish: true
		});
		const announced = async () =>
			(
				await db()
					.select({ id: schema.notifications.id })
					.from(schema.notifications)
					.where(
						and(
							eq(schema.notifications.kind, 'demand_matches_you'),
							sql`${schema.notifications.payload}->>'link' = ${`/demand/${demand.id}`}`
						)
					)
			).length;
		const pending = async () =>
			(await db().select().from(schema.demands).where(eq(schema.demands.id, demand.id)))[0]!.announcePending;
		await computeCoverage(db(), null, demand.id, { origin });
		expect(await announced()).toBe(0);
		expect(await pending()).toBe(true);
		// Not picked again and again while its buyer waits: its coverage is current.
		await refreshCoverage(db(), null, 200, { origin });
		expect((await refreshCoverage(db(), null, 200, { origin })).computed).toBe(0);
		expect(await announced()).toBe(0);

		await decide(admin, 'TH-10', otherBuyer.organisationId!, 'verify');
		expect((await refreshCoverage(db(), null, 200, { origin })).computed).toBeGreaterThanOrEqual(1);
		expect(await announced()).toBeGreaterThan(0);
		expect(await pending()).toBe(false);
	});
});
