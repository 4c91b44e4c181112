// Backup and restore of the embedded portal (PGlite under DATA_DIR): a copy of its data directory taken by
// PGlite itself and the uploaded pictures and PDFs, in one file with a manifest; the database is restored beside
// the old one, checked, swapped in, migrated. The search index is not in the backup: it is derived data, rebuilt
// from the restored database.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { count, sql } from 'drizzle-orm';
import { z } from 'zod';
import {
	claimDirectory,
	DatabaseInUseError,
	migrationsFolder,
	openDatabase,
	type DatabaseHandle,
	type Db
} from '../db';
import type { Env } from '../env';
import { databaseOptions, startRuntime } from '../runtime';
import { MeiliStartError, isHealthy } from '../search/process';
import { reindexAll, requestReindex } from '../search/reindex';
import { isUploadIntact, listUploads } from '../uploads/images';
import { ArchiveError, packArchive, unpackArchive } from './archive';

const MANIFEST_FILE = 'manifest.json';
const DATABASE_FILE = 'pglite.tar';
/** Uploads go in the archive under this folder, by their path under DATA_DIR/uploads. */
const UPLOADS_FOLDER = 'uploads/';

/** A failure the operator can act on, with the message saying how. */
export class BackupError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'BackupError';
	}
}

const manifestSchema = z.object({
	format: z.literal('talad-nam-kan-phalit/backup'),
	formatVersion: z.literal(1),
	createdAt: z.iso.datetime(),
	database: z.object({
		engine: z.literal('pglite'),
		/** PG_VERSION of the data directory: PGlite opens only its own major version. */
		postgres: z.string(),
		file: z.literal(DATABASE_FILE),
		bytes: z.number().int().nonnegative(),
		sha256: z.string().regex(/^[0-9a-f]{64}$/)
	}),
	migrations: z.object({ count: z.number().int().nonnegative(), last: z.string().nullable() }),
	/** The uploads in the archive; absent from backups made before uploads were included. */
	uploads: z
		.object({ files: z.number().int().nonnegative(), bytes: z.number().int().nonnegative() })
		.optional(),
	/** Rows in every table of the public schema when the copy was taken. */
	rows: z.record(z.string(), z.number().int().nonnegative())
});

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
 * Writes a backup of the embedded database and the uploads to `out` (default DATA_DIR/backups/portal-YYYYMMDD-HHMMSS.tar.gz,
 * UTC). Refuses while another process (the portal) holds the database.
 */
