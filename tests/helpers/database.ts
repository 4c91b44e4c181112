// A fresh, migrated and seeded database for one test file: PGlite in memory by default, or a new database
// on the PostgreSQL server named by TEST_DATABASE_URL, dropped again when the file is done.
import crypto from 'node:crypto';
import postgres from 'postgres';
import { openDatabase, type DatabaseHandle } from '$lib/server/db';
import { seedReferenceData } from '$lib/server/reference/seed';

export interface TestDatabase extends DatabaseHandle {
	/** Closes the connection and removes the database. */
	dispose(): Promise<void>;
	/** A postgres URL for a second connection (PostgreSQL only), e.g. to race two transactions. */
	url?: string;
}

export async function createTestDatabase(): Promise<TestDatabase> {
	const serverUrl = process.env.TEST_DATABASE_URL;
	if (!serverUrl) {
		const handle = await openDatabase({ driver: 'pglite' });
		await handle.migrate();
		await seedReferenceData(handle.db);
		return { ...handle, dispose: () => handle.close() };
	}
	const name = `portal_test_${crypto.randomBytes(6).toString('hex')}`;
	const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
	await admin.unsafe(`create database ${name}`);
	const url = new URL(serverUrl);
	url.pathname = `/${name}`;
	const handle = await openDatabase({ driver: 'postgres', url: url.toString(), poolSize: 4 });
	await handle.migrate();
	await seedReferenceData(handle.db);
	return {
		...handle,
		url: url.toString(),
		async dispose() {
			await handle.close();
			await admin.unsafe(`drop database if exists ${name} with (force)`);
			await admin.end();
		}
	};
}
