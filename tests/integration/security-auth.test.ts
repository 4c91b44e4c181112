// Issue 18, sign-in and account side: redirects after sign-in and the language switch stay on this site and never
// answer 500; what the public sees carries no internal ids and no database error text; signed-in answers are
// never cached; only confirmed addresses publish, offer and report.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { handle } from '../../src/hooks.server';
import { pageCache } from '../../src/hooks/page-cache';
import { errorRemedy, hasErrorText } from '$lib/form-errors';
import { safePath } from '$lib/safe-path';
import { signUp, verifyEmail } from '$lib/server/accounts/service';
import { createSession, generateSessionToken, SESSION_COOKIE } from '$lib/server/auth/session';
import { runtime, setRuntime } from '$lib/server/context';
import { log } from '$lib/server/log';
import { checkDataDir } from '$lib/server/data-dir';
import * as schema from '$lib/server/db/schema';
import { REPORT_LIMIT } from '$lib/server/offers/service';
import type { Runtime } from '$lib/server/runtime';
import { todayInThailand } from '$lib/schemas/demand';
import { callApi } from '../helpers/api';
import { throughHooks } from '../helpers/hooks';
import { lastEmailTo, lastTokenTo } from '../helpers/mail';
import { changedTables, tableFingerprint } from '../helpers/malformed';
import { routeEvent, routeModule, settle, signedInLocals, type Settled } from '../helpers/route-event';
import { DEMAND_FORM, startWorld, WORLD_PASSWORD, type RunningWorld, type World } from '../helpers/world';

let running: RunningWorld;
let database: RunningWorld['database'];
let world: World;

beforeAll(async () => {
	running = await startWorld({ search: false });
	({ database, world } = running);
}, 180_000);

afterAll(async () => {
	await running?.stop();
});

type Handler = (event: unknown) => unknown;
let addressCounter = 0;
const nextAddress = () => `192.0.2.${++addressCounter}`;
/** A day `days` from today in Thailand, as forms post it. */
const inDays = (days: number) => {
	const today = new Date(`${todayInThailand()}T00:00:00Z`);
	return new Date(today.getTime() + days * 86_400_000).toISOString().slice(0, 10);
};

/** Targets that lead off the site once a browser reads them, or cannot be sent as a Location header at all. */
const HOSTILE = [
	'/\t/evil.example/',
	'/\n/evil.example/',
	'/\r/evil.example/',
	'//evil.example/',
	'/\\evil.example/',
	'/\\\\evil.example/',
	'https://evil.example/',
	'javascript:alert(1)',
	'/\n',
	'/\r\nSet-Cookie: a=b',
	'/\u3000',
	'/\u3000/evil.example',
	'/\u00a0x',
	'/\u200b/evil.example',
	'/ x',
	'/\u0000x',
	'/%0A',
	''
];

/** What a browser makes of a Location header: where it goes, and whether the header could be sent at all. */
function followed(location: string, origin = 'http://portal.test') {
	new Headers({ location }); // throws, as SvelteKit's response would (a 500), on a value no header may carry
	return new URL(location, origin);
}

