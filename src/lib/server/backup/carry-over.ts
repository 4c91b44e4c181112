// A DATA_DIR from a version that ran PGlite is carried over to the portal's PostgreSQL once, at the first start
// (of the portal or of any CLI command): every table copied, row counts checked, and the old files kept beside
// (DATA_DIR/pglite.carried-over-<time>) until the operator deletes them.
import fs from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';
import { DATABASE_NAME, EmbeddedPostgresError, type EmbeddedPostgres } from '../db/embedded';
import { isPgliteDirectory, pgliteSnapshot } from './pglite';
import { holdsData, loadSnapshot } from './snapshot';

export async function carryOverPglite(
	dataDir: string,
	server: EmbeddedPostgres,
	log: (message: string) => void
): Promise<void> {
	const source = path.join(dataDir, 'pglite');
	if (!isPgliteDirectory(source)) return;
	if (await holdsData(server.url))
		throw new EmbeddedPostgresError(
			`DATA_DIR ${dataDir} holds both an earlier version's database (${source}) and data on the new server; ` +
				'move one of them aside.'
		);
	const started = performance.now();
	log(`carrying over the database of an earlier version (${source}) to PostgreSQL…`);
	const bar = (table: string, done: number, total: number) => {
		const width = 20;
		const filled = Math.round((done / Math.max(1, total)) * width);
		log(`[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${table}`);
	};
	const snapshot = await pgliteSnapshot({ dataDir: source }, (table, done, total) =>
		bar(table ? `reading ${table}` : 'read', done, total)
	);
	const staging = `${DATABASE_NAME}_carrying_over`;
	const admin = postgres(server.databaseUrl('postgres'), { max: 1, onnotice: () => {} });
	try {
		await admin.unsafe(`drop database if exists ${staging}`);
		await admin.unsafe(`create database ${staging}`);
		const target = postgres(server.databaseUrl(staging), { max: 1, onnotice: () => {} });
		try {
			await loadSnapshot(target, snapshot, (table, done, total) =>
				bar(table ? `writing ${table}` : 'written and counted', done, total)
			);
		} finally {
			await target.end({ timeout: 5 });
		}
		// The server's own database is empty (checked above): the carried-over one takes its name.
		await admin.unsafe(`drop database if exists ${DATABASE_NAME} with (force)`);
		await admin.unsafe(`alter database ${staging} rename to ${DATABASE_NAME}`);
	} finally {
		await admin.end({ timeout: 5 });
	}
	const keptAt = `${source}.carried-over-${new Date().toISOString().slice(0, 19).replace(/[-:]/g, '')}`;
	fs.renameSync(source, keptAt);
	fs.rmSync(`${source}.lock`, { force: true });
	const rows = snapshot.tables.reduce((sum, table) => sum + table.rows, 0);
	log(
		`carried over ${rows} rows in ${snapshot.tables.length} tables, counts checked, in ${((performance.now() - started) / 1000).toFixed(1)} s; ` +
			`the old files are kept at ${keptAt}: delete them once satisfied`
	);
}
