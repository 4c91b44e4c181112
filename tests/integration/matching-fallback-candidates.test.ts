// The Postgres fallback reads its candidates' product names first and loads only those about the product, plus at
// most 200 others of the same categories (as Meilisearch's filter-only half): however many others share the
// category, a startup about the product is never cut, even the one read last.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as schema from '$lib/server/db/schema';
import { matchDemandsForStartup, matchStartupsForDemand } from '$lib/server/matching/service';
import { buildDemand, buildProduct, buildStartup } from '../factories';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

let database: TestDatabase;
beforeAll(async () => {
	database = await createTestDatabase();
}, 120_000);
afterAll(async () => {
	await database?.dispose();
});

/** More than the 200 kept of the others. */
const OTHERS = 230;
/** Read last by id. */
const LAST_ID = 'ffffffff-ffff-4fff-bfff-ffffffffffff';

async function foodStartup(values: { id?: string; nameTh: string; nameEn: string }) {
	const { db } = database;
	const row = await buildStartup(db, values.id ? { id: values.id } : {});
	await buildProduct(db, row.id, { nameTh: values.nameTh, nameEn: values.nameEn, unit: 'kg' });
	await db.insert(schema.startupDivisions).values({ startupId: row.id, divisionCode: '10' });
	return row;
}

describe('the fallback’s candidates', () => {
	it('keeps every startup about the product, however many others share its category', async () => {
		for (let i = 0; i < OTHERS; i++) await foodStartup({ nameTh: 'น้ำพริกเผา', nameEn: 'Chilli paste' });
		const roaster = await foodStartup({ id: LAST_ID, nameTh: 'กาแฟคั่วเข้ม', nameEn: 'Dark roasted coffee' });
		const demand = await buildDemand(database.db, {
			titleTh: 'กาแฟคั่ว',
			titleEn: 'Roasted coffee',
			divisionCode: '10',
			quantity: 100,
			unit: 'kg'
		});
		const result = await matchStartupsForDemand(database.db, null, demand.id, {
			limit: 5,
			engine: 'fallback'
		});
		expect(result.engine).toBe('fallback');
		expect(result.matches[0]?.id).toBe(roaster.id);
		expect(result.matches[0]?.reasons.relevance).toBe('product');
		// The others fill the list as related suggestions only.
		expect(result.matches.slice(1).every((m) => m.reasons.relevance !== 'product')).toBe(true);
	});

	it('finds the demands about a startup’s product among many in its category', async () => {
		const { db } = database;
		for (let i = 0; i < 40; i++)
			await buildDemand(db, { titleTh: 'น้ำพริกแกง', titleEn: 'Curry paste', divisionCode: '10', unit: 'kg' });
		const wanted = await buildDemand(db, { titleTh: 'กาแฟคั่ว', divisionCode: '10', quantity: 50, unit: 'kg' });
		const result = await matchDemandsForStartup(db, null, LAST_ID, { limit: 50, engine: 'fallback' });
		const about = result.matches.filter((m) => m.reasons.relevance === 'product').map((m) => m.id);
		// This demand and the first test's, and none of the curry pastes.
		expect(about).toHaveLength(2);
		expect(about).toContain(wanted.id);
	});
});