export async function backupEmbedded(env: Env, options: { out?: string } = {}): Promise<BackupReport> {
	const started = performance.now();
	const dataDir = embeddedDirectory(env);
	if (!fs.existsSync(path.join(dataDir, 'PG_VERSION')))
		throw new BackupError(`There is no embedded database at ${dataDir} to back up.`);
	const now = new Date();
	const file = path.resolve(options.out ?? path.join(env.dataDir, 'backups', `portal-${stamp(now)}.tar.gz`));
	if (fs.existsSync(file)) throw new BackupError(`${file} already exists; choose another --out.`);

	const database = await openEmbedded(dataDir, 'back it up');
	let snapshot: Uint8Array;
	let rows: Record<string, number>;
	let migrations: Manifest['migrations'];
	try {
		// Nothing else can write while this process holds the directory, so the counts describe the copy.
		rows = await countRows(database.db);
		migrations = await appliedMigrations(database.db);
		snapshot = new Uint8Array(await (await database.dumpDataDir!()).arrayBuffer());
	} finally {
		await database.close();
	}
	const uploads: { name: string; data: Uint8Array }[] = [];
	const damagedUploads: string[] = [];
	for (const relative of await listUploads(env.dataDir)) {
		const data = fs.readFileSync(path.join(env.dataDir, 'uploads', relative));
		if (isUploadIntact(relative, data)) uploads.push({ name: UPLOADS_FOLDER + relative, data });
		else damagedUploads.push(relative);
	}
	const manifest: Manifest = {
		format: 'talad-nam-kan-phalit/backup',
		formatVersion: 1,
		createdAt: now.toISOString(),
		database: {
			engine: 'pglite',
			postgres: fs.readFileSync(path.join(dataDir, 'PG_VERSION'), 'utf8').trim(),
			file: DATABASE_FILE,
			bytes: snapshot.length,
			sha256: sha256(snapshot)
		},
		migrations,
		uploads: { files: uploads.length, bytes: uploads.reduce((sum, file) => sum + file.data.length, 0) },
		rows
	};
	const archive = packArchive(
		[
			{ name: MANIFEST_FILE, data: Buffer.from(JSON.stringify(manifest, null, '\t')) },
			{ name: DATABASE_FILE, data: snapshot },
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
	/** Where the database that was replaced now lives. */
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
 * Restores a backup into DATA_DIR: checks the file, refuses while the portal holds the database and, without
 * `force`, when a database is already there; the old one is moved aside, never deleted. Then migrates and
 * rebuilds the search index, or leaves a request for the portal to rebuild it at its next start.
 */
export async function restoreEmbedded(
	env: Env,
	options: { from: string; force?: boolean; log?: (message: string) => void }
): Promise<RestoreReport> {
	const started = performance.now();
	const log = options.log ?? (() => {});
	const dataDir = embeddedDirectory(env);
	const { manifest, snapshot, uploads } = readBackup(options.from);

	const release = claim(dataDir, 'restore it');
	let keptAside: string | undefined;
	let migrationsApplied: number;
	let uploadsRestored: RestoreReport['uploads'];
	try {
		// The claim created the directory if it was missing: anything in it is a database to keep.
		const existing = fs.readdirSync(dataDir).length > 0;
		if (existing && !options.force)
			throw new BackupError(
				`${dataDir} already holds a database; add --force to replace it (it is moved aside, not deleted).`
			);
		const time = stamp(new Date());
		const staging = `${dataDir}.restoring-${time}`;
		log('unpacking and checking the database…');
		await unpackAndCheck(staging, snapshot, manifest);
		// Before the swap: if writing them fails (a full disk), the database in place is still the one that was.
		// Uploads present now and absent from the backup stay; nothing in the restored database points at them.
		log('restoring the uploads…');
		uploadsRestored = restoreUploads(env.dataDir, uploads);
		if (existing) {
			keptAside = unusedPath(`${dataDir}.before-restore-${time}`);
			fs.renameSync(dataDir, keptAside);
		} else {
			fs.rmdirSync(dataDir);
		}
		fs.renameSync(staging, dataDir);
		try {
			migrationsApplied = await migrateRestored(dataDir, manifest);
		} catch (error) {
			// A backup the code cannot migrate is not left in place of the database that worked.
			fs.renameSync(dataDir, unusedPath(`${dataDir}.failed-restore-${time}`));
			if (keptAside) fs.renameSync(keptAside, dataDir);
			throw new BackupError(
				`The restored database could not be migrated, ${keptAside ? 'the previous one is back in place' : 'nothing was restored'}: ${(error as Error).message}`
			);
		}
	} finally {
		release();
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

/** The manifest, the database tarball and the uploads (by path under DATA_DIR/uploads) of a backup file, checked. */
export function readBackup(file: string): {
	manifest: Manifest;
	snapshot: Buffer<ArrayBuffer>;
	uploads: Map<string, Buffer<ArrayBuffer>>;
} {
	let files;
	try {
		files = unpackArchive(fs.readFileSync(file));
	} catch (error) {
		if (error instanceof ArchiveError)
			throw new BackupError(`${file} is damaged or not a portal backup: ${error.message}`);
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new BackupError(`${file}: no such file`);
		throw error;
	}
	const rawManifest = files.get(MANIFEST_FILE);
	const snapshot = files.get(DATABASE_FILE);
	if (!rawManifest || !snapshot)
		throw new BackupError(`${file} is not a portal backup: it lacks ${MANIFEST_FILE} or ${DATABASE_FILE}`);
	let manifest: Manifest;
	try {
		manifest = manifestSchema.parse(JSON.parse(rawManifest.toString('utf8')));
	} catch (error) {
		throw new BackupError(`${file} has an unreadable manifest: ${(error as Error).message.split('\n')[0]}`);
	}
	if (snapshot.length !== manifest.database.bytes || sha256(snapshot) !== manifest.database.sha256)
		throw new BackupError(`${file} is damaged: the database does not match the manifest's checksum.`);
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
	const journal = journalTags();
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

function embeddedDirectory(env: Env): string {
	const options = databaseOptions(env);
	if (options.driver === 'postgres')
		throw new BackupError(
			'DATABASE_URL points at a PostgreSQL server: back it up with pg_dump (pg_dump -Fc "$DATABASE_URL" > portal.dump) ' +
				'and restore with pg_restore, then run `npm run cli -- reindex`.'
		);
	return options.dataDir;
}

/** Holds the embedded database for this process, or refuses while another one (the portal) does. */
function claim(dataDir: string, action: string): () => void {
	try {
		return claimDirectory(dataDir);
	} catch (error) {
		throw error instanceof DatabaseInUseError ? inUse(error, action) : error;
	}
}

function inUse(error: DatabaseInUseError, action: string): BackupError {
	return new BackupError(
		`The embedded database at ${error.dataDir} is in use by process ${error.holder} (is the portal running?): ` +
			`stop it, then ${action}.`
	);
}

async function openEmbedded(dataDir: string, action: string): Promise<DatabaseHandle> {
	try {
		return await openDatabase({ driver: 'pglite', dataDir });
	} catch (error) {
		throw error instanceof DatabaseInUseError ? inUse(error, action) : error;
	}
}

/** Creates the database in `staging` from the snapshot and proves it holds what the manifest says. */
async function unpackAndCheck(
	staging: string,
	snapshot: Buffer<ArrayBuffer>,
	manifest: Manifest
): Promise<void> {
	try {
		let database: DatabaseHandle;
		try {
			database = await openDatabase({
				driver: 'pglite',
				dataDir: staging,
				loadDataDir: new Blob([snapshot])
			});
		} catch (error) {
			throw new BackupError(
				`The backup's database (PostgreSQL ${manifest.database.postgres}) does not open with this portal's PGlite: ${(error as Error).message}`
			);
		}
		try {
			const rows = await countRows(database.db);
			const differences = Object.entries(manifest.rows)
				.filter(([table, n]) => rows[table] !== n)
				.map(([table, n]) => `${table} ${rows[table] ?? 'missing'} instead of ${n}`);
			if (differences.length > 0)
				throw new BackupError(`The restored database differs from the backup: ${differences.join(', ')}.`);
		} finally {
			await database.close();
		}
	} catch (error) {
		fs.rmSync(staging, { recursive: true, force: true });
		throw error;
	}
}

/** Brings a restored database up to this version's schema and asks for the index to be rebuilt. */
async function migrateRestored(dataDir: string, manifest: Manifest): Promise<number> {
	const database = await openDatabase({ driver: 'pglite', dataDir });
	try {
		await database.migrate();
		const migrations = await appliedMigrations(database.db);
		// The index still describes the database that was replaced. Recorded in the database, so the portal
		// rebuilds it at its next start if the rebuild below cannot run now.
		await requestReindex(database.db, `restored from the backup of ${manifest.createdAt}`);
		return migrations.count - manifest.migrations.count;
	} finally {
		await database.close();
	}
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
		if (!(error instanceof MeiliStartError || error instanceof DatabaseInUseError)) throw error;
		return { deferred: `${error.message}; ${later}` };
	}
	try {
		if (!(await isHealthy(runtime.search.url)))
			return { deferred: `Meilisearch at ${runtime.search.url} is not answering; ${later}` };
		return { reindexed: await reindexAll(runtime.db, runtime.search.indexer) };
	} finally {
		await runtime.stop();
	}
}

/** Row counts of every table in the public schema, by name. */
async function countRows(db: Db): Promise<Record<string, number>> {
	const tables = await db
		.select({ name: sql<string>`tablename` })
		.from(sql`pg_tables`)
		.where(sql`schemaname = 'public'`)
		.orderBy(sql`tablename`);
	const rows: Record<string, number> = {};
	for (const { name } of tables) {
		const [row] = await db.select({ n: count() }).from(sql`${sql.identifier(name)}`);
		rows[name] = row?.n ?? 0;
	}
	return rows;
}

/** How many migrations the database has, and the tag of the last one (drizzle records its journal time). */
async function appliedMigrations(db: Db): Promise<Manifest['migrations']> {
	const [table] = await db
		.select({ n: count() })
		.from(sql`pg_tables`)
		.where(sql`schemaname = 'drizzle' and tablename = '__drizzle_migrations'`);
	if (!table?.n) return { count: 0, last: null };
	const [applied] = await db
		.select({ n: count(), last: sql<string | null>`max(created_at)::text` })
		.from(sql`drizzle.__drizzle_migrations`);
	const journal = readJournal();
	const last = journal.find((entry) => String(entry.when) === applied?.last);
	return { count: applied?.n ?? 0, last: last?.tag ?? (applied?.last ? `unknown (${applied.last})` : null) };
}

function readJournal(): { tag: string; when: number }[] {
	const journal = JSON.parse(fs.readFileSync(path.join(migrationsFolder, 'meta', '_journal.json'), 'utf8'));
	return journal.entries;
}

const journalTags = () => readJournal().map((entry) => entry.tag);

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

function unusedPath(candidate: string): string {
	let result = candidate;
	for (let n = 2; fs.existsSync(result); n++) result = `${candidate}-${n}`;
	return result;
}

/** YYYYMMDD-HHMMSS in UTC. */
function stamp(date: Date): string {
	return date.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
}

function sha256(data: Uint8Array): string {
	return crypto.createHash('sha256').update(data).digest('hex');
}
