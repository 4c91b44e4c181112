// By-products and material wants in Meilisearch (issue 23), against the real binary: every change reaches the
// index through the outbox written in its own transaction, reindex rebuilds both indexes, and matching takes its
// candidates from the index (which segments Thai names) while Postgres still decides what is open and fits,
// falling back to Postgres alone when the engine cannot answer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSearchClient, type Meilisearch } from '$lib/server/search/client';
import { applyIndexSettings, INDEXES } from '$lib/server/search/indexes';
import { drainOutboxOnce, outboxLag } from '$lib/server/search/outbox';
import { reindexAll } from '$lib/server/search/reindex';
import type { MeiliProcess } from '$lib/server/search/process';
import { updateWant, wantMatches, lotMatches, withdrawLot } from '$lib/server/waste/service';
import { buildLot, buildWant, buildWasteActor, wantInput } from '../factories';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { freePort, hitIds, startTestMeili } from '../helpers/meili';

let database: TestDatabase;
let meili: MeiliProcess;
let client: Meilisearch;

beforeAll(async () => {
	[database, meili] = await Promise.all([createTestDatabase(), startTestMeili()]);
	client = createSearchClient(meili.url, meili.masterKey);
	await applyIndexSettings(client);
});
afterAll(async () => {
	await Promise.all([database?.dispose(), meili?.stop()]);
});

const indexed = async (uid: string) =>
	(await client.index(uid).getDocuments({ limit: 1000, fields: ['id'] })).results.map((doc) =>
		String(doc.id)
	);

describe('by-products in the search index', () => {
	it('indexes what may be matched, through the outbox of each change, and removes what may not', async () => {
		const { db } = database;
		const sender = await buildWasteActor(db, 'buyer', 'TH-70');
		const receiver = await buildWasteActor(db, 'startup', 'TH-73');
		const draft = await buildLot(db, sender, {}, { status: 'draft' });
		const lot = await buildLot(db, sender);
		const want = await buildWant(db, receiver);
		expect((await outboxLag(db)).pending).toBeGreaterThanOrEqual(3);
		await drainOutboxOnce(db, client);
		expect((await outboxLag(db)).pending).toBe(0);
		expect(await indexed(INDEXES.wasteLots.uid)).toContain(lot.id);
		expect(await indexed(INDEXES.wasteLots.uid)).not.toContain(draft.id);
		expect(await indexed(INDEXES.materialWants.uid)).toContain(want.id);

		// Thai has no spaces: the engine finds the shared word "เปลือกมะม่วง" inside both names.
		const hits = await client.index(INDEXES.wasteLots.uid).search('เปลือกมะม่วง');
		expect(hitIds(hits)).toContain(lot.id);

		await withdrawLot(db, sender, lot.id);
		await updateWant(db, receiver, want.id, wantInput({ nameTh: 'รับกากกาแฟ' }));
		await drainOutboxOnce(db, client);
		expect(await indexed(INDEXES.wasteLots.uid)).not.toContain(lot.id);
		const renamed = await client.index(INDEXES.materialWants.uid).search('กากกาแฟ');
		expect(hitIds(renamed)).toEqual([want.id]);
	});

	it('matches from the index with the same rules as Postgres: code, licence and distance', async () => {
		const { db } = database;
		const sender = await buildWasteActor(db, 'buyer', 'TH-70');
		const peel = await buildLot(db, sender);
		const battery = await buildLot(db, sender, { wasteCode: '160601', nameTh: 'แบตเตอรี่ตะกั่วใช้แล้ว' });
		const composter = await buildWasteActor(db, 'startup', 'TH-73');
		const far = await buildWasteActor(db, 'startup', 'TH-50');
		const recycler = await buildWasteActor(db, 'buyer', 'TH-76');
		const compost = await buildWant(db, composter);
		const chiangMai = await buildWant(db, far, { provinceCode: 'TH-50' });
		const unlicensed = await buildWant(db, composter, { wasteCodes: ['160601'], nameTh: 'รับแบตเตอรี่' });
		const licensed = await buildWant(db, recycler, {
			wasteCodes: ['160601'],
			provinceCode: 'TH-76',
			licenceClass: '106',
			nameTh: 'รับแบตเตอรี่'
		});
		await drainOutboxOnce(db, client);

		const viaIndex = await lotMatches(db, peel, client);
		const viaPostgres = await lotMatches(db, peel, null);
		// Same code sub-chapter within 150 km: Nakhon Pathom; Chiang Mai is beyond its collection distance.
		const ids = (matches: typeof viaIndex) => matches.map((match) => match.want.id).sort();
		expect(ids(viaIndex)).toEqual(ids(viaPostgres));
		expect(ids(viaIndex)).toContain(compost.id);
		expect(ids(viaIndex)).not.toContain(chiangMai.id);
		const fromIndex = viaIndex.find((match) => match.want.id === compost.id)!;
		const fromPostgres = viaPostgres.find((match) => match.want.id === compost.id)!;
		expect(fromIndex.codeFit).toBe('same_sub_chapter');
		// The engine sees the names share a word; splitting Thai on spaces does not.
		expect(fromIndex.textShared).toBe(true);
		expect(fromPostgres.textShared).toBe(false);
		expect(fromIndex.score).toBeGreaterThan(fromPostgres.score);

		// A hazardous lot never reaches a receiver without the licence it needs.
		expect((await lotMatches(db, battery, client)).map((match) => match.want.id)).toEqual([licensed.id]);
		expect((await wantMatches(db, unlicensed, client)).map((match) => match.lot.id)).toEqual([]);
		expect((await wantMatches(db, licensed, client)).map((match) => match.lot.id)).toEqual([battery.id]);
	});

	it('answers from Postgres when the engine cannot', async () => {
		const { db } = database;
		const sender = await buildWasteActor(db, 'buyer', 'TH-70');
		const receiver = await buildWasteActor(db, 'startup', 'TH-73');
		const lot = await buildLot(db, sender);
		const want = await buildWant(db, receiver, { nameTh: 'ไม่มีใครค้นเจอ' });
		// Nothing drained: a search client that cannot be reached, and the want not in the index at all.
		const unreachable = createSearchClient(`http://127.0.0.1:${await freePort()}`, 'no-key');
		expect((await lotMatches(db, lot, unreachable)).map((match) => match.want.id)).toContain(want.id);
		await drainOutboxOnce(db, client);
	});

	it('rebuilds both indexes from Postgres on reindex', async () => {
		const { db } = database;
		const sender = await buildWasteActor(db, 'buyer', 'TH-70');
		const lot = await buildLot(db, sender);
		await client.index(INDEXES.wasteLots.uid).deleteAllDocuments().waitTask();
		const totals = await reindexAll(db, client);
		expect(totals[INDEXES.wasteLots.uid]).toBeGreaterThan(0);
		expect(totals[INDEXES.materialWants.uid]).toBeGreaterThan(0);
		expect(await indexed(INDEXES.wasteLots.uid)).toContain(lot.id);
	});
});
