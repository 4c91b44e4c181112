// The public search's facets on the real Meilisearch and a fresh database: counts, each filter narrowing, products
// found through their startups, the same filters on the Postgres fallback, hostile filter values, and the search log
// written by the page.
import { asc } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { setRuntime } from '$lib/server/context';
import * as schema from '$lib/server/db/schema';
import { paraglideMiddleware } from '$lib/paraglide/server';
import type { Runtime } from '$lib/server/runtime';
import { createSearchClient, type Meilisearch } from '$lib/server/search/client';
import { emptyFacets, meiliFilter, type FacetSelection, type SearchType } from '$lib/server/search/filters';
import { applyIndexSettings, INDEXES } from '$lib/server/search/indexes';
import { logSearch, zeroResultSearches } from '$lib/server/search/log';
import { drainOutboxOnce } from '$lib/server/search/outbox';
import type { MeiliProcess } from '$lib/server/search/process';
import { searchPortal } from '$lib/server/search/query';
import { load } from '../../src/routes/(public)/search/+page.server';
import { buildDemand, buildStartup } from '../factories';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startTestMeili } from '../helpers/meili';
import { indexChanged } from '$lib/server/search/recent';

let database: TestDatabase;
let meili: MeiliProcess;
let client: Meilisearch;
const down = createSearchClient('http://127.0.0.1:9', 'x'.repeat(16));
const ids: Record<string, string> = {};

beforeAll(async () => {
	[database, meili] = await Promise.all([createTestDatabase(), startTestMeili()]);
	client = createSearchClient(meili.url, meili.masterKey);
	await applyIndexSettings(client);
	// Khon Kaen (Northeast): rice and coffee, GMP. Chiang Mai (North): rice crackers, HACCP. Nakhon Ratchasima
	// (Northeast): "rice" only in its name, sells silk. A draft rice farm in Khon Kaen must never show.
	ids.riceKhonKaen = (
		await buildStartup(
			database.db,
			{ provinceCode: 'TH-40', nameTh: 'ฟาร์มอีสานรุ่งเรือง', nameEn: null },
			{
				products: [
					{ nameTh: 'ข้าวหอมมะลิ', nameEn: 'Jasmine rice' },
					{ nameTh: 'กาแฟคั่ว', nameEn: 'Roasted coffee' }
				],
				divisions: ['01'],
				certifications: ['gmp'],
				indexed: true
			}
		)
	).id;
	ids.crackersChiangMai = (
		await buildStartup(
			database.db,
			{ provinceCode: 'TH-50', nameTh: 'ขนมล้านนา', nameEn: null },
			{
				products: [{ nameTh: 'ข้าวเกรียบ', nameEn: null }],
				divisions: ['10'],
				certifications: ['haccp'],
				indexed: true
			}
		)
	).id;
	ids.silkKorat = (
		await buildStartup(
			database.db,
			{ provinceCode: 'TH-30', nameTh: 'ข้าวใหม่ดีไซน์', nameEn: null },
			{ products: [{ nameTh: 'ผ้าไหม', nameEn: 'Silk' }], divisions: ['13'], indexed: true }
		)
	).id;
	ids.draftFarm = (
		await buildStartup(
			database.db,
			{ provinceCode: 'TH-40', nameTh: 'ข้าวร่าง', nameEn: null, status: 'draft' },
			{
				products: [{ nameTh: 'ข้าวเหนียว', nameEn: 'Sticky rice' }],
				divisions: ['01'],
				certifications: ['gmp'],
				indexed: true
			}
		)
	).id;
	// Jasmine rice to Khon Kaen needing GMP; milled rice to Bangkok; brown rice anywhere; a closed one.
	ids.riceToKhonKaen = (
		await buildDemand(
			database.db,
			{ titleTh: 'ต้องการข้าวหอมมะลิ', deliveryProvinceCode: 'TH-40', divisionCode: '01' },
			['gmp'],
			{ indexed: true }
		)
	).id;
	ids.riceToBangkok = (
		await buildDemand(
			database.db,
			{ titleTh: 'ข้าวสารส่งโรงเรียน', deliveryProvinceCode: 'TH-10', divisionCode: '10' },
			[],
			{ indexed: true }
		)
	).id;
	ids.riceAnywhere = (
		await buildDemand(
			database.db,
			{ titleTh: 'ข้าวกล้อง', deliveryProvinceCode: null, divisionCode: '01' },
			[],
			{ indexed: true }
		)
	).id;
	ids.closed = (
		await buildDemand(
			database.db,
			{ titleTh: 'ข้าวปิดรับแล้ว', status: 'closed', deliveryProvinceCode: 'TH-40' },
			[],
			{ indexed: true }
		)
	).id;
	while ((await drainOutboxOnce(database.db, client)).processed > 0);
	// A document that should not be in the index (a draft), planted to prove a hostile filter cannot reach it.
	await client
		.index(INDEXES.startups.uid)
		.addDocuments([
			{
				id: 'planted',
				status: 'draft',
				slug: 'planted',
				name_th: 'ข้าวลับ',
				province: 'TH-40',
				region: 'Northeast'
			}
		])
		.waitTask({ timeout: 30_000 });
}, 120_000);

