// `npm run bench -- load`: the production build under a crowd of people at once — by default 500 of them for
// 60 s, on 10,000 startups and 100,000 demands — each one a keep-alive connection from an address of its own
// asking, one request after another, for a public page (70 %), a search or a match (20 %) or, signed in, making
// a write (10 %: a buyer publishing a demand, a user marking notifications read). Per route: requests, errors,
// p50 and p99; throughput; the app's resident memory every second and its growth over the last 30 s. Several
// crowd sizes in one go (BENCH_CONNECTIONS=25,100,500) load the data once and show where the machine saturates.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import postgres from 'postgres';
import { hashPassword } from '../src/lib/server/auth/password';
import type { Db } from '../src/lib/server/db';
import { demands, organisations, startups, users } from '../src/lib/server/db/schema';
import { parseEnv } from '../src/lib/server/env';
import { importDocument } from '../src/lib/server/exchange/service';
import { computeCoverage, refreshCoverage } from '../src/lib/server/gap/coverage';
import { provinceData } from '../src/lib/server/reference';
import { refreshStandingReferrals } from '../src/lib/server/referrals/service';
import { startRuntime } from '../src/lib/server/runtime';
import { drainOutboxOnce } from '../src/lib/server/search/outbox';
import { SYNONYM_PAIRS } from '../src/lib/server/search/synonyms';
import { freePort } from '../tests/helpers/ports';
import { generate } from './matching';
import {
	columns,
	printLogTail,
	startPortal,
	stopPortal,
	waitForHealth,
	warnIfBuildIsOlderThanSource
} from './pages';

type Row = { measure: string; value: string };

const PASSWORD = 'bench load passphrase 2026';
/** A request not answered within this long counts as a timeout (autocannon's default). */
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_MS ?? 10_000);
/** Buyers may publish this many demands a day (POSTING_LIMIT); the bench never asks for more. */
const POSTS_PER_BUYER = 20;
const MEMORY_WINDOW_S = 30;

interface Settings {
	seconds: number;
	/** One run per figure, in this order, on the same data (BENCH_CONNECTIONS=25,100,500 is a ramp). */
	connections: number[];
	startups: number;
	demands: number;
	/** A PostgreSQL server (its URL); the bench creates a fresh database on it. Unset: the portal's embedded PostgreSQL. */
	postgresUrl?: string;
	/** Compute every open demand's coverage before the run (the steady state); otherwise the worker does it. */
	coverage: boolean;
	/** Keep the seeded data for the next run of the same size (BENCH_SEED_CACHE=1). */
	seedCache: boolean;
}

function settings(): Settings {
	const number = (name: string, fallback: number) => {
		const value = Number(process.env[name] ?? fallback);
		if (!(value > 0)) throw new Error(`${name} must be a positive number`);
		return value;
	};
	const connections = (process.env.BENCH_CONNECTIONS ?? '500').split(',').map(Number);
	if (!connections.every((n) => Number.isInteger(n) && n > 0)) {
		throw new Error('BENCH_CONNECTIONS must be a positive whole number, or several separated by commas');
	}
	return {
		seconds: number('BENCH_SECONDS', 60),
		connections,
		startups: number('BENCH_STARTUPS', 10_000),
		demands: number('BENCH_DEMANDS', 100_000),
		postgresUrl: process.env.BENCH_DATABASE_URL || undefined,
		coverage: (process.env.BENCH_COVERAGE ?? 'all') !== 'worker',
		seedCache: process.env.BENCH_SEED_CACHE === '1'
	};
}

/** What the crowd asks for, read from the database once it is loaded. */
interface Targets {
	slugs: string[];
	demandIds: string[];
	buyers: Account[];
	members: Account[];
}

interface Account {
	email: string;
	cookie?: string;
	posts: number;
}

