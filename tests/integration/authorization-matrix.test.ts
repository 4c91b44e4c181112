// Who gets what: every server route's load, actions and handlers, called as a visitor, a startup, a buyer,
// an officer of the route's province, an officer of another province and an admin, with real accounts and
// sessions in a real database. A route file missing from the matrix fails the test.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endOwnSession } from '$lib/server/accounts/queries';
import { signUp } from '$lib/server/accounts/service';
import { createSession, generateSessionToken, validateSessionToken } from '$lib/server/auth/session';
import { setRuntime } from '$lib/server/context';
import * as schema from '$lib/server/db/schema';
import type { Runtime } from '$lib/server/runtime';
import { buildUser } from '../factories';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { ROUTE_MODULES, routeEvent, routeFile, settle, signedInLocals } from '../helpers/route-event';

type Who = 'visitor' | 'startup' | 'buyer' | 'officerHere' | 'officerElsewhere' | 'admin';
type Outcome = 'ok' | 'redirect' | 401 | 403 | 404;
/** What a request gave: an Outcome, or a description of an answer that is none of them. */
type Observed = Exclude<Outcome, string> | string;
type Row = Record<Who, Outcome>;

const WHO: Who[] = ['visitor', 'startup', 'buyer', 'officerHere', 'officerElsewhere', 'admin'];
const everyone = (outcome: Outcome): Row => Object.fromEntries(WHO.map((who) => [who, outcome])) as Row;
const OPEN = everyone('ok');
const SIGNED_IN: Row = { ...everyone('ok'), visitor: 401 };
const GUESTS_ONLY: Row = { ...everyone('redirect'), visitor: 'ok' };
const only = (...allowed: Who[]): Row => ({
	...everyone(403),
	visitor: 401,
	...Object.fromEntries(allowed.map((who) => [who, 'ok']))
});
const SIGNING_OUT: Row = { ...everyone('redirect'), visitor: 401 };
/** Startups and buyers: the organisations that list by-products and take materials. */
const MEMBERS = only('startup', 'buyer');
const NO_SUCH = '00000000-0000-4000-8000-000000000000';

interface RouteSpec {
	params?: Record<string, string>;
	search?: string;
	/** Fields posted to actions and POST handlers (empty otherwise). */
	body?: Record<string, string>;
	load?: Row;
	actions?: Record<string, Row>;
	GET?: Row;
	POST?: Row;
	/** Not called here, with the reason (it is covered elsewhere). */
	skip?: string;
}

// The province of "officerHere" is Chiang Mai (TH-50); "officerElsewhere" works for Lampang (TH-52).
/** API routes authorise by token and scope, not by session: tests/integration/api-contract.test.ts walks them. */
const API = 'the API (token scopes, not sessions): covered by api-contract.test.ts';

