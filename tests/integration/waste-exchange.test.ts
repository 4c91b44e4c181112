// By-product lots and material wants in the exchange format (issue 23) on a real database: checked against the
// waste list with JSON paths, imported all or nothing and idempotently by ref, never rewriting what another agency
// or an account owns, sent to the office's review as a member's lot is, and exported so that they import back
// unchanged.
import fs from 'node:fs';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import * as schema from '$lib/server/db/schema';
import { exportDocument, importDocument, ImportRejected, type Importer } from '$lib/server/exchange/service';
import { buildOrganisation } from '../factories';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

let database: TestDatabase;
// The fixture as written (loose: every field reaches the importer untouched), typed down to what the tests change.
const fixture = z
	.looseObject({ byproducts: z.array(z.looseObject({})), material_wants: z.array(z.looseObject({})) })
	.parse(JSON.parse(fs.readFileSync('tests/fixtures/exchange-waste.json', 'utf8')));
const agency = (agencyId: string, publish = false): Importer => ({
	kind: 'agency',
	agencyId,
	tokenId: crypto.randomUUID(),
	publish
});

beforeAll(async () => {
	database = await createTestDatabase();
});
afterAll(async () => {
	await database?.dispose();
});

const lotByRef = async (ref: string) =>
	(await database.db.select().from(schema.wasteLots).where(eq(schema.wasteLots.ref, ref)))[0];
const wantByRef = async (ref: string) =>
	(await database.db.select().from(schema.materialWants).where(eq(schema.materialWants.ref, ref)))[0];

async function rejection(document: unknown, importer?: Importer): Promise<ImportRejected> {
	try {
		await importDocument(database.db, document, { actor: 'test', importer });
	} catch (error) {
		if (error instanceof ImportRejected) return error;
		throw error;
	}
	throw new Error('the document was imported');
}

