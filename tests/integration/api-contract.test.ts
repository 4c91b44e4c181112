// The API driven as a partner agency would drive it: an administrator issues a token, the agency imports a
// document, reads matches, posts demand for its buyers, and loses access when the token is revoked; plus every
// refusal (malformed documents with their paths, 413, 401, 403, 429, 404, 405) and caching. Every response is
// checked against the schema its endpoint declares, and every endpoint in the OpenAPI document is exercised.
process.env.API_PUBLIC_REQUESTS_PER_MINUTE = '30';
process.env.API_IMPORT_MAX_BYTES = String(64 * 1024);

import fs from 'node:fs';
import path from 'node:path';
import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { API_ERRORS } from '$lib/server/api/errors';
import type { Endpoint } from '$lib/server/api/endpoint';
import { openApiDocument } from '$lib/server/api/openapi';
import { ENDPOINTS } from '$lib/server/api/registry';
import { errorSchema, importReportSchema, matchesSchema } from '$lib/server/api/schemas';
import { issueApiToken, revokeApiToken, type ApiScope } from '$lib/server/api/tokens';
import { sessionIdOf } from '$lib/server/auth/session';
import { setRuntime } from '$lib/server/context';
import * as schema from '$lib/server/db/schema';
import { refreshAllCoverage } from '$lib/server/gap/coverage';
import type { Runtime } from '$lib/server/runtime';
import { createSearchClient, type Meilisearch } from '$lib/server/search/client';
import { applyIndexSettings } from '$lib/server/search/indexes';
import { drainOutboxOnce } from '$lib/server/search/outbox';
import type { MeiliProcess } from '$lib/server/search/process';
import { makeOffer } from '$lib/server/offers/service';
import { offerSchema } from '$lib/schemas/demand';
import {
	approveStartupMember,
	buildOrganisation,
	buildUser,
	daysFromToday,
	markVerified
} from '../factories';
import { API_ROUTES, callApi, type CallOptions } from '../helpers/api';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startTestMeili } from '../helpers/meili';
import { yearInThailand } from '../helpers/dates';

let database: TestDatabase;
let meili: MeiliProcess;
let client: Meilisearch;
let admin: { id: string; email: string };
const exercised = new Set<Endpoint>();
// The fixtures as written (loose: every field reaches the API untouched), typed down to the records the tests use.
const records = z.array(z.looseObject({}));
const fixture = z
	.looseObject({ startups: records, demands: records })
	.parse(JSON.parse(fs.readFileSync(path.resolve('tests/fixtures/exchange-small.json'), 'utf8')));
const YEAR_AHEAD = `${new Date().getFullYear() + 1}-06-30`;

/** The endpoint a method and path belong to, by its path template. */
function endpointOf(method: string, pathname: string): Endpoint | undefined {
	return ENDPOINTS.find(
		(e) =>
			e.method === method &&
			new RegExp(`^${e.path.replace(/\{[a-z]+\}/g, '[^/]+').replace(/\./g, '\\.')}$`).test(pathname)
	);
}

/** Calls the API and checks the answer against its declared schema (success) or the error schema. */
async function call(method: string, target: string, options: CallOptions = {}) {
	const response = await callApi(method, target, options);
	const pathname = new URL(target, 'http://portal.test').pathname;
	const text = response.status === 304 ? '' : await response.text();
	const body: unknown = text ? JSON.parse(text) : null;
	expect(response.headers.get('content-type') ?? 'application/json').toMatch(/^application\/json/);
	const endpoint = endpointOf(method, pathname);
	if (response.status < 300) {
		expect(endpoint, `${method} ${pathname} is documented`).toBeDefined();
		const declared = endpoint!.responses[response.status];
		expect(declared, `${method} ${pathname} declares ${response.status}`).toBeDefined();
		const checked = declared!.schema.safeParse(body);
		expect(checked.error?.issues ?? [], `${method} ${pathname} matches its schema`).toEqual([]);
		exercised.add(endpoint!);
	} else if (response.status !== 304) {
		expect(errorSchema.safeParse(body).success, `${method} ${pathname} error shape`).toBe(true);
		expect(response.status).toBe(API_ERRORS[errorOf(body).code as keyof typeof API_ERRORS]);
	}
	return { status: response.status, headers: response.headers, body };
}

// What the tests read of an answer's body, which call() has checked whole against its endpoint's schema or the
// error schema; loose where a test compares whole records, so that toEqual and toMatchObject see every field.
const errorOf = (body: unknown) => errorSchema.parse(body).error;
const problemsOf = (body: unknown) =>
	z
		.object({ problems: z.array(z.looseObject({ path: z.string(), message: z.string() })) })
		.parse(errorOf(body).details).problems;
const list = z.object({
	data: z.array(z.looseObject({ ref: z.string().nullish(), id: z.string().optional() })),
	next_cursor: z.string().nullable().optional()
});
const listOf = (body: unknown) => list.parse(body).data;
const refsOf = (body: unknown) => listOf(body).map((row) => row.ref);
const certificatesOf = (body: unknown) =>
	z
		.object({
			certificates: z.array(z.object({ id: z.string(), evidence_status: z.string(), valid: z.boolean() }))
		})
		.parse(body).certificates;
/** The id of the record a POST created, e.g. `{ outcome, demand: { id, … } }`. */
const createdIdOf = (body: unknown, key: 'demand' | 'byproduct') =>
	z.object({ [key]: z.object({ id: z.string() }) }).parse(body)[key]!.id;

