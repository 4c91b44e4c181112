// POST /api/v1/import as a partner agency drives it, against the attacks of issue 18: a token rewriting another
// agency's demand or startup by ref, a demand changed after startups offered on it, a demand routed by name into a
// self-registered buyer's account, imported startups published without the office's review, and changes that
// leave no trace of the token that made them.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { yearInThailand } from '$lib/schemas/calendar-date';
import { m } from '$lib/paraglide/messages';
import { importReportSchema } from '$lib/server/api/schemas';
import { issueApiToken, type ApiScope } from '$lib/server/api/tokens';
import { setRuntime } from '$lib/server/context';
import * as schema from '$lib/server/db/schema';
import { importDocument } from '$lib/server/exchange/service';
import type { Runtime } from '$lib/server/runtime';
import { buildOrganisation, buildStartup, buildUser } from '../factories';
import { callApi } from '../helpers/api';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

let database: TestDatabase;
let admin: { id: string; email: string };
const AGENCY_A = 'sme-d-bank';
const AGENCY_B = 'ieat';
const NEXT_YEAR = `${yearInThailand() + 1}-06-30`;

beforeAll(async () => {
	database = await createTestDatabase();
	setRuntime({ db: database.db, database, search: { client: null } } as unknown as Runtime);
	const user = await buildUser(database.db, { role: 'admin' });
	admin = { id: user.id, email: user.email };
});

afterAll(async () => {
	setRuntime(undefined);
	await database?.dispose();
});

async function token(agencyId: string, scopes: ApiScope[]) {
	const { secret, token: row } = await issueApiToken(database.db, admin, {
		agencyId,
		label: `ownership ${agencyId} ${scopes.join('+')}`,
		scopes,
		requestsPerMinute: 1000,
		expiresAt: new Date(Date.now() + 86_400_000)
	});
	return { secret, id: row.id, prefix: row.prefix };
}

async function importAs(
	secret: string,
	document: { startups?: unknown[]; demands?: unknown[] },
	options: { dryRun?: boolean; language?: string } = {}
) {
	const response = await callApi('POST', `/api/v1/import${options.dryRun ? '?dry_run=true' : ''}`, {
		token: secret,
		body: { format: 'provincial-matchmaking/v1', ...document },
		headers: { 'accept-language': options.language ?? 'en' }
	});
	const body: unknown = await response.json();
	return { status: response.status, body };
}

// A refused import's problems, each with its JSON path and message (loose, so toEqual sees every field of each).
const refusal = z.object({
	error: z.object({
		details: z.object({ problems: z.array(z.looseObject({ path: z.string(), message: z.string() })) })
	})
});
const problemsOf = (body: unknown) => refusal.parse(body).error.details.problems;
const reportOf = (body: unknown) => importReportSchema.parse(body);

const startup = (ref: string, overrides: Record<string, unknown> = {}) => ({
	ref,
	province: 'TH-50',
	name_en: `Startup ${ref}`,
	tsic: ['10'],
	products: [{ name_en: 'Roasted coffee', unit: 'kg', monthly_capacity: 300, price_thb_min: 400 }],
	contact_email: `${ref}@example.org`,
	...overrides
});

const demand = (ref: string, overrides: Record<string, unknown> = {}) => ({
	ref,
	buyer_name: 'Chiang Mai Hotel Group',
	title_en: 'Coffee for the hotels',
	tsic: '10',
	quantity: 500,
	unit: 'kg',
	recurrence: 'monthly',
	price_thb_max: 550,
	delivery_province: 'TH-50',
	needed_by: NEXT_YEAR,
	...overrides
});

const startupByRef = async (ref: string) =>
	(await database.db.select().from(schema.startups).where(eq(schema.startups.ref, ref)))[0]!;
const demandByRef = async (ref: string) =>
	(await database.db.select().from(schema.demands).where(eq(schema.demands.ref, ref)))[0]!;
const organisationOf = async (id: string) =>
	(await database.db.select().from(schema.organisations).where(eq(schema.organisations.id, id)))[0]!;

