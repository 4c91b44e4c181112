// Backup and restore on the portal's own PostgreSQL in a scratch DATA_DIR: a backup taken while the portal writes
// restores to exactly what it held at one instant, the replaced database is kept aside, every refusal leaves the
// data as it was, backups made by the PGlite versions still restore, and a PGlite DATA_DIR is carried over once.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { asc, count, eq, like, sql } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { packArchive, unpackArchive } from '$lib/server/backup/archive';
import { backupDatabase, restoreDatabase } from '$lib/server/backup/service';
import { migrationsFolder, schema, type Db } from '$lib/server/db';
import { EmbeddedPostgres } from '$lib/server/db/embedded';
import { parseEnv, type Env } from '$lib/server/env';
import { seedReferenceData } from '$lib/server/reference/seed';
import { connectDatabase, startRuntime } from '$lib/server/runtime';
import { storeImage, storePdf } from '$lib/server/uploads/images';
import { INDEXES } from '$lib/server/search/indexes';
import { REINDEX_REQUEST } from '$lib/server/search/reindex';
import { buildDemand, buildProduct, buildStartup } from '../factories';
import { runCli } from '../helpers/cli';
import { createTestDatabase } from '../helpers/database';
import { dataDirWithCluster } from '../helpers/data-dir';
import { freePort, tempDir } from '../helpers/meili';

const journal = JSON.parse(fs.readFileSync('drizzle/meta/_journal.json', 'utf8')) as {
	entries: { tag: string }[];
};

/** A DATA_DIR with its cluster made (a copy), or with nothing in it for the PGlite carry-over. */
async function scratch(prefix: string, { cluster = true } = {}) {
	const dataDir = cluster ? dataDirWithCluster(prefix) : tempDir(prefix);
	return { dataDir, env: parseEnv({ DATA_DIR: dataDir, MEILI_PORT: String(await freePort()) }) };
}

