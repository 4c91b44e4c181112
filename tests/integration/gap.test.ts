// The supply–demand gap on a real database and Meilisearch: coverage computed by the matching engine, kept
// current when demands and startups change, summed per province × division, and the production suggestions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { yearInThailand } from '$lib/schemas/calendar-date';
import * as schema from '$lib/server/db/schema';
import { refreshAllCoverage, refreshCoverage } from '$lib/server/gap/coverage';
import { gapRows, monthlyTrend, provinceTotals } from '$lib/server/gap/queries';
import { provinceSuggestions, suggestionsForStartup, type Suggestion } from '$lib/server/gap/suggestions';
import { createSearchClient, type Meilisearch } from '$lib/server/search/client';
import { applyIndexSettings } from '$lib/server/search/indexes';
import { drainOutboxOnce, enqueueSearchSync } from '$lib/server/search/outbox';
import type { MeiliProcess } from '$lib/server/search/process';
import { buildDemand, buildStartup } from '../factories';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startTestMeili } from '../helpers/meili';

let database: TestDatabase;
let meili: MeiliProcess;
let client: Meilisearch;
const ids: Record<string, string> = {};
const year = yearInThailand();

async function drain() {
	while ((await drainOutboxOnce(database.db, client)).processed > 0);
}

/** A Khon Kaen-style rice farm named after its key: jasmine rice at 30–50 baht, TSIC 01, queued for the index. */
const riceFarm = (key: string, monthlyCapacity: number, certifications: string[] = []) => ({
	overrides: { nameTh: `${key} ข้าวสาร`, nameEn: null, approvedAt: new Date() },
	parts: {
		products: [
			{
				nameTh: 'ข้าวหอมมะลิ',
				nameEn: 'Jasmine rice',
				unit: 'kg' as const,
				monthlyCapacity,
				priceThbMin: 30,
				priceThbMax: 50
			}
		],
		divisions: ['01'],
		certifications,
		indexed: true
	}
});

/** A demand for jasmine rice, 1,000 kg at up to 45 baht unless told otherwise. */
const riceDemand = (values: Partial<typeof schema.demands.$inferInsert>) => ({
	titleEn: 'Jasmine rice',
	quantity: 1000,
	unit: 'kg' as const,
	priceThbMax: 45,
	...values
});

beforeAll(async () => {
	[database, meili] = await Promise.all([createTestDatabase(), startTestMeili()]);
	client = createSearchClient(meili.url, meili.masterKey);
	await applyIndexSettings(client);
	// Khon Kaen grows rice; nobody holds the halal certificate; one demand is far bigger than anyone's capacity.
	const { db } = database;
	const farm = riceFarm('farm', 5000, ['gap']);
	ids.farm = (await buildStartup(db, { provinceCode: 'TH-40', ...farm.overrides }, farm.parts)).id;
	const indexed = { indexed: true };
	ids.nearby = (await buildDemand(db, riceDemand({ deliveryProvinceCode: 'TH-40' }), [], indexed)).id;
	ids.halal = (
		await buildDemand(db, riceDemand({ deliveryProvinceCode: 'TH-40', quantity: 200 }), ['halal'], indexed)
	).id;
	ids.anywhere = (
		await buildDemand(db, riceDemand({ deliveryProvinceCode: null, quantity: 300 }), [], indexed)
	).id;
	ids.chiangMai = (
		await buildDemand(
			db,
			riceDemand({ deliveryProvinceCode: 'TH-50', quantity: 100, priceThbMax: null }),
			[],
			indexed
		)
	).id;
	await drain();
}, 120_000);

afterAll(async () => {
	await Promise.all([database?.dispose(), meili?.stop()]);
});

const rowOf = async (province: string | null) =>
	(await gapRows(database.db)).find((r) => r.province === province && r.division === '01');