describe('a ref belongs to the agency that created it', () => {
	it("refuses agency A's token on agency B's demand and startup, with each path, and changes nothing", async () => {
		const b = await token(AGENCY_B, ['import', 'import:publish']);
		const a = await token(AGENCY_A, ['import', 'import:publish']);
		const created = await importAs(b.secret, { startups: [startup('own-s1')], demands: [demand('own-d1')] });
		expect(created.status).toBe(200);
		const before = { startup: await startupByRef('own-s1'), demand: await demandByRef('own-d1') };

		const hostile = {
			startups: [startup('own-s1', { name_en: 'Taken over', contact_email: 'attacker@example.org' })],
			demands: [demand('own-d1', { quantity: 1, price_thb_max: 1, buyer_name: 'Attacker Buyer' })]
		};
		for (const dryRun of [true, false]) {
			const refused = await importAs(a.secret, hostile, { dryRun });
			expect(refused.status).toBe(422);
			expect(refused.body).toMatchObject({ error: { code: 'invalid_body' } });
			expect(problemsOf(refused.body)).toEqual([
				{ path: '$.startups[0].ref', message: m.api_import_ref_owned({}, { locale: 'en' }) },
				{ path: '$.demands[0].ref', message: m.api_import_ref_owned({}, { locale: 'en' }) }
			]);
		}
		// In the caller's language.
		const thai = await importAs(a.secret, hostile, { language: 'th' });
		expect(problemsOf(thai.body)[0]?.message).toBe(m.api_import_ref_owned({}, { locale: 'th' }));
		expect(problemsOf(thai.body)[0]?.message).not.toBe(m.api_import_ref_owned({}, { locale: 'en' }));

		expect(await startupByRef('own-s1')).toEqual(before.startup);
		expect(await demandByRef('own-d1')).toEqual(before.demand);
		// The rightful owner still can.
		const owner = await importAs(b.secret, { demands: [demand('own-d1', { quantity: 600 })] });
		expect(owner.body).toHaveProperty('records', [{ type: 'demand', ref: 'own-d1', outcome: 'updated' }]);
	});

	it('refuses an agency the refs the operator or a member created', async () => {
		const a = await token(AGENCY_A, ['import', 'import:publish']);
		await importDocument(
			database.db,
			{ format: 'provincial-matchmaking/v1', startups: [startup('op-s1')], demands: [demand('op-d1')] },
			{ actor: 'cli' }
		);
		const member = await buildStartup(database.db, { ref: 'member-s1' });
		const refused = await importAs(a.secret, {
			startups: [startup('op-s1', { name_en: 'Renamed' }), startup('member-s1')],
			demands: [demand('op-d1', { quantity: 1 })]
		});
		expect(refused.status).toBe(422);
		expect(problemsOf(refused.body).map((p) => p.path)).toEqual([
			'$.startups[0].ref',
			'$.startups[1].ref',
			'$.demands[0].ref'
		]);
		expect((await startupByRef('op-s1')).nameEn).toBe('Startup op-s1');
		expect((await startupByRef('member-s1')).nameEn).toBe(member.nameEn);
		expect((await demandByRef('op-d1')).quantity).toBe(500);
	});
});

describe('a demand keeps the rules of POST /api/v1/demands', () => {
	it('cannot be changed once a startup has offered on it, nor once it has closed', async () => {
		const a = await token(AGENCY_A, ['import']);
		await importAs(a.secret, { demands: [demand('offer-d1'), demand('closed-d1')] });
		const offered = await demandByRef('offer-d1');
		const seller = await buildStartup(database.db);
		await database.db.insert(schema.offers).values({
			demandId: offered.id,
			startupId: seller.id,
			quantity: 500,
			unitPriceThb: 120,
			leadTimeDays: 14
		});
		await database.db
			.update(schema.demands)
			.set({ status: 'closed', closedAt: new Date() })
			.where(eq(schema.demands.ref, 'closed-d1'));

		const changed = {
			demands: [demand('offer-d1', { quantity: 1, price_thb_max: 1 }), demand('closed-d1', { quantity: 1 })]
		};
		for (const dryRun of [true, false]) {
			const refused = await importAs(a.secret, changed, { dryRun });
			expect(refused.status).toBe(422);
			expect(problemsOf(refused.body)).toEqual([
				{ path: '$.demands[0].ref', message: m.api_import_demand_has_offers({}, { locale: 'en' }) },
				{ path: '$.demands[1].ref', message: m.api_import_demand_ended({}, { locale: 'en' }) }
			]);
		}
		expect(await demandByRef('offer-d1')).toEqual(offered);
		// Sending the same data again is not a change.
		const same = await importAs(a.secret, { demands: [demand('offer-d1'), demand('closed-d1')] });
		expect(same.status).toBe(200);
		expect(same.body).toHaveProperty('demands', { created: 0, updated: 0, unchanged: 2 });
	});
});

