// What the PGlite versions left: their backups still restore and are brought up to date, and a PGlite DATA_DIR is
// carried over to PostgreSQL once.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { eq, like, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { packArchive } from '$lib/server/backup/archive';
import { restoreDatabase } from '$lib/server/backup/service';
import { schema } from '$lib/server/db';
import { parseEnv } from '$lib/server/env';
import { connectDatabase, startRuntime } from '$lib/server/runtime';
import { INDEXES } from '$lib/server/search/indexes';
import { REINDEX_REQUEST } from '$lib/server/search/reindex';
import { contents, journal, pgliteDatabase, rowCount, scratch, withDb } from '../helpers/backup';
import { freePort, tempDir } from '../helpers/meili';

describe('backup and restore of the PGlite versions', () => {
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
		expect(restored.search).toEqual({ deferred: expect.any(String) as unknown });
		expect(JSON.stringify(restored.search)).toMatch(/not answering; the portal rebuilds it/);
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
			expect(documents.results.map((doc) => String(doc.id)).sort()).toEqual(startupIds.sort());
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
});
