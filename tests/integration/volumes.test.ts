// Volumes on a real database and Meilisearch (issue 19 items 5 and 6): capacity that deals hold is no longer
// free, a demand no single startup covers gets a group whose capacities add up to it (or the remainder), the gap
// states unmet quantity and baht (valued from accepted prices where the buyer set no ceiling, else "not stated"),
// and the figures every gap page shows add up: rows to totals, the CSV to /market, provinces to the map.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { signUp } from '$lib/server/accounts/service';
import { setRuntime } from '$lib/server/context';
import * as schema from '$lib/server/db/schema';
import { invalidateFigures } from '$lib/server/gap/cache';
import { refreshAllCoverage } from '$lib/server/gap/coverage';
import { gapRows, type GapRow, type UnitQuantity } from '$lib/server/gap/queries';
import type { Runtime } from '$lib/server/runtime';
import { createSearchClient, type Meilisearch } from '$lib/server/search/client';
import { applyIndexSettings } from '$lib/server/search/indexes';
import { drainOutboxOnce, enqueueSearchSync } from '$lib/server/search/outbox';
import type { MeiliProcess } from '$lib/server/search/process';
import { freeCapacities, proposeGroupForDemand } from '$lib/server/volumes/service';
import type { ProposedGroup } from '$lib/matching';
import { load as homeLoad } from '../../src/routes/(public)/+page.server';
import { load as marketLoad } from '../../src/routes/(public)/market/+page.server';
import { GET as gapCsv } from '../../src/routes/(public)/market/gap.csv/+server';
import { load as provinceLoad } from '../../src/routes/(public)/provinces/[province]/+page.server';
import { buildDeal, buildDemand, buildProduct, buildStartup, daysFromToday } from '../factories';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startTestMeili } from '../helpers/meili';
import { routeEvent, routeModule, signedInLocals } from '../helpers/route-event';

let database: TestDatabase;
let meili: MeiliProcess;
let client: Meilisearch;
const ids: Record<string, string> = {};

const event = (path: string, params: Record<string, string> = {}) =>
	({
		url: new URL(`http://portal.test${path}`),
		params,
		locals: {},
		getClientAddress: () => '198.51.100.9',
		setHeaders: () => {}
	}) as never;

async function loaded<T>(result: T | void | Promise<T | void>): Promise<T> {
	const data = await result;
	if (!data) throw new Error('the load returned nothing');
	return data;
}

async function drain() {
	while ((await drainOutboxOnce(database.db, client)).processed > 0);
}

async function riceFarm(key: string, province: string, capacity: number) {
	const { db } = database;
	const row = await buildStartup(db, {
		provinceCode: province,
		nameTh: `${key} ข้าว`,
		approvedAt: new Date()
	});
	await buildProduct(db, row.id, {
		nameTh: 'ข้าวหอมมะลิ',
		nameEn: 'Jasmine rice',
		unit: 'kg',
		monthlyCapacity: capacity,
		priceThbMin: 30,
		priceThbMax: 40
	});
	await db.insert(schema.startupDivisions).values({ startupId: row.id, divisionCode: '01' });
	await enqueueSearchSync(db, 'startup', [row.id]);
	ids[key] = row.id;
}

async function demand(key: string, values: Partial<typeof schema.demands.$inferInsert>) {
	const row = await buildDemand(database.db, {
		titleTh: null,
		titleEn: 'Jasmine rice',
		unit: 'kg',
		recurrence: 'monthly',
		...values
	});
	await enqueueSearchSync(database.db, 'demand', [row.id]);
	ids[key] = row.id;
}

/** An accepted offer and its deal, as acceptOffer records them. */
async function deal(startupKey: string, demandKey: string, quantity: number, unitPriceThb: number) {
	await buildDeal(database.db, ids[demandKey]!, ids[startupKey]!, { quantity, unitPriceThb });
	invalidateFigures();
}

beforeAll(async () => {
	[database, meili] = await Promise.all([createTestDatabase(), startTestMeili()]);
	const { db } = database;
	client = createSearchClient(meili.url, meili.masterKey);
	setRuntime({ db, database, search: { client } } as unknown as Runtime);
	await applyIndexSettings(client);
	// Khon Kaen, its neighbour Maha Sarakham and far Chiang Mai grow rice; none alone makes 800 kg a month.
	await riceFarm('near', 'TH-40', 300);
	await riceFarm('neighbour', 'TH-44', 250);
	await riceFarm('far', 'TH-50', 400);
	await demand('big', { deliveryProvinceCode: 'TH-40', quantity: 800, priceThbMax: 45 });
	await drain();
}, 120_000);