afterAll(async () => {
	setRuntime(undefined);
	await Promise.all([database?.dispose(), meili?.stop()]);
});

const search = (
	engine: Meilisearch,
	q: string,
	options: { type?: SearchType; facets?: Partial<FacetSelection>; page?: number; pageSize?: number } = {}
) => searchPortal(database.db, engine, q, { pageSize: 20, ...options });
const found = (result: { hits: { id: string }[] }) => result.hits.map((hit) => hit.id).sort();
const keys = (...names: string[]) => names.map((name) => ids[name]!).sort();

describe('facet counts', () => {
	it('counts every type and every facet value for the words', async () => {
		const result = await search(client, 'ข้าว');
		expect(result.engine).toBe('meili');
		expect(result.counts).toEqual({ startup: 3, product: 2, demand: 3 });
		expect(result.total).toBe(6);
		expect(found(result)).toEqual(
			keys(
				'riceKhonKaen',
				'crackersChiangMai',
				'silkKorat',
				'riceToKhonKaen',
				'riceToBangkok',
				'riceAnywhere'
			)
		);
		expect(result.facets).toEqual({
			region: { Northeast: 3, North: 1, Central: 1 },
			province: { 'TH-40': 2, 'TH-50': 1, 'TH-30': 1, 'TH-10': 1 },
			tsic: { '01': 3, '10': 2, '13': 1 },
			cert: { gmp: 2, haccp: 1 }
		});
	});

	it('counts a ticked facet without its own selection, so its other values show what they would add', async () => {
		const result = await search(client, 'ข้าว', { facets: { region: ['Northeast'] } });
		expect(result.total).toBe(3);
		expect(result.facets!.region).toEqual({ Northeast: 3, North: 1, Central: 1 });
		expect(result.facets!.province).toEqual({ 'TH-40': 2, 'TH-30': 1 });
		expect(result.counts).toEqual({ startup: 2, product: 1, demand: 1 });
	});

	it('counts only the chosen type', async () => {
		const result = await search(client, 'ข้าว', { type: 'demand' });
		expect(result.facets!.province).toEqual({ 'TH-40': 1, 'TH-10': 1 });
		expect(result.counts).toEqual({ startup: 3, product: 2, demand: 3 });
	});

	it('gives the counts alone when asked for no hits', async () => {
		const result = await search(client, '', { pageSize: 0 });
		expect(result.hits).toEqual([]);
		expect(result.counts).toEqual({ startup: 3, product: 3, demand: 3 });
		expect(result.facets!.region).toEqual({ Northeast: 3, North: 1, Central: 1 });
	});
});

