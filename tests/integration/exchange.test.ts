// The exchange format against a real database: all or nothing, every error with its JSON path, idempotent by
// ref, and an export that imports back unchanged.
import fs from 'node:fs';
import { count, eq, inArray, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { yearInThailand } from '$lib/schemas/calendar-date';
import { m } from '$lib/paraglide/messages';
import * as schema from '$lib/server/db/schema';
import { exportDocument, importDocument, ImportRejected } from '$lib/server/exchange/service';
import { matchStartupsForDemand } from '$lib/server/matching/service';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

let database: TestDatabase;
// The fixture as written (loose: every field reaches the importer untouched), typed down to what the tests change.
const fixture = z.looseObject({
	startups: z.array(z.looseObject({ products: z.array(z.looseObject({})) })),
	demands: z.array(z.looseObject({}))
});
const document = fixture.parse(JSON.parse(fs.readFileSync('tests/fixtures/exchange-small.json', 'utf8')));

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
		broken.startups[0]!.province = 'TH-99';
		broken.startups[1]!.products[0]!.colour = 'white';
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
		unknownProvince.startups[0]!.province = 'TH-99';
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
			demands: { created: 1, updated: 0, unchanged: 0 },
			byproducts: { created: 0, updated: 0, unchanged: 0 },
			material_wants: { created: 0, updated: 0, unchanged: 0 }
		});
		const [coffee] = await db.select().from(schema.startups).where(eq(schema.startups.ref, 's-001'));
		expect(coffee).toMatchObject({ status: 'approved', provinceCode: 'TH-50' });
		expect(coffee!.approvedSnapshot).toMatchObject({ nameEn: 'Phu Fah Coffee' });
		expect(await db.$count(schema.provinceSelections)).toBe(0);
		const outbox = await db.$count(schema.searchOutbox);
		const second = await importDocument(db, document, { actor: 'test' });
		expect(second).toEqual({
			startups: { created: 0, updated: 0, unchanged: 2 },
			demands: { created: 0, updated: 0, unchanged: 1 },
			byproducts: { created: 0, updated: 0, unchanged: 0 },
			material_wants: { created: 0, updated: 0, unchanged: 0 }
		});
		expect(await db.$count(schema.searchOutbox)).toBe(outbox);
		const changed = structuredClone(document);
		changed.startups[0]!.products[0]!.monthly_capacity = 900;
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
			demands: { created: 0, updated: 0, unchanged: 1 },
			byproducts: { created: 0, updated: 0, unchanged: 0 },
			material_wants: { created: 0, updated: 0, unchanged: 0 }
		});
		expect((await exportDocument(db, { province: 'TH-45' })).startups.map((s) => s.ref)).toEqual(['s-002']);
		const [coffeeDemand] = await db.select().from(schema.demands).where(eq(schema.demands.ref, 'd-001'));
		const result = await matchStartupsForDemand(db, null, coffeeDemand!.id, { engine: 'fallback' });
		expect(result.matches.map((m) => m.ref)).toEqual(['s-001']);
	});
});

