// Backup and restore of the portal's database and uploads, in one file with a manifest. The database part is a
// logical copy taken in one snapshot while the portal keeps serving (snapshot.ts); restoring loads it into a new
// database on the portal's own PostgreSQL server, checks it, and only then swaps it in, the old one kept aside.
// The search index is not in the backup: it is derived data, rebuilt from the restored database.
import fs from 'node:fs';
import path from 'node:path';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { z } from 'zod';
import { EmbeddedPostgres, EmbeddedPostgresError, DATABASE_NAME } from '../db/embedded';
import * as schema from '../db/schema';
import type { Env } from '../env';
import { connectDatabase, ServiceStartError, startRuntime } from '../runtime';
import { MeiliStartError, isHealthy } from '../search/process';
import { reindexAll, requestReindex } from '../search/reindex';
import { isUploadIntact, listUploads } from '../uploads/images';
import { ArchiveError, packArchive, unpackArchive } from './archive';
import { pgliteSnapshot } from './pglite';
import {
	holdsData,
	loadSnapshot,
	readJournal,
	sha256,
	SnapshotLoadError,
	takeSnapshot,
	type Snapshot
} from './snapshot';
import { errnoCode, messageOf } from '../system-errors';

const MANIFEST_FILE = 'manifest.json';
/** Each table's rows, in COPY text format, as database/<table>.copy. */
const TABLES_FOLDER = 'database/';
/** Backups made by versions that ran PGlite hold its data directory as one tarball. */
const PGLITE_FILE = 'pglite.tar';
/** Uploads go in the archive under this folder, by their path under DATA_DIR/uploads. */
const UPLOADS_FOLDER = 'uploads/';

/** A failure the operator can act on, with the message saying how. */
export class BackupError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'BackupError';
	}
}

const common = {
	format: z.literal('talad-nam-kan-phalit/backup'),
	createdAt: z.iso.datetime(),
	migrations: z.object({ count: z.number().int().nonnegative(), last: z.string().nullable() }),
	/** The uploads in the archive; absent from backups made before uploads were included. */
	uploads: z
		.object({ files: z.number().int().nonnegative(), bytes: z.number().int().nonnegative() })
		.optional(),
	/** Rows in every table of the public schema when the copy was taken. */
	rows: z.record(z.string(), z.number().int().nonnegative())
};
const checksum = z.object({
	bytes: z.number().int().nonnegative(),
	sha256: z.string().regex(/^[0-9a-f]{64}$/)
});

const manifestSchema = z.discriminatedUnion('formatVersion', [
	// Versions with the embedded PGlite: its data directory as PGlite's tarball.
	z.object({
		...common,
		formatVersion: z.literal(1),
		database: checksum.extend({
			engine: z.literal('pglite'),
			postgres: z.string(),
			file: z.literal(PGLITE_FILE)
		})
	}),
	z.object({
		...common,
		formatVersion: z.literal(2),
		database: z.object({
			engine: z.literal('postgresql'),
			/** The server's version (server_version) the copy was read from. */
			server: z.string(),
			tables: z.record(z.string(), checksum.extend({ columns: z.array(z.string()).min(1) })),
			sequences: z.array(z.object({ name: z.string(), value: z.number().int(), called: z.boolean() }))
		})
	})
]);

export type Manifest = z.infer<typeof manifestSchema>;

export interface BackupReport {
	file: string;
	bytes: number;
	/** Of the whole file, to compare copies of it. */
	sha256: string;
	seconds: number;
	manifest: Manifest;
	/** Files under DATA_DIR/uploads whose content no longer matches their name (damaged): not backed up. */
	damagedUploads: string[];
}

/**
 * Writes a backup of the database and the uploads to `out` (default DATA_DIR/backups/portal-YYYYMMDD-HHMMSS.tar.gz,
 * UTC), while the portal runs: the database is read in one snapshot, so writes made meanwhile are either wholly in
 * the copy or not at all.
 */