afterAll(async () => {
	setRuntime(undefined);
	await Promise.all([database?.dispose(), meili?.stop()]);
});

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

describe('split orders', () => {
	it('proposes a group whose free capacities add up to a demand no single startup covers', async () => {
		const group = await proposeGroupForDemand(database.db, client, ids.big!);
		expect(group).not.toBeNull();
		// 400 + 300 < 800: all three are needed; the nearest first, each covering what it can.
		expect(group!.members.map((m) => m.id)).toEqual([ids.near, ids.neighbour, ids.far]);
		expect(group!.members.map((m) => m.covers)).toEqual([300, 250, 250]);
		expect(sum(group!.members.map((m) => m.covers))).toBe(800);
		expect(group!.uncovered).toBe(0);
		expect(group!.members[0]!.distanceKm).toBe(0);
	});

	it('no longer counts capacity a running deal holds, and says what remains uncovered', async () => {
		// Chiang Mai's farm has a monthly contract for 300 kg: 100 of its 400 are free.
		await demand('contract', { deliveryProvinceCode: 'TH-50', quantity: 300, status: 'fulfilled' });
		await deal('far', 'contract', 300, 40);
		const free = await freeCapacities(database.db);
		expect(free.get(ids.far!)!.get('kg')).toBe(100);
		expect(free.get(ids.near!)!.get('kg')).toBe(300);
		const group = await proposeGroupForDemand(database.db, client, ids.big!);
		expect(group!.members.map((m) => m.covers)).toEqual([300, 250, 100]);
		expect(group!.uncovered).toBe(150);
		expect(sum(group!.members.map((m) => m.covers)) + group!.uncovered).toBe(group!.needed);
	});

	it("shows the group on the buyer's demand page, ready to be invited in one step", async () => {
		const { db } = database;
		const buyer = await signUp(
			db,
			{
				accountType: 'buyer',
				organisationName: 'Hotel Khon Kaen',
				provinceCode: null,
				email: 'hotel@volumes.test',
				password: 'a long enough password 19',
				locale: 'th'
			},
			{ origin: 'http://portal.test', address: '198.51.100.19' }
		);
		await db
			.update(schema.demands)
			.set({ buyerOrganisationId: buyer.organisationId! })
			.where(eq(schema.demands.id, ids.big!));
		const { load } = (await routeModule('(app)/buyer/demands/[id]/+page.server.ts')) as {
			load: (event: unknown) => Promise<{ group: ProposedGroup | null; matches: { startups: unknown[] } }>;
		};
		const page = await load(
			routeEvent({ locals: await signedInLocals(db, buyer.id), method: 'GET', params: { id: ids.big! } })
		);
		expect(page.group!.members.map((m) => m.id)).toEqual([ids.near, ids.neighbour, ids.far]);
		expect(page.group!.uncovered).toBe(150);
		expect(page.matches.startups.length).toBeLessThanOrEqual(5);
	});

	it('proposes no group when one startup covers the demand alone', async () => {
		await demand('small', { deliveryProvinceCode: 'TH-40', quantity: 200, priceThbMax: 45 });
		await drain();
		expect(await proposeGroupForDemand(database.db, client, ids.small!)).toBeNull();
	});
});

// What the test reads of the pages' data, which SvelteKit types as Record<string, any> (the loads are annotated
// PageServerLoad); loose, so that toEqual still compares whole values.
const valued = z.looseObject({ unmetValue: z.number(), unvaluedUnmetDemands: z.number() });
const marketPage = z.looseObject({
	total: valued
		.extend({
			openDemands: z.number(),
			coveredDemands: z.number(),
			unmetDemands: z.number(),
			pendingDemands: z.number(),
			demandValue: z.number(),
			unmetQuantities: z.array(z.object({ unit: z.string(), quantity: z.number() }))
		})
		.nullable()
});
const provincePage = z.looseObject({ gap: z.array(valued), totals: valued.nullable() });
const homePage = z.looseObject({ totals: z.record(z.string(), valued) });

const quantityOf = (list: UnitQuantity[], unit = 'kg') => list.find((q) => q.unit === unit)?.quantity ?? 0;

