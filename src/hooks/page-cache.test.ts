import { describe, expect, it } from 'vitest';
import { pageCache } from './page-cache';

interface Visit {
	path?: string;
	method?: string;
	cookies?: Record<string, string>;
	encoding?: string;
}

/** A portal whose every rendering is counted and numbered, answering what `answer` says. */
function portal(
	options: Parameters<typeof pageCache>[0],
	answer: (rendering: number, path: string) => Response = (n) =>
		new Response(`<p>rendering ${n}</p>`, { headers: { 'content-type': 'text/html; charset=utf-8' } })
) {
	const handle = pageCache(options);
	let renderings = 0;
	let gate: Promise<void> | undefined;
	const visit = async ({ path = '/', method = 'GET', cookies = {}, encoding = 'br' }: Visit = {}) => {
		const url = new URL(`http://portal.test${path}`);
		const event = {
			url,
			request: new Request(url, { method, headers: { 'accept-encoding': encoding } }),
			cookies: {
				get: (name: string) => cookies[name],
				getAll: () => Object.entries(cookies).map(([name, value]) => ({ name, value }))
			}
		};
		const resolve = async () => {
			const n = ++renderings;
			await gate;
			return answer(n, url.pathname);
		};
		const response = await handle({ event, resolve } as never);
		return { state: response.headers.get('x-page-cache'), body: await response.text() };
	};
	return {
		visit,
		get renderings() {
			return renderings;
		},
		/** Holds every rendering until the returned function is called. */
		hold() {
			let open!: () => void;
			gate = new Promise((resolve) => (open = resolve));
			return () => {
				gate = undefined;
				open();
			};
		}
	};
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('page cache', () => {
	it('renders a public page once for everyone not signed in, per language and encoding', async () => {
		const site = portal({ seconds: 60 });
		expect(await site.visit()).toEqual({ state: 'miss', body: '<p>rendering 1</p>' });
		expect(await site.visit()).toEqual({ state: 'hit', body: '<p>rendering 1</p>' });
		expect(await site.visit({ cookies: { PARAGLIDE_LOCALE: 'th' } })).toMatchObject({ state: 'hit' });
		expect(await site.visit({ cookies: { PARAGLIDE_LOCALE: 'en' } })).toEqual({
			state: 'miss',
			body: '<p>rendering 2</p>'
		});
		expect(await site.visit({ encoding: 'gzip' })).toMatchObject({ state: 'miss' });
		expect(await site.visit({ path: '/?layer=gap' })).toMatchObject({ state: 'miss' });
		expect(site.renderings).toBe(4);
	});

	it('renders for each signed-in person, each post and each search, and keeps no cookie, error or JSON', async () => {
		const site = portal({ seconds: 60 }, (n, path) => {
			if (path === '/cookie')
				return new Response('<p>x</p>', { headers: { 'content-type': 'text/html', 'set-cookie': 'a=1' } });
			if (path === '/missing')
				return new Response('<p>gone</p>', { status: 404, headers: { 'content-type': 'text/html' } });
			if (path === '/data') return Response.json({ n });
			return new Response(`<p>${n}</p>`, { headers: { 'content-type': 'text/html' } });
		});
		const visits: Visit[] = [
			{ cookies: { session: 'token' } },
			// Half-way through signing up at an identity provider: the page holds the email the provider gave.
			{ cookies: { identity_flow: 'flow' } },
			{ method: 'POST' },
			{ path: '/search?q=rice' },
			{ path: '/cookie' },
			{ path: '/missing' },
			{ path: '/data' }
		];
		for (const visit of visits) {
			const before = site.renderings;
			expect((await site.visit(visit)).state).toBeNull();
			expect((await site.visit(visit)).state).toBeNull();
			expect(site.renderings - before).toBe(2);
		}
		// A signed-in person's page was not kept for the next visitor either.
		expect(await site.visit()).toMatchObject({ state: 'miss' });
	});

	it('renders a page once when many ask for it at the same moment', async () => {
		const site = portal({ seconds: 60 });
		const release = site.hold();
		const visits = Array.from({ length: 20 }, () => site.visit({ path: '/market' }));
		await sleep(10);
		release();
		const answers = await Promise.all(visits);
		expect(site.renderings).toBe(1);
		expect(new Set(answers.map((a) => a.body))).toEqual(new Set(['<p>rendering 1</p>']));
	});

	it('after the copy expires, the first visitor waits for a fresh one and the others get the old one meanwhile', async () => {
		const site = portal({ seconds: 0.05 });
		await site.visit();
		await sleep(80);
		const release = site.hold();
		const first = site.visit();
		await sleep(5);
		expect(await site.visit()).toEqual({ state: 'stale', body: '<p>rendering 1</p>' });
		release();
		expect(await first).toEqual({ state: 'miss', body: '<p>rendering 2</p>' });
		expect(await site.visit()).toEqual({ state: 'hit', body: '<p>rendering 2</p>' });
	});

	it('gives the first visitor the old copy when the new one takes longer than 2 s, and keeps the new one', async () => {
		const site = portal({ seconds: 0.05 });
		await site.visit();
		await sleep(80);
		const release = site.hold();
		const started = Date.now();
		expect(await site.visit()).toEqual({ state: 'stale', body: '<p>rendering 1</p>' });
		expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
		release();
		await sleep(10);
		expect(await site.visit()).toEqual({ state: 'hit', body: '<p>rendering 2</p>' });
	});

	it('keeps at most maxEntries pages, dropping the least recently used', async () => {
		const site = portal({ seconds: 60, maxEntries: 2 });
		await site.visit({ path: '/a' });
		await site.visit({ path: '/b' });
		await site.visit({ path: '/a' });
		await site.visit({ path: '/c' });
		expect((await site.visit({ path: '/a' })).state).toBe('hit');
		expect((await site.visit({ path: '/b' })).state).toBe('miss');
	});

	it('keeps nothing when PAGE_CACHE_SECONDS is 0', async () => {
		const site = portal({ seconds: 0 });
		await site.visit();
		expect((await site.visit()).state).toBeNull();
		expect(site.renderings).toBe(2);
	});
});