export async function backupDatabase(
	env: Env,
	options: { out?: string; log?: (message: string) => void } = {}
): Promise<BackupReport> {
	const started = performance.now();
	const log = options.log ?? (() => {});
	const now = new Date();
	const file = path.resolve(options.out ?? path.join(env.dataDir, 'backups', `portal-${stamp(now)}.tar.gz`));
	if (fs.existsSync(file)) throw new BackupError(`${file} already exists; choose another --out.`);

	const stops: (() => Promise<void>)[] = [];
	let snapshot: Snapshot;
	let server: string;
	try {
		const database = await connectDatabase(env, 'cli', log, stops);
		const client = postgres(database.url, { max: 1, onnotice: () => {} });
		stops.push(() => client.end({ timeout: 5 }));
		snapshot = await takeSnapshot(client, (table, done, total) => {
			if (table) log(`copying ${table} (${done + 1}/${total})`);
		});
		const [version] = await client<{ server: string }[]>`select current_setting('server_version') as server`;
		server = version?.server ?? 'unknown';
	} finally {
		for (const stop of stops.reverse()) await stop();
	}
	const uploads: { name: string; data: Uint8Array }[] = [];
	const damagedUploads: string[] = [];
	for (const relative of await listUploads(env.dataDir)) {
		const data = fs.readFileSync(path.join(env.dataDir, 'uploads', relative));
		if (isUploadIntact(relative, data)) uploads.push({ name: UPLOADS_FOLDER + relative, data });
		else damagedUploads.push(relative);
	}
	const journal = readJournal().entries;
	const manifest: Manifest = {
		format: 'talad-nam-kan-phalit/backup',
		formatVersion: 2,
		createdAt: now.toISOString(),
		database: {
			engine: 'postgresql',
			server,
			tables: Object.fromEntries(
				snapshot.tables.map((table) => [
					table.name,
					{ columns: table.columns, bytes: table.data.length, sha256: sha256(table.data) }
				])
			),
			sequences: snapshot.sequences
		},
		migrations: { count: snapshot.migrations, last: journal[snapshot.migrations - 1]?.tag ?? null },
		uploads: { files: uploads.length, bytes: uploads.reduce((sum, file) => sum + file.data.length, 0) },
		rows: Object.fromEntries(snapshot.tables.map((table) => [table.name, table.rows]))
	};
	const archive = packArchive(
		[
			{ name: MANIFEST_FILE, data: Buffer.from(JSON.stringify(manifest, null, '\t')) },
			...snapshot.tables.map((table) => ({ name: `${TABLES_FOLDER}${table.name}.copy`, data: table.data })),
			...uploads
		],
		now
	);
	writeAtomically(file, archive);
	return {
		file,
		bytes: archive.length,
		sha256: sha256(archive),
		seconds: (performance.now() - started) / 1000,
		manifest,
		damagedUploads
	};
}

export interface RestoreReport {
	from: string;
	manifest: Manifest;
	/** The database that was replaced, kept on the same server under this name. */
	keptAside?: string;
	/** Migrations applied on top of the backup's (a backup from an older version). */
	migrationsApplied: number;
	/** Uploads written back, and those already there (each is named by its content, so they are the same). */
	uploads: { written: number; present: number };
	/** The rebuilt index sizes, or why the rebuild waits for the portal's next start. */
	search: { reindexed: Record<string, number> } | { deferred: string };
	seconds: number;
}

/**
 * Restores a backup into the portal's own PostgreSQL: checks the file, refuses while the portal runs and, without
 * `force`, when the database already holds data; loads it into a new database beside the current one, checks
 * every table's row count, migrates it, and only then swaps the names: the old database is kept aside, never
 * dropped. Then rebuilds the search index, or leaves a request for the portal to rebuild it at its next start.
 */
