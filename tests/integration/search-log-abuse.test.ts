// Issue 18, item 8: the public /market page listed every search that found nothing, /search had no limit and the
// search log was never pruned, so 40 requests from one machine put "OFFICIAL NOTICE: portal moved to …" at the top
// of a government page. Now a search is listed only once several different visitors (their addresses hashed with
// a secret salt) made it, searches are limited per address, and the log keeps a bounded number of days and rows.
import { count } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { setRuntime } from '$lib/server/context';
import * as schema from '$lib/server/db/schema';
import { parseEnv } from '$lib/server/env';
import { invalidateFigures } from '$lib/server/gap/cache';
import type { Runtime } from '$lib/server/runtime';
import { createSearchClient } from '$lib/server/search/client';
import { pruneSearchLog } from '$lib/server/search/log';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { routeEvent, routeModule, settle } from '../helpers/route-event';

const NOTICE = 'OFFICIAL NOTICE: portal moved to portal-moved.example';
/** Nothing listens on port 9: search answers from Postgres, where the notice finds nothing. */
const down = createSearchClient('http://127.0.0.1:9', 'x'.repeat(16));
const { SEARCH_PUBLIC_MIN_VISITORS, SEARCH_REQUESTS_PER_MINUTE } = parseEnv({});

let database: TestDatabase;

beforeAll(async () => {
	database = await createTestDatabase();
	setRuntime({ db: database.db, database, search: { client: down } } as unknown as Runtime);
});
afterAll(async () => {
	setRuntime(undefined);
	await database?.dispose();
});
beforeEach(async () => {
	await database.db.delete(schema.searchLog);
	await database.db.delete(schema.rateLimits);
});

type Load = (event: unknown) => Promise<Record<string, unknown>>;
const loadOf = async (file: string) => ((await routeModule(file)) as { load: Load }).load;

async function search(q: string, address: string) {
	const load = await loadOf('(public)/search/+page.server.ts');
	return settle(() =>
		load(
			routeEvent({
				locals: { user: null, session: null },
				method: 'GET',
				search: `?q=${encodeURIComponent(q)}`,
				address
			})
		)
	);
}

async function publicZeroResults(): Promise<string[]> {
	const load = await loadOf('(public)/market/+page.server.ts');
	// The report is kept a minute; the searches just made are what is asked about.
	invalidateFigures();
	const settled = await settle(() =>
		load(routeEvent({ locals: { user: null, session: null }, method: 'GET' }))
	);
	expect(settled.kind).toBe('data');
	return ((settled as { value: { zeroResults: { query: string }[] } }).value.zeroResults ?? []).map(
		(row) => row.query
	);
}

describe('searches that found nothing on /market', () => {
	it('are not listed for one visitor repeating a sentence 40 times', async () => {
		for (let i = 0; i < 40; i++) expect((await search(NOTICE, '203.0.113.66')).kind).toBe('data');
		const [logged] = await database.db.select({ n: count() }).from(schema.searchLog);
		expect(logged!.n).toBe(40);
		expect(await publicZeroResults()).not.toContain(NOTICE.toLowerCase());
	});

	it(`are listed once ${SEARCH_PUBLIC_MIN_VISITORS} different visitors searched for them, never with their addresses`, async () => {
		const addresses = Array.from({ length: SEARCH_PUBLIC_MIN_VISITORS }, (_, i) => `198.51.100.${i + 1}`);
		for (const address of addresses.slice(0, -1)) await search('ทุเรียนแช่แข็ง', address);
		expect(await publicZeroResults()).not.toContain('ทุเรียนแช่แข็ง');
		await search('ทุเรียนแช่แข็ง', addresses.at(-1)!);
		expect(await publicZeroResults()).toContain('ทุเรียนแช่แข็ง');

		const rows = await database.db.select().from(schema.searchLog);
		expect(new Set(rows.map((row) => row.visitorHash)).size).toBe(SEARCH_PUBLIC_MIN_VISITORS);
		for (const address of addresses) expect(JSON.stringify(rows)).not.toContain(address);
	});

	it('count an IPv6 network as one visitor, whichever of its addresses searched', async () => {
		for (let i = 1; i <= SEARCH_PUBLIC_MIN_VISITORS + 2; i++)
			await search('durian chips', `2001:db8:5:7::${i}`);
		expect(await publicZeroResults()).not.toContain('durian chips');
	});
});

describe('searches per address', () => {
	it(`are limited to ${SEARCH_REQUESTS_PER_MINUTE} a minute: then 429, while others still search`, async () => {
		// Minute windows: a run that crosses into the next minute may be allowed up to twice the limit in all.
		let answered = 0;
		let refused: Awaited<ReturnType<typeof search>> | undefined;
		while (!refused && answered <= 2 * SEARCH_REQUESTS_PER_MINUTE) {
			const settled = await search(`rice ${answered}`, '203.0.113.77');
			if (settled.status === 200) answered++;
			else refused = settled;
		}
		expect(answered).toBeGreaterThanOrEqual(SEARCH_REQUESTS_PER_MINUTE);
		expect(refused).toMatchObject({ kind: 'http', status: 429, message: 'search_rate_limited' });
		expect((await search('rice', '203.0.113.78')).status).toBe(200);
		// Refused searches are not logged: they cannot push anything towards the public list either.
		const [logged] = await database.db.select({ n: count() }).from(schema.searchLog);
		expect(logged!.n).toBe(answered + 1);
	});
});

describe('the search log', () => {
	it('is pruned by age and capped in rows, the newest kept', async () => {
		const now = new Date('2030-06-01T00:00:00Z');
		const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);
		const row = (query: string, createdAt: Date) => ({
			query,
			locale: 'th' as const,
			resultCount: 0,
			engine: 'meili',
			createdAt
		});
		await database.db
			.insert(schema.searchLog)
			.values([
				row('old', daysAgo(100)),
				...Array.from({ length: 5 }, (_, i) => row(`recent ${i}`, daysAgo(5 - i)))
			]);
		expect(await pruneSearchLog(database.db, { days: 90, maxRows: 3 }, now)).toBe(3);
		const left = await database.db.select({ query: schema.searchLog.query }).from(schema.searchLog);
		expect(left.map((r) => r.query).sort()).toEqual(['recent 2', 'recent 3', 'recent 4']);
	});
});