/** The portal's database in DATA_DIR (the server started for the body, as a CLI command does), then closed. */
async function withDb<T>(env: Env, body: (db: Db) => Promise<T>, fresh = false): Promise<T> {
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
async function withOtherDb<T>(env: Env, name: string, body: (db: Db) => Promise<T>): Promise<T> {
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

const rowCount = async (
	db: Db,
	table: typeof schema.startups | typeof schema.demands | typeof schema.products
) => (await db.select({ n: count() }).from(table))[0]!.n;

const contents = (dir: string) => fs.readdirSync(dir).sort();

/** A PGlite database as the earlier versions made it: migrated up to `migrations`, with two approved startups. */
async function pgliteDatabase(dir: string, migrations = journal.entries.length) {
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

describe('backup and restore', () => {
	it('restores exactly what was backed up, keeps the replaced database aside, and rebuilds the index', async () => {
		const { dataDir, env } = await scratch('backup-round-trip');
		const before = await withDb(
			env,
			async (db) => {
				const coffee = await buildStartup(db, { nameEn: 'Doi Coffee' });
				await buildProduct(db, coffee.id);
				await buildStartup(db, { nameEn: 'Rice Mill' });
				await buildStartup(db, { status: 'draft' });
				await buildDemand(db, { titleTh: 'กาแฟคั่ว' }, ['thai-fda']);
				await buildDemand(db);
				return {
					startups: await db.select().from(schema.startups).orderBy(asc(schema.startups.id)),
					demands: await db.select().from(schema.demands).orderBy(asc(schema.demands.id)),
					coffee
				};
			},
			true
		);

		// Uploads: a logo (re-encoded, named by its hash) and a PDF attachment.
		const png = await sharp({
			create: { width: 8, height: 8, channels: 3, background: { r: 200, g: 30, b: 30 } }
		})
			.png()
			.toBuffer();
		const logo = await storeImage(dataDir, 'logos', new File([png], 'logo.png'), 'logo');
		const pdf = await storePdf(dataDir, new File(['%PDF-1.4 price list'], 'prices.pdf'), 'file');
		const upload = (relative: string) => path.join(dataDir, 'uploads', relative);
		const logoBytes = fs.readFileSync(upload(logo));
		const pdfBytes = fs.readFileSync(upload(pdf));

		const backup = await backupDatabase(env);
		expect(backup.damagedUploads).toEqual([]);
		expect(backup.manifest.uploads).toEqual({ files: 2, bytes: logoBytes.length + pdfBytes.length });
		expect(path.dirname(backup.file)).toBe(path.join(dataDir, 'backups'));
		expect(path.basename(backup.file)).toMatch(/^portal-\d{8}-\d{6}\.tar\.gz$/);
		expect(contents(path.join(dataDir, 'backups'))).toEqual([path.basename(backup.file)]);
		const file = fs.readFileSync(backup.file);
		expect(crypto.createHash('sha256').update(file).digest('hex')).toBe(backup.sha256);
		expect(backup.manifest).toMatchObject({
			formatVersion: 2,
			database: { engine: 'postgresql', server: expect.stringMatching(/^1[5-9]/) },
			migrations: { count: journal.entries.length, last: journal.entries.at(-1)!.tag },
			rows: { provinces: 77, startups: 3, products: 1, demands: 2, demand_certifications: 1 }
		});

		// The portal goes on: a startup is deleted, a demand edited, another startup added.
		await withDb(env, async (db) => {
			await db.delete(schema.startups).where(eq(schema.startups.id, before.coffee.id));
			await db.update(schema.demands).set({ titleTh: 'แก้ไขแล้ว' });
			await buildStartup(db, { nameEn: 'Added after the backup' });
		});
		// The PDF is lost from the disk; a new attachment arrives.
		fs.rmSync(upload(pdf));
		const later = await storePdf(dataDir, new File(['%PDF-1.4 added later'], 'later.pdf'), 'file');

		// A restore interrupted earlier left its half-loaded copy on the server.
		await withOtherDb(env, 'postgres', (db) =>
			db.execute(sql`create database portal_restoring_19990101_000000`)
		);

		const restored = await restoreDatabase(env, { from: backup.file, force: true });
		expect(restored.migrationsApplied).toBe(0);
		const databases = await withOtherDb(env, 'postgres', (db) =>
			db.execute<{ name: string }>(sql`select datname as name from pg_database order by datname`)
		);
		expect(databases.map((row) => row.name).filter((name) => name.startsWith('portal'))).toEqual([
			'portal',
			restored.keptAside
		]);
		expect(restored.uploads).toEqual({ written: 1, present: 1 });
		expect(fs.readFileSync(upload(pdf))).toEqual(pdfBytes);
		expect(fs.readFileSync(upload(logo))).toEqual(logoBytes);
		// An upload the backup does not know is left where it is.
		expect(fs.existsSync(upload(later))).toBe(true);
		expect(restored.search).toEqual({
			reindexed: { startups: 2, demands: 2, waste_lots: 0, material_wants: 0 }
		});
		expect(restored.keptAside).toMatch(/^portal_before_restore_\d{8}_\d{6}$/);

		await withDb(env, async (db) => {
			expect(await db.select().from(schema.startups).orderBy(asc(schema.startups.id))).toEqual(
				before.startups
			);
			expect(await db.select().from(schema.demands).orderBy(asc(schema.demands.id))).toEqual(before.demands);
			expect(await rowCount(db, schema.products)).toBe(1);
			// The complete reindex answered the restore's request.
			expect(
				await db.select().from(schema.jobState).where(eq(schema.jobState.name, REINDEX_REQUEST))
			).toEqual([]);
		});
		// The replaced database is intact beside it.
		await withOtherDb(env, restored.keptAside!, async (db) => {
			expect(await rowCount(db, schema.startups)).toBe(3);
			const names = (await db.select({ name: schema.startups.nameEn }).from(schema.startups)).map(
				(s) => s.name
			);
			expect(names).toContain('Added after the backup');
			expect(names).not.toContain('Doi Coffee');
		});
		// The index was rebuilt from the restored rows: the deleted startup is findable again.
		const runtime = await startRuntime(env, {
			migrate: false,
			seed: false,
			outboxWorker: false,
			emailWorker: false,
			scheduler: false,
			log: () => {}
		});
		try {
			const index = runtime.search.client.index(INDEXES.startups.uid);
			expect((await index.getStats()).numberOfDocuments).toBe(2);
			expect((await index.getDocument(before.coffee.id)).name_en).toBe('Doi Coffee');
		} finally {
			await runtime.stop();
		}
	}, 240_000);

	it('copies one instant of a database being written, which restores whole and checks out', async () => {
		const { env } = await scratch('backup-under-load');
		const target = await scratch('backup-under-load-restored');
		// The portal serving writes: each transaction adds a startup and its product, so a copy taken between two
		// statements of one would show a startup without its product (or the reverse).
		const runtime = await startRuntime(env, {
			owner: 'portal',
			outboxWorker: false,
			emailWorker: false,
			scheduler: false,
			log: () => {}
		});
		let writes = 0;
		let writing = true;
		const writer = (async () => {
			while (writing) {
				await runtime.db.transaction(async (tx) => {
					const startup = await buildStartup(tx, { nameEn: `Load ${writes}` });
					await sleep(5);
					await buildProduct(tx, startup.id);
				});
				writes++;
			}
		})();
		try {
			await sleep(500);
			// As an operator would: the CLI, sharing the running portal's database.
			const backedUp = runCli(['backup', '--json'], {
				DATA_DIR: env.dataDir,
				MEILI_PORT: String(env.MEILI_PORT)
			});
			expect(backedUp.code, backedUp.stderr).toBe(0);
			const report = JSON.parse(backedUp.stdout) as Awaited<ReturnType<typeof backupDatabase>>;
			const writesAfter = writes;
			await sleep(300);
			writing = false;
			await writer;
			expect(writes).toBeGreaterThan(writesAfter);
			const copied = report.manifest.rows;
			expect(copied.startups).toBeGreaterThan(0);
			expect(copied.products).toBe(copied.startups);
			expect(await rowCount(runtime.db, schema.startups)).toBeGreaterThan(copied.startups!);

			const restored = await restoreDatabase(target.env, { from: report.file });
			expect(restored.keptAside).toBeUndefined();
			await withDb(target.env, async (db) => {
				expect(await rowCount(db, schema.startups)).toBe(copied.startups);
				expect(await rowCount(db, schema.products)).toBe(copied.products);
				const orphans = await db.execute(
					sql`select count(*)::int as n from startups s where not exists (select 1 from products p where p.startup_id = s.id)`
				);
				expect(orphans[0]).toEqual({ n: 0 });
			});
		} finally {
			writing = false;
			await writer.catch(() => {});
			await runtime.stop();
		}
	}, 240_000);

	it('refuses to overwrite without --force, a damaged file, and a restore under the running portal', async () => {
		const { dataDir, env } = await scratch('backup-refusals');
		await withDb(env, (db) => buildStartup(db), true);
		const pdf = await storePdf(dataDir, new File(['%PDF-1.4 certificate'], 'cert.pdf'), 'file');
		const backup = await backupDatabase(env, { out: path.join(dataDir, 'elsewhere', 'copy.tar.gz') });
		expect(fs.existsSync(backup.file)).toBe(true);
		await expect(backupDatabase(env, { out: backup.file })).rejects.toThrow(/already exists/);

		await expect(restoreDatabase(env, { from: backup.file })).rejects.toThrow(
			/already holds the portal's database; add --force/
		);

		// A flipped byte inside the compressed stream: not even a readable archive.
		const damaged = path.join(dataDir, 'elsewhere', 'damaged.tar.gz');
		const bytes = fs.readFileSync(backup.file);
		bytes[Math.floor(bytes.length / 2)]! ^= 0xff;
		fs.writeFileSync(damaged, bytes);
		await expect(restoreDatabase(env, { from: damaged, force: true })).rejects.toThrow(
			/is damaged or not a portal backup: not a readable .tar.gz/
		);

		// A well-formed archive whose table is not the one the manifest describes.
		const files = unpackArchive(fs.readFileSync(backup.file));
		const entries = [...files].map(([name, data]) => ({ name, data }));
		const tamperedTable = Buffer.from(files.get('database/startups.copy')!);
		tamperedTable[0] = tamperedTable[0] === 0x61 ? 0x62 : 0x61;
		const tampered = path.join(dataDir, 'elsewhere', 'tampered.tar.gz');
		fs.writeFileSync(
			tampered,
			packArchive(
				entries.map((entry) =>
					entry.name === 'database/startups.copy' ? { ...entry, data: tamperedTable } : entry
				)
			)
		);
		await expect(restoreDatabase(env, { from: tampered, force: true })).rejects.toThrow(
			/is damaged: the table startups does not match the manifest's checksum/
		);
		// An upload whose bytes are not the ones its name promises, and an archive missing its upload.
		const withoutUploads = entries.filter((entry) => !entry.name.startsWith('uploads/'));
		const swapped = path.join(dataDir, 'elsewhere', 'swapped.tar.gz');
		fs.writeFileSync(
			swapped,
			packArchive([...withoutUploads, { name: `uploads/${pdf}`, data: Buffer.from('%PDF-1.4 forged') }])
		);
		await expect(restoreDatabase(env, { from: swapped, force: true })).rejects.toThrow(
			new RegExp(`is damaged: the upload ${pdf} does not match its name's checksum`)
		);
		const short = path.join(dataDir, 'elsewhere', 'short.tar.gz');
		fs.writeFileSync(short, packArchive(withoutUploads));
		await expect(restoreDatabase(env, { from: short, force: true })).rejects.toThrow(
			/holds 0 uploads where its manifest lists 1/
		);
		await expect(restoreDatabase(env, { from: path.join(dataDir, 'missing.tar.gz') })).rejects.toThrow(
			/no such file/
		);

		// The portal runs (its state file names a live process as its owner): a backup shares its database, a
		// restore refuses and names it.
		const server = new EmbeddedPostgres({ dataDir, owner: 'portal', log: () => {} });
		await server.start();
		const stateFile = path.join(dataDir, 'postgres.json');
		const state = JSON.parse(fs.readFileSync(stateFile, 'utf8'));
		const portal = spawn('sleep', ['60']);
		try {
			fs.writeFileSync(stateFile, JSON.stringify({ ...state, owner: portal.pid }));
			const online = await backupDatabase(env, { out: path.join(dataDir, 'elsewhere', 'online.tar.gz') });
			expect(online.manifest.rows.startups).toBe(1);
			await expect(restoreDatabase(env, { from: backup.file, force: true })).rejects.toThrow(
				new RegExp(
					`The portal \\(process ${portal.pid}\\) is running on DATA_DIR .*: stop it first\\. Then restore\\.`
				)
			);
		} finally {
			portal.kill();
			fs.writeFileSync(stateFile, JSON.stringify(state));
			await server.stop();
		}
		await withDb(env, async (db) => expect(await rowCount(db, schema.startups)).toBe(1));
	}, 240_000);

	it('restores a backup made by a PGlite version, brings it up to date, and the portal reindexes at start', async () => {
		const { dataDir, env } = await scratch('backup-older');
		// A database made by the previous version: every migration but the last, in PGlite, backed up its way.
		const { client, startupIds } = await pgliteDatabase(
			path.join(tempDir('backup-older-source'), 'pglite'),
			journal.entries.length - 1
		);
		await client.exec('checkpoint');
		const tarball = new Uint8Array(await (await client.dumpDataDir('none')).arrayBuffer());
		const rows: Record<string, number> = {};
		for (const { name } of (
			await client.query<{ name: string }>(
				`select tablename as name from pg_tables where schemaname = 'public'`
			)
		).rows) {
			rows[name] = (await client.query<{ n: number }>(`select count(*)::int as n from "${name}"`)).rows[0]!.n;
		}
		await client.close();
		const manifest = {
			format: 'talad-nam-kan-phalit/backup',
			formatVersion: 1,
			createdAt: new Date().toISOString(),
			database: {
				engine: 'pglite',
				postgres: '17',
				file: 'pglite.tar',
				bytes: tarball.length,
				sha256: crypto.createHash('sha256').update(tarball).digest('hex')
			},
			migrations: { count: journal.entries.length - 1, last: journal.entries.at(-2)!.tag },
			uploads: { files: 0, bytes: 0 },
			rows
		};
		const older = path.join(dataDir, 'older.tar.gz');
		fs.writeFileSync(
			older,
			packArchive([
				{ name: 'manifest.json', data: Buffer.from(JSON.stringify(manifest)) },
				{ name: 'pglite.tar', data: tarball }
			])
		);

		// No database in DATA_DIR yet: no --force needed. Meilisearch is configured but not running.
		const searchDown = parseEnv({
			DATA_DIR: dataDir,
			MEILI_URL: `http://127.0.0.1:${await freePort()}`,
			MEILI_MASTER_KEY: 'a-master-key-of-16-bytes'
		});
		const restored = await restoreDatabase(searchDown, { from: older });
		expect(restored.keptAside).toBeUndefined();
		expect(restored.migrationsApplied).toBe(1);
		expect(restored.search).toEqual({
			deferred: expect.stringMatching(/not answering; the portal rebuilds it/)
		});
		const request = await withDb(env, async (db) => {
			const applied = await db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
			expect(applied[0]).toEqual({ n: journal.entries.length });
			return db.select().from(schema.jobState).where(eq(schema.jobState.name, REINDEX_REQUEST));
		});
		expect(request).toHaveLength(1);

		// The portal starts with its own Meilisearch and rebuilds the index in the background.
		const log: string[] = [];
		const runtime = await startRuntime(env, {
			emailWorker: false,
			scheduler: false,
			log: (m) => log.push(m)
		});
		try {
			const index = runtime.search.client.index(INDEXES.startups.uid);
			for (let waited = 0; waited < 60_000 && !log.some((m) => m.includes('indexes rebuilt')); waited += 200)
				await sleep(200);
			expect(log.join('\n')).toMatch(
				/indexes rebuilt: \{"startups":2,"demands":0,"waste_lots":0,"material_wants":0\}/
			);
			const documents = await index.getDocuments({ fields: ['id'] });
			expect(documents.results.map((doc) => doc.id).sort()).toEqual(startupIds.sort());
		} finally {
			await runtime.stop();
		}
	}, 240_000);

	it('carries a PGlite DATA_DIR over to PostgreSQL once, with counts checked and the old files kept', async () => {
		const { dataDir, env } = await scratch('carry-over', { cluster: false });
		const { client, startupIds } = await pgliteDatabase(path.join(dataDir, 'pglite'));
		await client.query(
			`insert into search_log (query, locale, result_count, engine) values ('ข้าว', 'th', 0, 'meili')`
		);
		await client.close();
		const log: string[] = [];
		const runtime = await startRuntime(env, {
			outboxWorker: false,
			emailWorker: false,
			scheduler: false,
			log: (m) => log.push(m)
		});
		try {
			const carried = await runtime.db
				.select({ id: schema.startups.id })
				.from(schema.startups)
				.where(like(schema.startups.nameEn, 'Older %'));
			expect(carried.map((row) => row.id).sort()).toEqual(startupIds.sort());
			// The sequence goes on after the carried rows instead of colliding with them.
			const [logged] = await runtime.db
				.insert(schema.searchLog)
				.values({ query: 'กาแฟ', locale: 'th', resultCount: 1, engine: 'meili' })
				.returning({ id: schema.searchLog.id });
			expect(logged!.id).toBe(2);
		} finally {
			await runtime.stop();
		}
		const said = log.join('\n');
		expect(said).toMatch(/carrying over the database of an earlier version/);
		expect(said).toMatch(/\[#{20}\] \d+\/\d+ written and counted/);
		expect(said).toMatch(/carried over \d+ rows in \d+ tables, counts checked/);
		const kept = contents(dataDir).filter((name) => name.startsWith('pglite'));
		expect(kept).toEqual([expect.stringMatching(/^pglite\.carried-over-\d{8}T\d{6}$/)]);
		// Once only: the next start finds nothing to carry over and keeps what the first carried.
		const again: string[] = [];
		const stops: (() => Promise<void>)[] = [];
		try {
			const handle = await connectDatabase(env, 'cli', (m) => again.push(m), stops);
			expect(await rowCount(handle.db, schema.startups)).toBe(2);
		} finally {
			for (const stop of stops.reverse()) await stop();
		}
		expect(again.filter((m) => m.includes('carrying over'))).toEqual([]);
	}, 240_000);

	it('runs as CLI commands with exit codes; backs up a PostgreSQL server, and sends its restore to pg_restore', async () => {
		const dataDir = dataDirWithCluster('backup-cli');
		const env = { DATA_DIR: dataDir, MEILI_PORT: String(await freePort()) };
		expect(runCli(['import', 'tests/fixtures/exchange-small.json', '--json'], env)).toMatchObject({
			code: 0
		});
		const backedUp = runCli(['backup', '--json'], env);
		expect(backedUp.code).toBe(0);
		const backup = JSON.parse(backedUp.stdout);
		expect(backup.manifest.rows).toMatchObject({ startups: 2, demands: 1 });
		expect(fs.existsSync(backup.file)).toBe(true);

		const refused = runCli(['restore', backup.file], env);
		expect(refused.code).toBe(1);
		expect(refused.stderr.trim()).toMatch(/Error: .* already holds the portal's database; add --force/);
		const restored = runCli(['restore', backup.file, '--force', '--json'], env);
		expect(restored.code, restored.stderr).toBe(0);
		expect(JSON.parse(restored.stdout)).toMatchObject({
			migrationsApplied: 0,
			keptAside: expect.stringMatching(/^portal_before_restore_/),
			search: { reindexed: { startups: 2, demands: 1, waste_lots: 0, material_wants: 0 } }
		});

		expect(runCli(['restore'], env)).toMatchObject({
			code: 2,
			stderr: expect.stringContaining('restore needs a FILE')
		});
		const external = await createTestDatabase();
		try {
			const outside = { ...env, DATABASE_URL: external.url };
			const copy = runCli(['backup', '--json', '--out', path.join(dataDir, 'server.tar.gz')], outside);
			expect(copy.code, copy.stderr).toBe(0);
			expect(JSON.parse(copy.stdout).manifest.rows).toMatchObject({ provinces: 77 });
			const server = runCli(['restore', path.join(dataDir, 'server.tar.gz'), '--force'], outside);
			expect(server.code).toBe(1);
			expect(server.stderr.trim().split('\n')).toHaveLength(1);
			expect(server.stderr).toContain('pg_restore');
		} finally {
			await external.dispose();
		}
	}, 240_000);
});
