// The exchange format against a real database: all or nothing, every error with its JSON path, idempotent by
// ref, and an export that imports back unchanged.
import fs from 'node:fs';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as schema from '$lib/server/db/schema';
import { exportDocument, importDocument, ImportRejected } from '$lib/server/exchange/service';
import { matchStartupsForDemand } from '$lib/server/matching/service';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

let database: TestDatabase;
const document = JSON.parse(fs.readFileSync('tests/fixtures/exchange-small.json', 'utf8'));

beforeAll(async () => {
	database = await createTestDatabase();
});
afterAll(async () => {
	await database?.dispose();
});

describe('exchange import', () => {
	it('refuses a document with errors, lists each with its path, and writes nothing', async () => {
		const { db } = database;
		const broken = structuredClone(document);
		broken.startups[0].province = 'TH-99';
		broken.startups[1].products[0].colour = 'white';
		broken.demands.push({ ...broken.demands[0] });
		let rejected: ImportRejected | undefined;
		try {
			await importDocument(db, broken, { actor: 'test' });
		} catch (error) {
			rejected = error as ImportRejected;
		}
		expect(rejected).toBeInstanceOf(ImportRejected);
		const paths = rejected!.problems.map((p) => p.path);
		expect(paths).toEqual(expect.arrayContaining(['$.startups[1].products[0]', '$.demands[1].ref']));
		expect(await db.$count(schema.startups)).toBe(0);
		// Reference codes are checked once the shape is right.
		const unknownProvince = structuredClone(document);
		unknownProvince.startups[0].province = 'TH-99';
		await expect(importDocument(db, unknownProvince, { actor: 'test' })).rejects.toMatchObject({
			problems: [{ path: '$.startups[0].province', message: 'unknown province "TH-99"' }]
		});
		expect(await db.$count(schema.demands)).toBe(0);
	});

	it('imports approved candidates and open demands, and a second import changes nothing', async () => {
		const { db } = database;
		const first = await importDocument(db, document, { actor: 'test' });
		expect(first).toEqual({
			startups: { created: 2, updated: 0, unchanged: 0 },
			demands: { created: 1, updated: 0, unchanged: 0 }
		});
		const [coffee] = await db.select().from(schema.startups).where(eq(schema.startups.ref, 's-001'));
		expect(coffee).toMatchObject({ status: 'approved', provinceCode: 'TH-50' });
		expect(coffee!.approvedSnapshot).toMatchObject({ nameEn: 'Phu Fah Coffee' });
		expect(await db.$count(schema.provinceSelections)).toBe(0);
		const outbox = await db.$count(schema.searchOutbox);
		const second = await importDocument(db, document, { actor: 'test' });
		expect(second).toEqual({
			startups: { created: 0, updated: 0, unchanged: 2 },
			demands: { created: 0, updated: 0, unchanged: 1 }
		});
		expect(await db.$count(schema.searchOutbox)).toBe(outbox);
		const changed = structuredClone(document);
		changed.startups[0].products[0].monthly_capacity = 900;
		expect((await importDocument(db, changed, { actor: 'test' })).startups).toEqual({
			created: 0,
			updated: 1,
			unchanged: 1
		});
	});

	it('exports what imports back unchanged, and the imported records match', async () => {
		const { db } = database;
		const exported = await exportDocument(db);
		expect(exported.startups.map((s) => s.ref).sort()).toEqual(['s-001', 's-002']);
		const again = await importDocument(db, exported, { actor: 'test' });
		expect(again).toEqual({
			startups: { created: 0, updated: 0, unchanged: 2 },
			demands: { created: 0, updated: 0, unchanged: 1 }
		});
		expect((await exportDocument(db, { province: 'TH-45' })).startups.map((s) => s.ref)).toEqual(['s-002']);
		const [coffeeDemand] = await db.select().from(schema.demands).where(eq(schema.demands.ref, 'd-001'));
		const result = await matchStartupsForDemand(db, null, coffeeDemand!.id, { engine: 'fallback' });
		expect(result.matches.map((m) => m.ref)).toEqual(['s-001']);
	});
});