const MATRIX: Record<string, RouteSpec> = {
	'api/v1/+server.ts': { skip: API },
	'api/docs/+page.server.ts': { load: OPEN },
	'(app)/admin/api-tokens/+page.server.ts': {
		load: only('admin'),
		actions: { issue: only('admin'), revoke: { ...only('admin'), admin: 404 } }
	},
	'api/v1/openapi.json/+server.ts': { skip: API },
	'api/v1/provinces/+server.ts': { skip: API },
	'api/v1/provinces/[code]/+server.ts': { skip: API },
	'api/v1/selections/+server.ts': { skip: API },
	'api/v1/startups/+server.ts': { skip: API },
	'api/v1/startups/[key]/+server.ts': { skip: API },
	'api/v1/startups/[key]/matches/+server.ts': { skip: API },
	'api/v1/demands/+server.ts': { skip: API },
	'api/v1/demands/[key]/+server.ts': { skip: API },
	'api/v1/demands/[key]/matches/+server.ts': { skip: API },
	'api/v1/gap/+server.ts': { skip: API },
	'api/v1/import/+server.ts': { skip: API },
	'api/v1/referrals/+server.ts': { skip: API },
	'api/v1/offers/+server.ts': { skip: API },
	'api/v1/offers/[id]/accept/+server.ts': { skip: API },
	'api/v1/offers/[id]/decline/+server.ts': { skip: API },
	'api/v1/byproducts/+server.ts': { skip: API },
	'api/v1/byproducts/[key]/+server.ts': { skip: API },
	'api/v1/material-wants/+server.ts': { skip: API },
	'api/v1/material-wants/[key]/+server.ts': { skip: API },
	'+layout.server.ts': { load: OPEN },
	'(public)/+page.server.ts': { load: OPEN },
	'health/+server.ts': { skip: 'public; needs the search engine, covered by runtime.test.ts' },
	'health/live/+server.ts': { skip: 'public; covered with a running server by operations.test.ts' },
	'health/ready/+server.ts': { skip: 'public; covered with a running server by operations.test.ts' },
	// Whatever the session, no role reaches it: only OPERATOR_TOKEN opens it (operations.test.ts), unset here.
	'metrics/+server.ts': { GET: everyone(404) },
	'locale/+server.ts': { body: { locale: 'en', redirectTo: '/' }, POST: everyone('redirect') },
	// Off unless DEV_MAILBOX (never in production), and then only for a browser on the portal's own machine.
	'dev/mail/+page.server.ts': { load: everyone(404) },
	'(auth)/sign-up/+page.server.ts': { load: GUESTS_ONLY, actions: { default: OPEN } },
	'(auth)/sign-in/+page.server.ts': { load: GUESTS_ONLY, actions: { default: OPEN } },
	// No identity provider is configured here: both send everyone back to the sign-in page with the reason.
	'(auth)/sign-in/identity/+server.ts': { body: { provider: 'thaid' }, POST: everyone('redirect') },
	'(auth)/sign-in/identity/[provider]/callback/+server.ts': {
		params: { provider: 'thaid' },
		GET: everyone('redirect')
	},
	// Without a verified identity waiting (the flow cookie), the form is not shown; posting it is refused.
	'(auth)/sign-up/identity/+page.server.ts': { load: everyone('redirect'), actions: { default: OPEN } },
	'(auth)/sign-out/+page.server.ts': {
		load: SIGNED_IN,
		actions: { here: SIGNING_OUT, everywhere: SIGNING_OUT }
	},
	'(auth)/forgot-password/+page.server.ts': { actions: { default: OPEN } },
	// LINE's webhook: no session opens it; without a LINE channel configured it does not exist. The signature
	// check is covered by line-notifications.test.ts.
	'api/line/webhook/+server.ts': { POST: everyone(404) },
	'(auth)/reset-password/+page.server.ts': { load: OPEN, actions: { default: OPEN } },
	'(auth)/invite/+page.server.ts': { load: OPEN, actions: { password: OPEN, identity: OPEN } },
	'(auth)/verify-email/+page.server.ts': { load: OPEN, actions: { default: OPEN } },
	'(app)/account/+page.server.ts': {
		load: SIGNED_IN,
		actions: {
			locale: SIGNED_IN,
			password: SIGNED_IN,
			email: SIGNED_IN,
			linkIdentity: SIGNED_IN,
			unlinkIdentity: SIGNED_IN,
			// No LINE channel is configured here: signed-in people get a refused form (not found), after the guard.
			lineTopics: SIGNED_IN,
			lineStop: SIGNED_IN,
			resend: SIGNED_IN,
			endSession: SIGNED_IN,
			endOthers: SIGNED_IN
		}
	},
	// A referral id that is missing names nothing: 404 to the startup, after the guard.
	'(app)/startup/+page.server.ts': {
		load: only('startup'),
		actions: {
			submit: only('startup'),
			requestReferral: { ...only('startup'), startup: 404 },
			dismissReferral: { ...only('startup'), startup: 404 }
		}
	},
	'(app)/startup/profile/+page.server.ts': {
		load: only('startup'),
		actions: { save: only('startup'), logo: only('startup') }
	},
	// Evidence for a certificate the startup does not hold: refused as a form (not found), after the guard.
	'(app)/startup/certificates/+page.server.ts': {
		load: only('startup'),
		actions: { evidence: only('startup') }
	},
	'(app)/startup/products/+page.server.ts': {
		load: only('startup'),
		actions: { add: only('startup'), remove: only('startup') }
	},
	// A product id that is not the startup's own is not found, for its owner's peers too.
	'(app)/startup/products/[id]/+page.server.ts': {
		params: { id: '00000000-0000-4000-8000-000000000000' },
		load: { ...only('startup'), startup: 404 },
		actions: { save: only('startup'), photo: only('startup') }
	},
	'(public)/demand/+page.server.ts': { load: OPEN },
	'(app)/account/searches/+page.server.ts': {
		load: SIGNED_IN,
		actions: { create: SIGNED_IN, update: SIGNED_IN, delete: SIGNED_IN }
	},
	// The signed token is the credential: a forged one gets its page (and a refused form), never a 500.
	'(public)/alerts/unsubscribe/[token]/+page.server.ts': {
		params: { token: `${NO_SUCH}.forged` },
		load: OPEN,
		actions: { default: OPEN }
	},
	'(public)/search/+page.server.ts': { search: '?q=ข้าว', load: OPEN },
	// A demand id that names nothing: 404 to all; the actions still check who asks first.
	'(public)/demand/[id]/+page.server.ts': {
		params: { id: '00000000-0000-4000-8000-000000000000' },
		load: everyone(404),
		actions: {
			// An empty form fails validation before the demand is looked up.
			offer: only('startup'),
			withdraw: { ...only('startup'), startup: 404 },
			declineInvitation: only('startup'),
			message: { ...everyone(404), visitor: 401 },
			report: SIGNED_IN
		}
	},
	'(app)/buyer/demands/new/+page.server.ts': {
		load: only('buyer'),
		actions: { publish: only('buyer'), draft: only('buyer') }
	},
	'(app)/buyer/demands/[id]/+page.server.ts': {
		params: { id: '00000000-0000-4000-8000-000000000000' },
		load: { ...only('buyer'), buyer: 404 },
		actions: {
			publish: only('buyer'),
			close: only('buyer'),
			invite: only('buyer'),
			accept: { ...only('buyer'), buyer: 404 },
			decline: { ...only('buyer'), buyer: 404 },
			message: { ...only('buyer'), buyer: 404 },
			report: { ...only('buyer'), buyer: 404 }
		}
	},
	'(app)/buyer/demands/[id]/edit/+page.server.ts': {
		params: { id: '00000000-0000-4000-8000-000000000000' },
		load: { ...only('buyer'), buyer: 404 },
		actions: { save: only('buyer') }
	},
	'(app)/startup/offers/+page.server.ts': { load: only('startup') },
	'(app)/office/[province=province]/moderation/+page.server.ts': {
		params: { province: 'TH-50' },
		load: only('officerHere', 'admin'),
		actions: {
			hide: { ...only('officerHere', 'admin'), officerHere: 404, admin: 404 },
			withdraw: { ...only('officerHere', 'admin'), officerHere: 404, admin: 404 },
			dismiss: { ...only('officerHere', 'admin'), officerHere: 404, admin: 404 }
		}
	},
	'(app)/office/[province=province]/certificates/+page.server.ts': {
		params: { province: 'TH-50' },
		load: only('officerHere', 'admin'),
		actions: { decide: only('officerHere', 'admin') }
	},
	'(app)/notifications/+page.server.ts': { load: SIGNED_IN, actions: { read: SIGNED_IN } },
	'(public)/startups/[slug]/+page.server.ts': {
		params: { slug: 'no-such-startup' },
		load: everyone(404),
		actions: { report: { ...everyone(404), visitor: 401 }, contact: { ...everyone(404), visitor: 401 } }
	},
	'(public)/privacy/+page.server.ts': { load: OPEN },
	// Every signed-in person has the same rights over their own data; nobody reaches another's.
	'(app)/account/privacy/+page.server.ts': {
		load: SIGNED_IN,
		actions: {
			consent: SIGNED_IN,
			withdraw: SIGNED_IN,
			correction: SIGNED_IN,
			contact: SIGNED_IN,
			delete: SIGNED_IN
		}
	},
	'(app)/account/privacy/data.json/+server.ts': { POST: SIGNED_IN },
	'(app)/admin/privacy/+page.server.ts': { load: only('admin'), actions: { complete: only('admin') } },
	'(public)/provinces/[province]/+page.server.ts': { params: { province: 'TH-50' }, load: OPEN },
	'(public)/regions/[region]/+page.server.ts': { params: { region: 'north' }, load: OPEN },
	'(public)/market/+page.server.ts': { load: OPEN },
	'(public)/market/gap.csv/+server.ts': { GET: OPEN },
	'(public)/waste/+page.server.ts': { load: OPEN },
	'(public)/waste/figures.csv/+server.ts': { GET: OPEN },
	'(app)/waste/mine/+page.server.ts': { load: MEMBERS },
	'(app)/waste/lots/new/+page.server.ts': { load: MEMBERS, actions: { submit: MEMBERS, draft: MEMBERS } },
	'(app)/waste/wants/new/+page.server.ts': { load: MEMBERS, actions: { default: MEMBERS } },
	// Ids that name nothing: the pages answer 404 to members, the actions a form failure.
	'(app)/waste/lots/[id]/+page.server.ts': {
		params: { id: NO_SUCH },
		body: { wantId: NO_SUCH, fileId: NO_SUCH },
		load: { ...MEMBERS, startup: 404, buyer: 404 },
		actions: {
			submit: MEMBERS,
			availability: MEMBERS,
			withdraw: MEMBERS,
			propose: MEMBERS,
			addPhoto: MEMBERS,
			addDocument: MEMBERS,
			removeFile: MEMBERS
		}
	},
	// A lot's file nobody may read looks exactly like a file that does not exist.
	'(app)/waste/lots/[id]/files/[fileId]/+server.ts': {
		params: { id: NO_SUCH, fileId: NO_SUCH },
		GET: { ...everyone(404), visitor: 401 }
	},
	'(app)/waste/lots/[id]/edit/+page.server.ts': {
		params: { id: NO_SUCH },
		load: { ...MEMBERS, startup: 404, buyer: 404 },
		actions: { default: MEMBERS }
	},
	'(app)/waste/wants/[id]/edit/+page.server.ts': {
		params: { id: NO_SUCH },
		load: { ...MEMBERS, startup: 404, buyer: 404 },
		actions: { default: MEMBERS }
	},
	'(app)/waste/wants/[id]/+page.server.ts': {
		params: { id: NO_SUCH },
		body: { lotId: NO_SUCH },
		load: { ...MEMBERS, startup: 404, buyer: 404 },
		actions: { close: MEMBERS, propose: MEMBERS }
	},
	'(app)/waste/agreements/[id]/+page.server.ts': {
		params: { id: NO_SUCH },
		body: { transferId: NO_SUCH },
		load: { ...MEMBERS, startup: 404, buyer: 404 },
		actions: { decide: MEMBERS, withdraw: MEMBERS, step: MEMBERS, record: MEMBERS, confirm: MEMBERS }
	},
	'(app)/office/[province=province]/waste/+page.server.ts': {
		params: { province: 'TH-50' },
		body: { lotId: NO_SUCH },
		load: only('officerHere', 'admin'),
		actions: { default: only('officerHere', 'admin') }
	},
	'(app)/admin/waste/+page.server.ts': { load: only('admin'), actions: { default: only('admin') } },
	'sitemap.xml/+server.ts': { GET: OPEN },
	'robots.txt/+server.ts': { GET: OPEN },
	'map/provinces.svg/+server.ts': { GET: OPEN },
	'uploads/[...path]/+server.ts': { params: { path: '../../etc/passwd' }, GET: everyone(404) },
	'(app)/buyer/+page.server.ts': { load: only('buyer') },
	'(app)/office/[province=province]/+page.server.ts': {
		params: { province: 'TH-50' },
		load: only('officerHere', 'admin'),
		actions: { confirm: only('officerHere', 'admin'), select: only('officerHere', 'admin') }
	},
	'(app)/office/[province=province]/settings/+page.server.ts': {
		params: { province: 'TH-50' },
		load: only('officerHere', 'admin'),
		actions: { threshold: only('officerHere', 'admin') }
	},
	'(app)/office/[province=province]/standing/[id]/+page.server.ts': {
		params: { province: 'TH-50', id: '00000000-0000-4000-8000-000000000000' },
		load: { ...only('officerHere', 'admin'), officerHere: 404, admin: 404 },
		// An empty form is refused with field errors before the startup is looked up.
		actions: { decide: only('officerHere', 'admin') }
	},
	'(app)/office/[province=province]/verification/[id]/+page.server.ts': {
		params: { province: 'TH-50', id: NO_SUCH },
		load: { ...only('officerHere', 'admin'), officerHere: 404, admin: 404 },
		// An empty form is refused with field errors before the organisation is looked up.
		actions: { decide: only('officerHere', 'admin') }
	},
	'(app)/organisation/+page.server.ts': {
		load: MEMBERS,
		// Removing names a document: none here, so 404; an empty upload or request is a form failure.
		actions: { upload: MEMBERS, remove: { ...MEMBERS, startup: 404, buyer: 404 }, request: MEMBERS }
	},
	// A document nobody may read looks exactly like one that does not exist.
	'(app)/organisation/documents/[id]/+server.ts': {
		params: { id: NO_SUCH },
		GET: { ...everyone(404), visitor: 401 }
	},
	// Evidence nobody may read looks exactly like evidence that does not exist.
	'(app)/evidence/[startupId]/[certificationId]/+server.ts': {
		params: { startupId: NO_SUCH, certificationId: 'organic-thailand' },
		GET: { ...everyone(404), visitor: 401 }
	},
	'(app)/office/[province=province]/review/[id]/+page.server.ts': {
		params: { province: 'TH-50', id: '00000000-0000-4000-8000-000000000000' },
		load: { ...only('officerHere', 'admin'), officerHere: 404, admin: 404 },
		actions: { decide: only('officerHere', 'admin') }
	},
	'(app)/office/[province=province]/audit/+page.server.ts': {
		params: { province: 'TH-50' },
		load: only('officerHere', 'admin')
	},
	'(app)/office/[province=province]/export/[file]/+server.ts': {
		params: { province: 'TH-50', file: 'startups.csv' },
		GET: only('officerHere', 'admin')
	},
	'(app)/admin/+page.server.ts': { load: only('admin') },
	'(app)/admin/export/[file]/+server.ts': { params: { file: 'demands.csv' }, GET: only('admin') },
	'(app)/admin/startups/+page.server.ts': { load: only('admin') },
	'(app)/admin/response-times/+page.server.ts': { load: only('admin') },
	'(app)/admin/holidays/+page.server.ts': {
		load: only('admin'),
		actions: { add: only('admin'), remove: only('admin') }
	},
	'(app)/admin/response-times.csv/+server.ts': { GET: only('admin') },
	'(app)/admin/audit/+page.server.ts': { load: only('admin'), search: '?page=x' },
	'(app)/admin/startups/[id]/+page.server.ts': {
		params: { id: '00000000-0000-4000-8000-000000000000' },
		load: { ...only('admin'), admin: 404 },
		actions: { move: only('admin') }
	},
	'(app)/admin/invite/+page.server.ts': { load: only('admin'), actions: { default: only('admin') } },
	'(app)/admin/users/+page.server.ts': {
		load: only('admin'),
		actions: { suspend: only('admin'), reactivate: only('admin') }
	}
};