describe("buyers are the importing agency's own organisations", () => {
	it("never routes a demand into a self-registered organisation of the same name, nor another agency's", async () => {
		const registered = await buildOrganisation(database.db, { kind: 'buyer', name: 'Riverside Resort' });
		await buildUser(database.db, { role: 'buyer', organisationId: registered.id });
		const a = await token(AGENCY_A, ['import']);
		const b = await token(AGENCY_B, ['import']);
		const record = { buyer_name: 'Riverside Resort' };
		await importAs(a.secret, { demands: [demand('buyer-a1', record)] });
		await importAs(b.secret, { demands: [demand('buyer-b1', record)] });
		const [fromA, fromB] = [await demandByRef('buyer-a1'), await demandByRef('buyer-b1')];
		expect(fromA.buyerOrganisationId).not.toBe(registered.id);
		expect(fromB.buyerOrganisationId).not.toBe(registered.id);
		expect(fromA.buyerOrganisationId).not.toBe(fromB.buyerOrganisationId);
		expect(await organisationOf(fromA.buyerOrganisationId)).toMatchObject({
			kind: 'buyer',
			name: 'Riverside Resort',
			agencyId: AGENCY_A
		});
		// The agency's next demand for that buyer goes to the same organisation, not to a new one.
		await importAs(a.secret, { demands: [demand('buyer-a2', record)] });
		expect((await demandByRef('buyer-a2')).buyerOrganisationId).toBe(fromA.buyerOrganisationId);
		// The operator's import does not take a member's organisation by its name either.
		await importDocument(
			database.db,
			{ format: 'provincial-matchmaking/v1', demands: [demand('buyer-op1', record)] },
			{ actor: 'cli' }
		);
		const fromOperator = await demandByRef('buyer-op1');
		expect(fromOperator.buyerOrganisationId).not.toBe(registered.id);
		expect((await organisationOf(fromOperator.buyerOrganisationId)).agencyId).toBeNull();
	});
});

describe('imported startups wait for the office unless the token may publish', () => {
	it('lands a new startup as submitted, not public; an update of a public one goes to review', async () => {
		const plain = await token(AGENCY_A, ['import']);
		const publisher = await token(AGENCY_A, ['import', 'import:publish']);
		const first = await importAs(plain.secret, { startups: [startup('review-s1')] });
		expect(first.body).toHaveProperty('records', [{ type: 'startup', ref: 'review-s1', outcome: 'created' }]);
		expect(await startupByRef('review-s1')).toMatchObject({
			status: 'submitted',
			approvedAt: null,
			approvedSnapshot: null
		});
		expect((await callApi('GET', '/api/v1/startups/review-s1')).status).toBe(404);
		// Sending it again while it waits changes nothing.
		const again = await importAs(plain.secret, { startups: [startup('review-s1')] });
		expect(again.body).toHaveProperty('startups', { created: 0, updated: 0, unchanged: 1 });

		await importAs(publisher.secret, { startups: [startup('public-s1')] });
		expect((await startupByRef('public-s1')).status).toBe('approved');
		const shown = await callApi('GET', '/api/v1/startups/public-s1');
		expect(shown.status).toBe(200);
		// A token without the scope cannot change what the public sees: the edit waits for review.
		await importAs(plain.secret, { startups: [startup('public-s1', { name_en: 'Renamed by import' })] });
		expect(await startupByRef('public-s1')).toMatchObject({
			status: 'submitted',
			nameEn: 'Renamed by import'
		});
		expect(await (await callApi('GET', '/api/v1/startups/public-s1')).json()).toHaveProperty(
			'name_en',
			'Startup public-s1'
		);
	});
});

