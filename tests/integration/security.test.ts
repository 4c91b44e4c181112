// Security evidence: Meilisearch filter values cannot change a filter's logic (real Meilisearch, with records the
// public must never see planted in the index); the headers every page, API answer and CSV carries; the CSRF
// check SvelteKit is configured with; sessions rotated at sign-in (fixation); and one organisation guessing the
// ids of another's startup, products, demands, offers, messages, reports, referrals, API tokens and notifications.
// The live server's side (CSP as sent, a cross-site form post refused) is checked by tests/e2e/public/home.e2e.ts
// and `npm run audit:security`.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import svelteConfig from '../../svelte.config.js';
import {
	SESSION_COOKIE,
	createSession,
	generateSessionToken,
	validateSessionToken
} from '$lib/server/auth/session';
import { hasErrorText } from '$lib/form-errors';
import * as schema from '$lib/server/db/schema';
import { matchDemandsForStartup, matchStartupsForDemand } from '$lib/server/matching/service';
import type { Meilisearch } from '$lib/server/search/client';
import { demandDocument, startupDocument } from '$lib/server/search/documents';
import { parseSearchParams, quote } from '$lib/server/search/filters';
import { INDEXES } from '$lib/server/search/indexes';
import { drainOutboxOnce, enqueueSearchSync } from '$lib/server/search/outbox';
import { searchPortal } from '$lib/server/search/query';
import { loadDemandSources, loadStartupSources } from '$lib/server/search/sources';
import { takeUploadSlot, UPLOAD_LIMIT } from '$lib/server/uploads/limits';
import { collectOrphanUploads } from '$lib/server/uploads/orphans';
import { buildDemand, buildUser, daysFromToday } from '../factories';
import { callApi } from '../helpers/api';
import { kitInternal, throughHooks } from '../helpers/hooks';
import { changedTables, MEILI_INJECTIONS, tableFingerprint } from '../helpers/malformed';
import { hitIds } from '../helpers/meili';
import { routeEvent, routeModule, settle, signedInLocals, type Settled } from '../helpers/route-event';
import { DEMAND_FORM, startWorld, WORLD_PASSWORD, type RunningWorld, type World } from '../helpers/world';
import { yearInThailand } from '../helpers/dates';

// Uploads that got through would be written here.
process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'security-'));

let running: RunningWorld;
let database: RunningWorld['database'];
let client: Meilisearch;
let world: World;
/** Documents the index must never give to the public: planted behind the portal's back, as a bug might. */
const planted = { draftStartup: crypto.randomUUID(), hiddenDemand: crypto.randomUUID(), literal: '' };
const EVIL_CERT = 'gmp" OR status = "draft';

beforeAll(async () => {
	running = await startWorld({ search: true });
	({ database, world } = running);
	client = running.client!;

	const [startup] = await loadStartupSources(database.db, [world.ids.startup]);
	const [demand] = await loadDemandSources(database.db, [world.ids.demand]);
	const literal = startupDocument({ ...startup!, id: crypto.randomUUID(), certifications: [EVIL_CERT] });
	planted.literal = literal.id;
	await client
		.index(INDEXES.startups.uid)
		.addDocuments([
			{ ...startupDocument(startup!), id: planted.draftStartup, status: 'draft', name_th: 'ร่างลับ' },
			literal
		])
		.waitTask({ timeout: 60_000 });
	await client
		.index(INDEXES.demands.uid)
		.addDocuments([{ ...demandDocument(demand!), id: planted.hiddenDemand, status: 'hidden' }])
		.waitTask({ timeout: 60_000 });
}, 180_000);

afterAll(async () => {
	await running?.stop();
});