async function token(
	scopes: ApiScope[],
	options: { agencyId?: string; rate?: number; expiresAt?: Date } = {}
) {
	const { secret } = await issueApiToken(database.db, admin, {
		agencyId: options.agencyId ?? 'sme-d-bank',
		label: `contract ${scopes.join('+')}`,
		scopes,
		requestsPerMinute: options.rate ?? 1000,
		expiresAt: options.expiresAt ?? new Date(Date.now() + 86_400_000)
	});
	return secret;
}

const countOf = async (table: typeof schema.startups | typeof schema.demands | typeof schema.organisations) =>
	(await database.db.select({ n: count() }).from(table))[0]!.n;

async function drain() {
	while ((await drainOutboxOnce(database.db, client)).processed > 0);
}

beforeAll(async () => {
	[database, meili] = await Promise.all([createTestDatabase(), startTestMeili()]);
	client = createSearchClient(meili.url, meili.masterKey);
	await applyIndexSettings(client);
	setRuntime({ db: database.db, database, search: { client } } as unknown as Runtime);
	const user = await buildUser(database.db, { role: 'admin' });
	admin = { id: user.id, email: user.email };
});

afterAll(async () => {
	setRuntime(undefined);
	await Promise.all([database?.dispose(), meili?.stop()]);
});

describe('an agency’s journey', () => {
	it('token issued → import → read matches → revoke → 401', async () => {
		const { secret, token: row } = await issueApiToken(database.db, admin, {
			agencyId: 'sme-d-bank',
			label: 'SME D Bank data team',
			// Publishing at once, so the journey can read the matches of what it imported.
			scopes: ['read', 'import', 'import:publish'],
			requestsPerMinute: 1000,
			expiresAt: new Date(Date.now() + 86_400_000)
		});
		// Only the hash is stored, with a prefix to recognise the token by.
		expect(secret).toMatch(/^tnp_[a-z2-7]{32}$/);
		expect(row.tokenHash).toBe(sessionIdOf(secret));
		expect(JSON.stringify(await database.db.select().from(schema.apiTokens))).not.toContain(secret);
		expect(secret.startsWith(row.prefix)).toBe(true);

		const first = await call('POST', '/api/v1/import', { token: secret, body: fixture });
		expect(first.status).toBe(200);
		expect(first.body).toHaveProperty('records', [
			{ type: 'startup', ref: 's-001', outcome: 'created' },
			{ type: 'startup', ref: 's-002', outcome: 'created' },
			{ type: 'demand', ref: 'd-001', outcome: 'created' }
		]);
		// Idempotent by ref: the same document again changes nothing.
		const again = await call('POST', '/api/v1/import', { token: secret, body: fixture });
		expect(importReportSchema.parse(again.body).records.map((r) => r.outcome)).toEqual([
			'unchanged',
			'unchanged',
			'unchanged'
		]);
		await drain();

		const matches = await call('GET', '/api/v1/demands/d-001/matches', { token: secret });
		expect(matches.status).toBe(200);
		expect(matches.body).toHaveProperty('engine', 'meili');
		const coffee = matchesSchema.parse(matches.body).data.find((m) => m.ref === 's-001');
		expect(coffee).toMatchObject({ name_en: 'Phu Fah Coffee', good: true });
		expect(coffee?.reasons.certifications_required).toEqual(['thai-fda']);
		const back = await call('GET', '/api/v1/startups/s-001/matches', { token: secret });
		expect(refsOf(back.body)).toContain('d-001');

		const usage = await database.db
			.select()
			.from(schema.apiTokenUsage)
			.where(eq(schema.apiTokenUsage.tokenId, row.id));
		expect(Object.fromEntries(usage.map((u) => [u.route, u.count]))).toMatchObject({
			'POST /api/v1/import': 2,
			'GET /api/v1/demands/{key}/matches': 1,
			'GET /api/v1/startups/{key}/matches': 1
		});

		await revokeApiToken(database.db, admin, row.id);
		const refused = await call('GET', '/api/v1/demands/d-001/matches', { token: secret });
		expect(refused.status).toBe(401);
		expect(errorOf(refused.body)).toMatchObject({ code: 'token_invalid', details: { reason: 'revoked' } });
		expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer/);
		const audit = await database.db
			.select({ action: schema.auditEvents.action })
			.from(schema.auditEvents)
			.where(eq(schema.auditEvents.subjectId, row.id));
		expect(audit.map((a) => a.action).sort()).toEqual(['api_token.issue', 'api_token.revoke']);
	});
});