describe('exchange import of any valid document', () => {
	const product = (i: number) => ({ name_en: `Product ${i}`, unit: 'kg', monthly_capacity: 10 + i });
	const newStartup = (ref: string, products: number, province = 'TH-40') => ({
		ref,
		province,
		name_en: `Startup ${ref}`,
		tsic: ['10'],
		products: Array.from({ length: products }, (_, i) => product(i))
	});
	const documentOf = (startups: unknown[]) => ({ format: 'provincial-matchmaking/v1', startups });
	const productsOf = async (refPrefix: string) =>
		(
			await database.db
				.select({ n: count() })
				.from(schema.products)
				.innerJoin(schema.startups, eq(schema.startups.id, schema.products.startupId))
				.where(like(schema.startups.ref, `${refPrefix}%`))
		)[0]!.n;

	it('imports 8,000 products in new startups (past PostgreSQL’s 65,535 parameters in one statement)', async () => {
		const startups = Array.from({ length: 16 }, (_, i) => newStartup(`wide-${i}`, 500));
		const report = await importDocument(database.db, documentOf(startups), { actor: 'test' });
		expect(report.startups.created).toBe(16);
		expect(await productsOf('wide-')).toBe(8000);
	}, 180_000);

	it('imports 500 startups of 40 products each', async () => {
		const startups = Array.from({ length: 500 }, (_, i) => newStartup(`many-${i}`, 40));
		const report = await importDocument(database.db, documentOf(startups), { actor: 'test' });
		expect(report.startups.created).toBe(500);
		expect(await productsOf('many-')).toBe(20_000);
	}, 180_000);

	it('gives refs that differ only in case or punctuation distinct slugs, in one document and across imports', async () => {
		const refs = ['Case.1', 'case-1', 'CASE_1', 'case_1'];
		const first = await importDocument(database.db, documentOf(refs.map((ref) => newStartup(ref, 1))), {
			actor: 'test'
		});
		expect(first.startups.created).toBe(4);
		// A record whose readable slug is a hashed slug given above, and one more alike stored ones.
		const stored = await database.db
			.select({ ref: schema.startups.ref, slug: schema.startups.slug })
			.from(schema.startups)
			.where(inArray(schema.startups.ref, refs));
		const hashed = stored.find((s) => s.slug !== 's-case-1')!.slug.slice(2);
		expect(hashed).toMatch(/^case-1-[0-9a-f]{8}$/);
		const second = await importDocument(
			database.db,
			documentOf([newStartup('cAse.1', 1), newStartup(hashed, 1)]),
			{ actor: 'test' }
		);
		expect(second.startups.created).toBe(2);
		const slugs = await database.db
			.select({ slug: schema.startups.slug })
			.from(schema.startups)
			.where(inArray(schema.startups.ref, [...refs, 'cAse.1', hashed]));
		expect(slugs).toHaveLength(6);
		expect(new Set(slugs.map((s) => s.slug)).size).toBe(6);
		// The first of the alike refs keeps the readable slug.
		expect(
			(await database.db.select().from(schema.startups).where(eq(schema.startups.ref, 'Case.1')))[0]!.slug
		).toBe('s-case-1');
	});

	it('takes the same new document sent twice at once: one creates, the other finds it all unchanged', async () => {
		const twice = {
			...documentOf(Array.from({ length: 50 }, (_, i) => newStartup(`race-${i}`, 2))),
			demands: [{ ...document.demands[0], ref: 'race-d1', buyer_name: 'Race Buyer' }]
		};
		const reports = await Promise.all([
			importDocument(database.db, twice, { actor: 'test' }),
			importDocument(database.db, twice, { actor: 'test' })
		]);
		expect(reports.map((r) => r.startups.created).sort()).toEqual([0, 50]);
		expect(reports.map((r) => r.demands.unchanged).sort()).toEqual([0, 1]);
		expect(await database.db.$count(schema.organisations, eq(schema.organisations.name, 'Race Buyer'))).toBe(
			1
		);
	});

	it('refuses to move a selected startup to another province with a per-record error, dry run or not', async () => {
		await importDocument(database.db, documentOf([newStartup('chosen-1', 1, 'TH-40')]), { actor: 'test' });
		const [chosen] = await database.db
			.select()
			.from(schema.startups)
			.where(eq(schema.startups.ref, 'chosen-1'));
		await database.db
			.insert(schema.provinceSelections)
			.values({ provinceCode: 'TH-40', year: yearInThailand(), startupId: chosen!.id });
		const moved = documentOf([newStartup('chosen-1', 1, 'TH-50'), newStartup('chosen-2', 1, 'TH-50')]);
		for (const dryRun of [true, false])
			await expect(importDocument(database.db, moved, { actor: 'test', dryRun })).rejects.toMatchObject({
				problems: [
					{
						path: '$.startups[0].province',
						message: m.api_import_selected_cannot_move({}, { locale: 'en' })
					}
				]
			});
		const [after] = await database.db
			.select()
			.from(schema.startups)
			.where(eq(schema.startups.ref, 'chosen-1'));
		expect(after!.provinceCode).toBe('TH-40');
		expect(await database.db.$count(schema.startups, eq(schema.startups.ref, 'chosen-2'))).toBe(0);
	});
});