describe('redirects after sign-in and the language switch (item 3)', () => {
	it('safePath keeps same-site paths and refuses everything else, whitespace and control characters included', () => {
		expect(safePath('/market?q=1#top', 'http://portal.test')).toBe('/market?q=1#top');
		expect(safePath('/demand/abc', new URL('https://portal.example.go.th/x'), '')).toBe('/demand/abc');
		// A Thai path is kept, percent-encoded, so it can travel in a header.
		expect(safePath('/ค้นหา?q=ข้าว', 'http://portal.test')).toBe(
			'/%E0%B8%84%E0%B9%89%E0%B8%99%E0%B8%AB%E0%B8%B2?q=%E0%B8%82%E0%B9%89%E0%B8%B2%E0%B8%A7'
		);
		for (const value of [...HOSTILE, null, undefined, 42, '/'.repeat(2001)])
			expect(safePath(value, 'http://portal.test', 'FALLBACK'), JSON.stringify(value)).toBe(
				value === '/%0A' ? '/%0A' : 'FALLBACK'
			);
	});

	it('signing in with any hostile `next` lands on the home page for the role, on this site', async () => {
		const action = ((await routeModule('(auth)/sign-in/+page.server.ts')).actions as Record<string, Handler>)
			.default!;
		for (const next of HOSTILE) {
			const event = routeEvent({
				locals: { user: null, session: null },
				method: 'POST',
				body: { email: world.users.buyer.email, password: WORLD_PASSWORD, next },
				address: nextAddress()
			});
			const settled = await settle(() => action(event));
			expect(settled.kind, JSON.stringify(next)).toBe('redirect');
			if (settled.kind !== 'redirect') continue;
			const target = followed(settled.location);
			expect(target.origin, JSON.stringify(next)).toBe('http://portal.test');
		}
	});

	it('a signed-in visitor sent to /sign-in?next=… with a line break or an ideographic space is not answered 500', async () => {
		const load = (await routeModule('(auth)/sign-in/+page.server.ts')).load as Handler;
		const locals = await signedInLocals(database.db, world.users.buyer.id);
		for (const next of [
			'/%0A/evil.example',
			'/%0D/evil.example',
			'/%E3%80%80/evil.example',
			'/%09/evil.example'
		]) {
			const settled = await settle(() =>
				load(routeEvent({ locals, method: 'GET', search: `?next=${next}` }))
			);
			expect(settled.kind, next).toBe('redirect');
			if (settled.kind === 'redirect') expect(followed(settled.location).origin).toBe('http://portal.test');
			if (settled.kind === 'redirect') expect(settled.location, next).toBe('/buyer');
		}
	});

	it('the language switch returns to a Thai page percent-encoded, and anywhere hostile falls back to the home page', async () => {
		const post = (await routeModule('locale/+server.ts')).POST as Handler;
		const thai = await settle(() =>
			post(
				routeEvent({
					locals: { user: null, session: null },
					method: 'POST',
					body: { locale: 'en', redirectTo: '/ค้นหา?q=ข้าว' }
				})
			)
		);
		expect(thai.kind).toBe('redirect');
		if (thai.kind === 'redirect') expect(decodeURI(followed(thai.location).pathname)).toBe('/ค้นหา');
		for (const redirectTo of HOSTILE) {
			const settled = await settle(() =>
				post(
					routeEvent({
						locals: { user: null, session: null },
						method: 'POST',
						body: { locale: 'th', redirectTo }
					})
				)
			);
			// Forms lose U+0000 on the way in (readForm), so "/\u0000x" arrives as "/x".
			const expected = ({ '/%0A': '/%0A', '/\u0000x': '/x' } as Record<string, string>)[redirectTo] ?? '/';
			expect(settled, JSON.stringify(redirectTo)).toMatchObject({ kind: 'redirect', location: expected });
		}
	});
});