describe('malformed documents are reported with their paths, and nothing is stored', () => {
	const broken: [string, unknown, string[]][] = [
		[
			'wrong types and a missing field',
			{
				format: 'provincial-matchmaking/v1',
				startups: [{ ref: 'x-1', province: 'TH-50', name_th: 'ก', tsic: '10', products: [] }]
			},
			['$.startups[0].tsic']
		],
		['an unknown field', { format: 'provincial-matchmaking/v1', startups: [], demands: [], extra: 1 }, ['$']],
		[
			'an unknown province and certification',
			{
				format: 'provincial-matchmaking/v1',
				startups: [{ ref: 'x-2', province: 'TH-99', name_en: 'X', tsic: ['10'], certifications: ['nope'] }]
			},
			['$.startups[0].province', '$.startups[0].certifications[0]']
		],
		[
			'a bad unit',
			{
				format: 'provincial-matchmaking/v1',
				startups: [
					{
						ref: 'x-3',
						province: 'TH-50',
						name_en: 'B',
						tsic: ['10'],
						products: [{ name_en: 'P', unit: 'bushel', monthly_capacity: 1 }]
					}
				]
			},
			['$.startups[0].products[0].unit']
		],
		[
			'a duplicate ref',
			{
				format: 'provincial-matchmaking/v1',
				startups: [
					{ ref: 'x-4', province: 'TH-50', name_en: 'A', tsic: ['10'] },
					{ ref: 'x-4', province: 'TH-50', name_en: 'B', tsic: ['10'] }
				]
			},
			['$.startups[1].ref']
		]
	];
	for (const [name, document, paths] of broken) {
		it(name, async () => {
			const secret = await token(['import']);
			const before = await countOf(schema.startups);
			const { status, body } = await call('POST', '/api/v1/import', { token: secret, body: document });
			expect(status).toBe(422);
			expect(errorOf(body).code).toBe('invalid_body');
			const reported = problemsOf(body).map((p) => p.path);
			for (const expected of paths) expect(reported).toContain(expected);
			expect(await countOf(schema.startups)).toBe(before);
		});
	}

	it('refuses text that is not JSON (400) and a body that is not JSON at all (415)', async () => {
		const secret = await token(['import']);
		const bad = await call('POST', '/api/v1/import', { token: secret, rawBody: '{"format": ' });
		expect(bad.status).toBe(400);
		expect(errorOf(bad.body).code).toBe('invalid_json');
		const form = await call('POST', '/api/v1/import', {
			token: secret,
			rawBody: 'a=1',
			headers: { 'content-type': 'application/x-www-form-urlencoded' }
		});
		expect(form.status).toBe(415);
	});

	it('a dry run reports what would happen and stores nothing', async () => {
		const secret = await token(['import']);
		const before = await countOf(schema.startups);
		const document = {
			format: 'provincial-matchmaking/v1',
			startups: [{ ref: 'dry-1', province: 'TH-40', name_en: 'Dry Run Co', tsic: ['10'] }]
		};
		const { status, body } = await call('POST', '/api/v1/import?dry_run=true', {
			token: secret,
			body: document
		});
		expect(status).toBe(200);
		expect(body).toMatchObject({ dry_run: true, startups: { created: 1 } });
		expect(await countOf(schema.startups)).toBe(before);
		expect((await call('GET', '/api/v1/startups/dry-1')).status).toBe(404);
	});

	it('refuses a body over the limit with 413, declared or not, and stores nothing', async () => {
		const secret = await token(['import']);
		const before = await countOf(schema.startups);
		const limit = Number(process.env.API_IMPORT_MAX_BYTES);
		const huge = {
			format: 'provincial-matchmaking/v1',
			startups: Array.from({ length: 800 }, (_, i) => ({
				ref: `big-${i}`,
				province: 'TH-50',
				name_th: 'ก'.repeat(60),
				tsic: ['10']
			}))
		};
		expect(JSON.stringify(huge).length).toBeGreaterThan(limit);
		const streamed = await call('POST', '/api/v1/import', { token: secret, body: huge });
		expect(streamed.status).toBe(413);
		expect(errorOf(streamed.body).details).toEqual({ limit_bytes: limit });
		const declared = await call('POST', '/api/v1/import', {
			token: secret,
			rawBody: '{}',
			headers: { 'content-length': String(limit + 1) }
		});
		expect(declared.status).toBe(413);
		expect(await countOf(schema.startups)).toBe(before);
	});
});

describe('tokens and scopes', () => {
	it('needs a token for partner routes (401), the right scope (403), and a live token (401)', async () => {
		const none = await call('POST', '/api/v1/import', { body: fixture });
		expect(none.status).toBe(401);
		expect(errorOf(none.body).code).toBe('token_missing');
		const readOnly = await token(['read']);
		const wrongScope = await call('POST', '/api/v1/import', { token: readOnly, body: fixture });
		expect(wrongScope.status).toBe(403);
		expect(errorOf(wrongScope.body).details).toMatchObject({ required: 'import', granted: ['read'] });
		expect((await call('POST', '/api/v1/demands', { token: readOnly, body: {} })).status).toBe(403);
		const importOnly = await token(['import']);
		expect((await call('GET', '/api/v1/referrals', { token: importOnly })).status).toBe(403);
		const expired = await token(['read'], { expiresAt: new Date(Date.now() + 50) });
		await new Promise((resolve) => setTimeout(resolve, 80));
		const late = await call('GET', '/api/v1/referrals', { token: expired });
		expect(errorOf(late.body).details).toEqual({ reason: 'expired' });
		const unknown = await call('GET', '/api/v1/provinces', { token: 'tnp_notarealtokenatall' });
		expect(unknown.status).toBe(401);
		const malformed = await callApi('GET', '/api/v1/provinces', { headers: { authorization: 'Basic abc' } });
		expect(malformed.status).toBe(401);
	});

	it('limits each token to its rate (429 with Retry-After), and anonymous callers per address', async () => {
		const slow = await token(['read'], { rate: 3 });
		const statuses: number[] = [];
		let last: Awaited<ReturnType<typeof call>> | undefined;
		for (let i = 0; i < 4; i++) {
			last = await call('GET', '/api/v1/provinces', { token: slow });
			statuses.push(last.status);
		}
		expect(statuses).toEqual([200, 200, 200, 429]);
		expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
		expect(last!.headers.get('x-ratelimit-remaining')).toBe('0');
		const anonymous: number[] = [];
		for (let i = 0; i < 31; i++)
			anonymous.push((await call('GET', '/api/v1/provinces', { address: '203.0.113.99' })).status);
		expect(anonymous.filter((s) => s === 200)).toHaveLength(30);
		expect(anonymous.at(-1)).toBe(429);
		// Another address is not affected.
		expect((await call('GET', '/api/v1/provinces', { address: '203.0.113.100' })).status).toBe(200);
	});
});