describe('the audit trail names the token', () => {
	it('writes an event for every created and changed startup and demand, with the token', async () => {
		const a = await token(AGENCY_A, ['import']);
		await importAs(a.secret, { startups: [startup('audit-s1')], demands: [demand('audit-d1')] });
		await importAs(a.secret, {
			startups: [startup('audit-s1', { name_en: 'Audited' })],
			demands: [demand('audit-d1', { quantity: 700 })]
		});
		for (const [ref, type] of [
			[(await startupByRef('audit-s1')).id, 'startup'],
			[(await demandByRef('audit-d1')).id, 'demand']
		] as const) {
			const events = await database.db
				.select()
				.from(schema.auditEvents)
				.where(and(eq(schema.auditEvents.subjectId, ref), eq(schema.auditEvents.subjectType, type)))
				.orderBy(schema.auditEvents.at);
			expect(events.map((e) => e.action)).toEqual([`${type}.import_create`, `${type}.import_update`]);
			for (const event of events) {
				expect(event.actorLabel).toBe(`api:${AGENCY_A}:${a.prefix}`);
				expect(event.after).toMatchObject({ tokenId: a.id });
			}
		}
	});
});

describe('a selected startup stays in its province', () => {
	it('refuses to move it with a per-record error, in a dry run and for real', async () => {
		const a = await token(AGENCY_A, ['import', 'import:publish']);
		await importAs(a.secret, { startups: [startup('selected-s1')] });
		const selected = await startupByRef('selected-s1');
		await database.db.insert(schema.provinceSelections).values({
			provinceCode: 'TH-50',
			year: yearInThailand(),
			startupId: selected.id
		});
		for (const dryRun of [true, false]) {
			const moved = await importAs(
				a.secret,
				{ startups: [startup('selected-s1', { province: 'TH-10' })] },
				{ dryRun }
			);
			expect(moved.status).toBe(422);
			expect(problemsOf(moved.body)).toEqual([
				{ path: '$.startups[0].province', message: m.api_import_selected_cannot_move({}, { locale: 'en' }) }
			]);
		}
		expect((await startupByRef('selected-s1')).provinceCode).toBe('TH-50');
	});
});

describe("problems in the caller's language", () => {
	it('reports an unknown reference code with its path, in Thai or English', async () => {
		const a = await token(AGENCY_A, ['import']);
		const document = { startups: [startup('lang-s1', { province: 'TH-99' })] };
		const thai = await importAs(a.secret, document, { language: 'th' });
		const english = await importAs(a.secret, document, { language: 'en' });
		expect(thai.status).toBe(422);
		expect(problemsOf(thai.body)).toEqual([
			{
				path: '$.startups[0].province',
				message: m.api_import_unknown_province({ value: 'TH-99' }, { locale: 'th' })
			}
		]);
		expect(problemsOf(thai.body)[0]?.message).toMatch(/^ไม่รู้จัก/);
		expect(problemsOf(english.body)).toEqual([
			{ path: '$.startups[0].province', message: 'unknown province "TH-99"' }
		]);
	});
});

describe('the same new ref sent twice at once', () => {
	it('creates it once: a second import finds it unchanged, a second demand post leaves it alone', async () => {
		const a = await token(AGENCY_A, ['import', 'demands:write']);
		const imports = await Promise.all(
			[1, 2].map(() => importAs(a.secret, { demands: [demand('race-import-d1')] }))
		);
		expect(imports.map((r) => r.status)).toEqual([200, 200]);
		expect(imports.map((r) => reportOf(r.body).records[0]?.outcome).sort()).toEqual(['created', 'unchanged']);
		const posts = await Promise.all(
			[1, 2].map(() => callApi('POST', '/api/v1/demands', { token: a.secret, body: demand('race-post-d1') }))
		);
		expect(posts.map((r) => r.status).sort()).toEqual([200, 201]);
	});
});