describe('by-products and wants in the exchange format', () => {
	it('refuses unknown and malformed waste codes and licence classes with their paths, and writes nothing', async () => {
		const broken = structuredClone(fixture);
		broken.byproducts[0]!.waste_code = '029999';
		broken.byproducts[1]!.waste_code = '0201';
		broken.material_wants[0]!.waste_codes = ['020304', '999999'];
		broken.material_wants[0]!.licence_class = '999';
		const shape = await rejection(broken);
		expect(shape.problems.map((p) => p.path)).toEqual(['$.byproducts[1].waste_code']);
		broken.byproducts[1]!.waste_code = '020103';
		const listed = await rejection(broken);
		expect(listed.problems.map((p) => p.path).sort()).toEqual([
			'$.byproducts[0].waste_code',
			'$.material_wants[0].licence_class',
			'$.material_wants[0].waste_codes[1]'
		]);
		expect(listed.problems[0]!.message).toContain('029999');
		expect(await lotByRef('bp-001')).toBeUndefined();
		expect(await wantByRef('mw-001')).toBeUndefined();
	});

	it('imports as the operator (published), changes nothing the second time, and exports what imports back unchanged', async () => {
		const first = await importDocument(database.db, fixture, { actor: 'cli' });
		expect(first.byproducts).toEqual({ created: 2, updated: 0, unchanged: 0 });
		expect(first.material_wants).toEqual({ created: 1, updated: 0, unchanged: 0 });
		const lot = (await lotByRef('bp-001'))!;
		expect(lot).toMatchObject({ status: 'approved', hazardous: false, priceThb: -150, availableNow: true });
		expect((await wantByRef('mw-001'))!).toMatchObject({ status: 'open', wasteCodes: ['020103', '020304'] });
		const outbox = await database.db
			.select()
			.from(schema.searchOutbox)
			.where(eq(schema.searchOutbox.entityId, lot.id));
		expect(outbox.length).toBeGreaterThan(0);

		const again = await importDocument(database.db, fixture, { actor: 'cli' });
		expect(again.byproducts).toEqual({ created: 0, updated: 0, unchanged: 2 });
		expect(again.material_wants).toEqual({ created: 0, updated: 0, unchanged: 1 });

		const exported = await exportDocument(database.db);
		const refs = exported.byproducts.map((b) => b.ref);
		expect(refs).toEqual(expect.arrayContaining(['bp-001', 'bp-002']));
		expect(exported.byproducts.find((b) => b.ref === 'bp-001')).toMatchObject({
			organisation_name: 'โรงงานผลไม้กระป๋องราชบุรี',
			waste_code: '020304',
			price_thb: -150
		});
		const back = await importDocument(database.db, exported, { actor: 'cli' });
		expect(back.byproducts.unchanged).toBe(exported.byproducts.length);
		expect(back.material_wants.unchanged).toBe(exported.material_wants.length);
		expect((await exportDocument(database.db, { province: 'TH-72' })).byproducts.map((b) => b.ref)).toEqual([
			'bp-002'
		]);
	});

	it("never lets an agency rewrite the operator's, another agency's or an account's records", async () => {
		const operatorLot = { ...fixture.byproducts[0], quantity_per_month: 1 };
		const refused = await rejection(
			{ format: 'provincial-matchmaking/v1', byproducts: [operatorLot] },
			agency('sme-d-bank')
		);
		expect(refused.problems.map((p) => p.path)).toEqual(['$.byproducts[0].ref']);

		const own = { ...fixture.byproducts[0], ref: 'sme-bp-1', organisation_name: 'SME fruit cannery' };
		const created = await importDocument(
			database.db,
			{ format: 'provincial-matchmaking/v1', byproducts: [own] },
			{ actor: 'api', importer: agency('sme-d-bank') }
		);
		expect(created.byproducts.created).toBe(1);
		// An agency's lot waits for the office, as a member's does.
		expect((await lotByRef('sme-bp-1'))!.status).toBe('submitted');
		const organisation = (
			await database.db
				.select()
				.from(schema.organisations)
				.where(eq(schema.organisations.id, (await lotByRef('sme-bp-1'))!.organisationId))
		)[0]!;
		expect(organisation.agencyId).toBe('sme-d-bank');

		const stolen = await rejection(
			{ format: 'provincial-matchmaking/v1', byproducts: [{ ...own, quantity_per_month: 2 }] },
			agency('ieat')
		);
		expect(stolen.problems.map((p) => p.path)).toEqual(['$.byproducts[0].ref']);
		// Nor may even the operator move a record to another organisation by renaming it.
		const moved = await rejection({
			format: 'provincial-matchmaking/v1',
			byproducts: [{ ...own, organisation_name: 'Someone else' }]
		});
		expect(moved.problems.map((p) => p.path)).toEqual(['$.byproducts[0].organisation_name']);
		expect((await lotByRef('sme-bp-1'))!.quantityPerMonth).toBe(20);
	});

	it("keeps a lot in its organisation's province", async () => {
		await buildOrganisation(database.db, {
			kind: 'buyer',
			name: 'Ratchaburi cannery',
			provinceCode: 'TH-70'
		});
		const elsewhere = await rejection({
			format: 'provincial-matchmaking/v1',
			byproducts: [
				{
					...fixture.byproducts[0],
					ref: 'op-bp-9',
					organisation_name: 'Ratchaburi cannery',
					province: 'TH-10'
				}
			]
		});
		expect(elsewhere.problems.map((p) => p.path)).toEqual(['$.byproducts[0].province']);
		expect(elsewhere.problems[0]!.message).toContain('TH-70');
	});

	it('sends an approved lot back to review when what the office reviewed changes, not when the quantity does', async () => {
		const own = { ...fixture.byproducts[0], ref: 'sme-bp-2', organisation_name: 'SME fruit cannery' };
		await importDocument(
			database.db,
			{ format: 'provincial-matchmaking/v1', byproducts: [own] },
			{ actor: 'api', importer: agency('sme-d-bank') }
		);
		await database.db
			.update(schema.wasteLots)
			.set({ status: 'approved', approvedAt: new Date() })
			.where(eq(schema.wasteLots.ref, 'sme-bp-2'));
		const more = await importDocument(
			database.db,
			{ format: 'provincial-matchmaking/v1', byproducts: [{ ...own, quantity_per_month: 25 }] },
			{ actor: 'api', importer: agency('sme-d-bank') }
		);
		expect(more.byproducts.updated).toBe(1);
		expect((await lotByRef('sme-bp-2'))!).toMatchObject({ status: 'approved', quantityPerMonth: 25 });
		await importDocument(
			database.db,
			{
				format: 'provincial-matchmaking/v1',
				byproducts: [{ ...own, quantity_per_month: 25, waste_code: '020103' }]
			},
			{ actor: 'api', importer: agency('sme-d-bank') }
		);
		expect((await lotByRef('sme-bp-2'))!).toMatchObject({ status: 'submitted', wasteCode: '020103' });
		const audit = await database.db
			.select({ action: schema.auditEvents.action })
			.from(schema.auditEvents)
			.where(eq(schema.auditEvents.subjectId, (await lotByRef('sme-bp-2'))!.id));
		expect(audit.map((a) => a.action).sort()).toEqual([
			'waste_lot.import_create',
			'waste_lot.import_update',
			'waste_lot.import_update'
		]);
	});

	it("refuses an agency's change to a closed want; a dry run stores nothing", async () => {
		const want = { ...fixture.material_wants[0], ref: 'sme-mw-1', organisation_name: 'SME compost' };
		const dry = await importDocument(
			database.db,
			{ format: 'provincial-matchmaking/v1', material_wants: [want] },
			{ actor: 'api', importer: agency('sme-d-bank'), dryRun: true }
		);
		expect(dry.material_wants.created).toBe(1);
		expect(await wantByRef('sme-mw-1')).toBeUndefined();
		await importDocument(
			database.db,
			{ format: 'provincial-matchmaking/v1', material_wants: [want] },
			{ actor: 'api', importer: agency('sme-d-bank') }
		);
		await database.db
			.update(schema.materialWants)
			.set({ status: 'closed' })
			.where(eq(schema.materialWants.ref, 'sme-mw-1'));
		const closed = await rejection(
			{ format: 'provincial-matchmaking/v1', material_wants: [{ ...want, max_distance_km: 300 }] },
			agency('sme-d-bank')
		);
		expect(closed.problems.map((p) => p.path)).toEqual(['$.material_wants[0].ref']);
		expect((await wantByRef('sme-mw-1'))!.maxDistanceKm).toBe(150);
	});
});