export async function restoreDatabase(
	env: Env,
	options: { from: string; force?: boolean; log?: (message: string) => void }
): Promise<RestoreReport> {
	const started = performance.now();
	const log = options.log ?? (() => {});
	if (env.DATABASE_URL)
		throw new BackupError(
			'DATABASE_URL points at a PostgreSQL server the portal does not run: restore into it with its own tools ' +
				'(pg_dump -Fc / pg_restore), then run `npm run cli -- reindex`.'
		);
	const backup = readBackup(options.from);
	const { manifest } = backup;
	const server = new EmbeddedPostgres({
		dataDir: env.dataDir,
		owner: 'cli',
		exclusive: true,
		log: (message) => log(`[postgres] ${message}`)
	});
	try {
		await server.start();
	} catch (error) {
		if (error instanceof EmbeddedPostgresError) throw new BackupError(`${error.message} Then restore.`);
		throw error;
	}
	let keptAside: string | undefined;
	let migrationsApplied: number;
	let uploadsRestored: RestoreReport['uploads'];
	const admin = postgres(server.databaseUrl('postgres'), { max: 1, onnotice: () => {} });
	try {
		const existing = await holdsData(server.url);
		if (existing && !options.force)
			throw new BackupError(
				`${server.clusterDir} already holds the portal's database; add --force to replace it (it is kept aside, not dropped).`
			);
		// A restore that was interrupted (killed, the machine stopped) leaves its half-loaded copy: gone now.
		for (const { name } of await admin<{ name: string }[]>`
			select datname as name from pg_database where starts_with(datname, ${`${DATABASE_NAME}_restoring_`})`) {
			log(`removing ${name}, left by an interrupted restore`);
			await admin.unsafe(`drop database if exists "${name}" with (force)`);
		}
		const time = stamp(new Date()).replace('-', '_');
		const staging = `${DATABASE_NAME}_restoring_${time}`;
		await admin.unsafe(`create database ${staging}`);
		const target = postgres(server.databaseUrl(staging), { max: 1, onnotice: () => {} });
		try {
			log('loading and checking the database…');
			const snapshot = await backup.snapshot();
			migrationsApplied = await loadSnapshot(target, snapshot, (table, done, total) => {
				if (table) log(`loading ${table} (${done + 1}/${total})`);
			});
			// The index still describes the database that is replaced. Recorded in the database, so the portal
			// rebuilds it at its next start if the rebuild below cannot run now.
			await requestReindex(drizzle(target, { schema }), `restored from the backup of ${manifest.createdAt}`);
		} catch (error) {
			await target.end({ timeout: 5 });
			await admin.unsafe(`drop database if exists ${staging}`);
			if (error instanceof SnapshotLoadError)
				throw new BackupError(`The backup could not be restored, nothing was changed: ${error.message}.`);
			throw error;
		}
		await target.end({ timeout: 5 });
		// Before the swap: if writing them fails (a full disk), the database in place is still the one that was.
		// Uploads present now and absent from the backup stay; nothing in the restored database points at them.
		log('restoring the uploads…');
		uploadsRestored = restoreUploads(env.dataDir, backup.uploads);
		if (existing) {
			keptAside = `${DATABASE_NAME}_before_restore_${time}`;
			await admin.unsafe(`alter database ${DATABASE_NAME} rename to ${keptAside}`);
		} else {
			await admin.unsafe(`drop database if exists ${DATABASE_NAME}`);
		}
		await admin.unsafe(`alter database ${staging} rename to ${DATABASE_NAME}`);
	} finally {
		await admin.end({ timeout: 5 });
		await server.stop();
	}
	log('rebuilding the search index…');
	const search = await rebuildIndex(env, log);
	return {
		from: path.resolve(options.from),
		manifest,
		keptAside,
		migrationsApplied,
		uploads: uploadsRestored,
		search,
		seconds: (performance.now() - started) / 1000
	};
}

/**
 * The manifest, the database copy (read when asked: an old PGlite tarball is opened then) and the uploads (by path
 * under DATA_DIR/uploads) of a backup file, every checksum checked.
 */