describe('Meilisearch filter values are escaped', () => {
	const VALUES = [...MEILI_INJECTIONS, EVIL_CERT, 'TH-50\\', 'a\\\\" OR "1" = "1', '\'"\\`'];

	it('quote() escapes quotes and backslashes, so the value stays one string literal', () => {
		expect(quote('TH-50" OR tsic EXISTS')).toBe('"TH-50\\" OR tsic EXISTS"');
		expect(quote('a\\" OR 1')).toBe('"a\\\\\\" OR 1"');
		for (const value of VALUES) {
			// Unescaped quotes would end the literal early: inside it, every quote is preceded by a backslash.
			const inner = quote(value).slice(1, -1);
			expect(inner.replace(/\\[\\"]/g, '')).not.toMatch(/["\\]/);
		}
	});

	it('a quoted value never widens a filter, and Meilisearch accepts every one of them', async () => {
		const index = client.index(INDEXES.startups.uid);
		for (const value of VALUES) {
			const found = await index.search('', { filter: ['status = "approved"', `province = ${quote(value)}`] });
			expect(found.hits, value).toEqual([]);
		}
		// The same filter built without quote() is the attack this prevents: it finds the draft.
		const naive = await index.search('', { filter: [`province = "TH-50" OR status = "draft"`] });
		expect(hitIds(naive)).toContain(planted.draftStartup);
	});

	it('the quoted value is matched literally: a certificate id made of filter syntax finds only its holder', async () => {
		const found = await client
			.index(INDEXES.startups.uid)
			.search('', { filter: ['status = "approved"', `certifications = ${quote(EVIL_CERT)}`] });
		expect(hitIds(found)).toEqual([planted.literal]);
	});

	it('matching stays on Meilisearch and never offers a draft startup or a hidden demand', async () => {
		// A certification whose id is filter syntax, required by an open demand (as a corrupted row would be).
		await database.db.insert(schema.certifications).values({
			id: EVIL_CERT,
			abbrTh: 'x',
			abbrEn: 'x',
			nameTh: 'x',
			nameEn: 'x',
			issuerTh: 'x',
			issuerEn: 'x',
			mandatory: 'no'
		});
		const demand = await buildDemand(database.db, { divisionCode: '01', unit: 'tonne' }, [EVIL_CERT]);
		await enqueueSearchSync(database.db, 'demand', [demand.id]);
		while ((await drainOutboxOnce(database.db, client)).processed > 0);
		const forDemand = await matchStartupsForDemand(database.db, client, demand.id, { engine: 'meili' });
		expect(forDemand).toMatchObject({ engine: 'meili', degraded: false });
		expect(forDemand.matches.map((m) => m.id)).not.toContain(planted.draftStartup);
		// No real startup holds the certificate: escaped, the filter finds none of them.
		expect(forDemand.matches.map((m) => m.id)).not.toContain(world.ids.startup);
		// The other way, the certificate is among those the startup lacks: `NOT required_certifications IN [...]`.
		const forStartup = await matchDemandsForStartup(database.db, client, world.ids.startup, {
			engine: 'meili'
		});
		expect(forStartup).toMatchObject({ engine: 'meili', degraded: false });
		const offered = forStartup.matches.map((m) => m.id);
		expect(offered).not.toContain(planted.hiddenDemand);
		expect(offered).not.toContain(demand.id);
	});

	it('the public search ignores facet values off the reference lists and never finds hidden records', async () => {
		for (const value of VALUES) {
			const params = new URLSearchParams({ q: value, type: 'startup' });
			for (const facet of ['province', 'region', 'tsic', 'cert']) params.append(facet, value);
			const { request, ignored } = parseSearchParams(params);
			expect(ignored.sort(), value).toEqual(['cert', 'province', 'region', 'tsic']);
			const result = await searchPortal(database.db, client, request.q, { facets: request.facets });
			expect(result.engine, value).toBe('meili');
			const ids = result.hits.map((h) => h.id);
			expect(ids).not.toContain(planted.draftStartup);
			expect(ids).not.toContain(planted.hiddenDemand);
		}
		const everything = await searchPortal(database.db, client, 'ร่างลับ', {});
		expect(everything.hits.map((h) => h.id)).not.toContain(planted.draftStartup);
	});
});

interface CspBuilder {
	add_script(content: string): void;
	csp_provider: { get_header(): string };
}

/** The Content-Security-Policy SvelteKit sends with a server-rendered page, from svelte.config.js (its own code). */
async function pageCsp(): Promise<string> {
	(globalThis as { __SVELTEKIT_DEV__?: boolean }).__SVELTEKIT_DEV__ = false;
	const { Csp } = await kitInternal<{
		Csp: new (config: object, options: { prerender: boolean }) => CspBuilder;
	}>(path.resolve('node_modules/@sveltejs/kit/src/runtime/server/page/csp.js'));
	const { mode, directives } = svelteConfig.kit!.csp!;
	const csp = new Csp({ mode, directives, reportOnly: {} }, { prerender: false });
	csp.add_script('window.started = true');
	return csp.csp_provider.get_header();
}

const directive = (csp: string, name: string) =>
	csp
		.split(';')
		.map((d) => d.trim())
		.find((d) => d.startsWith(`${name} `)) ?? '';

describe('security headers', () => {
	it('a page: CSP allowing only the hashes of its own inline scripts, no framing; nosniff, referrer policy, no HSTS over http', async () => {
		const csp = await pageCsp();
		const response = await throughHooks(
			'http://localhost:3000/',
			() =>
				new Response('<!doctype html><html lang="%lang%"></html>', {
					headers: { 'content-type': 'text/html', 'content-security-policy': csp }
				})
		);
		const sent = response.headers.get('content-security-policy')!;
		// Hashes, not a nonce: a page served again from the page cache must not repeat a nonce.
		const hash = crypto.createHash('sha256').update('window.started = true').digest('base64');
		expect(directive(sent, 'script-src')).toBe(`script-src 'self' 'sha256-${hash}'`);
		expect(sent).not.toMatch(/script-src[^;]*unsafe-(inline|eval)/);
		expect(directive(sent, 'default-src')).toBe("default-src 'self'");
		expect(directive(sent, 'object-src')).toBe("object-src 'none'");
		expect(directive(sent, 'frame-ancestors')).toBe("frame-ancestors 'none'");
		expect(directive(sent, 'form-action')).toBe("form-action 'self'");
		// Styles may be inline: the stylesheet is inlined into the page (inlineStyleThreshold) and Svelte writes
		// style attributes; scripts, which can act, never are.
		expect(directive(sent, 'style-src')).toBe("style-src 'self' 'unsafe-inline'");
		expect(response.headers.get('x-content-type-options')).toBe('nosniff');
		expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
		expect(response.headers.get('x-frame-options')).toBe('DENY');
		expect(response.headers.get('strict-transport-security')).toBeNull();
	});

	it("a form post larger than pages take: 413 in the visitor's language, and the page never runs", async () => {
		let ran = 0;
		const post = (cookie?: string) =>
			throughHooks(
				'http://localhost:3000/buyer/demands/new?/publish',
				() => {
					ran++;
					return new Response('ran');
				},
				{
					init: {
						method: 'POST',
						headers: { 'content-length': String(7 * 1024 * 1024), ...(cookie ? { cookie } : {}) }
					}
				}
			);
		const thai = await post();
		expect(thai.status).toBe(413);
		expect(await thai.text()).toContain('ข้อมูลที่ส่งมีขนาดใหญ่เกิน 6 MB');
		const english = await post('PARAGLIDE_LOCALE=en');
		expect(english.status).toBe(413);
		expect(await english.text()).toContain('larger than 6 MB');
		expect(ran).toBe(0);
	});

	it('HSTS on every answer served over https (production, ORIGIN=https://…), for a year with subdomains', async () => {
		const response = await throughHooks('https://portal.example.go.th/market', () => new Response('ok'));
		expect(response.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
	});

	it('an API answer and a CSV: their own CSP (nothing may load or frame them), nosniff, referrer policy', async () => {
		const api = await throughHooks('https://portal.example.go.th/api/v1/provinces', () =>
			Response.json({ data: [] })
		);
		const csv = await throughHooks(
			'https://portal.example.go.th/market/gap.csv',
			() => new Response('\ufeffprovince\n', { headers: { 'content-type': 'text/csv; charset=utf-8' } })
		);
		for (const response of [api, csv]) {
			expect(response.headers.get('content-security-policy')).toBe(
				"default-src 'none'; frame-ancestors 'none'"
			);
			expect(response.headers.get('x-content-type-options')).toBe('nosniff');
			expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
			expect(response.headers.get('strict-transport-security')).toMatch(/^max-age=31536000/);
		}
		// And the API's own answers are JSON with a charset, never sniffable as HTML.
		const real = await callApi('GET', '/api/v1/provinces');
		expect(real.headers.get('content-type')).toBe('application/json; charset=utf-8');
	});
});

describe('CSRF', () => {
	it('the portal checks the Origin of every form post, but the one-click unsubscribe (RFC 8058)', async () => {
		// SvelteKit's own check is handed to src/hooks/csrf.ts, which runs in the real hooks for every request.
		expect(svelteConfig.kit?.csrf?.trustedOrigins).toEqual(['*']);
		const generated = fs.readFileSync('.svelte-kit/generated/server/internal.js', 'utf8');
		expect(generated).toMatch(/csrf_check_origin: false,/);
		const form = (origin?: string) => ({
			method: 'POST',
			headers: {
				'content-type': 'application/x-www-form-urlencoded',
				...(origin ? { origin } : {})
			},
			body: 'List-Unsubscribe=One-Click'
		});
		let reached = 0;
		const answer = () => {
			reached++;
			return new Response('ok');
		};
		for (const origin of ['https://evil.example', undefined]) {
			const refused = await throughHooks('http://portal.test/account?/lineStop', answer, {
				init: form(origin)
			});
			expect(refused.status).toBe(403);
			// The check runs inside the locale hook: its page speaks the visitor's language.
			expect(await refused.text()).toContain('ไม่รับแบบฟอร์มที่ส่งมาจากเว็บไซต์อื่น');
		}
		const fromEvil = form('https://evil.example');
		const english = await throughHooks('http://portal.test/account?/lineStop', answer, {
			init: { ...fromEvil, headers: { ...fromEvil.headers, cookie: 'PARAGLIDE_LOCALE=en' } }
		});
		expect(await english.text()).toContain('Forms sent from another website are refused');
		expect(reached).toBe(0);
		const own = await throughHooks('http://portal.test/account?/lineStop', answer, {
			init: form('http://portal.test')
		});
		expect(own.status).toBe(200);
		const token = `${crypto.randomUUID()}.${'a'.repeat(43)}`;
		const oneClick = await throughHooks(`http://portal.test/alerts/unsubscribe/${token}`, answer, {
			init: form()
		});
		expect(oneClick.status).toBe(200);
		expect(reached).toBe(2);
		// adapter-node compares with ORIGIN, which `npm start` always sets.
		expect(fs.readFileSync('scripts/start.js', 'utf8')).toMatch(/process\.env\.ORIGIN \?\?=/);
	});

	it('the session cookie is SameSite=Lax and httpOnly, Secure over https', async () => {
		const module = await routeModule('(auth)/sign-in/+page.server.ts');
		const action = (module.actions as Record<string, (event: unknown) => unknown>).default!;
		const event = routeEvent({
			locals: { user: null, session: null },
			method: 'POST',
			origin: 'https://portal.example.go.th',
			body: { email: world.users.startup.email, password: WORLD_PASSWORD },
			address: '192.0.2.50'
		});
		expect((await settle(() => action(event))).kind).toBe('redirect');
		expect(event.cookies.optionsOf(SESSION_COOKIE)).toMatchObject({
			httpOnly: true,
			sameSite: 'lax',
			secure: true,
			path: '/'
		});
	});
});

describe('uploads are judged by their bytes', () => {
	it('an SVG or HTML named .png, and HTML named .pdf, are refused through the forms; nothing is stored', async () => {
		const startup = await signedInLocals(database.db, world.users.startup.id);
		const buyer = await signedInLocals(database.db, world.users.buyer.id);
		const logo = (await routeModule('(app)/startup/profile/+page.server.ts')).actions as Actions;
		const draft = (await routeModule('(app)/buyer/demands/new/+page.server.ts')).actions as Actions;
		const stored = () => fs.readdirSync(process.env.DATA_DIR!, { recursive: true }).length;
		const before = [stored(), await tableFingerprint(database.db)] as const;
		for (const [name, bytes] of [
			['logo.png', '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'],
			['logo.png', '\x89PNG\r\n\x1a\n<script>alert(1)</script>']
		]) {
			const body = new FormData();
			body.set('logo', new File([bytes!], name!, { type: 'image/png' }));
			const settled = await settle(() => logo.logo!(routeEvent({ locals: startup, method: 'POST', body })));
			expect(settled.kind).toBe('failure');
			expect(JSON.stringify(settled)).toMatch(/image_(type|unreadable)/);
		}
		const body = new FormData();
		for (const [field, value] of Object.entries(DEMAND_FORM)) body.set(field, value);
		body.set(
			'attachment',
			new File(['<html><script>alert(1)</script></html>'], 'spec.pdf', { type: 'application/pdf' })
		);
		const settled = await settle(() => draft.draft!(routeEvent({ locals: buyer, method: 'POST', body })));
		expect(JSON.stringify(settled), JSON.stringify(settled)).toContain('attachment_type');
		expect(stored()).toBe(before[0]);
		expect(changedTables(before[1], await tableFingerprint(database.db))).toEqual([]);
	});
});

type Actions = Record<string, ((event: unknown) => unknown) | undefined>;

describe('uploads cost what a person needs, not what a script can make them cost', () => {
	const uploadsDir = () => path.join(process.env.DATA_DIR!, 'uploads');
	/** Every stored upload, as kind/name. */
	const storedUploads = () =>
		fs.existsSync(uploadsDir())
			? (fs.readdirSync(uploadsDir(), { recursive: true }) as string[]).filter((f) => f.includes('.'))
			: [];
	const png = (width: number, height: number, colour = '#0b4f6c') =>
		sharp({ create: { width, height, channels: 3, background: colour } })
			.png()
			.toBuffer();
	const action = async (file: string, name: string) => ((await routeModule(file)).actions as Actions)[name]!;
	const post = async (
		who: 'startup' | 'buyer',
		file: string,
		name: string,
		fields: Record<string, string | File>,
		params: Record<string, string> = {}
	) => {
		const body = new FormData();
		for (const [field, value] of Object.entries(fields)) body.set(field, value);
		const locals = await signedInLocals(database.db, world.users[who].id);
		const run = await action(file, name);
		return settle(() => run(routeEvent({ locals, method: 'POST', body, params })));
	};
	const pdf = (text: string) =>
		new File([`%PDF-1.4\n${text}\n%%EOF`], 'spec.pdf', { type: 'application/pdf' });

	it("a photo for another startup's product, or a PDF for a demand that cannot change, is refused before it is stored", async () => {
		const before = storedUploads();
		const photo = await post(
			'startup',
			'(app)/startup/products/[id]/+page.server.ts',
			'photo',
			{ photo: new File([new Uint8Array(await png(64, 64))], 'p.png') },
			{ id: world.ids.otherProduct }
		);
		expect(photo).toMatchObject({ kind: 'failure', status: 404 });
		for (const [id, code] of [
			[world.ids.demand, 'demand_has_offers'],
			[world.ids.otherDemand, 'not_found']
		] as const) {
			const edited = await post(
				'buyer',
				'(app)/buyer/demands/[id]/edit/+page.server.ts',
				'save',
				{ ...DEMAND_FORM, attachment: pdf(`edit ${id}`) },
				{ id }
			);
			expect(JSON.stringify(edited), id).toContain(code);
		}
		expect(storedUploads()).toEqual(before);
	});

	it('a picture over 40 megapixels is refused from its header, with its own message; nothing is stored', async () => {
		const before = storedUploads();
		// 7000 × 7000: 49 megapixels in a file of a few hundred kilobytes.
		const huge = await png(7000, 7000);
		expect(huge.length).toBeLessThan(2 * 1024 * 1024);
		const settled = await post('startup', '(app)/startup/profile/+page.server.ts', 'logo', {
			logo: new File([new Uint8Array(huge)], 'huge.png')
		});
		expect(settled).toMatchObject({
			kind: 'failure',
			status: 413,
			data: { errors: { logo: 'image_too_many_pixels' } }
		});
		expect(hasErrorText('image_too_many_pixels')).toBe(true);
		expect(storedUploads()).toEqual(before);
	});

	it('a replaced logo is removed; the sweep removes files no row names once they are an hour old', async () => {
		const logo = (colour: string) => async () =>
			post('startup', '(app)/startup/profile/+page.server.ts', 'logo', {
				logo: new File([new Uint8Array(await png(32, 32, colour))], 'logo.png')
			});
		const logoPath = async () =>
			(
				await database.db
					.select({ logoPath: schema.startups.logoPath })
					.from(schema.startups)
					.where(eq(schema.startups.id, world.ids.startup))
			)[0]!.logoPath!;
		expect((await logo('#aa0000')()).kind).toBe('data');
		const first = await logoPath();
		// Written two minutes ago: not an upload of the same bytes still on its way to a row.
		const twoMinutesAgo = new Date(Date.now() - 2 * 60_000);
		fs.utimesSync(path.join(uploadsDir(), first), twoMinutesAgo, twoMinutesAgo);
		expect((await logo('#00aa00')()).kind).toBe('data');
		const second = await logoPath();
		expect(second).not.toBe(first);
		expect(storedUploads()).not.toContain(first);
		expect(storedUploads()).toContain(second);

		// Files stored for changes that never happened: one old, one fresh; and the kept logo, old too.
		const orphan = (name: string, age: number) => {
			const relative = `products/${name.repeat(64)}.webp`;
			fs.mkdirSync(path.join(uploadsDir(), 'products'), { recursive: true });
			fs.writeFileSync(path.join(uploadsDir(), relative), 'x');
			const when = new Date(Date.now() - age);
			fs.utimesSync(path.join(uploadsDir(), relative), when, when);
			return relative;
		};
		const old = orphan('b', 2 * 60 * 60_000);
		const fresh = orphan('c', 5 * 60_000);
		const hourAgo = new Date(Date.now() - 2 * 60 * 60_000);
		fs.utimesSync(path.join(uploadsDir(), second), hourAgo, hourAgo);
		expect(await collectOrphanUploads(database.db, process.env.DATA_DIR!)).toEqual([old]);
		expect(storedUploads()).toEqual(expect.arrayContaining([fresh, second]));
		expect(storedUploads()).not.toContain(old);
	});

	it("uploads per person are limited: past the hour's allowance the next is refused (429) before it is stored", async () => {
		const member = world.users.otherStartup;
		for (let i = 0; i < UPLOAD_LIMIT.limit; i++) await takeUploadSlot(database.db, member.id, 'logo');
		const before = storedUploads();
		const body = new FormData();
		body.set('logo', new File([new Uint8Array(await png(16, 16, '#123456'))], 'logo.png'));
		const locals = await signedInLocals(database.db, member.id);
		const run = await action('(app)/startup/profile/+page.server.ts', 'logo');
		const settled = await settle(() => run(routeEvent({ locals, method: 'POST', body })));
		expect(settled).toMatchObject({
			kind: 'failure',
			status: 429,
			data: { errors: { logo: 'upload_rate_limited' } }
		});
		expect(hasErrorText('upload_rate_limited')).toBe(true);
		expect(storedUploads()).toEqual(before);
	});
});

describe('session fixation', () => {
	it('a session token the browser had before signing in is ended; a new one is issued', async () => {
		const module = await routeModule('(auth)/sign-in/+page.server.ts');
		const action = (module.actions as Record<string, (event: unknown) => unknown>).default!;
		// The attacker's own session, planted in the victim's browser.
		const planted = generateSessionToken();
		await createSession(database.db, planted, world.users.otherBuyer.id);
		const before = await validateSessionToken(database.db, planted);
		const event = routeEvent({
			locals: { user: before.user, session: before.session },
			method: 'POST',
			cookies: { [SESSION_COOKIE]: planted },
			body: { email: world.users.buyer.email, password: WORLD_PASSWORD },
			address: '192.0.2.51'
		});
		expect((await settle(() => action(event))).kind).toBe('redirect');
		const issued = event.cookies.get(SESSION_COOKIE)!;
		expect(issued).not.toBe(planted);
		expect((await validateSessionToken(database.db, planted)).session).toBeNull();
		expect((await validateSessionToken(database.db, issued)).user?.id).toBe(world.users.buyer.id);
	});

	it('signing up and accepting an invitation rotate the same way (startSession is their only way in)', () => {
		for (const file of ['sign-up', 'sign-in', 'invite']) {
			const source = fs.readFileSync(`src/routes/(auth)/${file}/+page.server.ts`, 'utf8');
			expect(source, file).toMatch(/await startSession\(event, /);
			expect(source, file).not.toMatch(/createSession|setSessionCookie/);
		}
	});
});

interface Guess {
	/** What is guessed, and how. */
	name: string;
	who: keyof World['users'] | 'officerElsewhere';
	file: string;
	/** `load`, `GET` or an action's name. */
	handler: string;
	params?: (w: World) => Record<string, string>;
	body?: (w: World) => Record<string, string>;
	/** Text of the other organisation's record that must not appear in what is answered. */
	secret?: string;
	/** The answers that count as a refusal: not found or forbidden, unless said. */
	refused?: number[];
}

/** Every way a user names a record by id, aimed at another organisation's record. */
const GUESSES: Guess[] = [
	{
		name: 'startup: another province reviews it',
		who: 'officerElsewhere',
		file: '(app)/office/[province=province]/review/[id]/+page.server.ts',
		handler: 'load',
		params: (w) => ({ province: 'TH-52', id: w.ids.startup })
	},
	{
		name: 'startup: another province decides on it',
		who: 'officerElsewhere',
		file: '(app)/office/[province=province]/review/[id]/+page.server.ts',
		handler: 'decide',
		params: (w) => ({ province: 'TH-52', id: w.ids.otherStartup }),
		body: () => ({
			marketScore: '1',
			innovationScore: '1',
			readinessScore: '1',
			complianceScore: '1',
			decision: 'reject',
			reasonCode: 'incomplete'
		})
	},
	{
		name: 'startup: another province selects it',
		who: 'officerElsewhere',
		file: '(app)/office/[province=province]/+page.server.ts',
		handler: 'select',
		params: () => ({ province: 'TH-52' }),
		body: (w) => ({ startupId: w.ids.startup, year: String(yearInThailand()), reason: '' }),
		// The form's answer for any startup that is not an approved candidate of the office's province.
		refused: [400]
	},
	{
		name: 'product: opened by another startup',
		who: 'startup',
		file: '(app)/startup/products/[id]/+page.server.ts',
		handler: 'load',
		params: (w) => ({ id: w.ids.otherProduct })
	},
	{
		name: 'product: saved over by another startup',
		who: 'startup',
		file: '(app)/startup/products/[id]/+page.server.ts',
		handler: 'save',
		params: (w) => ({ id: w.ids.otherProduct }),
		body: () => ({ nameTh: 'ของฉันแล้ว', unit: 'kg', monthlyCapacity: '1' })
	},
	{
		name: 'product: removed by another startup',
		who: 'startup',
		file: '(app)/startup/products/+page.server.ts',
		handler: 'remove',
		body: (w) => ({ productId: w.ids.otherProduct })
	},
	{
		name: "demand: another buyer's, opened",
		who: 'buyer',
		file: '(app)/buyer/demands/[id]/+page.server.ts',
		handler: 'load',
		params: (w) => ({ id: w.ids.otherDemand }),
		secret: 'สวัสดีค่ะ'
	},
	...(['publish', 'close'] as const).map((handler): Guess => ({
		name: `demand: another buyer's, ${handler}`,
		who: 'otherBuyer',
		file: '(app)/buyer/demands/[id]/+page.server.ts',
		handler,
		params: (w) => ({ id: handler === 'publish' ? w.ids.draftDemand : w.ids.demand })
	})),
	{
		name: "demand: another buyer's, edited",
		who: 'otherBuyer',
		file: '(app)/buyer/demands/[id]/edit/+page.server.ts',
		handler: 'save',
		params: (w) => ({ id: w.ids.draftDemand }),
		body: () => ({
			titleTh: 'แก้แล้ว',
			divisionCode: '01',
			quantity: '1',
			unit: 'kg',
			recurrence: 'once',
			neededBy: daysFromToday(365)
		})
	},
	{
		name: "demand: another buyer's draft, opened on the public page",
		who: 'otherBuyer',
		file: '(public)/demand/[id]/+page.server.ts',
		handler: 'load',
		params: (w) => ({ id: w.ids.draftDemand })
	},
	{
		name: 'demand: hidden by another province',
		who: 'officerElsewhere',
		file: '(app)/office/[province=province]/moderation/+page.server.ts',
		handler: 'hide',
		params: () => ({ province: 'TH-52' }),
		body: (w) => ({ demandId: w.ids.demand, reason: 'ไม่ใช่จังหวัดเรา' })
	},
	...(['accept', 'decline', 'message', 'report'] as const).map((handler): Guess => ({
		name: `offer: on another buyer's demand, ${handler}`,
		who: 'buyer',
		file: '(app)/buyer/demands/[id]/+page.server.ts',
		handler,
		params: (w) => ({ id: w.ids.otherDemand }),
		body: (w) => ({ offerId: w.ids.otherOffer, reason: 'x', body: 'x' })
	})),
	{
		name: "offer: another startup's, withdrawn",
		who: 'startup',
		file: '(public)/demand/[id]/+page.server.ts',
		handler: 'withdraw',
		params: (w) => ({ id: w.ids.otherDemand }),
		body: (w) => ({ offerId: w.ids.otherOffer })
	},
	{
		name: "message: written into another startup's offer thread",
		who: 'startup',
		file: '(public)/demand/[id]/+page.server.ts',
		handler: 'message',
		params: (w) => ({ id: w.ids.otherDemand }),
		body: (w) => ({ offerId: w.ids.otherOffer, body: 'แอบเข้ามา' })
	},
	{
		name: "referral: another startup's, requested",
		who: 'startup',
		file: '(app)/startup/+page.server.ts',
		handler: 'requestReferral',
		body: (w) => ({ referralId: w.ids.otherReferral })
	},
	{
		name: "referral: another startup's, dismissed",
		who: 'startup',
		file: '(app)/startup/+page.server.ts',
		handler: 'dismissReferral',
		body: (w) => ({ referralId: w.ids.otherReferral })
	},
	{
		name: 'API token: revoked by someone who is not an administrator',
		who: 'buyer',
		file: '(app)/admin/api-tokens/+page.server.ts',
		handler: 'revoke',
		body: (w) => ({ tokenId: w.ids.apiToken })
	},
	{
		name: 'session: another account’s, ended',
		who: 'startup',
		file: '(app)/account/+page.server.ts',
		handler: 'endSession',
		body: () => ({ sessionId: otherSessionId })
	}
];

let otherSessionId = '';

describe('IDOR: one organisation guessing the ids of another’s records', () => {
	let officerElsewhere: { id: string };
	beforeAll(async () => {
		officerElsewhere = await buildUser(database.db, {
			role: 'officer',
			provinceCode: 'TH-52',
			passwordHash: 'x'
		});
		const token = generateSessionToken();
		otherSessionId = (await createSession(database.db, token, world.users.otherStartup.id)).id;
	});

	for (const guess of GUESSES) {
		it(`${guess.name}: not found or forbidden, nothing changed`, async () => {
			const userId = guess.who === 'officerElsewhere' ? officerElsewhere.id : world.users[guess.who].id;
			const locals = await signedInLocals(database.db, userId);
			const module = await routeModule(guess.file);
			const fn = (
				guess.handler === 'load' || guess.handler === 'GET'
					? module[guess.handler]
					: (module.actions as Record<string, unknown>)[guess.handler]
			) as (event: unknown) => unknown;
			const method = guess.handler === 'load' || guess.handler === 'GET' ? 'GET' : 'POST';
			const before = await tableFingerprint(database.db);
			const settled: Settled = await settle(() =>
				fn(routeEvent({ locals, method, params: guess.params?.(world), body: guess.body?.(world) }))
			);
			expect(changedTables(before, await tableFingerprint(database.db))).toEqual([]);
			expect(['http', 'failure'], JSON.stringify(settled)).toContain(settled.kind);
			expect(guess.refused ?? [403, 404]).toContain(settled.status);
			if (guess.secret) expect(JSON.stringify(settled)).not.toContain(guess.secret);
		});
	}

	it('a startup sees only its own offer thread on a demand, never another startup’s messages', async () => {
		const module = await routeModule('(public)/demand/[id]/+page.server.ts');
		const locals = await signedInLocals(database.db, world.users.startup.id);
		const page = await settle(() =>
			(module.load as (event: unknown) => unknown)(
				routeEvent({ locals, method: 'GET', params: { id: world.ids.otherDemand } })
			)
		);
		expect(page.kind).toBe('data');
		const text = JSON.stringify(page);
		expect(text).not.toContain('สวัสดีค่ะ');
		expect(text).not.toContain(world.ids.otherOffer);
	});

	it('an office sees reports only on demand delivered to its own province', async () => {
		const module = await routeModule('(app)/office/[province=province]/moderation/+page.server.ts');
		const locals = await signedInLocals(database.db, officerElsewhere.id);
		const page = await settle(() =>
			(module.load as (event: unknown) => unknown)(
				routeEvent({ locals, method: 'GET', params: { province: 'TH-52' } })
			)
		);
		expect(page.kind).toBe('data');
		expect(JSON.stringify(page)).not.toContain(world.ids.demand);
	});

	it('marking notifications read touches only one’s own', async () => {
		const module = await routeModule('(app)/notifications/+page.server.ts');
		const locals = await signedInLocals(database.db, world.users.startup.id);
		const read = (module.actions as Record<string, (event: unknown) => unknown>).read!;
		await settle(() => read(routeEvent({ locals, method: 'POST' })));
		const unread = await database.db
			.select({ id: schema.notifications.id })
			.from(schema.notifications)
			.where(
				and(eq(schema.notifications.userId, world.users.otherStartup.id), isNull(schema.notifications.readAt))
			);
		expect(unread.map((n) => n.id)).toContain(world.ids.otherNotification);
	});

	it("an agency's token lists only the referrals made to that agency", async () => {
		await database.db.insert(schema.referrals).values({
			startupId: world.ids.otherStartup,
			agencyId: 'ieat',
			reason: 'matched_demand_exceeds_capacity',
			unit: 'tonne',
			quantity: 20,
			monthlyCapacity: 5
		});
		const response = await callApi('GET', '/api/v1/referrals', { token: world.token });
		const body = (await response.json()) as { data: { agency: string }[] };
		expect(body.data.length).toBeGreaterThan(0);
		expect(new Set(body.data.map((r) => r.agency))).toEqual(new Set(['sme-d-bank']));
	});

	it('the API never serves a draft demand or a product by guessed id', async () => {
		for (const id of [world.ids.draftDemand, world.ids.product, world.ids.offer]) {
			expect((await callApi('GET', `/api/v1/demands/${id}`)).status).toBe(404);
			expect((await callApi('GET', `/api/v1/startups/${id}`)).status).toBe(404);
		}
	});
});
