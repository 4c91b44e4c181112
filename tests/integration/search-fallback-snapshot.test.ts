// The Postgres fallback must show what the index shows: an approved startup whose edits wait for re-review is
// found as it was approved — its approved product names, never the pending ones an officer has not yet seen —
// by search and by matching alike.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as schema from '$lib/server/db/schema';
import { matchStartupsForDemand } from '$lib/server/matching/service';
import { createSearchClient } from '$lib/server/search/client';
import { drainOutboxOnce } from '$lib/server/search/outbox';
import { searchPortal, type SearchResult } from '$lib/server/search/query';
import { saveProduct } from '$lib/server/startups/service';
import { productSchema } from '$lib/schemas/startup';
import { startWorld, type RunningWorld } from '../helpers/world';

/** Nothing listens on port 9: every request fails at once, as with Meilisearch stopped. */
const down = createSearchClient('http://127.0.0.1:9', 'x'.repeat(16));
const PENDING_EN = 'Riceberry crackers';
const PENDING_TH = 'ข้าวไรซ์เบอร์รี่อบกรอบ';

let running: RunningWorld;

beforeAll(async () => {
	running = await startWorld({ search: true });
	const { database, world, client } = running;
	// Approved with "Hom Mali rice" (ข้าวหอมมะลิ); renaming the product is a material edit: re-review.
	await saveProduct(
		database.db,
		world.users.startup,
		productSchema.parse({
			nameTh: PENDING_TH,
			nameEn: PENDING_EN,
			unit: 'tonne',
			monthlyCapacity: '5',
			priceThbMin: '',
			priceThbMax: ''
		}),
		world.ids.product
	);
	const [startup] = await database.db
		.select({ status: schema.startups.status })
		.from(schema.startups)
		.where(eq(schema.startups.id, world.ids.startup));
	expect(startup!.status).toBe('submitted');
	while ((await drainOutboxOnce(database.db, client!)).processed > 0);
}, 120_000);
afterAll(async () => {
	await running?.stop();
});

const ids = (result: SearchResult) => result.hits.map((hit) => hit.id);
const productsOf = (result: SearchResult, id: string) =>
	result.hits.find((hit) => hit.id === id)?.products.flatMap((p) => [p.nameTh, p.nameEn]) ?? [];

describe('the fallback reads the approved snapshot', () => {
	for (const type of ['startup', 'product'] as const) {
		it(`finds the approved product name and not the pending one (${type}s), as the index does`, async () => {
			const { database, world, client } = running;
			const mine = world.ids.startup;
			for (const engine of [client!, down]) {
				const approved = await searchPortal(database.db, engine, 'hom mali', { type });
				const pending = await searchPortal(database.db, engine, 'riceberry', { type });
				const pendingThai = await searchPortal(database.db, engine, 'ไรซ์เบอร์รี่', { type });
				expect(approved.engine).toBe(engine === down ? 'fallback' : 'meili');
				expect(ids(approved)).toContain(mine);
				expect(productsOf(approved, mine)).toContain('Hom Mali rice');
				expect(productsOf(approved, mine)).not.toContain(PENDING_EN);
				expect(ids(pending)).not.toContain(mine);
				expect(ids(pendingThai)).not.toContain(mine);
			}
		});
	}

	it('matching on Postgres still offers the startup, with its approved products, as Meilisearch does', async () => {
		const { database, world, client } = running;
		const now = new Date();
		const indexed = await matchStartupsForDemand(database.db, client, world.ids.demand, { now });
		const fallback = await matchStartupsForDemand(database.db, down, world.ids.demand, { now });
		expect(indexed.engine).toBe('meili');
		expect(fallback).toMatchObject({ engine: 'fallback', degraded: true });
		expect(indexed.matches.map((m) => m.id)).toContain(world.ids.startup);
		expect(fallback.matches.map((m) => m.id)).toContain(world.ids.startup);
		const reasons = fallback.matches.find((m) => m.id === world.ids.startup)!.reasons;
		expect(JSON.stringify(reasons)).not.toContain('Riceberry');
	});
});