export function readBackup(file: string): {
	manifest: Manifest;
	snapshot: () => Promise<Snapshot>;
	uploads: Map<string, Buffer<ArrayBuffer>>;
} {
	let files;
	try {
		files = unpackArchive(fs.readFileSync(file));
	} catch (error) {
		if (error instanceof ArchiveError)
			throw new BackupError(`${file} is damaged or not a portal backup: ${error.message}`);
		if (errnoCode(error) === 'ENOENT') throw new BackupError(`${file}: no such file`);
		throw error;
	}
	const rawManifest = files.get(MANIFEST_FILE);
	if (!rawManifest) throw new BackupError(`${file} is not a portal backup: it lacks ${MANIFEST_FILE}`);
	let manifest: Manifest;
	try {
		manifest = manifestSchema.parse(JSON.parse(rawManifest.toString('utf8')));
	} catch (error) {
		throw new BackupError(`${file} has an unreadable manifest: ${messageOf(error).split('\n')[0]}`);
	}
	const damaged = (what: string) =>
		new BackupError(`${file} is damaged: ${what} does not match the manifest's checksum.`);
	let snapshot: () => Promise<Snapshot>;
	if (manifest.formatVersion === 1) {
		const tarball = files.get(PGLITE_FILE);
		if (!tarball) throw new BackupError(`${file} is not a portal backup: it lacks ${PGLITE_FILE}`);
		if (tarball.length !== manifest.database.bytes || sha256(tarball) !== manifest.database.sha256)
			throw damaged('the database');
		snapshot = () => pgliteSnapshot({ tarball: new Blob([tarball]) });
	} else {
		const tables = Object.entries(manifest.database.tables).map(([name, table]) => {
			const data = files.get(`${TABLES_FOLDER}${name}.copy`);
			if (!data || data.length !== table.bytes || sha256(data) !== table.sha256)
				throw damaged(`the table ${name}`);
			return { name, columns: table.columns, rows: manifest.rows[name] ?? 0, data };
		});
		const { sequences } = manifest.database;
		snapshot = async () => ({ migrations: manifest.migrations.count, tables, sequences });
	}
	const uploads = new Map<string, Buffer<ArrayBuffer>>();
	for (const [name, data] of files) {
		if (!name.startsWith(UPLOADS_FOLDER)) continue;
		const relative = name.slice(UPLOADS_FOLDER.length);
		if (!isUploadIntact(relative, data))
			throw new BackupError(`${file} is damaged: the upload ${relative} does not match its name's checksum.`);
		uploads.set(relative, data);
	}
	const uploadBytes = [...uploads.values()].reduce((sum, data) => sum + data.length, 0);
	if ((manifest.uploads?.files ?? 0) !== uploads.size || (manifest.uploads?.bytes ?? 0) !== uploadBytes)
		throw new BackupError(
			`${file} is damaged: it holds ${uploads.size} uploads where its manifest lists ` +
				`${manifest.uploads?.files ?? 0} (${uploadBytes} bytes against ${manifest.uploads?.bytes ?? 0}).`
		);
	const journal = readJournal().entries.map((entry) => entry.tag);
	if (
		manifest.migrations.count > journal.length ||
		(manifest.migrations.last && !journal.includes(manifest.migrations.last))
	)
		throw new BackupError(
			`${file} comes from a newer version of the portal (migration ${manifest.migrations.last} is unknown here); update the portal first.`
		);
	return { manifest, snapshot, uploads };
}

/** Writes each upload not already under DATA_DIR/uploads, whole or not at all. */
function restoreUploads(
	dataDir: string,
	uploads: Map<string, Buffer<ArrayBuffer>>
): RestoreReport['uploads'] {
	let written = 0;
	for (const [relative, data] of uploads) {
		const file = path.join(dataDir, 'uploads', relative);
		// An upload's name is its content's checksum: a file of that name already there is the same file.
		if (fs.existsSync(file) && isUploadIntact(relative, fs.readFileSync(file))) continue;
		writeAtomically(file, data);
		written++;
	}
	return { written, present: uploads.size - written };
}

/** Rebuilds the search index now when Meilisearch can be reached or started; else the portal does at start. */
async function rebuildIndex(env: Env, log: (message: string) => void): Promise<RestoreReport['search']> {
	const later = 'the portal rebuilds it when it next starts';
	let runtime;
	try {
		runtime = await startRuntime(env, {
			migrate: false,
			seed: false,
			outboxWorker: false,
			emailWorker: false,
			scheduler: false,
			log
		});
	} catch (error) {
		const cause = error instanceof ServiceStartError ? error.cause : error;
		if (!(cause instanceof MeiliStartError || cause instanceof EmbeddedPostgresError)) throw error;
		return { deferred: `${cause.message}; ${later}` };
	}
	try {
		if (!(await isHealthy(runtime.search.url)))
			return { deferred: `Meilisearch at ${runtime.search.url} is not answering; ${later}` };
		return { reindexed: await reindexAll(runtime.db, runtime.search.indexer) };
	} finally {
		await runtime.stop();
	}
}

/** Temp file in the same directory, flushed, then renamed: the file is either whole or absent. */
function writeAtomically(file: string, data: Uint8Array): void {
	fs.mkdirSync(path.dirname(file), { recursive: true });
	const temp = `${file}.partial-${process.pid}`;
	try {
		const fd = fs.openSync(temp, 'wx', 0o600);
		try {
			fs.writeSync(fd, data);
			fs.fsyncSync(fd);
		} finally {
			fs.closeSync(fd);
		}
		fs.renameSync(temp, file);
	} catch (error) {
		fs.rmSync(temp, { force: true });
		throw error;
	}
}

/** YYYYMMDD-HHMMSS in UTC. */
export function stamp(date: Date): string {
	return date.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
}