describe('coverage', () => {
	it('counts demand the engine has not looked at yet as pending, not as unmet', async () => {
		const row = await rowOf('TH-40');
		expect(row).toMatchObject({ openDemands: 2, pendingDemands: 2, unmetDemands: 0, coveredDemands: 0 });
	});

	it('marks each open demand covered or unmet from the matching engine', async () => {
		const computed = await refreshAllCoverage(database.db, client);
		expect(computed).toBe(4);
		const coverage = await database.db.select().from(schema.demandCoverage);
		const of = (key: string) => coverage.find((c) => c.demandId === ids[key]);
		expect(of('nearby')!.goodMatches).toBe(1);
		expect(of('halal')!.goodMatches).toBe(0);
		const matches = await database.db
			.select()
			.from(schema.demandMatches)
			.where(eq(schema.demandMatches.demandId, ids.nearby!));
		expect(matches.map((m) => m.startupId)).toEqual([ids.farm]);
		expect(matches[0]!.score).toBeGreaterThanOrEqual(0.5);
		// Nothing is stale now: a second pass computes nothing.
		expect((await refreshCoverage(database.db, client)).computed).toBe(0);
	});

	it('sums demand, unmet demand and capacity per province × division, in baht and in units', async () => {
		const khonKaen = await rowOf('TH-40');
		expect(khonKaen).toMatchObject({
			openDemands: 2,
			demandValue: 1000 * 45 + 200 * 45,
			coveredDemands: 1,
			unmetDemands: 1,
			unmetValue: 200 * 45,
			pendingDemands: 0,
			startups: 1,
			capacityValue: 5000 * 40
		});
		expect(khonKaen!.demandQuantities).toEqual([{ unit: 'kg', quantity: 1200 }]);
		expect(khonKaen!.capacityQuantities).toEqual([{ unit: 'kg', quantity: 5000 }]);
		// Delivery anywhere is its own row; a demand without a price ceiling counts with no value.
		expect((await rowOf(null))!.openDemands).toBe(1);
		expect((await rowOf('TH-50'))!.demandValue).toBe(0);
		const totals = await provinceTotals(database.db, year);
		expect(totals['TH-40']).toMatchObject({ openDemands: 2, unmetDemands: 1, approvedStartups: 1 });
		expect(totals['TH-50']!.approvedStartups).toBe(0);
	});

	it('recomputes a demand edited since, and every demand a changed startup could serve', async () => {
		const { db } = database;
		await db.update(schema.demands).set({ quantity: 20_000 }).where(eq(schema.demands.id, ids.nearby!));
		let run = await refreshCoverage(db, client);
		expect(run.computed).toBe(1);
		// The startup now holds the halal certificate: the demand that needed it is looked at again.
		await db.insert(schema.startupCertifications).values({ startupId: ids.farm!, certificationId: 'halal' });
		await db
			.update(schema.startups)
			.set({ nameTh: 'farm ข้าวสารฮาลาล' })
			.where(eq(schema.startups.id, ids.farm!));
		await enqueueSearchSync(db, 'startup', [ids.farm!]);
		await drain();
		run = await refreshCoverage(db, client);
		expect(run.invalidated).toBe(4);
		expect(run.computed).toBe(4);
		const [halal] = await db
			.select()
			.from(schema.demandCoverage)
			.where(eq(schema.demandCoverage.demandId, ids.halal!));
		expect(halal!.goodMatches).toBe(1);
		// The watermark holds: the same startup is not seen as changed again.
		expect((await refreshCoverage(db, client)).invalidated).toBe(0);
	});

	it('counts posted demand per month, this month last', async () => {
		const trend = await monthlyTrend(database.db, 12);
		expect(trend).toHaveLength(12);
		expect(trend.at(-1)!.postedDemands).toBe(4);
		expect(trend.slice(0, -1).every((m) => m.postedDemands === 0)).toBe(true);
	});
});

describe('production suggestions', () => {
	it('offers a startup the unmet demand near what it makes, with what it lacks', async () => {
		const { db } = database;
		const small = riceFarm('small', 50);
		ids.small = (
			await buildStartup(database.db, { provinceCode: 'TH-40', ...small.overrides }, small.parts)
		).id;
		ids.big = (
			await buildDemand(
				database.db,
				riceDemand({ deliveryProvinceCode: 'TH-40', quantity: 900 }),
				['organic-thailand'],
				{ indexed: true }
			)
		).id;
		await drain();
		await refreshAllCoverage(db, client);
		const suggestions = await suggestionsForStartup(db, ids.small);
		const big = suggestions.find((s) => s.demandId === ids.big);
		expect(big).toBeDefined();
		expect(big!.lacks.certifications).toEqual(['organic-thailand']);
		expect(big!.lacks.capacityShortBy).toBe(850);
		expect(big!.lacks.unit).toBeNull();
		// A demand the startup is already a good match for is not a suggestion.
		const covered = await db
			.select()
			.from(schema.demandMatches)
			.where(eq(schema.demandMatches.startupId, ids.small));
		for (const m of covered) expect(suggestions.map((s) => s.demandId)).not.toContain(m.demandId);

		const summary = await provinceSuggestions(db, 'TH-40');
		expect(summary.demands).toBeGreaterThanOrEqual(1);
		expect(summary.certifications).toContainEqual({ id: 'organic-thailand', demands: 1 });
		// Counted by the province's nearest startup: the big farm has the capacity, so only the certificate is missing.
		expect(summary.capacityShort).toBe(0);

		// The summary reads every startup's candidates from one shared list: it must say what each startup's own
		// suggestions, combined, say.
		const approved = await db
			.select({ id: schema.startups.id })
			.from(schema.startups)
			.where(eq(schema.startups.provinceCode, 'TH-40'));
		expect(approved.length).toBeGreaterThanOrEqual(2);
		const lacks = (s: Suggestion) =>
			s.lacks.certifications.length + (s.lacks.unit ? 1 : 0) + (s.lacks.capacityShortBy ? 1 : 0);
		const best = new Map<string, Suggestion>();
		for (const { id } of approved) {
			for (const s of await suggestionsForStartup(db, id, 25)) {
				const known = best.get(s.demandId);
				if (!known || lacks(s) < lacks(known)) best.set(s.demandId, s);
			}
		}
		const combined = [...best.values()];
		expect(summary).toMatchObject({
			demands: combined.length,
			value: combined.reduce((sum, s) => sum + s.value, 0),
			capacityShort: combined.filter((s) => s.lacks.capacityShortBy !== null).length,
			unitMissing: combined.filter((s) => s.lacks.unit !== null).length,
			withinReach: combined.filter((s) => lacks(s) === 0).length
		});
	});
});