// Each case: the filters and what they must find. The same table runs on the Postgres fallback below.
const NARROWING: [string, Parameters<typeof search>[2], string[]][] = [
	['region', { facets: { region: ['Northeast'] } }, ['riceKhonKaen', 'silkKorat', 'riceToKhonKaen']],
	['province', { facets: { province: ['TH-50'] } }, ['crackersChiangMai']],
	[
		'two provinces (either)',
		{ facets: { province: ['TH-50', 'TH-10'] } },
		['crackersChiangMai', 'riceToBangkok']
	],
	['TSIC division', { facets: { tsic: ['10'] } }, ['crackersChiangMai', 'riceToBangkok']],
	['certification', { facets: { cert: ['gmp'] } }, ['riceKhonKaen', 'riceToKhonKaen']],
	[
		'region and certification',
		{ facets: { region: ['Northeast'], cert: ['gmp'] } },
		['riceKhonKaen', 'riceToKhonKaen']
	],
	['type startup', { type: 'startup' }, ['riceKhonKaen', 'crackersChiangMai', 'silkKorat']],
	['type product', { type: 'product' }, ['riceKhonKaen', 'crackersChiangMai']],
	['type demand', { type: 'demand' }, ['riceToKhonKaen', 'riceToBangkok', 'riceAnywhere']],
	['type demand in a region', { type: 'demand', facets: { region: ['Central'] } }, ['riceToBangkok']]
];

describe('each filter narrows the results', () => {
	for (const [name, options, expected] of NARROWING) {
		it(name, async () => {
			const result = await search(client, 'ข้าว', options);
			expect(found(result)).toEqual(keys(...expected));
			expect(result.total).toBe(expected.length);
		});
	}

	it('browses by filters alone when there are no words', async () => {
		const result = await search(client, '', { facets: { cert: ['haccp'] } });
		expect(found(result)).toEqual(keys('crackersChiangMai'));
		const demands = await search(client, '', { type: 'demand', facets: { tsic: ['01'] } });
		expect(found(demands)).toEqual(keys('riceToKhonKaen', 'riceAnywhere'));
	});

	it('pages through the results', async () => {
		const first = await search(client, 'ข้าว', { pageSize: 4 });
		const second = await search(client, 'ข้าว', { pageSize: 4, page: 2 });
		expect(first.hits).toHaveLength(4);
		expect(second.hits).toHaveLength(2);
		expect(second.total).toBe(6);
		expect(new Set([...found(first), ...found(second)]).size).toBe(6);
	});
});

describe('products', () => {
	it('shows the products that matched and links them to their startup', async () => {
		const result = await search(client, 'ข้าว', { type: 'product' });
		const byId = new Map(result.hits.map((hit) => [hit.id, hit]));
		expect(byId.get(ids.riceKhonKaen!)).toMatchObject({
			type: 'startup',
			slug: expect.stringMatching(/^startup-/) as unknown,
			products: [{ nameTh: 'ข้าวหอมมะลิ', nameEn: 'Jasmine rice' }]
		});
		expect(byId.get(ids.crackersChiangMai!)!.products).toEqual([{ nameTh: 'ข้าวเกรียบ', nameEn: null }]);
	});

	it('finds a product by its name in the other language', async () => {
		const result = await search(client, 'jasmine rice', { type: 'product' });
		expect(found(result)).toEqual(keys('riceKhonKaen'));
		expect(result.hits[0]!.products.map((p) => p.nameTh)).toEqual(['ข้าวหอมมะลิ']);
		const coffee = await search(client, 'กาแฟ', { type: 'product' });
		expect(coffee.hits[0]!.products.map((p) => p.nameEn)).toEqual(['Roasted coffee']);
	});

	it('does not take a startup for a product because of its own name', async () => {
		const result = await search(client, 'ดีไซน์', { type: 'product' });
		expect(result.hits).toEqual([]);
		expect((await search(client, 'ดีไซน์', { type: 'startup' })).hits.map((h) => h.id)).toEqual([
			ids.silkKorat
		]);
	});

	it('lists every product when browsing products by filters', async () => {
		const result = await search(client, '', { type: 'product', facets: { region: ['Northeast'] } });
		expect(found(result)).toEqual(keys('riceKhonKaen', 'silkKorat'));
		const farm = result.hits.find((hit) => hit.id === ids.riceKhonKaen)!;
		expect(farm.products.map((p) => p.nameTh)).toEqual(['ข้าวหอมมะลิ', 'กาแฟคั่ว']);
	});
});

