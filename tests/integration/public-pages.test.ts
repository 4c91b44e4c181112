// The public portal's server side with real data: the province page (by code and by alias), the region page, the
// gap dashboard and its CSV, the sitemap, and the search log the dashboard reports from (settled searches only).
import { isHttpError, isRedirect } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { setRuntime } from '$lib/server/context';
import * as schema from '$lib/server/db/schema';
import { invalidateFigures } from '$lib/server/gap/cache';
import { refreshAllCoverage } from '$lib/server/gap/coverage';
import type { Runtime } from '$lib/server/runtime';
import { load as marketLoad } from '../../src/routes/(public)/market/+page.server';
import { GET as gapCsv } from '../../src/routes/(public)/market/gap.csv/+server';
import { load as provinceLoad } from '../../src/routes/(public)/provinces/[province]/+page.server';
import { load as regionLoad } from '../../src/routes/(public)/regions/[region]/+page.server';
import { load as searchLoad } from '../../src/routes/(public)/search/+page.server';
import { GET as sitemap } from '../../src/routes/sitemap.xml/+server';
import { buildDemand, buildProduct, buildStartup } from '../factories';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

let database: TestDatabase;

// Only what these loads read from the event.
const event = (path: string, params: Record<string, string> = {}, address = '198.51.100.7') =>
	({
		url: new URL(`http://portal.test${path}`),
		params,
		locals: {},
		getClientAddress: () => address,
		setHeaders: () => {}
	}) as never;

beforeAll(async () => {
	database = await createTestDatabase();
	const { db } = database;
	setRuntime({ db, database } as unknown as Runtime);
	const farm = await buildStartup(db, { provinceCode: 'TH-40', approvedAt: new Date() });
	await buildProduct(db, farm.id, {
		nameTh: 'ข้าวหอมมะลิ',
		unit: 'kg',
		monthlyCapacity: 5000,
		priceThbMin: 40
	});
	await db.insert(schema.startupDivisions).values({ startupId: farm.id, divisionCode: '01' });
	await buildDemand(db, { deliveryProvinceCode: 'TH-40', quantity: 1000, unit: 'kg', priceThbMax: 45 });
	await buildDemand(db, { deliveryProvinceCode: 'TH-40', quantity: 10, unit: 'kg', priceThbMax: 50 }, [
		'halal'
	]);
	await refreshAllCoverage(db, null);
});

afterAll(async () => {
	setRuntime(undefined);
	await database?.dispose();
});

/** A load's data: these loads always return some (SvelteKit types them as possibly void). */
async function loaded<T>(result: T | void | Promise<T | void>): Promise<T> {
	const data = await result;
	if (!data) throw new Error('the load returned nothing');
	return data;
}

// What the tests read field by field of the loads' data, which SvelteKit types as Record<string, any> (the loads are
// annotated PageServerLoad); loose, so the rest is kept (as unknown) for the assertions on whole values.
const provincePage = z.looseObject({
	province: z.looseObject({ nameEn: z.string() }),
	demandHere: z.array(z.looseObject({ coverage: z.string() })),
	gap: z.array(z.looseObject({ division: z.string() })),
	year: z.number()
});
const regionPage = z.looseObject({
	provinces: z.array(
		z.looseObject({ code: z.string(), totals: z.looseObject({ openDemands: z.number() }).nullable() })
	)
});
const marketPage = z.looseObject({
	zeroResults: z.array(z.looseObject({ query: z.string(), count: z.number() }))
});

async function thrown(run: () => unknown) {
	try {
		await run();
	} catch (error) {
		return error;
	}
	throw new Error('expected the load to throw');
}