describe('demand posted for the buyers an agency manages', () => {
	const record = {
		ref: 'sme-req-1',
		buyer_name: 'โรงแรมริมน้ำ',
		title_th: 'เมล็ดกาแฟคั่ว',
		tsic: '10',
		quantity: 300,
		unit: 'kg',
		recurrence: 'monthly',
		price_thb_max: 500,
		delivery_province: 'TH-50',
		needed_by: YEAR_AHEAD,
		required_certifications: ['thai-fda']
	};

	it('creates, leaves alone, updates, and refuses another agency’s ref', async () => {
		const writer = await token(['demands:write']);
		const created = await call('POST', '/api/v1/demands', { token: writer, body: record });
		expect(created.status).toBe(201);
		expect(created.body).toMatchObject({ outcome: 'created', demand: { ref: 'sme-req-1', status: 'open' } });
		expect(created.headers.get('location')).toBe(`/api/v1/demands/${createdIdOf(created.body, 'demand')}`);
		const [buyer] = await database.db
			.select()
			.from(schema.organisations)
			.where(eq(schema.organisations.name, 'โรงแรมริมน้ำ'));
		expect(buyer).toMatchObject({ kind: 'buyer', agencyId: 'sme-d-bank' });

		expect((await call('POST', '/api/v1/demands', { token: writer, body: record })).body).toHaveProperty(
			'outcome',
			'unchanged'
		);
		const updated = await call('POST', '/api/v1/demands', {
			token: writer,
			body: { ...record, quantity: 450 }
		});
		expect(updated.body).toMatchObject({ outcome: 'updated', demand: { quantity: 450 } });

		const other = await token(['demands:write'], { agencyId: 'ieat' });
		const taken = await call('POST', '/api/v1/demands', { token: other, body: record });
		expect(taken.status).toBe(409);
		expect(errorOf(taken.body).details).toMatchObject({ reason: 'ref_taken' });

		const actions = await database.db
			.select({ action: schema.auditEvents.action, actor: schema.auditEvents.actorLabel })
			.from(schema.auditEvents)
			.where(eq(schema.auditEvents.subjectId, createdIdOf(created.body, 'demand')));
		expect(actions.map((a) => a.action).sort()).toEqual(['demand.api_create', 'demand.api_update']);
		expect(actions[0]!.actor).toMatch(/^api:sme-d-bank:tnp_/);
	});

	it('reports bad records with their paths and stores nothing', async () => {
		const writer = await token(['demands:write']);
		const before = await countOf(schema.demands);
		const past = await call('POST', '/api/v1/demands', {
			token: writer,
			body: { ...record, ref: 'sme-req-2', needed_by: '2020-01-01' }
		});
		expect(past.status).toBe(422);
		expect(problemsOf(past.body)).toEqual([{ path: '$.needed_by', message: expect.any(String) as unknown }]);
		const unknown = await call('POST', '/api/v1/demands', {
			token: writer,
			body: { ...record, ref: 'sme-req-3', delivery_province: 'TH-98', quantity: -1 }
		});
		expect(unknown.status).toBe(422);
		expect(problemsOf(unknown.body).map((p) => p.path)).toContain('$.quantity');
		const stranger = await call('POST', '/api/v1/demands', {
			token: writer,
			body: { ...record, ref: 'sme-req-4', delivery_province: 'TH-98' }
		});
		expect(problemsOf(stranger.body)).toEqual([
			{ path: '$.delivery_province', message: 'unknown province "TH-98"' }
		]);
		expect(await countOf(schema.demands)).toBe(before);
	});
});