let database: TestDatabase;
const accounts = {} as Record<Exclude<Who, 'visitor'>, string>;

beforeAll(async () => {
	database = await createTestDatabase();
	const { db } = database;
	setRuntime({ db, database } as unknown as Runtime);
	const context = { origin: 'http://portal.test', address: '192.0.2.1' };
	const member = (accountType: 'startup' | 'buyer') =>
		signUp(
			db,
			{
				accountType,
				organisationName: `${accountType} co`,
				provinceCode: accountType === 'startup' ? 'TH-50' : null,
				email: `${accountType}@matrix.test`,
				password: 'matrix passphrase',
				locale: 'th'
			},
			context
		);
	accounts.startup = (await member('startup')).id;
	accounts.buyer = (await member('buyer')).id;
	accounts.officerHere = (await buildUser(db, { role: 'officer', provinceCode: 'TH-50' })).id;
	accounts.officerElsewhere = (await buildUser(db, { role: 'officer', provinceCode: 'TH-52' })).id;
	accounts.admin = (await buildUser(db, { role: 'admin' })).id;
});

afterAll(async () => {
	setRuntime(undefined);
	await database?.dispose();
});

async function eventFor(who: Who, spec: RouteSpec, method: 'GET' | 'POST') {
	const locals = await signedInLocals(database.db, who === 'visitor' ? null : accounts[who]);
	return routeEvent({ locals, method, params: spec.params, search: spec.search, body: spec.body });
}