describe('a new portal', () => {
	it('searches products on an index that has no product names yet, or only Thai ones', async () => {
		const fresh = await startTestMeili();
		try {
			const freshClient = createSearchClient(fresh.url, fresh.masterKey);
			await applyIndexSettings(freshClient);
			const empty = await search(freshClient, 'ข้าว', { type: 'product' });
			expect(empty).toMatchObject({
				engine: 'meili',
				total: 0,
				counts: { startup: 0, product: 0, demand: 0 }
			});
			const [document] = (await freshClient.index(INDEXES.startups.uid).getDocuments({ limit: 1 })).results;
			expect(document).toBeUndefined();
			await freshClient
				.index(INDEXES.startups.uid)
				.addDocuments([
					{
						id: 'thai-only',
						slug: 'thai-only',
						status: 'approved',
						name_th: 'ร้านหนึ่ง',
						units: ['kg'],
						product_names_th: ['ข้าวหลาม'],
						product_names_en: [],
						products: [{ name_th: 'ข้าวหลาม', name_en: null }]
					}
				])
				.waitTask({ timeout: 30_000 });
			// Written behind the portal's back: its own writes (the outbox, a reindex) forget recent answers.
			indexChanged();
			const thai = await search(freshClient, 'ข้าว', { type: 'product' });
			expect(thai).toMatchObject({ engine: 'meili', total: 1 });
			expect(thai.hits[0]!.products).toEqual([{ nameTh: 'ข้าวหลาม', nameEn: null }]);
		} finally {
			await fresh.stop();
		}
	}, 60_000);
});

describe('the Postgres fallback when Meilisearch is unreachable', () => {
	for (const [name, options, expected] of NARROWING) {
		it(`applies the same filter: ${name}`, async () => {
			const result = await search(down, 'ข้าว', options);
			expect(result).toMatchObject({ engine: 'fallback', counts: null, facets: null });
			expect(found(result)).toEqual(keys(...expected));
			expect(result.total).toBe(expected.length);
		});
	}

	it('shows the matched products, browses by filters and pages', async () => {
		const products = await search(down, 'ข้าว', { type: 'product' });
		const farm = products.hits.find((hit) => hit.id === ids.riceKhonKaen)!;
		expect(farm.products).toEqual([{ nameTh: 'ข้าวหอมมะลิ', nameEn: 'Jasmine rice' }]);
		const browse = await search(down, '', { facets: { cert: ['haccp'] } });
		expect(found(browse)).toEqual(keys('crackersChiangMai'));
		const pages = [1, 2].map((page) => search(down, 'ข้าว', { pageSize: 4, page }));
		const [first, second] = await Promise.all(pages);
		expect([first!.hits.length, second!.hits.length, second!.total]).toEqual([4, 2, 6]);
		expect(new Set([...found(first!), ...found(second!)]).size).toBe(6);
	});

	it('does not query Postgres for counts alone', async () => {
		expect(await search(down, '', { pageSize: 0 })).toEqual({
			engine: 'fallback',
			hits: [],
			total: 0,
			counts: null,
			facets: null
		});
	});
});

describe('hostile filter values', () => {
	const hostile = '" OR status = "draft';

	it('are literals in the Meilisearch filter: nothing widens, the planted draft stays hidden', async () => {
		const { hits } = await client
			.index(INDEXES.startups.uid)
			.search('', { filter: meiliFilter('startups', { ...emptyFacets(), province: [hostile] }) });
		expect(hits).toEqual([]);
		// Even handed straight to the search (past the URL's validation), a hostile value finds nothing.
		for (const engine of [client, down]) {
			const result = await search(engine, '', { facets: { province: [hostile], cert: [`gmp${hostile}`] } });
			expect(result.hits).toEqual([]);
			expect(result.total).toBe(0);
		}
	});

	it('are left out by the page, which says so, and the results are not widened', async () => {
		setRuntime({ db: database.db, database, search: { client } } as unknown as Runtime);
		const params = new URLSearchParams({ q: 'ข้าว', province: hostile, region: 'Northeast' });
		params.append('tsic', `10${hostile}`);
		const data = await callLoad(`?${params}`);
		expect(data.ignored.sort()).toEqual(['province', 'tsic']);
		expect(data.request.facets).toEqual({ ...emptyFacets(), region: ['Northeast'] });
		expect(found(data.result)).toEqual(keys('riceKhonKaen', 'silkKorat', 'riceToKhonKaen'));
		expect(found(data.result)).not.toContain('planted');
	});
});

