// Backup and restore of the embedded database on a scratch DATA_DIR: a round trip gives back exactly what was
// backed up, the replaced database is kept, and every refusal leaves the data as it was.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PGlite } from '@electric-sql/pglite';
import sharp from 'sharp';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { asc, count, eq, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { describe, expect, it } from 'vitest';
import { packArchive, unpackArchive } from '$lib/server/backup/archive';
import { backupEmbedded, restoreEmbedded } from '$lib/server/backup/service';
import { migrationsFolder, openDatabase, schema, type Db } from '$lib/server/db';
import { parseEnv } from '$lib/server/env';
import { seedReferenceData } from '$lib/server/reference/seed';
import { startRuntime } from '$lib/server/runtime';
import { storeImage, storePdf } from '$lib/server/uploads/images';
import { INDEXES } from '$lib/server/search/indexes';
import { REINDEX_REQUEST } from '$lib/server/search/reindex';
import { buildDemand, buildProduct, buildStartup } from '../factories';
import { runCli } from '../helpers/cli';
import { freePort, tempDir } from '../helpers/meili';

const journal = JSON.parse(fs.readFileSync('drizzle/meta/_journal.json', 'utf8')) as {
	entries: { tag: string }[];
};

async function scratch(prefix: string) {
	const dataDir = tempDir(prefix);
	return { dataDir, env: parseEnv({ DATA_DIR: dataDir, MEILI_PORT: String(await freePort()) }) };
}

/** Opens the embedded database in `dir` for the body, then closes it; `fresh` migrates and seeds it first. */
async function withDb<T>(dir: string, body: (db: Db) => Promise<T>, fresh = false): Promise<T> {
	const handle = await openDatabase({ driver: 'pglite', dataDir: dir });
	try {
		if (fresh) {
			await handle.migrate();
			await seedReferenceData(handle.db);
		}
		return await body(handle.db);
	} finally {
		await handle.close();
	}
}

const rowCount = async (
	db: Db,
	table: typeof schema.startups | typeof schema.demands | typeof schema.products
) => (await db.select({ n: count() }).from(table))[0]!.n;

const contents = (dir: string) => fs.readdirSync(dir).sort();

describe('backup and restore', () => {
	it('restores exactly what was backed up, keeps the replaced database, and rebuilds the index', async () => {
		const { dataDir, env } = await scratch('backup-round-trip');
		const dbDir = path.join(dataDir, 'pglite');
		const before = await withDb(
			dbDir,
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

		const backup = await backupEmbedded(env);
		expect(backup.damagedUploads).toEqual([]);
		expect(backup.manifest.uploads).toEqual({ files: 2, bytes: logoBytes.length + pdfBytes.length });
		expect(path.dirname(backup.file)).toBe(path.join(dataDir, 'backups'));
		expect(path.basename(backup.file)).toMatch(/^portal-\d{8}-\d{6}\.tar\.gz$/);
		expect(contents(path.join(dataDir, 'backups'))).toEqual([path.basename(backup.file)]);
		const file = fs.readFileSync(backup.file);
		expect(crypto.createHash('sha256').update(file).digest('hex')).toBe(backup.sha256);
		expect(backup.manifest).toMatchObject({
			formatVersion: 1,
			migrations: { count: journal.entries.length, last: journal.entries.at(-1)!.tag },
			rows: { provinces: 77, startups: 3, products: 1, demands: 2, demand_certifications: 1 }
		});

		// The portal goes on: a startup is deleted, a demand edited, another startup added.
		await withDb(dbDir, async (db) => {
			await db.delete(schema.startups).where(eq(schema.startups.id, before.coffee.id));
			await db.update(schema.demands).set({ titleTh: 'แก้ไขแล้ว' });
			await buildStartup(db, { nameEn: 'Added after the backup' });
		});
		// The PDF is lost from the disk; a new attachment arrives.
		fs.rmSync(upload(pdf));
		const later = await storePdf(dataDir, new File(['%PDF-1.4 added later'], 'later.pdf'), 'file');

		const restored = await restoreEmbedded(env, { from: backup.file, force: true });
		expect(restored.migrationsApplied).toBe(0);
		expect(restored.uploads).toEqual({ written: 1, present: 1 });
		expect(fs.readFileSync(upload(pdf))).toEqual(pdfBytes);
		expect(fs.readFileSync(upload(logo))).toEqual(logoBytes);
		// An upload the backup does not know is left where it is.
		expect(fs.existsSync(upload(later))).toBe(true);
		expect(restored.search).toEqual({ reindexed: { startups: 2, demands: 2 } });
		expect(path.basename(restored.keptAside!)).toMatch(/^pglite\.before-restore-\d{8}-\d{6}$/);
		expect(contents(dataDir).filter((name) => name.startsWith('pglite.'))).toEqual([
			path.basename(restored.keptAside!)
		]);

		await withDb(dbDir, async (db) => {
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
		await withDb(restored.keptAside!, async (db) => {
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

	it('refuses to overwrite without --force, a damaged file, and a database held by a live process', async () => {
		const { dataDir, env } = await scratch('backup-refusals');
		const dbDir = path.join(dataDir, 'pglite');
		await withDb(dbDir, (db) => buildStartup(db), true);
		const pdf = await storePdf(dataDir, new File(['%PDF-1.4 certificate'], 'cert.pdf'), 'file');
		const backup = await backupEmbedded(env, { out: path.join(dataDir, 'elsewhere', 'copy.tar.gz') });
		expect(fs.existsSync(backup.file)).toBe(true);
		await expect(backupEmbedded(env, { out: backup.file })).rejects.toThrow(/already exists/);
		const untouched = contents(dataDir);

		await expect(restoreEmbedded(env, { from: backup.file })).rejects.toThrow(
			/already holds a database; add --force/
		);

		// A flipped byte inside the compressed stream: not even a readable archive.
		const damaged = path.join(dataDir, 'elsewhere', 'damaged.tar.gz');
		const bytes = fs.readFileSync(backup.file);
		bytes[Math.floor(bytes.length / 2)]! ^= 0xff;
		fs.writeFileSync(damaged, bytes);
		await expect(restoreEmbedded(env, { from: damaged, force: true })).rejects.toThrow(
			/is damaged or not a portal backup: not a readable .tar.gz/
		);

		// A well-formed archive whose database is not the one the manifest describes.
		const files = unpackArchive(fs.readFileSync(backup.file));
		const database = Buffer.from(files.get('pglite.tar')!);
		database[database.length - 1024] = 1;
		const tampered = path.join(dataDir, 'elsewhere', 'tampered.tar.gz');
		fs.writeFileSync(
			tampered,
			packArchive([
				{ name: 'manifest.json', data: files.get('manifest.json')! },
				{ name: 'pglite.tar', data: database }
			])
		);
		await expect(restoreEmbedded(env, { from: tampered, force: true })).rejects.toThrow(
			/is damaged: the database does not match the manifest's checksum/
		);
		// An upload whose bytes are not the ones its name promises, and an archive missing its upload.
		const original = [
			{ name: 'manifest.json', data: files.get('manifest.json')! },
			{ name: 'pglite.tar', data: files.get('pglite.tar')! }
		];
		const swapped = path.join(dataDir, 'elsewhere', 'swapped.tar.gz');
		fs.writeFileSync(
			swapped,
			packArchive([...original, { name: `uploads/${pdf}`, data: Buffer.from('%PDF-1.4 forged') }])
		);
		await expect(restoreEmbedded(env, { from: swapped, force: true })).rejects.toThrow(
			new RegExp(`is damaged: the upload ${pdf} does not match its name's checksum`)
		);
		const short = path.join(dataDir, 'elsewhere', 'short.tar.gz');
		fs.writeFileSync(short, packArchive(original));
		await expect(restoreEmbedded(env, { from: short, force: true })).rejects.toThrow(
			/holds 0 uploads where its manifest lists 1/
		);
		await expect(restoreEmbedded(env, { from: path.join(dataDir, 'missing.tar.gz') })).rejects.toThrow(
			/no such file/
		);

		// The portal's pid file names a live process: both refuse, naming it.
		const portal = spawn('sleep', ['60']);
		const exited = once(portal, 'exit');
		try {
			fs.writeFileSync(path.join(dataDir, 'pglite.lock'), String(portal.pid));
			await expect(backupEmbedded(env)).rejects.toThrow(
				new RegExp(`in use by process ${portal.pid} \\(is the portal running\\?\\): stop it, then back it up`)
			);
			await expect(restoreEmbedded(env, { from: backup.file, force: true })).rejects.toThrow(
				new RegExp(`in use by process ${portal.pid}`)
			);
		} finally {
			portal.kill();
			fs.rmSync(path.join(dataDir, 'pglite.lock'));
		}
		expect(contents(dataDir)).toEqual(untouched);
		await withDb(dbDir, async (db) => expect(await rowCount(db, schema.startups)).toBe(1));

		// Once that process is gone, its pid file is stale and a backup goes ahead.
		await exited;
		fs.writeFileSync(path.join(dataDir, 'pglite.lock'), String(portal.pid));
		const after = await backupEmbedded(env, { out: path.join(dataDir, 'elsewhere', 'after.tar.gz') });
		expect(after.manifest.rows.startups).toBe(1);
	}, 240_000);

	it('brings an older backup up to date, and the portal rebuilds the index when search was down', async () => {
		const { dataDir, env } = await scratch('backup-older');
		// A database made by the previous version: every migration but the last.
		const older = path.join(tempDir('backup-older-source'), 'pglite');
		const previousMigrations = tempDir('backup-older-migrations');
		fs.cpSync(migrationsFolder, previousMigrations, { recursive: true });
		fs.writeFileSync(
			path.join(previousMigrations, 'meta', '_journal.json'),
			JSON.stringify({ ...journal, entries: journal.entries.slice(0, -1) })
		);
		const client = await PGlite.create({ dataDir: older, extensions: { pg_trgm, unaccent } });
		await migrate(drizzle(client, { schema }), { migrationsFolder: previousMigrations });
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
		await client.close();
		const startupIds = startups.rows.map((row) => row.id);
		const backup = await backupEmbedded(parseEnv({ DATA_DIR: path.dirname(older) }), {
			out: path.join(dataDir, 'older.tar.gz')
		});
		expect(backup.manifest.migrations).toEqual({
			count: journal.entries.length - 1,
			last: journal.entries.at(-2)!.tag
		});

		// No database in DATA_DIR yet: no --force needed. Meilisearch is configured but not running.
		const searchDown = parseEnv({
			DATA_DIR: dataDir,
			MEILI_URL: `http://127.0.0.1:${await freePort()}`,
			MEILI_MASTER_KEY: 'a-master-key-of-16-bytes'
		});
		const restored = await restoreEmbedded(searchDown, { from: backup.file });
		expect(restored.keptAside).toBeUndefined();
		expect(restored.migrationsApplied).toBe(1);
		expect(restored.search).toEqual({
			deferred: expect.stringMatching(/not answering; the portal rebuilds it/)
		});
		const request = await withDb(path.join(dataDir, 'pglite'), async (db) => {
			const applied = await db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
			expect((applied as unknown as { rows: { n: number }[] }).rows[0]!.n).toBe(journal.entries.length);
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
			expect(log.join('\n')).toMatch(/indexes rebuilt: \{"startups":2,"demands":0\}/);
			const documents = await index.getDocuments({ fields: ['id'] });
			expect(documents.results.map((doc) => doc.id).sort()).toEqual(startupIds.sort());
			expect(
				await runtime.db.select().from(schema.jobState).where(eq(schema.jobState.name, REINDEX_REQUEST))
			).toEqual([]);
		} finally {
			await runtime.stop();
		}
	}, 240_000);

	it('runs as CLI commands with exit codes, and sends a PostgreSQL server to pg_dump', async () => {
		const dataDir = tempDir('backup-cli');
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
		expect(refused.stderr.trim()).toMatch(/^Error: .* already holds a database; add --force/);
		const restored = runCli(['restore', backup.file, '--force', '--json'], env);
		expect(restored.code).toBe(0);
		expect(JSON.parse(restored.stdout)).toMatchObject({
			migrationsApplied: 0,
			keptAside: expect.stringContaining('pglite.before-restore-'),
			search: { reindexed: { startups: 2, demands: 1 } }
		});

		expect(runCli(['restore'], env)).toMatchObject({
			code: 2,
			stderr: expect.stringContaining('restore needs a FILE')
		});
		const server = runCli(['backup'], { ...env, DATABASE_URL: 'postgres://portal@127.0.0.1:5432/portal' });
		expect(server.code).toBe(1);
		expect(server.stderr.trim().split('\n')).toHaveLength(1);
		expect(server.stderr).toContain('pg_dump');
	}, 240_000);
});
