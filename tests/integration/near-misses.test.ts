// Near misses on the real Meilisearch and on the Postgres fallback (issue 19 item 3): a Khon Kaen hotel wants
// mudmee silk with OTOP and มผช.; the Khon Kaen silk startup, lacking only มผช., is never a match for the buyer
// but sees the demand with exactly what it lacks, and the Khon Kaen office sees มผช. as what its producers lack.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as schema from '$lib/server/db/schema';
import { certificateGapsOfProvince } from '$lib/server/gap/near-misses';
import {
	matchDemandsForStartup,
	matchStartupsForDemand,
	nearMissesForStartup
} from '$lib/server/matching/service';
import { createSearchClient, type Meilisearch } from '$lib/server/search/client';
import { applyIndexSettings } from '$lib/server/search/indexes';
import { drainOutboxOnce, enqueueSearchSync } from '$lib/server/search/outbox';
import type { MeiliProcess } from '$lib/server/search/process';
import { buildDemand, buildProduct, buildStartup } from '../factories';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startTestMeili } from '../helpers/meili';

let database: TestDatabase;
let meili: MeiliProcess;
let client: Meilisearch;
const ids: Record<string, string> = {};

async function startup(
	key: string,
	province: string,
	product: { nameTh: string; nameEn: string; unit: 'metre' | 'kg'; capacity: number },
	division: string,
	certifications: string[]
) {
	const { db } = database;
	const row = await buildStartup(db, { provinceCode: province, nameTh: key, nameEn: null });
	await buildProduct(db, row.id, {
		nameTh: product.nameTh,
		nameEn: product.nameEn,
		unit: product.unit,
		monthlyCapacity: product.capacity
	});
	await db.insert(schema.startupDivisions).values({ startupId: row.id, divisionCode: division });
	if (certifications.length)
		await db
			.insert(schema.startupCertifications)
			.values(certifications.map((certificationId) => ({ startupId: row.id, certificationId })));
	await enqueueSearchSync(db, 'startup', [row.id]);
	ids[key] = row.id;
}

beforeAll(async () => {
	[database, meili] = await Promise.all([createTestDatabase(), startTestMeili()]);
	client = createSearchClient(meili.url, meili.masterKey);
	await applyIndexSettings(client);
	const silk = { nameTh: 'ผ้าไหมมัดหมี่', nameEn: 'Mudmee silk', unit: 'metre' as const };
	// Khon Kaen's own silk weavers: OTOP only (and short of the quantity), and a Bangkok weaver with both.
	await startup('khonKaenSilk', 'TH-40', { ...silk, capacity: 300 }, '13', ['otop-star']);
	await startup('bangkokSilk', 'TH-10', { ...silk, capacity: 800 }, '13', ['otop-star', 'tcps']);
	// In the same category and lacking the same certificate, but making something else: no near miss.
	await startup(
		'khonKaenCotton',
		'TH-40',
		{ nameTh: 'เสื้อยืดผ้าฝ้าย', nameEn: 'Cotton T-shirts', unit: 'metre', capacity: 2000 },
		'13',
		['otop-star']
	);
	const demand = await buildDemand(
		database.db,
		{
			titleTh: 'ผ้าไหมมัดหมี่สำหรับโรงแรม',
			titleEn: null,
			divisionCode: '13',
			quantity: 500,
			unit: 'metre',
			recurrence: 'monthly',
			priceThbMax: 900,
			deliveryProvinceCode: 'TH-40'
		},
		['otop-star', 'tcps']
	);
	await enqueueSearchSync(database.db, 'demand', [demand.id]);
	ids.hotel = demand.id;
	while ((await drainOutboxOnce(database.db, client)).processed > 0);
}, 120_000);

afterAll(async () => {
	await Promise.all([database?.dispose(), meili?.stop()]);
});

describe('near misses (the Khon Kaen mudmee silk case)', () => {
	it('keeps the hard rule: the startup lacking มผช. is no match for the buyer, nor the demand for it', async () => {
		const forBuyer = await matchStartupsForDemand(database.db, client, ids.hotel!);
		expect(forBuyer.engine).toBe('meili');
		expect(forBuyer.matches.map((m) => m.id)).toEqual([ids.bangkokSilk]);
		const forStartup = await matchDemandsForStartup(database.db, client, ids.khonKaenSilk!);
		expect(forStartup.matches.map((m) => m.id)).not.toContain(ids.hotel);
	});

	for (const engine of ['meili', 'fallback'] as const)
		it(`shows the startup the demand as a near miss listing มผช. and its capacity short (${engine})`, async () => {
			const result = await nearMissesForStartup(database.db, client, ids.khonKaenSilk!, { engine });
			expect(result).toMatchObject({ engine, degraded: false });
			expect(result.nearMisses).toHaveLength(1);
			const [miss] = result.nearMisses;
			expect(miss!.id).toBe(ids.hotel);
			expect(miss!.lacks).toEqual({ certifications: ['tcps'], capacityShortBy: 200 });
			expect(miss!.reasons.relevance).toBe('product');
			expect(miss!.reasons.distanceBand).toBe('same_province');
		});

	it('is no near miss for a startup that matches, nor for one making something else', async () => {
		const matching = await nearMissesForStartup(database.db, client, ids.bangkokSilk!);
		expect(matching.nearMisses).toEqual([]);
		const cotton = await nearMissesForStartup(database.db, client, ids.khonKaenCotton!);
		expect(cotton.nearMisses.map((m) => m.id)).not.toContain(ids.hotel);
	});

	it("counts for the office which certificates the province's producers lack most", async () => {
		expect(await certificateGapsOfProvince(database.db, client, 'TH-40')).toEqual([
			{ certification: 'tcps', producers: 1, demands: 1 }
		]);
		// Bangkok's weaver holds everything the demand asks for.
		expect(await certificateGapsOfProvince(database.db, client, 'TH-10')).toEqual([]);
	});
});
