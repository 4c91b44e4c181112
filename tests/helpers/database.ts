// A fresh database for one test file, copied from the template that tests/global-setup.ts migrated and seeded
// once (on the embedded PostgreSQL, or on the server TEST_DATABASE_URL names), dropped again when the file is done.
import crypto from 'node:crypto';
import postgres from 'postgres';
import { inject } from 'vitest';
import { openDatabase, type DatabaseHandle } from '$lib/server/db';

export interface TestDatabase extends DatabaseHandle {
	/** Closes the connection and removes the database. */
	dispose(): Promise<void>;
}

/** The URL of a database `name` on the test server. */
export function testDatabaseUrl(name: string): string {
	const url = new URL(inject('testServerUrl'));
	url.pathname = `/${name}`;
	return url.toString();
}

export async function createTestDatabase(): Promise<TestDatabase> {
	const name = `portal_test_${crypto.randomBytes(6).toString('hex')}`;
	const admin = postgres(inject('testServerUrl'), { max: 1, onnotice: () => {} });
	// Two files copying the template at the same instant: PostgreSQL refuses the second while the first reads it.
	for (let attempt = 1; ; attempt++) {
		try {
			await admin.unsafe(`create database ${name} template ${inject('templateDatabase')}`);
			break;
		} catch (error) {
			if ((error as { code?: string }).code !== '55006' || attempt >= 50) throw error;
			await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 200));
		}
	}
	// A test's commits need not wait for the disk (a crash loses the database anyway): on a server shared by
	// parallel files each flush waits behind the others'. Rows are visible to other sessions at commit, as before.
	await admin.unsafe(`alter database ${name} set synchronous_commit = off`);
	const handle = await openDatabase({ url: testDatabaseUrl(name), poolSize: 4, source: 'the test database' });
	return {
		...handle,
		async dispose() {
			await handle.close();
			await admin.unsafe(`drop database if exists ${name} with (force)`);
			await admin.end();
		}
	};
}