describe('province and region pages', () => {
	it('shows the province’s candidates, demand with its coverage, and the gap by division', async () => {
		const data = provincePage.parse(
			await loaded(provinceLoad(event('/provinces/TH-40', { province: 'TH-40' })))
		);
		expect(data.province.nameEn).toBe('Khon Kaen');
		expect(data.candidates).toHaveLength(1);
		expect(data.demandHere.map((d) => d.coverage).sort()).toEqual(['covered', 'unmet']);
		expect(data.servable).toHaveLength(1);
		expect(data.gap.find((r) => r.division === '01')).toMatchObject({
			openDemands: 2,
			unmetDemands: 1
		});
		expect(data.totals).toMatchObject({ approvedStartups: 1, openDemands: 2, selected: false });
	});

	it('redirects the readable alias to the code, and answers 404 for an unknown province', async () => {
		const redirect = await thrown(() =>
			provinceLoad(event('/provinces/khon-kaen', { province: 'khon-kaen' }))
		);
		expect(isRedirect(redirect) && redirect.status === 308 && redirect.location).toBe('/provinces/TH-40');
		const missing = await thrown(() => provinceLoad(event('/provinces/TH-99', { province: 'TH-99' })));
		expect(isHttpError(missing) && missing.status).toBe(404);
	});

	it("shows this year's selection by Thailand's calendar, not the server's UTC one", async () => {
		// Only Date is faked: the database's timers and now() run on.
		vi.useFakeTimers({ toFake: ['Date'] });
		try {
			const yearAt = async (instant: string) => {
				vi.setSystemTime(new Date(instant));
				return provincePage.parse(
					await loaded(provinceLoad(event('/provinces/TH-40', { province: 'TH-40' })))
				).year;
			};
			expect(await yearAt('2026-12-31T16:59:00Z')).toBe(2026);
			// 00:01 on 1 January 2027 in Bangkok, still 31 December on a UTC server.
			expect(await yearAt('2026-12-31T17:01:00Z')).toBe(2027);
		} finally {
			vi.useRealTimers();
			// Figures cached under the faked clock would look fresh to the tests after this one.
			invalidateFigures();
		}
	});

	it('lists a region’s provinces with their figures', async () => {
		const data = regionPage.parse(
			await loaded(regionLoad(event('/regions/northeast', { region: 'northeast' })))
		);
		expect(data.provinces).toHaveLength(20);
		expect(data.provinces.find((p) => p.code === 'TH-40')?.totals?.openDemands).toBe(2);
		const missing = await thrown(() => regionLoad(event('/regions/atlantis', { region: 'atlantis' })));
		expect(isHttpError(missing) && missing.status).toBe(404);
	});
});

describe('gap dashboard', () => {
	it('sums the figures, filters by province, and ignores malformed filters', async () => {
		const all = await loaded(marketLoad(event('/market')));
		expect(all.total).toMatchObject({ openDemands: 2, coveredDemands: 1, unmetDemands: 1 });
		const elsewhere = await loaded(marketLoad(event('/market?province=TH-50')));
		expect(elsewhere.total).toBeNull();
		const bogus = await loaded(
			marketLoad(event(`/market?province=${encodeURIComponent("TH-40' or 1=1")}&division=x`))
		);
		expect(bogus.filter).toEqual({});
		expect(bogus.detailTotal).toBe(all.detailTotal);
	});

	it('gives the figures as CSV with a byte-order mark and the province in words', async () => {
		const response = await gapCsv(event('/market/gap.csv?province=TH-40'));
		const bytes = new Uint8Array(await response.arrayBuffer());
		expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		const lines = new TextDecoder().decode(bytes).trim().split('\r\n');
		expect(lines[0]!.startsWith('province_code,province,tsic_division,')).toBe(true);
		expect(lines).toHaveLength(2);
		expect(lines[1]!.startsWith('TH-40,ขอนแก่น,01,')).toBe(true);
	});

	it('reports settled searches that found nothing, but not the live results shown while typing', async () => {
		// Listed only once enough different visitors searched (issue 18): five addresses here.
		const visitors = ['198.51.100.1', '198.51.100.2', '198.51.100.3', '198.51.100.4', '198.51.100.5'];
		for (const address of visitors) {
			await searchLoad(event('/search?q=ทุเรียน&live=1', {}, address));
			await searchLoad(event('/search?q=%20ทุเรียนทอด%20', {}, address));
		}
		await searchLoad(event('/search?q=ทุเรียนทอด'));
		await searchLoad(event('/search?q=ข้าว'));
		const logged = await database.db.select().from(schema.searchLog);
		expect(logged.map((row) => row.query).sort()).toEqual(['ข้าว', ...Array<string>(6).fill('ทุเรียนทอด')]);
		// The report is cached with the other figures (a minute); drop the cache as a minute passing would.
		invalidateFigures();
		const { zeroResults } = marketPage.parse(await loaded(marketLoad(event('/market'))));
		expect(zeroResults.map((row) => [row.query, row.count])).toEqual([['ทุเรียนทอด', 6]]);
	});
});

it('the sitemap lists the 77 provinces, the regions and the approved startups', async () => {
	const xml = await (await sitemap(event('/sitemap.xml'))).text();
	expect(xml.match(/\/provinces\/TH-\d\d</g)).toHaveLength(77);
	expect(xml).toContain('http://portal.test/regions/northeast<');
	expect(xml.match(/\/startups\//g)).toHaveLength(1);
	expect(xml.match(/\/demand\//g)).toHaveLength(2);
});