describe('publishing, offering and reporting need a confirmed email (item 13)', () => {
	const actionsOf = async (file: string) => (await routeModule(file)).actions as Record<string, Handler>;
	const errorsOf = (settled: Settled) =>
		settled.kind === 'failure' ? (settled.data as { errors: Record<string, string> }).errors : undefined;

	async function unconfirmedBuyer() {
		return signUp(
			database.db,
			{
				accountType: 'buyer',
				organisationName: `Unconfirmed ${++addressCounter}`,
				provinceCode: null,
				email: `unconfirmed-${addressCounter}@example.org`,
				password: WORLD_PASSWORD,
				locale: 'th'
			},
			{ origin: 'http://portal.test', address: nextAddress() }
		);
	}

	it('an unconfirmed buyer cannot publish a demand (so no startup is mailed), only save a draft; confirmed, they can', async () => {
		const buyer = await unconfirmedBuyer();
		const locals = await signedInLocals(database.db, buyer.id);
		const create = await actionsOf('(app)/buyer/demands/new/+page.server.ts');
		const before = await tableFingerprint(database.db);
		const refused = await settle(() =>
			create.publish!(routeEvent({ locals, method: 'POST', body: { ...DEMAND_FORM, neededBy: inDays(60) } }))
		);
		expect(refused).toMatchObject({ kind: 'failure', status: 403 });
		expect(errorsOf(refused)).toEqual({ form: 'email_unconfirmed' });
		expect(hasErrorText('email_unconfirmed')).toBe(true);
		// The error summary links to where the link is sent again.
		expect(errorRemedy('email_unconfirmed')?.href).toBe('/account');
		expect(Object.keys((await routeModule('(app)/account/+page.server.ts')).actions as object)).toContain(
			'resend'
		);
		expect(changedTables(before, await tableFingerprint(database.db))).toEqual([]);

		const saved = await settle(() =>
			create.draft!(routeEvent({ locals, method: 'POST', body: { ...DEMAND_FORM, neededBy: inDays(60) } }))
		);
		expect(saved.kind).toBe('redirect');
		const [draft] = await database.db
			.select()
			.from(schema.demands)
			.where(eq(schema.demands.createdBy, buyer.id));
		expect(draft!.status).toBe('draft');
		const page = await actionsOf('(app)/buyer/demands/[id]/+page.server.ts');
		const publish = () =>
			settle(() => page.publish!(routeEvent({ locals, method: 'POST', params: { id: draft!.id } })));
		expect(errorsOf(await publish())).toEqual({ form: 'email_unconfirmed' });
		expect(
			(await database.db.select().from(schema.demands).where(eq(schema.demands.id, draft!.id)))[0]!.status
		).toBe('draft');

		await verifyEmail(database.db, await lastTokenTo(database.db, buyer.email));
		expect((await publish()).kind).not.toBe('failure');
		expect(
			(await database.db.select().from(schema.demands).where(eq(schema.demands.id, draft!.id)))[0]!.status
		).toBe('open');
	});

	it('an approved startup whose address is not confirmed cannot offer', async () => {
		const member = world.users.otherStartup;
		await database.db
			.update(schema.users)
			.set({ emailVerifiedAt: null })
			.where(eq(schema.users.id, member.id));
		try {
			const locals = await signedInLocals(database.db, member.id);
			const page = await actionsOf('(public)/demand/[id]/+page.server.ts');
			const settled = await settle(() =>
				page.offer!(
					routeEvent({
						locals,
						method: 'POST',
						params: { id: world.ids.demand },
						body: { quantity: '1', unitPriceThb: '40000', leadTimeDays: '14', message: '' }
					})
				)
			);
			expect(errorsOf(settled)).toEqual({ form: 'email_unconfirmed' });
			const offers = await database.db
				.select()
				.from(schema.offers)
				.where(
					and(
						eq(schema.offers.demandId, world.ids.demand),
						eq(schema.offers.startupId, world.ids.otherStartup)
					)
				);
			expect(offers).toEqual([]);
		} finally {
			await database.db
				.update(schema.users)
				.set({ emailVerifiedAt: new Date() })
				.where(eq(schema.users.id, member.id));
		}
	});

	it('reports need a confirmed address and are limited per account', async () => {
		const page = await actionsOf('(public)/demand/[id]/+page.server.ts');
		const report = async (userId: string) =>
			settle(async () =>
				page.report!(
					routeEvent({
						locals: await signedInLocals(database.db, userId),
						method: 'POST',
						params: { id: world.ids.otherDemand },
						body: { reason: 'สแปม' }
					})
				)
			);
		const unconfirmed = await unconfirmedBuyer();
		const before = await database.db.$count(schema.reports);
		expect(errorsOf(await report(unconfirmed.id))).toEqual({ form: 'email_unconfirmed' });
		expect(await database.db.$count(schema.reports)).toBe(before);

		const codes = [];
		for (let i = 0; i <= REPORT_LIMIT.limit; i++) {
			const settled = await report(world.users.buyer.id);
			codes.push(settled.kind === 'failure' ? errorsOf(settled)!.form : settled.kind);
		}
		expect(codes.slice(0, -1).every((code) => code === 'data')).toBe(true);
		expect(codes.at(-1)).toBe('rate_limited');
		expect(await database.db.$count(schema.reports)).toBe(before + REPORT_LIMIT.limit);
	});

	it("a startup that withdrew its offer no longer sees the buyer's contact", async () => {
		const member = world.users.otherStartup;
		const locals = await signedInLocals(database.db, member.id);
		const module = await routeModule('(public)/demand/[id]/+page.server.ts');
		const page = module.actions as Record<string, Handler>;
		const load = module.load as Handler;
		const contact = async () => {
			const settled = await settle(() =>
				load(routeEvent({ locals, method: 'GET', params: { id: world.ids.demand } }))
			);
			return (settled as { value: { buyerContact: unknown } }).value.buyerContact;
		};
		expect(await contact()).toBeNull();
		const offered = await settle(() =>
			page.offer!(
				routeEvent({
					locals,
					method: 'POST',
					params: { id: world.ids.demand },
					body: { quantity: '1', unitPriceThb: '40000', leadTimeDays: '14', message: '' }
				})
			)
		);
		expect(offered.kind).toBe('data');
		expect(await contact()).toMatchObject({ email: expect.stringContaining('@') as unknown });
		const [offer] = await database.db
			.select()
			.from(schema.offers)
			.where(
				and(eq(schema.offers.demandId, world.ids.demand), eq(schema.offers.startupId, world.ids.otherStartup))
			);
		const withdrawn = await settle(() =>
			page.withdraw!(
				routeEvent({ locals, method: 'POST', params: { id: world.ids.demand }, body: { offerId: offer!.id } })
			)
		);
		expect(withdrawn.kind).toBe('data');
		expect(await contact()).toBeNull();
	});
});