export async function loadBench(config = settings()): Promise<Row[]> {
	if (!fs.existsSync('build/index.js')) throw new Error('no production build: run `npm run build` first');
	warnIfBuildIsOlderThanSource();
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-load-'));
	const driver = config.postgresUrl ? 'PostgreSQL' : 'embedded PostgreSQL';
	const cache = config.seedCache ? seedCache(config, driver) : undefined;
	const cached = cache?.ready();
	const database = config.postgresUrl
		? await freshDatabase(config.postgresUrl, cached ? cache?.template : undefined)
		: undefined;
	const rows: Row[] = [];
	let app: ReturnType<typeof startPortal> | undefined;
	// Held in an object so that a thrown value of any kind (even a falsy one) is kept and thrown again.
	let failure: { error: unknown } | undefined;
	try {
		let started = performance.now();
		let targets: Targets;
		if (cached && cache) {
			targets = cache.restore(dataDir);
			rows.push({
				measure: `data: ${config.startups} startups, ${config.demands} demands (${driver}), copied from the seed cache`,
				value: `${since(started)} (seeded ${cached}${config.coverage ? ', coverage included' : ''})`
			});
			// A cache made before the seed settled the referral check: settled now, and kept settled.
			started = performance.now();
			const referred = await withData(dataDir, database?.url, (runtime) => settleReferralCheck(runtime.db));
			if (referred > 0) {
				rows.push({ measure: `standing referral check caught up (${referred} made)`, value: since(started) });
				await cache.save(dataDir, targets, database?.name);
			}
		} else {
			targets = await seed(dataDir, database?.url, config);
			rows.push({
				measure: `data: ${config.startups} startups, ${config.demands} demands (${driver}), imported and indexed`,
				value: `${since(started)}${config.coverage ? ', coverage of every open demand included' : ''}`
			});
			if (cache) await cache.save(dataDir, targets, database?.name);
		}

		const port = await freePort();
		const origin = `http://localhost:${port}`;
		app = startPortal(
			{
				...process.env,
				DATA_DIR: dataDir,
				PORT: String(port),
				ORIGIN: origin,
				MEILI_PORT: String(await freePort()),
				NODE_ENV: 'production',
				// As behind a load balancer: each client's own address, so per-address limits apply per person.
				ADDRESS_HEADER: 'x-forwarded-for',
				XFF_DEPTH: '1',
				// Ten for the requests plus one per background job leading (docs/SCALING.md, "Connections").
				DATABASE_POOL_SIZE: process.env.DATABASE_POOL_SIZE ?? '16',
				...(database ? { DATABASE_URL: database.url } : {})
			},
			dataDir
		);
		started = performance.now();
		await waitForHealth(origin, app, 180_000);
		rows.push({ measure: 'start-up to the first 200 on /health', value: since(started) });

		const client = new Client(port, origin, Math.max(...config.connections));
		started = performance.now();
		await signIn(client, [...targets.buyers, ...targets.members]);
		rows.push({
			measure: `sign-in through the form: ${targets.buyers.length} buyers, ${targets.members.length} startup members`,
			value: since(started)
		});
		const mix = workload(targets);
		await warmUp(client, mix);

		for (const connections of config.connections) {
			const memory = new MemorySampler(app.pid!);
			const run = await crowd(client, mix, connections, config.seconds);
			memory.stop();
			rows.push(...report(run, memory, { ...config, connections }, driver, dataDir));
			// Requests the crowd gave up on are still being served: the next run, or the stop, waits for them.
			started = performance.now();
			const idle = await caughtUp(origin, app.pid!);
			rows.push({
				measure: 'after the run, until the app is idle again',
				value: idle ? since(started) : `still busy after ${since(started)} ✗`
			});
			if (!idle) break;
		}
		client.close();
	} catch (error) {
		failure = { error };
		printLogTail(dataDir);
	}
	try {
		// Shutdown waits for requests in flight (adapter-node's SHUTDOWN_TIMEOUT, 30 s) and the workers' rounds.
		await stopPortal(app, dataDir, 90_000);
	} catch (error) {
		// After a run that overloaded it, a portal still serving its backlog is a figure, not a failed bench.
		if (failure || rows.length === 0) failure ??= { error };
		else rows.push({ measure: 'stopping the portal', value: `${(error as Error).message} ✗` });
	}
	if (failure && rows.length > 0) {
		console.error(`\nThe figures measured before the failure:`);
		for (const row of rows) console.error(`  ${row.measure}  ${row.value}`);
	}
	await database?.drop();
	fs.rmSync(dataDir, { recursive: true, force: true });
	if (failure) throw failure.error;
	return rows;
}

/**
 * Requests the crowd gave up on are still being served after the run: until the app has used under a tenth of
 * a core for two seconds running, and /health answers within a second.
 */