// What the tests read of the page's data, which SvelteKit types as Record<string, any> (the load is annotated
// PageServerLoad); loose, so the rest is kept (as unknown).
const searchPage = z.looseObject({
	ignored: z.array(z.string()),
	request: z.looseObject({ facets: z.unknown() }),
	searching: z.boolean(),
	result: z.looseObject({
		engine: z.string(),
		total: z.number(),
		hits: z.array(z.looseObject({ id: z.string() }))
	})
});

/** The page's load as SvelteKit calls it, in the language of the locale cookie. */
async function callLoad(search: string, locale: 'th' | 'en' = 'th') {
	const url = new URL(`http://portal.test/search${search}`);
	const request = new Request(url, { headers: { cookie: `PARAGLIDE_LOCALE=${locale}` } });
	let data: Awaited<ReturnType<typeof load>> | undefined;
	await paraglideMiddleware(request, async () => {
		data = await load({
			url,
			request,
			// An anonymous visitor: SvelteKit always gives a load its locals.
			locals: {},
			getClientAddress: () => '198.51.100.7',
			setHeaders: () => {}
		} as unknown as Parameters<typeof load>[0]);
		return new Response();
	});
	return searchPage.parse(data);
}

describe('the search log', () => {
	const rows = () => database.db.select().from(schema.searchLog).orderBy(asc(schema.searchLog.id));

	it('records a search made on the page: normalised words, language, result count, engine and hashed visitor, nothing else', async () => {
		await database.db.delete(schema.searchLog);
		setRuntime({ db: database.db, database, search: { client } } as unknown as Runtime);
		const data = await callLoad(`?q=${encodeURIComponent('  ข้าว \t  JASMINE  ')}&region=Northeast`);
		expect(data.result.engine).toBe('meili');
		const [row, ...others] = await rows();
		expect(others).toEqual([]);
		expect(Object.keys(row!).sort()).toEqual([
			'createdAt',
			'engine',
			'id',
			'locale',
			'query',
			'resultCount',
			'visitorHash'
		]);
		// Who searched, only as a salted hash: never the address.
		expect(row!.visitorHash).toMatch(/^[\w-]{22}$/);
		expect(JSON.stringify(row)).not.toContain('198.51.100.7');
		expect(row).toMatchObject({
			query: 'ข้าว jasmine',
			locale: 'th',
			resultCount: data.result.total,
			engine: 'meili'
		});
		expect(data.result.total).toBeGreaterThan(0);
		expect(data.result.total).toBe(data.result.hits.length);
	});

	it('records the language, zero results and the fallback engine', async () => {
		await database.db.delete(schema.searchLog);
		setRuntime({ db: database.db, database, search: { client } } as unknown as Runtime);
		await callLoad('?q=Durian', 'en');
		setRuntime({ db: database.db, database, search: { client: down } } as unknown as Runtime);
		const degraded = await callLoad('?q=ข้าว&type=demand&province=TH-40');
		expect(degraded.result.engine).toBe('fallback');
		expect(await rows()).toMatchObject([
			{ query: 'durian', locale: 'en', resultCount: 0, engine: 'meili' },
			{ query: 'ข้าว', locale: 'th', resultCount: 1, engine: 'fallback' }
		]);
	});

	it('does not record browsing without words, a later page, or an empty page', async () => {
		await database.db.delete(schema.searchLog);
		setRuntime({ db: database.db, database, search: { client } } as unknown as Runtime);
		const browse = await callLoad('?region=Northeast&type=startup');
		expect(browse.searching).toBe(true);
		expect(browse.result.total).toBe(2);
		await callLoad('?q=ข้าว&page=2');
		const empty = await callLoad('?q=%20%20');
		expect(empty.searching).toBe(false);
		expect(await rows()).toEqual([]);
	});

	it('never fails the search when the log cannot be written', async () => {
		const broken = await createTestDatabase();
		await broken.dispose();
		const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
		try {
			await expect(
				logSearch(broken.db, { query: 'ข้าว', locale: 'th', resultCount: 1, engine: 'meili' })
			).resolves.toBe(false);
			expect(errors).toHaveBeenCalledWith('[search-log] could not record a search:', expect.anything());
		} finally {
			errors.mockRestore();
		}
	});

	it('reports the searches that found nothing, most frequent first', async () => {
		const { db } = database;
		await db.delete(schema.searchLog);
		const at = (iso: string) => new Date(iso);
		await db.insert(schema.searchLog).values([
			{
				query: 'ทุเรียน',
				locale: 'th',
				resultCount: 0,
				engine: 'meili',
				createdAt: at('2026-03-01T10:00:00Z')
			},
			{
				query: 'ทุเรียน',
				locale: 'th',
				resultCount: 0,
				engine: 'meili',
				createdAt: at('2026-03-02T10:00:00Z')
			},
			{
				query: 'ทุเรียน',
				locale: 'en',
				resultCount: 0,
				engine: 'fallback',
				createdAt: at('2026-03-03T10:00:00Z')
			},
			{
				query: 'lychee',
				locale: 'en',
				resultCount: 0,
				engine: 'meili',
				createdAt: at('2026-03-04T10:00:00Z')
			},
			{
				query: 'lychee',
				locale: 'en',
				resultCount: 0,
				engine: 'meili',
				createdAt: at('2026-03-05T10:00:00Z')
			},
			{ query: 'ลำไย', locale: 'th', resultCount: 0, engine: 'meili', createdAt: at('2026-03-06T10:00:00Z') },
			// Found something: not in the report, however often.
			{ query: 'ข้าว', locale: 'th', resultCount: 4, engine: 'meili', createdAt: at('2026-03-06T10:00:00Z') },
			{ query: 'ข้าว', locale: 'th', resultCount: 4, engine: 'meili', createdAt: at('2026-03-06T11:00:00Z') },
			{ query: 'ข้าว', locale: 'th', resultCount: 4, engine: 'meili', createdAt: at('2026-03-06T12:00:00Z') },
			{ query: 'ข้าว', locale: 'th', resultCount: 4, engine: 'meili', createdAt: at('2026-03-06T13:00:00Z') },
			// Before the period.
			{
				query: 'lychee',
				locale: 'en',
				resultCount: 0,
				engine: 'meili',
				createdAt: at('2026-02-01T10:00:00Z')
			},
			{
				query: 'lychee',
				locale: 'en',
				resultCount: 0,
				engine: 'meili',
				createdAt: at('2026-02-02T10:00:00Z')
			}
		]);
		const since = at('2026-03-01T00:00:00Z');
		expect(await zeroResultSearches(db, { since, limit: 10 })).toEqual([
			{ query: 'ทุเรียน', count: 3, visitors: 0, lastAt: at('2026-03-03T10:00:00Z') },
			{ query: 'lychee', count: 2, visitors: 0, lastAt: at('2026-03-05T10:00:00Z') },
			{ query: 'ลำไย', count: 1, visitors: 0, lastAt: at('2026-03-06T10:00:00Z') }
		]);
		expect((await zeroResultSearches(db, { since, limit: 2 })).map((r) => r.query)).toEqual([
			'ทุเรียน',
			'lychee'
		]);
		expect(await zeroResultSearches(db, { since: at('2026-03-07T00:00:00Z'), limit: 10 })).toEqual([]);
	});
});
