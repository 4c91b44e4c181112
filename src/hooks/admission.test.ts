import { describe, expect, it } from 'vitest';
import { admission } from './admission';

/** Requests whose work is held until released one by one, recording the order in which they were let in. */
function portal(options: Parameters<typeof admission>[0]) {
	const { handle, state } = admission(options);
	const started: string[] = [];
	const releases = new Map<string, () => void>();
	let mostAtOnce = 0;
	let inside = 0;
	const visit = async (path: string, accept = 'text/html') => {
		const url = new URL(`http://portal.test${path}`);
		const event = { url, request: new Request(url, { headers: { accept } }), isDataRequest: false };
		const resolve = async () => {
			started.push(path);
			inside++;
			mostAtOnce = Math.max(mostAtOnce, inside);
			await new Promise<void>((done) => releases.set(path, done));
			inside--;
			return new Response(`answered ${path}`);
		};
		const response = await handle({ event, resolve } as never);
		return { status: response.status, body: await response.text() };
	};
	return {
		visit,
		state,
		started,
		finish: (path: string) => releases.get(path)!(),
		get mostAtOnce() {
			return mostAtOnce;
		}
	};
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('admission', () => {
	it('works on at most `limit` requests at once and lets the others in in the order they came', async () => {
		const site = portal({ limit: 2 });
		const answers = ['/a', '/b', '/c', '/d', '/e'].map((path) => site.visit(path));
		await tick();
		expect(site.started).toEqual(['/a', '/b']);
		expect(site.state()).toEqual({ active: 2, waiting: 3 });

		site.finish('/b');
		await tick();
		expect(site.started).toEqual(['/a', '/b', '/c']);
		site.finish('/a');
		await tick();
		expect(site.started).toEqual(['/a', '/b', '/c', '/d']);
		site.finish('/c');
		site.finish('/d');
		await tick();
		site.finish('/e');

		const bodies = (await Promise.all(answers)).map((answer) => answer.body);
		expect(bodies).toEqual(['/a', '/b', '/c', '/d', '/e'].map((path) => `answered ${path}`));
		expect(site.mostAtOnce).toBe(2);
		expect(site.state()).toEqual({ active: 0, waiting: 0 });
	});

	it('lets /health past the line, so a busy node is still seen as alive', async () => {
		const site = portal({ limit: 1 });
		void site.visit('/slow');
		await tick();
		const health = site.visit('/health');
		await tick();
		expect(site.started).toEqual(['/slow', '/health']);
		site.finish('/health');
		expect(await health).toEqual({ status: 200, body: 'answered /health' });
		site.finish('/slow');
	});

	it('lets a route that usually takes longer in ahead of quicker ones that came up to that much earlier', async () => {
		let clock = 0;
		const { handle } = admission({ limit: 1, now: () => clock });
		const started: string[] = [];
		const finishers = new Map<string, () => void>();
		/** A request to `route`; its work ends when finish(name) is called, after the clock was moved on. */
		const visit = (name: string, route: string) => {
			const url = new URL(`http://portal.test${route}`);
			const event = { url, route: { id: route }, request: new Request(url), isDataRequest: false };
			return handle({
				event,
				resolve: () =>
					new Promise<Response>((done) => {
						started.push(name);
						finishers.set(name, () => done(new Response(name)));
					})
			} as never);
		};
		const finish = async (name: string, afterMs: number) => {
			await tick();
			clock += afterMs;
			finishers.get(name)!();
			await tick();
		};

		// Learned: a match takes 500 ms, a page 10 ms.
		void visit('match 0', '/api/match');
		await finish('match 0', 500);
		void visit('page 0', '/page');
		await finish('page 0', 10);

		void visit('holding the place', '/page');
		clock = 1_000;
		void visit('page a', '/page'); // place 990
		clock = 1_200;
		void visit('match b', '/api/match'); // place 700: ahead of page a
		clock = 1_300;
		void visit('page c', '/page'); // place 1,290
		clock = 2_000;
		void visit('match d', '/api/match'); // place 1,500: behind the pages that came more than 500 ms before
		await tick();
		for (const name of ['holding the place', 'match b', 'page a', 'page c']) await finish(name, 10);
		await finish('match d', 500);
		expect(started).toEqual([
			'match 0',
			'page 0',
			'holding the place',
			'match b',
			'page a',
			'page c',
			'match d'
		]);
	});

	it('answers 503 with Retry-After to a request that waited too long, and it never runs', async () => {
		const { handle, state } = admission({ limit: 1, queueTimeoutMs: 30 });
		let release!: () => void;
		const url = (path: string) => new URL(`http://portal.test${path}`);
		const event = (path: string) => ({
			url: url(path),
			request: new Request(url(path)),
			isDataRequest: false
		});
		let ran = 0;
		const first = handle({
			event: event('/first'),
			resolve: () => new Promise<Response>((done) => (release = () => done(new Response('first'))))
		} as never);
		const second = await handle({
			event: event('/second'),
			resolve: async () => {
				ran++;
				return new Response('second');
			}
		} as never);
		expect(second.status).toBe(503);
		expect(second.headers.get('retry-after')).toBe('5');
		// Thai, the portal's language when the visitor has not chosen one.
		expect(await second.text()).toContain('ขณะนี้มีผู้ใช้งานจำนวนมาก');
		expect(ran).toBe(0);
		expect(state()).toEqual({ active: 1, waiting: 0 });
		release();
		expect(await (await first).text()).toBe('first');
		expect(state()).toEqual({ active: 0, waiting: 0 });
	});

	it('takes a request out of the line when its visitor goes away, and never works on it', async () => {
		const { handle, state } = admission({ limit: 1 });
		const url = new URL('http://portal.test/startups/a');
		let release!: () => void;
		const first = handle({
			event: { url, request: new Request(url), isDataRequest: false },
			resolve: () => new Promise<Response>((done) => (release = () => done(new Response('first'))))
		} as never);
		const visitor = new AbortController();
		let ran = 0;
		const abandoned = handle({
			event: { url, request: new Request(url, { signal: visitor.signal }), isDataRequest: false },
			resolve: async () => {
				ran++;
				return new Response('nobody reads this');
			}
		} as never);
		await tick();
		expect(state()).toEqual({ active: 1, waiting: 1 });
		visitor.abort();
		expect((await abandoned).status).toBe(503);
		expect(state()).toEqual({ active: 1, waiting: 0 });
		release();
		await first;
		expect(ran).toBe(0);
		expect(state()).toEqual({ active: 0, waiting: 0 });
	});

	it('says in Server-Timing how long each answer waited for its turn and how long it was worked on', async () => {
		const { handle } = admission({ limit: 1 });
		const url = new URL('http://portal.test/search');
		const event = { url, request: new Request(url), isDataRequest: false };
		const slow = (ms: number) => () =>
			new Promise<Response>((done) => setTimeout(() => done(new Response('ok')), ms));
		const timing = (response: Response) =>
			Object.fromEntries(
				[...response.headers.get('server-timing')!.matchAll(/(\w+);dur=([\d.]+)/g)].map(
					([, name = '', ms]): [string, number] => [name, Number(ms)]
				)
			);
		const [first, second] = await Promise.all([
			handle({ event, resolve: slow(60) } as never),
			handle({ event, resolve: slow(20) } as never)
		]);
		expect(timing(first).queue).toBeLessThan(20);
		expect(timing(first).work).toBeGreaterThanOrEqual(55);
		// The second waited for the first's 60 ms of work, then worked 20 ms itself.
		expect(timing(second).queue).toBeGreaterThanOrEqual(55);
		expect(timing(second).work).toBeGreaterThanOrEqual(15);
		expect(timing(second).work).toBeLessThan(55);
	});

	it('lets everything in at once when the limit is 0', async () => {
		const site = portal({ limit: 0 });
		const answers = ['/a', '/b', '/c'].map((path) => site.visit(path));
		await tick();
		expect(site.started).toEqual(['/a', '/b', '/c']);
		for (const path of ['/a', '/b', '/c']) site.finish(path);
		await Promise.all(answers);
		expect(site.mostAtOnce).toBe(3);
	});
});
