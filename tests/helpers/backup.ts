// What the backup tests share: a scratch DATA_DIR, the portal's database in it for the length of a body, and a
// PGlite database as the earlier versions made it.
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { count } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { migrationsFolder, schema, type Db } from '$lib/server/db';
import { EmbeddedPostgres } from '$lib/server/db/embedded';
import { parseEnv, type Env } from '$lib/server/env';
import { seedReferenceData } from '$lib/server/reference/seed';
import { connectDatabase } from '$lib/server/runtime';
import { dataDirWithCluster } from './data-dir';
import { freePort, tempDir } from './meili';

export const journal = JSON.parse(fs.readFileSync('drizzle/meta/_journal.json', 'utf8')) as {
	entries: { tag: string }[];
};

/** A DATA_DIR with its cluster made (a copy), or with nothing in it for the PGlite carry-over. */
export async function scratch(prefix: string, { cluster = true } = {}) {
	const dataDir = cluster ? dataDirWithCluster(prefix) : tempDir(prefix);
	return { dataDir, env: parseEnv({ DATA_DIR: dataDir, MEILI_PORT: String(await freePort()) }) };
}

/** The portal's database in DATA_DIR (the server started for the body, as a CLI command does), then closed. */
export async function withDb<T>(env: Env, body: (db: Db) => Promise<T>, fresh = false): Promise<T> {
	const stops: (() => Promise<void>)[] = [];
	try {
		const handle = await connectDatabase(env, 'cli', () => {}, stops);
		if (fresh) {
			await handle.migrate();
			await seedReferenceData(handle.db);
		}
		return await body(handle.db);
	} finally {
		for (const stop of stops.reverse()) await stop();
	}
}

/** Another database on DATA_DIR's server (a restore's kept-aside one). */
export async function withOtherDb<T>(env: Env, name: string, body: (db: Db) => Promise<T>): Promise<T> {
	const server = new EmbeddedPostgres({ dataDir: env.dataDir, owner: 'cli', log: () => {} });
	await server.start();
	const client = postgres(server.databaseUrl(name), { max: 1, onnotice: () => {} });
	try {
		return await body(drizzle(client, { schema }));
	} finally {
		await client.end();
		await server.stop();
	}
}

export const rowCount = async (
	db: Db,
	table: typeof schema.startups | typeof schema.demands | typeof schema.products
) => (await db.select({ n: count() }).from(table))[0]!.n;

export const contents = (dir: string) => fs.readdirSync(dir).sort();

/** A PGlite database as the earlier versions made it: migrated up to `migrations`, with two approved startups. */
export async function pgliteDatabase(dir: string, migrations = journal.entries.length) {
	const folder = tempDir('pglite-migrations');
	fs.cpSync(migrationsFolder, folder, { recursive: true });
	fs.writeFileSync(
		path.join(folder, 'meta', '_journal.json'),
		JSON.stringify({ ...journal, entries: journal.entries.slice(0, migrations) })
	);
	const client = await PGlite.create({ dataDir: dir, extensions: { pg_trgm, unaccent } });
	await migratePglite(drizzlePglite(client, { schema }), { migrationsFolder: folder });
	// In SQL: the query builder knows only this version's columns.
	const startups = await client.query<{ id: string }>(`
		with province as (
			insert into provinces (code, dopa_code, slug, name_th, name_en, region, has_industry_office)
			values ('TH-50', '50', 'chiang-mai', 'เชียงใหม่', 'Chiang Mai', 'North', true) returning code
		), organisation as (
			insert into organisations (kind, name, province_code)
			select 'startup', 'Older ' || n, code from province, generate_series(1, 2) as n
			returning id, name, province_code
		)
		insert into startups (organisation_id, province_code, slug, name_th, name_en, status)
		select id, province_code, replace(lower(name), ' ', '-'), name, name, 'approved' from organisation
		returning id`);
	return { client, startupIds: startups.rows.map((row) => row.id) };
}