describe('by-products and material wants an agency posts for the organisations it manages', () => {
	const waste = z
		.looseObject({ byproducts: records, material_wants: records })
		.parse(JSON.parse(fs.readFileSync(path.resolve('tests/fixtures/exchange-waste.json'), 'utf8')));
	const lot = { ...waste.byproducts[0], ref: 'contract-bp-1' };
	const want = { ...waste.material_wants[0], ref: 'contract-mw-1' };

	it('lists a lot for the office’s review, shows it to its agency only until approved, and refuses another agency’s ref', async () => {
		const writer = await token(['waste:write']);
		expect(
			(await call('POST', '/api/v1/byproducts', { token: await token(['import']), body: lot })).status
		).toBe(403);
		const created = await call('POST', '/api/v1/byproducts', { token: writer, body: lot });
		expect(created.status).toBe(201);
		expect(created.body).toMatchObject({
			outcome: 'created',
			byproduct: { ref: 'contract-bp-1', status: 'submitted', waste_code: '020304', hazardous: false }
		});
		expect(created.headers.get('location')).toBe(
			`/api/v1/byproducts/${createdIdOf(created.body, 'byproduct')}`
		);
		expect((await call('GET', '/api/v1/byproducts/contract-bp-1')).status).toBe(404);
		expect((await call('GET', '/api/v1/byproducts/contract-bp-1', { token: writer })).body).toHaveProperty(
			'status',
			'submitted'
		);
		expect((await call('POST', '/api/v1/byproducts', { token: writer, body: lot })).body).toHaveProperty(
			'outcome',
			'unchanged'
		);

		await database.db
			.update(schema.wasteLots)
			.set({ status: 'approved', approvedAt: new Date() })
			.where(eq(schema.wasteLots.ref, 'contract-bp-1'));
		const listed = await call('GET', '/api/v1/byproducts?province=TH-70&code=02&available=true');
		expect(refsOf(listed.body)).toContain('contract-bp-1');
		expect(refsOf((await call('GET', '/api/v1/byproducts?code=03')).body)).not.toContain('contract-bp-1');
		expect(
			(await call('GET', `/api/v1/byproducts/${createdIdOf(created.body, 'byproduct')}`)).body
		).toHaveProperty('ref', 'contract-bp-1');

		const other = await token(['waste:write'], { agencyId: 'ieat' });
		const taken = await call('POST', '/api/v1/byproducts', {
			token: other,
			body: { ...lot, quantity_per_month: 1 }
		});
		expect(taken.status).toBe(409);
		expect(problemsOf(taken.body)).toEqual([{ path: '$.ref', message: expect.any(String) as unknown }]);
		const [stored] = await database.db
			.select()
			.from(schema.wasteLots)
			.where(eq(schema.wasteLots.ref, 'contract-bp-1'));
		expect(stored!.quantityPerMonth).toBe(20);
	});

	it('posts a want, updates it, lists it by code, and reports an unknown code with its path', async () => {
		const writer = await token(['waste:write']);
		const created = await call('POST', '/api/v1/material-wants', { token: writer, body: want });
		expect(created.status).toBe(201);
		expect(created.body).toMatchObject({
			material_want: { status: 'open', waste_codes: ['020103', '020304'] }
		});
		const updated = await call('POST', '/api/v1/material-wants', {
			token: writer,
			body: { ...want, max_distance_km: 200 }
		});
		expect(updated.body).toMatchObject({ outcome: 'updated', material_want: { max_distance_km: 200 } });
		expect(refsOf((await call('GET', '/api/v1/material-wants?code=0203')).body)).toContain('contract-mw-1');
		expect((await call('GET', '/api/v1/material-wants/contract-mw-1')).body).toHaveProperty(
			'max_distance_km',
			200
		);
		const unknown = await call('POST', '/api/v1/material-wants', {
			token: writer,
			body: { ...want, ref: 'contract-mw-2', waste_codes: ['029999'], licence_class: '999' }
		});
		expect(unknown.status).toBe(422);
		expect(
			problemsOf(unknown.body)
				.map((p) => p.path)
				.sort()
		).toEqual(['$.licence_class', '$.waste_codes[0]']);
	});
});