async function outcomeOf(run: () => unknown): Promise<Observed> {
	// Data or a failed form (400, 404 …) alike: the guard let the request in.
	const settled = await settle(run);
	if (settled.kind === 'data' || settled.kind === 'failure') return 'ok';
	if (settled.kind === 'redirect') return 'redirect';
	if (settled.kind === 'http') return settled.status as Outcome;
	return `threw ${String(settled.error)}`;
}

describe('authorization matrix', () => {
	it('lists every server route file and every exported handler', async () => {
		const files = Object.keys(ROUTE_MODULES).map(routeFile).sort();
		expect(files).toEqual(Object.keys(MATRIX).sort());
		for (const [file, load] of Object.entries(ROUTE_MODULES)) {
			const spec = MATRIX[routeFile(file)]!;
			if (spec.skip) continue;
			const module = await load();
			for (const name of ['load', 'GET', 'POST'] as const) {
				expect(name in module, `${routeFile(file)} ${name}`).toBe(name in spec);
			}
			const actions = Object.keys((module.actions as object | undefined) ?? {}).sort();
			expect(actions, routeFile(file)).toEqual(Object.keys(spec.actions ?? {}).sort());
			// SvelteKit answers 500 to every post when a page mixes a default action with named ones.
			expect(actions.includes('default') && actions.length > 1, `${routeFile(file)} mixes actions`).toBe(
				false
			);
		}
	});

	for (const [file, spec] of Object.entries(MATRIX)) {
		if (spec.skip) continue;
		const handlers: [string, Row, 'GET' | 'POST'][] = [
			...(spec.load ? [['load', spec.load, 'GET'] as [string, Row, 'GET']] : []),
			...(spec.GET ? [['GET', spec.GET, 'GET'] as [string, Row, 'GET']] : []),
			...(spec.POST ? [['POST', spec.POST, 'POST'] as [string, Row, 'POST']] : []),
			...Object.entries(spec.actions ?? {}).map(
				([name, row]) => [`actions.${name}`, row, 'POST'] as [string, Row, 'POST']
			)
		];
		for (const [handler, expected] of handlers) {
			it(`${file} ${handler}`, async () => {
				const module = await ROUTE_MODULES[`/src/routes/${file}`]!();
				const fn = (
					handler.startsWith('actions.')
						? (module.actions as Record<string, unknown>)[handler.slice(8)]
						: module[handler]
				) as (event: unknown) => unknown;
				const actual: Record<string, Observed> = {};
				for (const who of WHO) {
					const method = handler === 'load' || handler === 'GET' ? 'GET' : 'POST';
					const event = await eventFor(who, spec, method);
					actual[who] = await outcomeOf(() => fn(event));
				}
				expect(actual).toEqual(expected);
			});
		}
	}

	it('an office URL for a province that does not exist is refused before it is looked up', async () => {
		const module = await ROUTE_MODULES['/src/routes/(app)/office/[province=province]/+page.server.ts']!();
		const load = module.load as (event: unknown) => unknown;
		const spec = { params: { province: 'TH-99' } };
		expect(await outcomeOf(async () => load(await eventFor('officerHere', spec, 'GET')))).toBe(403);
		expect(await outcomeOf(async () => load(await eventFor('admin', spec, 'GET')))).toBe(404);
	});

	it("someone else's session cannot be ended, and it says not found", async () => {
		const { db } = database;
		const buyerToken = generateSessionToken();
		const buyerSession = await createSession(db, buyerToken, accounts.buyer);
		expect(await endOwnSession(db, accounts.startup, buyerSession.id)).toBe(false);
		expect((await validateSessionToken(db, buyerToken)).session).not.toBeNull();
		const [row] = await db.select().from(schema.sessions).where(eq(schema.sessions.id, buyerSession.id));
		expect(row?.userId).toBe(accounts.buyer);
	});
});