describe('gap in quantities and baht', () => {
	it('states the unmet quantity and value, valuing demand without a ceiling from accepted prices or not at all', async () => {
		const { db } = database;
		// No ceiling, but rice was dealt at 40 a kilogram: valued at that. Needed first, so it draws capacity first.
		await demand('unpriced', {
			deliveryProvinceCode: 'TH-40',
			quantity: 100,
			priceThbMax: null,
			neededBy: daysFromToday(20)
		});
		// No ceiling and nothing like it ever dealt: its value is not stated, never 0 baht.
		await demand('unknown', {
			deliveryProvinceCode: 'TH-40',
			divisionCode: '10',
			titleEn: 'Durian paste',
			quantity: 50,
			priceThbMax: null
		});
		await drain();
		await refreshAllCoverage(db, client);
		const rows = await gapRows(db);
		const rice = rows.find((r) => r.province === 'TH-40' && r.division === '01')!;
		// Free: near 300, neighbour 250, far 100 = 650 a month; every farm matches every rice demand. unpriced,
		// needed first, draws its 100 first; small and big share what is left.
		expect(rice.openDemands).toBe(3);
		expect(quantityOf(rice.demandQuantities)).toBe(1100);
		expect(rice.demandValue).toBe(800 * 45 + 200 * 45 + 100 * 40);
		expect(rice.unvaluedDemands).toBe(0);
		// 1,100 wanted, 650 free: 450 unmet, all of it from the demands that draw last at 45 baht.
		expect(quantityOf(rice.unmetQuantities)).toBe(450);
		expect(rice.unmetValue).toBe(450 * 45);
		expect(rice.unmetDemands).toBeGreaterThanOrEqual(1);
		expect(rice.coveredDemands + rice.unmetDemands + rice.pendingDemands).toBe(3);

		const durian = rows.find((r) => r.province === 'TH-40' && r.division === '10')!;
		expect(durian).toMatchObject({
			openDemands: 1,
			demandValue: 0,
			unvaluedDemands: 1,
			unmetDemands: 1,
			unmetValue: 0,
			unvaluedUnmetDemands: 1
		});
		expect(quantityOf(durian.unmetQuantities)).toBe(50);
	});

	it('shows figures that add up on /market, the province page, the map and the CSV', async () => {
		const market = marketPage.parse(await loaded(marketLoad(event('/market'))));
		const rows: GapRow[] = await gapRows(database.db);
		const total = market.total!;
		const add = (pick: (r: GapRow) => number) => Math.round(sum(rows.map(pick)) * 100) / 100;
		expect(total.demandValue).toBe(add((r) => r.demandValue));
		expect(total.unmetValue).toBe(add((r) => r.unmetValue));
		expect(total.unvaluedUnmetDemands).toBe(add((r) => r.unvaluedUnmetDemands));
		expect(total.unmetDemands).toBe(add((r) => r.unmetDemands));
		expect(quantityOf(total.unmetQuantities)).toBe(add((r) => quantityOf(r.unmetQuantities)));
		expect(total.openDemands).toBe(total.coveredDemands + total.unmetDemands + total.pendingDemands);
		for (const r of rows)
			for (const q of r.unmetQuantities)
				expect(q.quantity).toBeLessThanOrEqual(quantityOf(r.demandQuantities, q.unit));

		// The CSV's rows add up to the /market totals.
		const response = await gapCsv(event('/market/gap.csv'));
		const [header, ...lines] = (await response.text())
			.replace(/^\uFEFF/, '')
			.trim()
			.split('\r\n')
			.map((line) => line.split(','));
		const column = (name: string) => lines.map((cells) => cells[header!.indexOf(name)]!);
		const csvSum = (name: string) => Math.round(sum(column(name).map(Number)) * 100) / 100;
		expect(csvSum('demand_value_thb')).toBe(total.demandValue);
		expect(csvSum('unmet_value_thb')).toBe(total.unmetValue);
		expect(csvSum('unmet_demands_value_not_stated')).toBe(total.unvaluedUnmetDemands);
		const csvKg = sum(column('unmet_quantity').map((cell) => Number(/([\d.]+) kg/.exec(cell)?.[1] ?? 0)));
		expect(csvKg).toBe(quantityOf(total.unmetQuantities));

		// The province page's table adds up to its totals, and the map's unmet layer shows the same totals.
		const province = provincePage.parse(
			await loaded(provinceLoad(event('/provinces/TH-40', { province: 'TH-40' })))
		);
		const provinceRows = province.gap;
		expect(province.totals!.unmetValue).toBe(
			Math.round(sum(provinceRows.map((r) => r.unmetValue)) * 100) / 100
		);
		expect(province.totals!.unvaluedUnmetDemands).toBe(sum(provinceRows.map((r) => r.unvaluedUnmetDemands)));
		const home = homePage.parse(await loaded(homeLoad(event('/?layer=gap'))));
		expect(home.totals['TH-40']).toEqual(province.totals);
		const mapTotal = sum(Object.values(home.totals).map((t) => t.unmetValue));
		const anywhere = sum(rows.filter((r) => r.province === null).map((r) => r.unmetValue));
		expect(Math.round((mapTotal + anywhere) * 100) / 100).toBe(total.unmetValue);
	});
});