describe('offers on an agency’s demand reach the agency, which decides them', () => {
	it('lists the offers on its demand only, accepts one at the version listed and declines another, audited', async () => {
		const { db } = database;
		const writer = await token(['demands:write']);
		const posted = await call('POST', '/api/v1/demands', {
			token: writer,
			body: {
				ref: 'sme-rice-offers',
				buyer_name: 'โรงพยาบาลเชียงใหม่',
				title_th: 'ข้าวหอมมะลิสำหรับโรงพยาบาล',
				tsic: '01',
				quantity: 2,
				unit: 'tonne',
				recurrence: 'monthly',
				price_thb_max: 45000,
				delivery_province: 'TH-50',
				needed_by: daysFromToday(200),
				required_certifications: []
			}
		});
		expect(posted.status).toBe(201);
		const demandId: string = createdIdOf(posted.body, 'demand');
		// Two approved startups of Chiang Mai offer a tonne each, through the portal as any startup does.
		const officer = await buildUser(db, { role: 'officer', provinceCode: 'TH-50', passwordHash: 'x' });
		const offerIds: string[] = [];
		let verifiedStartupId = '';
		for (const name of ['นาข้าวแม่แตง', 'นาข้าวสันป่าตอง']) {
			const organisation = await buildOrganisation(db, { kind: 'startup', name, provinceCode: 'TH-50' });
			// The first one's office verified its organisation: the agency reads which offer comes from whom.
			if (!verifiedStartupId) await markVerified(db, organisation.id);
			const member = await buildUser(db, {
				role: 'startup',
				organisationId: organisation.id,
				emailVerifiedAt: new Date()
			});
			await approveStartupMember(db, member, officer);
			const offer = await makeOffer(
				db,
				member,
				demandId,
				offerSchema.parse({ quantity: '1', unitPriceThb: '40000', leadTimeDays: '7', message: 'ส่งได้ทุกเดือน' }),
				'http://portal.test'
			);
			offerIds.push(offer.id);
			if (!verifiedStartupId) verifiedStartupId = offer.startupId;
		}

		const listed = await call('GET', `/api/v1/offers?status=pending&demand=${demandId}`, { token: writer });
		expect(listed.status).toBe(200);
		expect(
			listOf(listed.body)
				.map((o) => o.id)
				.sort()
		).toEqual([...offerIds].sort());
		expect(listOf(listed.body)[0]).toMatchObject({
			status: 'pending',
			version: 1,
			unit: 'tonne',
			demand: { id: demandId, ref: 'sme-rice-offers' }
		});
		const verifiedOf = new Map(
			z
				.array(z.object({ startup: z.object({ id: z.string(), organisation_verified: z.boolean() }) }))
				.parse(listOf(listed.body))
				.map((o) => [o.startup.id, o.startup.organisation_verified])
		);
		expect(verifiedOf.get(verifiedStartupId)).toBe(true);
		expect([...verifiedOf.values()].sort()).toEqual([false, true]);
		// Another agency sees none of them and cannot decide them; a read-only token may not list them.
		const other = await token(['demands:write'], { agencyId: 'ieat' });
		expect(listOf((await call('GET', '/api/v1/offers', { token: other })).body)).toEqual([]);
		expect(
			(await call('POST', `/api/v1/offers/${offerIds[0]}/accept`, { token: other, body: { version: 1 } }))
				.status
		).toBe(404);
		expect((await call('GET', '/api/v1/offers', { token: await token(['read']) })).status).toBe(403);

		// An accept naming a version the startup has since changed is refused with the reason.
		const stale = await call('POST', `/api/v1/offers/${offerIds[0]}/accept`, {
			token: writer,
			body: { version: 7 }
		});
		expect(stale.status).toBe(409);
		expect(errorOf(stale.body).details).toMatchObject({ reason: 'offer_changed' });
		const accepted = await call('POST', `/api/v1/offers/${offerIds[0]}/accept`, {
			token: writer,
			body: { version: 1 }
		});
		expect(accepted).toMatchObject({ status: 200, body: { id: offerIds[0], status: 'accepted' } });
		const declined = await call('POST', `/api/v1/offers/${offerIds[1]}/decline`, {
			token: writer,
			body: { reason: 'ราคาสูงกว่างบ' }
		});
		expect(declined).toMatchObject({ status: 200, body: { status: 'declined' } });
		expect(
			(await call('POST', `/api/v1/offers/${offerIds[1]}/decline`, { token: writer, body: { reason: null } }))
				.status
		).toBe(409);

		const [deal] = await db.select().from(schema.deals).where(eq(schema.deals.offerId, offerIds[0]!));
		expect(deal).toMatchObject({ demandId, quantity: 1 });
		const [declinedRow] = await db.select().from(schema.offers).where(eq(schema.offers.id, offerIds[1]!));
		expect(declinedRow).toMatchObject({ status: 'declined', declineReason: 'ราคาสูงกว่างบ' });
		const events = await db
			.select({ action: schema.auditEvents.action, actor: schema.auditEvents.actorLabel })
			.from(schema.auditEvents)
			.where(eq(schema.auditEvents.subjectType, 'offer'));
		expect(events.map((e) => e.action).sort()).toEqual(['offer.accept', 'offer.decline']);
		expect(events[0]!.actor).toMatch(/^api:sme-d-bank:tnp_/);
		const all = await call('GET', '/api/v1/offers?limit=1', { token: writer });
		expect(listOf(all.body)).toHaveLength(1);
		expect(list.parse(all.body).next_cursor).not.toBeNull();
	});
});

