// The fuzzers' "changed no row" check (tests/helpers/malformed.ts): the checksum it skips while no change note was
// written must still see every committed insert, update, delete and truncate, and nothing rolled back.
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '$lib/server/db';
import { buildStartup } from '../factories';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { changedTables, tableFingerprint } from '../helpers/malformed';

let database: TestDatabase;

beforeAll(async () => {
	database = await createTestDatabase();
});

afterAll(async () => {
	await database?.dispose();
});

describe('table fingerprint', () => {
	it('sees every committed change, whatever the statement, and nothing that was rolled back', async () => {
		const db = database.db;
		let before = await tableFingerprint(db);
		expect(changedTables(before, await tableFingerprint(db))).toEqual([]);

		const startup = await buildStartup(db, { nameEn: 'Fingerprinted' });
		let after = await tableFingerprint(db);
		expect(changedTables(before, after)).toContain('startups');
		before = after;

		await db.update(schema.startups).set({ nameEn: 'Renamed' }).where(eq(schema.startups.id, startup.id));
		after = await tableFingerprint(db);
		expect(changedTables(before, after)).toEqual(['startups']);
		before = after;

		await db
			.transaction(async (tx) => {
				await tx.update(schema.provinces).set({ nameEn: 'Nowhere' });
				throw new Error('rolled back');
			})
			.catch(() => {});
		after = await tableFingerprint(db);
		expect(changedTables(before, after)).toEqual([]);

		// A reference table: the same values written again (no row differs, as the checksum alone says); changed, and
		// changed back in two commits: seen, then equal to the start again.
		const [province] = await db.select().from(schema.provinces).limit(1);
		await db
			.update(schema.provinces)
			.set({ nameEn: province!.nameEn })
			.where(eq(schema.provinces.code, province!.code));
		expect(changedTables(before, await tableFingerprint(db))).toEqual([]);
		await db
			.update(schema.provinces)
			.set({ nameEn: 'Changed' })
			.where(eq(schema.provinces.code, province!.code));
		after = await tableFingerprint(db);
		expect(changedTables(before, after)).toEqual(['provinces']);
		await db
			.update(schema.provinces)
			.set({ nameEn: province!.nameEn })
			.where(eq(schema.provinces.code, province!.code));
		expect(changedTables(before, await tableFingerprint(db))).toEqual([]);

		await db.execute(sql`delete from startup_divisions`);
		await db.delete(schema.startups).where(eq(schema.startups.id, startup.id));
		after = await tableFingerprint(db);
		expect(changedTables(before, after)).toContain('startups');

		await buildStartup(db, { nameEn: 'Truncated' });
		before = await tableFingerprint(db);
		await db.execute(sql`truncate startups cascade`);
		after = await tableFingerprint(db);
		expect(changedTables(before, after)).toContain('startups');
	});
});
