// Outbox and reindex against a real Meilisearch: what Postgres holds is what search finds.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import * as schema from '$lib/server/db/schema';
import { createSearchClient, type Meilisearch } from '$lib/server/search/client';
import { applyIndexSettings, INDEXES } from '$lib/server/search/indexes';
import { drainOutboxOnce, enqueueSearchSync, outboxLag } from '$lib/server/search/outbox';
import { reindexAll } from '$lib/server/search/reindex';
import type { MeiliProcess } from '$lib/server/search/process';
import { buildProduct, buildStartup } from '../factories';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startTestMeili } from '../helpers/meili';

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

const startupIds = async () => {
	const result = await client.index(INDEXES.startups.uid).getDocuments({ limit: 1000, fields: ['id'] });
	return result.results.map((doc) => doc.id as string).sort();
};

describe('search outbox', () => {
	it('indexes an approved startup written in the same transaction as its outbox row', async () => {
		const { db } = database;
		const startup = await db.transaction(async (tx) => {
			const row = await buildStartup(tx, { nameTh: 'ภูฟ้าคอฟฟี่', nameEn: 'Phu Fah Coffee' });
			await buildProduct(tx, row.id, { nameTh: 'กาแฟอาราบิก้าคั่วกลาง', nameEn: 'Medium-roast Arabica' });
			await tx.insert(schema.startupDivisions).values({ startupId: row.id, divisionCode: '10' });
			await enqueueSearchSync(tx, 'startup', [row.id]);
			return row;
		});
		expect((await outboxLag(db)).pending).toBe(1);
		const result = await drainOutboxOnce(db, client);
		expect(result).toEqual({ processed: 1, failed: 0 });
		expect((await outboxLag(db)).pending).toBe(0);
		const { hits } = await client.index(INDEXES.startups.uid).search('Arabica');
		const found = z.array(z.object({ id: z.string(), tsic: z.array(z.string()) })).parse(hits);
		expect(found.map((hit) => hit.id)).toEqual([startup.id]);
		expect(found[0]?.tsic).toEqual(['10']);
	});

	it('removes a startup from the index when it is no longer approved', async () => {
		const { db } = database;
		const startup = await buildStartup(db);
		await enqueueSearchSync(db, 'startup', [startup.id]);
		await drainOutboxOnce(db, client);
		expect(await startupIds()).toContain(startup.id);
		await db.transaction(async (tx) => {
			await tx.update(schema.startups).set({ status: 'suspended' }).where(eq(schema.startups.id, startup.id));
			await enqueueSearchSync(tx, 'startup', [startup.id]);
		});
		await drainOutboxOnce(db, client);
		expect(await startupIds()).not.toContain(startup.id);
	});

	it('keeps failed rows with a backoff and an error when Meilisearch refuses them', async () => {
		const { db } = database;
		const startup = await buildStartup(db);
		await enqueueSearchSync(db, 'startup', [startup.id]);
		const wrongKey = createSearchClient(meili.url, 'not-the-master-key-at-all');
		const result = await drainOutboxOnce(db, wrongKey);
		expect(result).toEqual({ processed: 0, failed: 1 });
		const [row] = await db
			.select()
			.from(schema.searchOutbox)
			.where(eq(schema.searchOutbox.entityId, startup.id));
		expect(row?.attempts).toBe(1);
		expect(row?.lastError).toBeTruthy();
		expect(row!.availableAt.getTime()).toBeGreaterThan(Date.now());
		// Not due yet: a drain with the right key leaves it for later.
		expect(await drainOutboxOnce(db, client)).toEqual({ processed: 0, failed: 0 });
		await db.update(schema.searchOutbox).set({ availableAt: new Date(0) });
		expect(await drainOutboxOnce(db, client)).toEqual({ processed: 1, failed: 0 });
		expect(await startupIds()).toContain(startup.id);
	});
});

describe('reindex', () => {
	it('rebuilds the index from Postgres and swaps it in, dropping what Postgres no longer has', async () => {
		const { db } = database;
		// A document the database does not know: reindex must not carry it over.
		await client
			.index(INDEXES.startups.uid)
			.addDocuments([{ id: '00000000-0000-0000-0000-000000000000', name_en: 'Ghost' }])
			.waitTask();
		const draft = await buildStartup(db, { status: 'draft' });
		const progress: number[] = [];
		const totals = await reindexAll(db, client, ({ documents }) => progress.push(documents), 2);
		const approved = await db
			.select({ id: schema.startups.id })
			.from(schema.startups)
			.where(eq(schema.startups.status, 'approved'));
		expect(totals.startups).toBe(approved.length);
		expect(await startupIds()).toEqual(approved.map((row) => row.id).sort());
		expect(await startupIds()).not.toContain(draft.id);
		expect(progress.length).toBeGreaterThan(2);
		const indexes = await client.getIndexes({ limit: 100 });
		expect(indexes.results.map((index) => index.uid).sort()).toEqual([
			'demands',
			'material_wants',
			'startups',
			'waste_lots'
		]);
		const settings = await client.index(INDEXES.startups.uid).getFilterableAttributes();
		expect(settings).toContain('certifications');
	});
});