describe('reading', () => {
	it('walks every startup with the cursor, without repeats, and refuses a forged cursor', async () => {
		const secret = await token(['import', 'import:publish']);
		const startups = Array.from({ length: 23 }, (_, i) => ({
			ref: `walk-${i}`,
			province: 'TH-40',
			name_en: `Walk ${i}`,
			tsic: ['13'],
			products: [{ name_en: 'Cloth', unit: 'metre', monthly_capacity: 100 + i }]
		}));
		await call('POST', '/api/v1/import', {
			token: secret,
			body: { format: 'provincial-matchmaking/v1', startups }
		});
		const seen: string[] = [];
		let cursor: string | null = null;
		let pages = 0;
		do {
			const query: string = `/api/v1/startups?province=TH-40&tsic=13&limit=10${cursor ? `&cursor=${cursor}` : ''}`;
			const walked = z
				.object({ data: z.array(z.object({ ref: z.string() })), next_cursor: z.string().nullable() })
				.parse((await call('GET', query)).body);
			seen.push(...walked.data.map((s) => s.ref));
			cursor = walked.next_cursor;
			pages++;
		} while (cursor);
		expect(pages).toBe(3);
		expect(new Set(seen).size).toBe(23);
		expect(seen.sort()).toEqual(startups.map((s) => s.ref).sort());
		const forged = await call('GET', '/api/v1/startups?cursor=bm90LWEtdXVpZA');
		expect(forged.status).toBe(400);
		expect(problemsOf(forged.body)[0]?.path).toBe('query.cursor');
		const typo = await call('GET', '/api/v1/startups?provnce=TH-40');
		expect(typo.status).toBe(400);
		const tooMany = await call('GET', '/api/v1/startups?limit=1000');
		expect(problemsOf(tooMany.body)[0]?.path).toBe('query.limit');
	});

	it('answers 304 to a matching If-None-Match, and a new ETag after a change', async () => {
		const first = await call('GET', '/api/v1/startups/s-002');
		const etag = first.headers.get('etag')!;
		expect(etag).toMatch(/^W\/".+"$/);
		expect(first.headers.get('cache-control')).toBe('public, max-age=60');
		const again = await call('GET', '/api/v1/startups/s-002', { headers: { 'if-none-match': etag } });
		expect(again.status).toBe(304);
		const secret = await token(['import', 'import:publish', 'read']);
		const withToken = await call('GET', '/api/v1/startups/s-002', { token: secret });
		expect(withToken.headers.get('cache-control')).toBe('private, no-cache');
		const changed = structuredClone(fixture.startups[1]!);
		changed.summary_en = 'Now also dried fruit';
		await call('POST', '/api/v1/import', {
			token: secret,
			body: { format: 'provincial-matchmaking/v1', startups: [changed] }
		});
		const after = await call('GET', '/api/v1/startups/s-002', { headers: { 'if-none-match': etag } });
		expect(after.status).toBe(200);
		expect(after.headers.get('etag')).not.toBe(etag);
		expect(after.body).toHaveProperty('summary_en', 'Now also dried fruit');
	});

	it('serves provinces, selections, demands, the gap and referrals', async () => {
		const provinces = await call('GET', '/api/v1/provinces');
		expect(listOf(provinces.body)).toHaveLength(77);
		const chiangMai = await call('GET', '/api/v1/provinces/TH-50');
		expect(chiangMai.body).toMatchObject({ code: 'TH-50', name_en: 'Chiang Mai', has_industry_office: true });
		expect((await call('GET', '/api/v1/provinces/TH-99')).status).toBe(404);
		expect(listOf((await call('GET', `/api/v1/selections?year=${yearInThailand()}`)).body)).toEqual([]);

		await drain();
		await refreshAllCoverage(database.db, client);
		const demands = await call('GET', '/api/v1/demands?province=TH-10');
		const d001 = listOf(demands.body).find((d) => d.ref === 'd-001');
		expect(d001).toMatchObject({ coverage: 'covered', delivery_province: 'TH-10' });
		expect((await call('GET', '/api/v1/demands/d-001')).body).toHaveProperty('buyer_name', 'Riverside Hotel');
		const unmet = await call('GET', '/api/v1/demands?coverage=unmet');
		expect(refsOf(unmet.body)).not.toContain('d-001');
		const gap = await call('GET', '/api/v1/gap?province=TH-10');
		// The coffee roaster's 800 kg a month goes first to the Chiang Mai request needed sooner (450 kg): 350 kg are
		// left for d-001's 500, so the gap counts it not fully supplied, 150 kg × ฿550 short (volumes/arithmetic.ts).
		expect(listOf(gap.body)).toContainEqual(
			expect.objectContaining({
				province: 'TH-10',
				tsic: '10',
				open_demands: 1,
				covered_demands: 0,
				unmet_demands: 1,
				unmet_quantities: [{ unit: 'kg', quantity: 150 }],
				unmet_value_thb: 150 * 550,
				unvalued_unmet_demands: 0
			})
		);

		const [coffee] = await database.db.select().from(schema.startups).where(eq(schema.startups.ref, 's-001'));
		await database.db.insert(schema.referrals).values([
			{
				startupId: coffee!.id,
				agencyId: 'sme-d-bank',
				reason: 'offer_exceeds_capacity',
				unit: 'kg',
				quantity: 1200,
				monthlyCapacity: 800,
				status: 'requested'
			},
			{
				startupId: coffee!.id,
				agencyId: 'ieat',
				reason: 'matched_demand_exceeds_capacity',
				unit: 'kg',
				quantity: 5000,
				monthlyCapacity: 800
			}
		]);
		const bank = await call('GET', '/api/v1/referrals', { token: await token(['read']) });
		expect(listOf(bank.body)).toHaveLength(1);
		expect(listOf(bank.body)[0]).toMatchObject({
			agency: 'sme-d-bank',
			quantity: 1200,
			startup: { ref: 's-001', contact_email: 'hello@example.org' }
		});
		const estate = await call('GET', '/api/v1/referrals', {
			token: await token(['read'], { agencyId: 'ieat' })
		});
		expect(listOf(estate.body)[0]).toMatchObject({ startup: { contact_email: null } });
	});
});

describe('trust in the records', () => {
	it('says whether each organisation is verified and each certificate checked or declared', async () => {
		const { db } = database;
		// With a token: anonymous reads are limited per address, and the later tests need theirs.
		const read = { token: await token(['read']) };
		const [coffee] = await db.select().from(schema.startups).where(eq(schema.startups.ref, 's-001'));
		const before = await call('GET', '/api/v1/startups/s-001', read);
		expect(before.body).toHaveProperty('organisation_verified', false);
		expect(
			certificatesOf(before.body)
				.map((c) => c.id)
				.sort()
		).toEqual(['gmp', 'thai-fda']);
		expect(certificatesOf(before.body).every((c) => c.evidence_status === 'declared')).toBe(true);
		const demandBefore = await call('GET', '/api/v1/demands/d-001', read);
		expect(demandBefore.body).toHaveProperty('organisation_verified', false);

		// The office verifies the startup's organisation and the buyer's, and checks one certificate's evidence.
		const [buyer] = await db
			.select({ id: schema.demands.buyerOrganisationId })
			.from(schema.demands)
			.where(eq(schema.demands.ref, 'd-001'));
		for (const id of [coffee!.organisationId, buyer!.id]) await markVerified(db, id);
		await db
			.update(schema.startupCertifications)
			.set({ evidencePath: 'documents/evidence.pdf', checkedAt: new Date() })
			.where(
				and(
					eq(schema.startupCertifications.startupId, coffee!.id),
					eq(schema.startupCertifications.certificationId, 'gmp')
				)
			);
		const after = await call('GET', '/api/v1/startups/s-001', read);
		expect(after.body).toHaveProperty('organisation_verified', true);
		const status = Object.fromEntries(certificatesOf(after.body).map((c) => [c.id, c.evidence_status]));
		expect(status).toEqual({ gmp: 'checked', 'thai-fda': 'declared' });
		expect(certificatesOf(after.body).every((c) => c.valid)).toBe(true);
		const listed = await call('GET', '/api/v1/startups?province=' + coffee!.provinceCode, read);
		expect(listOf(listed.body).find((s) => s.ref === 's-001')?.organisation_verified).toBe(true);
		expect(listOf(listed.body).find((s) => s.ref === 's-002')?.organisation_verified ?? false).toBe(false);
		expect((await call('GET', '/api/v1/demands/d-001', read)).body).toHaveProperty(
			'organisation_verified',
			true
		);
		const demands = await call('GET', '/api/v1/demands', read);
		expect(listOf(demands.body).find((d) => d.ref === 'd-001')?.organisation_verified).toBe(true);

		// A revoked verification shows at once: nothing is cached between the decision and the API.
		await db
			.update(schema.organisations)
			.set({ verification: 'revoked', verifiedAt: null, verificationReason: 'เอกสารไม่ตรงกับทะเบียน' })
			.where(eq(schema.organisations.id, coffee!.organisationId));
		expect((await call('GET', '/api/v1/startups/s-001', read)).body).toHaveProperty(
			'organisation_verified',
			false
		);
	});

	it('documents both in the OpenAPI document', () => {
		const document = JSON.stringify(openApiDocument(ENDPOINTS, 'http://portal.test'));
		for (const field of ['organisation_verified', 'evidence_status', 'certificates'])
			expect(document).toContain(field);
	});
});