describe('what strangers can learn (item 14)', () => {
	it('signing up with a taken address answers exactly like a new sign-up; the owner is mailed instead', async () => {
		const action = ((await routeModule('(auth)/sign-up/+page.server.ts')).actions as Record<string, Handler>)
			.default!;
		const post = (email: string) => {
			const event = routeEvent({
				locals: { user: null, session: null },
				method: 'POST',
				body: {
					accountType: 'buyer',
					organisationName: 'ร้านอาหารทดสอบ',
					provinceCode: '',
					email,
					password: 'a long enough passphrase'
				},
				address: nextAddress()
			});
			return settle(() => action(event));
		};
		const fresh = await post(`fresh-${++addressCounter}@example.org`);
		const organisations = await database.db.$count(schema.organisations);
		const taken = await post(world.users.otherBuyer.email.toUpperCase());
		expect(fresh).toMatchObject({ kind: 'redirect', status: 303, location: '/buyer?welcome=1' });
		expect(taken).toEqual(fresh);
		expect(await database.db.$count(schema.organisations)).toBe(organisations);
		const told = await lastEmailTo(database.db, world.users.otherBuyer.email);
		expect(told.bodyText).toContain('http://portal.test/forgot-password');
	});
});

describe('public payloads carry no internal ids (item 14)', () => {
	it("the public demand page's data names neither the buyer organisation's id nor the posting account's", async () => {
		const load = (await routeModule('(public)/demand/[id]/+page.server.ts')).load as Handler;
		const [demand] = await database.db
			.select()
			.from(schema.demands)
			.where(eq(schema.demands.id, world.ids.otherDemand));
		for (const locals of [
			{ user: null, session: null },
			await signedInLocals(database.db, world.users.startup.id)
		]) {
			const settled = await settle(() =>
				load(routeEvent({ locals, method: 'GET', params: { id: demand!.id } }))
			);
			expect(settled.kind).toBe('data');
			const sent = JSON.stringify((settled as { value: unknown }).value);
			expect(sent).toContain(demand!.id);
			expect(sent).not.toContain(demand!.buyerOrganisationId);
			expect(sent).not.toContain(demand!.createdBy!);
			expect(sent).not.toMatch(/createdBy|buyerOrganisationId/);
		}
	});

	it('the API answers for demands name no internal ids either', async () => {
		const [demand] = await database.db
			.select()
			.from(schema.demands)
			.where(eq(schema.demands.id, world.ids.otherDemand));
		for (const target of ['/api/v1/demands', `/api/v1/demands/${demand!.id}`]) {
			const response = await callApi('GET', target);
			expect(response.status, target).toBe(200);
			const text = await response.text();
			expect(text, target).toContain(demand!.id);
			expect(text, target).not.toContain(demand!.buyerOrganisationId);
			expect(text, target).not.toContain(demand!.createdBy!);
		}
	});
});

describe('/health tells strangers what fails, never why (item 14)', () => {
	it('a database failure answers 503 with `unavailable` and no error text, driver or host', async () => {
		const world = runtime();
		const secret = 'connect ECONNREFUSED db-primary.internal:5432 (user portal_owner, /srv/portal/data)';
		setRuntime({
			db: world.db,
			database: { driver: 'postgres', ping: () => Promise.reject(new Error(secret)) },
			search: { url: 'http://127.0.0.1:9', managed: undefined }
		} as unknown as Runtime);
		const logged = vi.spyOn(log(), 'error').mockImplementation(() => {});
		try {
			const get = (await routeModule('health/+server.ts')).GET as Handler;
			const response = (await get(
				routeEvent({ locals: { user: null, session: null }, method: 'GET' })
			)) as Response;
			expect(response.status).toBe(503);
			const text = await response.text();
			expect(JSON.parse(text)).toEqual({
				status: 'unavailable',
				database: { ok: false },
				search: { ok: false },
				failing: ['database', 'search']
			});
			expect(text).not.toMatch(/ECONNREFUSED|db-primary|portal_owner|postgres|\/srv/);
			// The operator still reads the reason, in the log.
			expect(JSON.stringify(logged.mock.calls)).toContain('db-primary.internal');
		} finally {
			logged.mockRestore();
			setRuntime(world);
		}
	});
});

