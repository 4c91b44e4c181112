// Backup and restore on the portal's own PostgreSQL in a scratch DATA_DIR: a backup taken while the portal writes
// restores to exactly what it held at one instant, the replaced database is kept aside, and every refusal leaves
// the data as it was. The PGlite versions' backups and DATA_DIRs: backup-pglite.test.ts; the commands:
// backup-cli.test.ts (three files, so that two workers share the minutes).
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { asc, eq, sql } from 'drizzle-orm';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { packArchive, unpackArchive } from '$lib/server/backup/archive';
import { backupDatabase, restoreDatabase } from '$lib/server/backup/service';
import { schema } from '$lib/server/db';
import { EmbeddedPostgres } from '$lib/server/db/embedded';
import { startRuntime } from '$lib/server/runtime';
import { storeImage, storePdf } from '$lib/server/uploads/images';
import { INDEXES } from '$lib/server/search/indexes';
import { REINDEX_REQUEST } from '$lib/server/search/reindex';
import { buildDemand, buildProduct, buildStartup } from '../factories';
import { contents, journal, rowCount, scratch, withDb, withOtherDb } from '../helpers/backup';
import { runCli } from '../helpers/cli';

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
			database: { engine: 'postgresql', server: expect.stringMatching(/^1[5-9]/) as unknown },
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
		const state = z.record(z.string(), z.unknown()).parse(JSON.parse(fs.readFileSync(stateFile, 'utf8')));
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
});