describe('errors', () => {
	it('speaks the caller’s language', async () => {
		const thai = await call('GET', '/api/v1/provinces/TH-99');
		expect(errorOf(thai.body).message).toBe('ไม่พบข้อมูลที่ขอ');
		expect(thai.headers.get('content-language')).toBe('th');
		const english = await call('GET', '/api/v1/provinces/TH-99', {
			headers: { 'accept-language': 'en-GB,en;q=0.8' }
		});
		expect(errorOf(english.body).message).toBe('Nothing was found here.');
		const preferThai = await call('GET', '/api/v1/provinces/TH-99', {
			headers: { 'accept-language': 'en;q=0.5, th;q=0.9' }
		});
		expect(errorOf(preferThai.body).message).toBe('ไม่พบข้อมูลที่ขอ');
		// Validation details come in the caller's language too.
		const detail = await call('GET', '/api/v1/startups?limit=abc', { headers: { 'accept-language': 'th' } });
		expect(problemsOf(detail.body)[0]?.message).toMatch(/[ก-๙]/);
	});

	it('answers an unknown path with 404 and a missing method with 405, as JSON', async () => {
		const missing = await call('GET', '/api/v1/nothing-here');
		expect(missing.status).toBe(404);
		expect(errorOf(missing.body).code).toBe('not_found');
		const method = await call('DELETE', '/api/v1/demands');
		expect(method.status).toBe(405);
		expect(errorOf(method.body).details).toHaveProperty('allowed', ['GET', 'POST']);
	});
});

describe('the OpenAPI document', () => {
	it('lists every route file’s methods and nothing else, and is valid OpenAPI 3.1 in shape', async () => {
		const { body } = await call('GET', '/api/v1/openapi.json');
		const operationSchema = z.object({
			operationId: z.string(),
			responses: z.record(z.string(), z.unknown())
		});
		const doc = z
			.object({
				openapi: z.string(),
				paths: z.record(z.string(), z.record(z.string(), operationSchema)),
				components: z.object({ securitySchemes: z.record(z.string(), z.unknown()) })
			})
			.parse(body);
		expect(doc.openapi).toBe('3.1.0');
		const documented = Object.entries(doc.paths).flatMap(([route, methods]) =>
			Object.keys(methods).map((m) => `${m.toUpperCase()} ${route}`)
		);
		const served: string[] = [];
		// The partners' API: /api/line/webhook is LINE's to call, not a partner's, and is not in the document.
		for (const route of API_ROUTES.filter((r) => r.template.startsWith('/api/v1'))) {
			const module = (await import(/* @vite-ignore */ path.resolve(`.${route.file}`))) as Record<
				string,
				unknown
			>;
			for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'])
				if (method in module) served.push(`${method} ${route.template.replace(/\[([a-z]+)\]/g, '{$1}')}`);
		}
		expect(documented.sort()).toEqual(served.sort());
		for (const operation of Object.values(doc.paths).flatMap((methods) => Object.values(methods))) {
			expect(operation.operationId).toMatch(/^[a-z][A-Za-z]+$/);
			expect(Object.keys(operation.responses).length).toBeGreaterThan(1);
		}
		expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
		// The same document the module builds: nothing hand-written.
		expect(body).toEqual(JSON.parse(JSON.stringify(openApiDocument(ENDPOINTS, 'http://portal.test'))));
	});

	it('every endpoint was exercised with a successful answer that matched its schema', async () => {
		await call('GET', '/api/v1');
		const missed = ENDPOINTS.filter((e) => !exercised.has(e)).map((e) => `${e.method} ${e.path}`);
		expect(missed).toEqual([]);
	});

	it('is rejected by the schemas when a response drifts (the check can fail)', () => {
		const startup = ENDPOINTS.find((e) => e.path === '/api/v1/startups/{key}')!;
		expect(startup.responses[200]!.schema.safeParse({ id: 'x' }).success).toBe(false);
		expect(z.object({}).safeParse({}).success).toBe(true);
	});
});