async function caughtUp(origin: string, pid: number): Promise<boolean> {
	const deadline = performance.now() + 180_000;
	let idleSeconds = 0;
	let before = cpuSeconds(pid);
	while (performance.now() < deadline) {
		await new Promise((resolve) => setTimeout(resolve, 1000));
		const now = cpuSeconds(pid);
		idleSeconds = now - before < 0.1 ? idleSeconds + 1 : 0;
		before = now;
		if (idleSeconds < 2) continue;
		const started = performance.now();
		const ok = await fetch(`${origin}/health`, { signal: AbortSignal.timeout(5_000) }).then(
			(response) => response.ok,
			() => false
		);
		if (ok && performance.now() - started < 1_000) return true;
	}
	return false;
}

/** User and system CPU time of a process, from /proc (in clock ticks of 1/100 s on Linux). */
function cpuSeconds(pid: number): number {
	const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
	return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** A new database on the server: empty, or a copy of `template`. */
async function freshDatabase(serverUrl: string, template?: string) {
	const name = `bench_load_${crypto.randomBytes(4).toString('hex')}`;
	const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
	await admin.unsafe(`create database ${name}${template ? ` template ${template}` : ''}`);
	const url = new URL(serverUrl);
	url.pathname = `/${name}`;
	return {
		name,
		url: url.toString(),
		async drop() {
			await admin.unsafe(`drop database if exists ${name} with (force)`);
			await admin.end();
		}
	};
}

/**
 * BENCH_SEED_CACHE=1: the seeded data (DATA_DIR with its Meilisearch index, the embedded server's files or a template
 * database on the PostgreSQL server) is kept under bench/.cache and copied for the next run of the same size, so
 * that a second run does not spend half an hour computing the coverage of 100,000 demands again. The figures of
 * a run are the same either way: the portal starts on a copy of the same data.
 */
function seedCache(config: Settings, driver: string) {
	const buyers = buyerCount(config);
	const name = `load-${driver.toLowerCase().replaceAll(' ', '-')}-${config.startups}x${config.demands}-${buyers}b${config.coverage ? '-coverage' : ''}`;
	const dir = path.resolve('bench', '.cache', name);
	const template = `bench_load_seed_${config.startups}x${config.demands}_${buyers}b${config.coverage ? '_c' : ''}`;
	const marker = path.join(dir, 'seeded-at');
	return {
		template,
		/** When the cache was made, or undefined when there is none. */
		ready: () => (fs.existsSync(marker) ? fs.readFileSync(marker, 'utf8').trim() : undefined),
		restore(dataDir: string): Targets {
			fs.cpSync(path.join(dir, 'data'), dataDir, { recursive: true });
			return JSON.parse(fs.readFileSync(path.join(dir, 'targets.json'), 'utf8')) as Targets;
		},
		async save(dataDir: string, targets: Targets, databaseName?: string) {
			fs.rmSync(dir, { recursive: true, force: true });
			fs.mkdirSync(dir, { recursive: true });
			fs.cpSync(dataDir, path.join(dir, 'data'), { recursive: true });
			if (databaseName && config.postgresUrl) {
				const admin = postgres(config.postgresUrl, { max: 1, onnotice: () => {} });
				try {
					await admin.unsafe(`drop database if exists ${template}`);
					await admin.unsafe(`create database ${template} template ${databaseName}`);
				} finally {
					await admin.end();
				}
			}
			fs.writeFileSync(path.join(dir, 'targets.json'), JSON.stringify(targets));
			fs.writeFileSync(marker, new Date().toISOString());
			console.error(`seeded data kept in ${dir}${databaseName ? ` and database ${template}` : ''}`);
		}
	};
}

/** Enough buyers that none reaches its daily limit of 20 demands in the run. */
const buyerCount = (config: Settings) => Math.max(10, Math.ceil(Math.max(...config.connections) / 2));

/**
 * Loads the data before the portal starts (the seed is loaded by the CLI's own start of the database): the generated exchange document,
 * indexed; every open demand's coverage unless BENCH_COVERAGE=worker; buyers and startup members.
 */
async function seed(dataDir: string, databaseUrl: string | undefined, config: Settings): Promise<Targets> {
	return withData(dataDir, databaseUrl, async (runtime) => {
		const { db } = runtime;
		const client = runtime.search.client;
		let started = performance.now();
		await importDocument(db, generate(config.startups, config.demands), { actor: 'bench' });
		while ((await drainOutboxOnce(db, runtime.search.indexer, 2000)).processed > 0);
		console.error(`imported and indexed in ${since(started)}`);
		if (config.coverage) {
			started = performance.now();
			// The startups' watermark first (a batch of none), so the portal's worker does not start over.
			await refreshCoverage(db, client, 0);
			const open = await db.select({ id: demands.id }).from(demands).where(eq(demands.status, 'open'));
			let next = 0;
			// Four at a time: while one waits for Meilisearch, another uses the database.
			const worker = async () => {
				while (next < open.length) {
					const index = next++;
					await computeCoverage(db, client, open[index]!.id);
					if ((index + 1) % 10_000 === 0) console.error(`coverage: ${index + 1} demands (${since(started)})`);
				}
			};
			await Promise.all([worker(), worker(), worker(), worker()]);
			console.error(`coverage of ${open.length} demands in ${since(started)}`);
		}
		started = performance.now();
		const referred = await settleReferralCheck(db);
		console.error(`standing referral check: ${referred} made in ${since(started)}`);
		const accounts = await createAccounts(db, buyerCount(config), 50);
		// As autovacuum would have by then on a portal that grew to this size: the planner's statistics.
		if (databaseUrl) await db.execute(sql`vacuum (analyze)`);
		// What the crowd asks for: 2,000 approved startups and 2,000 open demands, drawn at random.
		const [slugs, open] = await Promise.all([
			db
				.select({ key: startups.slug })
				.from(startups)
				.where(eq(startups.status, 'approved'))
				.orderBy(sql`random()`)
				.limit(2000),
			db
				.select({ key: demands.id })
				.from(demands)
				.where(eq(demands.status, 'open'))
				.orderBy(sql`random()`)
				.limit(2000)
		]);
		return { slugs: slugs.map((s) => s.key), demandIds: open.map((d) => d.key), ...accounts };
	});
}

/**
 * The standing referral check, as on a portal that has been running: the first check after 100,000 demands arrive
 * at once makes thousands of referrals (each with its notifications), a catch-up of a few minutes that the crowd
 * would otherwise be measured against. One pass makes every referral it can; returns how many.
 */
async function settleReferralCheck(db: Db): Promise<number> {
	return (await refreshStandingReferrals(db, 'http://localhost')).created;
}

/** The data's database and search engine opened by the bench itself, without the portal's workers. */
async function withData<T>(
	dataDir: string,
	databaseUrl: string | undefined,
	work: (runtime: Awaited<ReturnType<typeof startRuntime>>) => Promise<T>
): Promise<T> {
	const env = parseEnv({
		DATA_DIR: dataDir,
		MEILI_PORT: String(await freePort()),
		...(databaseUrl ? { DATABASE_URL: databaseUrl } : {})
	});
	const runtime = await startRuntime(env, {
		outboxWorker: false,
		emailWorker: false,
		scheduler: false,
		log: () => {}
	});
	try {
		return await work(runtime);
	} finally {
		await runtime.stop();
	}
}

/** Buyers (each with its own organisation, so each has its own daily posting limit) and startup members. */
async function createAccounts(db: Db, buyerCount: number, memberCount: number) {
	const passwordHash = await hashPassword(PASSWORD);
	const verified = new Date();
	const buyerOrgs = await db
		.insert(organisations)
		.values(
			Array.from({ length: buyerCount }, (_, i) => ({ kind: 'buyer' as const, name: `Bench buyer ${i}` }))
		)
		.returning({ id: organisations.id });
	const buyers = buyerOrgs.map((org, i) => ({
		email: `bench-buyer-${i}@example.org`,
		passwordHash,
		role: 'buyer' as const,
		organisationId: org.id,
		emailVerifiedAt: verified
	}));
	const startupOrgs = await db
		.select({ id: startups.organisationId })
		.from(startups)
		.where(eq(startups.status, 'approved'))
		.orderBy(startups.ref)
		.limit(memberCount);
	const members = startupOrgs.map((org, i) => ({
		email: `bench-startup-${i}@example.org`,
		passwordHash,
		role: 'startup' as const,
		organisationId: org.id,
		emailVerifiedAt: verified
	}));
	await db.insert(users).values([...buyers, ...members]);
	return {
		buyers: buyers.map((b) => ({ email: b.email, posts: 0 })),
		members: members.map((m) => ({ email: m.email, posts: 0 }))
	};
}

interface Response {
	status: number;
	ms: number;
	timedOut: boolean;
	error?: string;
	body?: string;
	headers: http.IncomingHttpHeaders;
}

interface Request {
	method: 'GET' | 'POST';
	path: string;
	form?: Record<string, string>;
	cookie?: string;
	address: string;
}

/** Keep-alive HTTP/1.1, one socket per simulated person, as a browser holds one to the site. */
class Client {
	readonly #agent: http.Agent;

	constructor(
		readonly port: number,
		readonly origin: string,
		connections: number
	) {
		this.#agent = new http.Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });
	}

	send(request: Request, keepBody = false): Promise<Response> {
		const body = request.form ? new URLSearchParams(request.form).toString() : undefined;
		const headers: http.OutgoingHttpHeaders = {
			// As a browser asks for a page; without it, SvelteKit answers a form post with JSON for its own script.
			accept: request.path.startsWith('/api/')
				? 'application/json'
				: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
			'accept-encoding': 'br, gzip',
			'accept-language': 'th',
			'x-forwarded-for': request.address
		};
		if (request.cookie) headers.cookie = request.cookie;
		if (body !== undefined) {
			headers['content-type'] = 'application/x-www-form-urlencoded';
			headers['content-length'] = Buffer.byteLength(body);
			// SvelteKit refuses a form posted from another origin.
			headers.origin = this.origin;
		}
		return new Promise((resolve) => {
			const started = performance.now();
			let timedOut = false;
			let done = false;
			const finish = (response: Omit<Response, 'ms' | 'timedOut'>) => {
				if (done) return;
				done = true;
				clearTimeout(timer);
				resolve({ ...response, ms: performance.now() - started, timedOut });
			};
			const outgoing = http.request(
				{
					host: '127.0.0.1',
					port: this.port,
					method: request.method,
					path: request.path,
					headers,
					agent: this.#agent
				},
				(incoming) => {
					const chunks: Buffer[] = [];
					const status = incoming.statusCode ?? 0;
					const keep = keepBody || status >= 400;
					incoming.on('data', (chunk: Buffer) => keep && chunks.push(chunk));
					incoming.on('end', () =>
						finish({
							status,
							headers: incoming.headers,
							body: keep ? Buffer.concat(chunks).toString('utf8') : undefined
						})
					);
					incoming.on('error', (error) => finish({ status: 0, headers: {}, error: error.message }));
				}
			);
			const timer = setTimeout(() => {
				timedOut = true;
				outgoing.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`));
			}, TIMEOUT_MS);
			outgoing.on('error', (error) => finish({ status: 0, headers: {}, error: error.message }));
			outgoing.end(body);
		});
	}

	close() {
		this.#agent.destroy();
	}
}

/** Each account signs in through the form, from an address of its own (the per-address limit is 30 / 15 min). */
async function signIn(client: Client, accounts: Account[]): Promise<void> {
	let next = 0;
	const worker = async () => {
		while (next < accounts.length) {
			const index = next++;
			const account = accounts[index]!;
			const response = await client.send(
				{
					method: 'POST',
					path: '/sign-in',
					form: { email: account.email, password: PASSWORD },
					address: `10.250.${index >> 8}.${index & 255}`
				},
				true
			);
			const cookie = [response.headers['set-cookie'] ?? []]
				.flat()
				.map((line) => line.split(';')[0]!)
				.find((pair) => pair.startsWith('session='));
			if (response.status !== 303 || !cookie) {
				throw new Error(
					`sign-in of ${account.email} answered ${response.status} ${response.error ?? ''}: ` +
						(response.body ?? '')
							.replace(/<[^>]*>/g, ' ')
							.replace(/\s+/g, ' ')
							.slice(0, 400)
				);
			}
			account.cookie = cookie;
		}
	};
	// argon2id is the cost here: two at a time keeps the machine's two cores busy.
	await Promise.all([worker(), worker()]);
}

interface Route {
	name: string;
	group: 'public' | 'search/match' | 'write';
	weight: number;
	/**
	 * The request for the person at `address`; `pick` draws from the bench's deterministic generator. Undefined
	 * when the route has nothing left to ask (every buyer has published its demands for the day).
	 */
	make(pick: <T>(list: readonly T[]) => T, address: string): Request | undefined;
}

function workload(targets: Targets): Route[] {
	const provinces = provinceData.map((p) => p.code);
	const words = SYNONYM_PAIRS.flatMap((pair) => [pair.th, pair.en]);
	const get = (path: string, address: string): Request => ({ method: 'GET', path, address });
	const neededBy = new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10);
	const signedIn = [...targets.members, ...targets.buyers];
	let posted = 0;
	return [
		{ name: 'GET /', group: 'public', weight: 14, make: (_, a) => get('/', a) },
		{
			name: 'GET /provinces/[code]',
			group: 'public',
			weight: 14,
			make: (pick, a) => get(`/provinces/${pick(provinces)}`, a)
		},
		{ name: 'GET /market', group: 'public', weight: 14, make: (_, a) => get('/market', a) },
		{ name: 'GET /demand', group: 'public', weight: 14, make: (_, a) => get('/demand', a) },
		{
			name: 'GET /startups/[slug]',
			group: 'public',
			weight: 14,
			make: (pick, a) => get(`/startups/${pick(targets.slugs)}`, a)
		},
		{
			name: 'GET /search?q=',
			group: 'search/match',
			weight: 8,
			make: (pick, a) => get(`/search?q=${encodeURIComponent(pick(words))}`, a)
		},
		{
			name: 'GET /api/v1/demands/[id]/matches',
			group: 'search/match',
			weight: 6,
			make: (pick, a) => get(`/api/v1/demands/${pick(targets.demandIds)}/matches`, a)
		},
		{
			name: 'GET /api/v1/startups?province=',
			group: 'search/match',
			weight: 6,
			make: (pick, a) => get(`/api/v1/startups?province=${pick(provinces)}&limit=20`, a)
		},
		{
			name: 'POST /buyer/demands/new (publish)',
			group: 'write',
			weight: 5,
			make: (pick, address) => {
				// Round robin over the buyers, none past its daily limit.
				const buyer = targets.buyers[posted % targets.buyers.length]!;
				if (buyer.posts >= POSTS_PER_BUYER) return undefined;
				posted++;
				buyer.posts++;
				const pair = pick(SYNONYM_PAIRS);
				return {
					method: 'POST',
					path: '/buyer/demands/new?/publish',
					cookie: buyer.cookie,
					address,
					form: {
						titleTh: `ต้องการ${pair.th}`,
						titleEn: `Need ${pair.en}`,
						detailsTh: '',
						detailsEn: '',
						divisionCode: pair.division,
						quantity: String(100 + posted),
						unit: ['01', '03', '10', '11'].includes(pair.division) ? 'kg' : 'piece',
						recurrence: 'monthly',
						priceThbMax: '250',
						deliveryProvinceCode: pick(provinces),
						neededBy,
						maxOffers: '10'
					}
				};
			}
		},
		{
			name: 'POST /notifications (mark read)',
			group: 'write',
			weight: 5,
			make: (pick, address) => ({
				method: 'POST',
				path: '/notifications?/read',
				cookie: pick(signedIn).cookie,
				address,
				form: {}
			})
		}
	];
}

/** One request of every route first: a broken route fails the bench at once, with its answer. */
async function warmUp(client: Client, mix: Route[]): Promise<void> {
	const pick = picker(1);
	for (const route of mix) {
		const request = route.make(pick, '10.251.0.1');
		if (!request) throw new Error(`${route.name} has nothing to ask`);
		const response = await client.send(request, true);
		if (response.status === 0 || response.status >= 400) {
			throw new Error(
				`${route.name} answered ${response.status} ${response.error ?? ''}: ${response.body?.slice(0, 500)}`
			);
		}
	}
}

interface RouteStats {
	group: string;
	latencies: number[];
	/** From the app's Server-Timing: time waiting for a turn, and time worked on (answers that carried it). */
	queued: number[];
	worked: number[];
	errors: number;
	timeouts: number;
	statuses: Record<string, number>;
	/** Draws of this route that had nothing to ask (reported; the person asked something else). */
	unavailable: number;
	firstError?: string;
}

interface Run {
	stats: Map<string, RouteStats>;
	seconds: number;
}

/** `connections` people, each asking one request after another until the time is up. */
async function crowd(client: Client, mix: Route[], connections: number, seconds: number): Promise<Run> {
	const stats = new Map<string, RouteStats>(
		mix.map((route) => [
			route.name,
			{
				group: route.group,
				latencies: [],
				queued: [],
				worked: [],
				errors: 0,
				timeouts: 0,
				statuses: {},
				unavailable: 0
			}
		])
	);
	const total = mix.reduce((sum, route) => sum + route.weight, 0);
	const started = performance.now();
	const deadline = started + seconds * 1000;
	const person = async (index: number) => {
		const pick = picker(index + 1);
		const address = `10.${1 + (index >> 16)}.${(index >> 8) & 255}.${index & 255}`;
		while (performance.now() < deadline) {
			let draw = pick.random() * total;
			const route = mix.find((r) => (draw -= r.weight) < 0) ?? mix[0]!;
			const s = stats.get(route.name)!;
			const request = route.make(pick, address);
			if (!request) {
				s.unavailable++;
				continue;
			}
			const response = await client.send(request);
			s.latencies.push(response.ms);
			const timing = serverTiming(response.headers['server-timing']);
			if (timing.queue !== undefined) s.queued.push(timing.queue);
			if (timing.work !== undefined) s.worked.push(timing.work);
			const key = response.timedOut ? 'timeout' : String(response.status || response.error);
			s.statuses[key] = (s.statuses[key] ?? 0) + 1;
			if (response.timedOut) s.timeouts++;
			if (response.timedOut || response.status === 0 || response.status >= 400) {
				s.errors++;
				s.firstError ??= `${key}: ${response.error ?? response.body?.slice(0, 300) ?? ''}`;
			}
		}
	};
	await Promise.all(Array.from({ length: connections }, (_, i) => person(i)));
	return { stats, seconds: (performance.now() - started) / 1000 };
}

/** `queue;dur=12.5, work;dur=80.1` → { queue: 12.5, work: 80.1 } */
function serverTiming(header: string | string[] | undefined): Record<string, number> {
	const text = Array.isArray(header) ? header.join(', ') : (header ?? '');
	return Object.fromEntries(
		[...text.matchAll(/(\w+);dur=([\d.]+)/g)].map(([, name = '', ms]): [string, number] => [name, Number(ms)])
	);
}

/** mulberry32 with a `pick` helper: every run asks for the same things in the same order per person. */
function picker(seed: number) {
	const random = () => {
		seed = (seed + 0x6d2b79f5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
	return Object.assign(pick, { random });
}

/** The app's resident memory from /proc, every second. */
class MemorySampler {
	readonly samples: { at: number; mib: number }[] = [];
	readonly #timer: NodeJS.Timeout;

	constructor(readonly pid: number) {
		const started = performance.now();
		const sample = () => this.samples.push({ at: (performance.now() - started) / 1000, mib: rssMiB(pid) });
		sample();
		this.#timer = setInterval(sample, 1000);
	}

	stop() {
		clearInterval(this.#timer);
		this.samples.push({ at: this.samples.at(-1)!.at + 1, mib: rssMiB(this.pid) });
	}
}

function rssMiB(pid: number): number {
	const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
	return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

function quantile(sorted: number[], q: number): number {
	return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function report(
	run: Run,
	memory: MemorySampler,
	config: Omit<Settings, 'connections'> & { connections: number },
	driver: string,
	dataDir: string
): Row[] {
	const ms = (value: number) => (Number.isNaN(value) ? '–' : `${value.toFixed(0)} ms`);
	const sort = (values: number[]) => [...values].sort((a, b) => a - b);
	const line = (
		name: string,
		s: Pick<RouteStats, 'latencies' | 'queued' | 'worked' | 'errors' | 'timeouts'>
	) => {
		const sorted = sort(s.latencies);
		const worked = sort(s.worked);
		return [
			`  ${name}`,
			String(sorted.length),
			`${s.errors} (${s.timeouts})`,
			ms(quantile(sorted, 0.5)),
			ms(quantile(sorted, 0.99)),
			ms(sorted.at(-1) ?? NaN),
			ms(quantile(sort(s.queued), 0.5)),
			`${ms(quantile(worked, 0.5))} / ${ms(quantile(worked, 0.99))}`
		];
	};
	const all = [...run.stats.values()];
	/** Several routes' figures as one. */
	const combined = (members: RouteStats[]) => ({
		latencies: members.flatMap((s) => s.latencies),
		queued: members.flatMap((s) => s.queued),
		worked: members.flatMap((s) => s.worked),
		errors: members.reduce((sum, s) => sum + s.errors, 0),
		timeouts: members.reduce((sum, s) => sum + s.timeouts, 0)
	});
	const groups = ['public', 'search/match', 'write'].map((group) => ({
		group,
		...combined(all.filter((s) => s.group === group))
	}));
	const everything = combined(all);

	const requests = everything.latencies.length;
	const table = columns([
		[
			`${config.connections} connections × ${config.seconds} s, ${driver}`,
			'requests',
			'errors (timeouts)',
			'p50',
			'p99',
			'max',
			'in line p50',
			'worked on p50 / p99'
		],
		...[...run.stats].map(([name, s]) => line(name, s)),
		...groups.map((g) =>
			line(`${g.group} (${((100 * g.latencies.length) / requests).toFixed(0)} % of requests)`, g)
		),
		line('all', everything)
	]);

	const samples = memory.samples;
	const last = samples.at(-1)!;
	const windowS = Math.min(MEMORY_WINDOW_S, Math.floor(last.at / 2));
	const windowStart = samples.find((s) => s.at >= last.at - windowS)!;
	const growth = (100 * (last.mib - windowStart.mib)) / windowStart.mib;
	const peak = Math.max(...samples.map((s) => s.mib));
	const meiliPid = readPid(path.join(dataDir, 'meilisearch', 'meilisearch.pid'));

	const rows: Row[] = [
		...table,
		{
			measure: 'throughput',
			value: `${(requests / run.seconds).toFixed(0)} req/s over ${run.seconds.toFixed(0)} s`
		},
		{
			measure: 'errors: answers ≥ 400, refused connections and timeouts (> 10 s)',
			value: everything.errors === 0 ? '0 ✓' : `${everything.errors} ✗`
		},
		{
			measure: 'app resident memory: start → end (peak)',
			value: `${samples[0]!.mib.toFixed(0)} → ${last.mib.toFixed(0)} MiB (${peak.toFixed(0)} MiB)`
		},
		{
			measure: `app memory growth over the last ${windowS} s (target ≤ 5 %)`,
			value: `${growth >= 0 ? '+' : ''}${growth.toFixed(1)} % ${growth <= 5 ? '✓' : '✗'}`
		}
	];
	if (meiliPid)
		rows.push({
			measure: 'Meilisearch resident memory at the end',
			value: `${rssMiB(meiliPid).toFixed(0)} MiB`
		});
	for (const [name, s] of run.stats) {
		if (s.unavailable > 0)
			rows.push({ measure: `  ${name}: draws with nothing to ask`, value: `${s.unavailable} ✗` });
		if (s.firstError)
			rows.push({ measure: `  first error of ${name}`, value: s.firstError.replace(/\s+/g, ' ') });
	}

	// The raw figures beside the table: statuses per route and the memory curve.
	const detail = path.join(
		'bench',
		'results',
		`load-${driver.toLowerCase().replaceAll(' ', '-')}-${config.startups}x${config.demands}-${config.connections}c.json`
	);
	fs.mkdirSync(path.dirname(detail), { recursive: true });
	fs.writeFileSync(
		detail,
		JSON.stringify(
			{
				at: new Date().toISOString(),
				config,
				rows,
				routes: Object.fromEntries(
					[...run.stats].map(([name, s]) => [name, { statuses: s.statuses, firstError: s.firstError }])
				),
				memory: samples
			},
			null,
			2
		)
	);
	return rows;
}

function readPid(file: string): number | undefined {
	if (!fs.existsSync(file)) return undefined;
	const pid = (JSON.parse(fs.readFileSync(file, 'utf8')) as { pid?: number }).pid;
	return pid && fs.existsSync(`/proc/${pid}`) ? pid : undefined;
}

function since(started: number): string {
	return `${((performance.now() - started) / 1000).toFixed(1)} s`;
}