describe('DATA_DIR is private (item 14)', () => {
	const modeOf = (dir: string) => fs.statSync(dir).mode & 0o777;

	it('is created 0700, and an existing one holding the portal’s data is tightened; a prepared empty one is left', () => {
		const root = fs.mkdtempSync(path.join(os.tmpdir(), 'data-dir-'));
		try {
			const fresh = path.join(root, 'new', 'data');
			checkDataDir(fresh);
			expect(modeOf(fresh)).toBe(0o700);

			const earlier = path.join(root, 'earlier');
			fs.mkdirSync(path.join(earlier, 'pglite'), { recursive: true });
			fs.chmodSync(earlier, 0o755);
			checkDataDir(earlier);
			expect(modeOf(earlier)).toBe(0o700);

			const prepared = path.join(root, 'prepared');
			fs.mkdirSync(prepared);
			fs.chmodSync(prepared, 0o750);
			checkDataDir(prepared);
			expect(modeOf(prepared)).toBe(0o750);
		} finally {
			fs.rmSync(root, { recursive: true, force: true });
		}
	});
});

describe('signed-in answers are never cached (item 14)', () => {
	const throughHooksWith = (url: string, cookies: Record<string, string>, response: () => Response) =>
		throughHooks(url, response, { cookies });

	const publicPage = (extra: HeadersInit = {}) =>
		new Response('<html><body>ตลาด</body></html>', {
			headers: { 'content-type': 'text/html', 'cache-control': 'public, max-age=60', ...extra }
		});

	it('a page for a signed-in user is `private, no-store`, whatever the route asked for; an anonymous one is left as asked', async () => {
		const token = generateSessionToken();
		await createSession(database.db, token, world.users.buyer.id);
		const signedIn = await throughHooksWith('http://portal.test/market', { [SESSION_COOKIE]: token }, () =>
			publicPage()
		);
		expect(signedIn.headers.get('cache-control')).toBe('private, no-store');
		const json = await throughHooksWith(
			'http://portal.test/api/v1/provinces',
			{ [SESSION_COOKIE]: token },
			() => Response.json({ ok: true })
		);
		expect(json.headers.get('cache-control')).toBe('private, no-store');
		const anonymous = await throughHooksWith('http://portal.test/market', {}, () => publicPage());
		expect(anonymous.headers.get('cache-control')).toBe('public, max-age=60');
	});

	it('an answer that sets or clears the session cookie is `private, no-store`, even to a visitor not (yet) signed in', async () => {
		const signingIn = await throughHooksWith('http://portal.test/sign-in', {}, () =>
			publicPage({ 'set-cookie': `${SESSION_COOKIE}=abc; Path=/; HttpOnly; SameSite=Lax` })
		);
		expect(signingIn.headers.get('cache-control')).toBe('private, no-store');
		const signingOut = await throughHooksWith('http://portal.test/sign-out', {}, () =>
			publicPage({ 'set-cookie': `${SESSION_COOKIE}=; Path=/; Max-Age=0` })
		);
		expect(signingOut.headers.get('cache-control')).toBe('private, no-store');
	});

	it('the anonymous page cache keeps none of them', async () => {
		const cache = pageCache({ seconds: 60 });
		let rendered = 0;
		const resolve = async () => {
			rendered++;
			return new Response('<html>x</html>', {
				headers: { 'content-type': 'text/html', 'cache-control': 'private, no-store' }
			});
		};
		for (let i = 0; i < 2; i++) {
			const event = routeEvent({ locals: { user: null, session: null }, method: 'GET' });
			await cache({ event, resolve } as unknown as Parameters<typeof handle>[0]);
		}
		expect(rendered).toBe(2);
	});
});
