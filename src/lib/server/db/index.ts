// The single database client: postgres.js for a real server (DATABASE_URL), PGlite embedded and file-backed
// otherwise. Both speak the same drizzle API and run the same migrations from drizzle/.
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { isAlive } from '../process-alive';
import { embeddedFileError, isConnectionLost } from './errors';
import * as schema from './schema';

export { schema };

/** The drizzle client. PGlite's client has the same query-builder API; it is typed as the postgres one. */
export type Db = PostgresJsDatabase<typeof schema>;
/** A transaction handle, accepted wherever a query runs inside one. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** Either: code that may run inside or outside a transaction takes this. */
export type Queryable = Db | Tx;

export type DatabaseOptions =
	| { driver: 'postgres'; url: string; poolSize?: number }
	/**
	 * `dataDir` undefined means in memory (tests). `loadDataDir` creates the database from a `dumpDataDir()`
	 * tarball (restore); `dataDir` must then hold no database yet.
	 */
	| { driver: 'pglite'; dataDir?: string; loadDataDir?: Blob };

export interface DatabaseHandle {
	db: Db;
	driver: 'postgres' | 'pglite';
	/** Where the data lives, for messages (password hidden). */
	location: string;
	migrate(): Promise<void>;
	ping(): Promise<void>;
	close(): Promise<void>;
	/**
	 * PGlite only: the data directory as an uncompressed tarball, after a checkpoint and between two queries,
	 * so it is a consistent copy that opens without recovery work.
	 */
	dumpDataDir?(): Promise<Blob>;
}

/**
 * The database cannot be reached: at start-up (thrown as this class) or later, when a query fails because the
 * server went away or the connection dropped. Those later failures reach callers as drizzle's error around the
 * driver's, so `instanceof DatabaseUnavailableError` also answers true for them: every place that turns this
 * error into a 503 (handleError, the API) covers a connection lost after start-up as well.
 */
export class DatabaseUnavailableError extends Error {
	constructor(message: string, options?: { cause?: unknown }) {
		super(message, options);
		this.name = 'DatabaseUnavailableError';
	}

	static [Symbol.hasInstance](value: unknown): boolean {
		if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
		// Subclasses (DatabaseInUseError) keep the ordinary test.
		return this === DatabaseUnavailableError && isConnectionLost(value);
	}
}

/** Another live process holds the embedded database (its pid file names it). */
export class DatabaseInUseError extends DatabaseUnavailableError {
	constructor(
		readonly dataDir: string,
		readonly holder: number
	) {
		super(
			`The embedded database at ${dataDir} is in use by process ${holder} (is the portal running?). ` +
				'Stop it first, or point DATABASE_URL at a PostgreSQL server.'
		);
		this.name = 'DatabaseInUseError';
	}
}

export const migrationsFolder = path.resolve(process.cwd(), 'drizzle');
// Any fixed number shared by every node of the portal: only one of them migrates at a time.
const MIGRATION_LOCK_KEY = 7_142_001;

export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
	return options.driver === 'postgres'
		? openPostgres(options.url, options.poolSize ?? 10)
		: openPglite(options.dataDir, options.loadDataDir);
}

async function openPostgres(url: string, poolSize: number): Promise<DatabaseHandle> {
	const location = safeLocation(url);
	const client = postgres(url, {
		max: poolSize,
		connect_timeout: 5,
		idle_timeout: 30,
		onnotice: () => {}
	});
	const db = drizzlePostgres(client, { schema });
	try {
		await client`select 1`;
	} catch (error) {
		await client.end({ timeout: 0 });
		throw new DatabaseUnavailableError(
			`Cannot reach PostgreSQL at ${location} (DATABASE_URL): ${describe(error)}`,
			{ cause: error }
		);
	}
	return {
		db,
		driver: 'postgres',
		location,
		async migrate() {
			// A dedicated connection holds the advisory lock for the whole migration.
			const reserved = await client.reserve();
			try {
				await reserved`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
				await migratePostgres(db, { migrationsFolder });
			} finally {
				await reserved`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
				reserved.release();
			}
		},
		async ping() {
			await client`select 1`;
		},
		async close() {
			await client.end({ timeout: 5 });
		}
	};
}

async function openPglite(dataDir: string | undefined, loadDataDir?: Blob): Promise<DatabaseHandle> {
	const release = dataDir ? claimDirectory(dataDir) : () => {};
	if (dataDir) removeRestoreLeftovers(dataDir);
	let client: PGlite;
	try {
		client = await PGlite.create({ dataDir, loadDataDir, extensions: { pg_trgm, unaccent } });
	} catch (error) {
		release();
		throw new DatabaseUnavailableError(
			`Cannot open the embedded database at ${dataDir}: ${describe(error)}`,
			{ cause: error }
		);
	}
	const db = drizzlePglite(client, { schema }) as unknown as Db;
	return {
		db,
		driver: 'pglite',
		location: dataDir ?? 'memory',
		async migrate() {
			await migratePglite(drizzlePglite(client, { schema }), { migrationsFolder });
		},
		async ping() {
			await db.execute(sql`select 1`);
		},
		async dumpDataDir() {
			await client.exec('checkpoint');
			return client.dumpDataDir('none');
		},
		async close() {
			try {
				await client.close();
			} finally {
				release();
			}
		}
	};
}

/**
 * PGlite has no lock of its own across processes: two of them on one directory corrupt it. A pid file
 * refuses the second one with a message, and a file left by a dead process is taken over. Returns the release.
 *
 * The file is created with O_EXCL, so of two processes starting at once exactly one creates it; checking for it
 * first and then writing it would let both through. Taking over a dead holder's file happens under a second
 * O_EXCL file, so two processes that both found it stale cannot both remove it and both start.
 */
export function claimDirectory(dataDir: string): () => void {
	fs.mkdirSync(dataDir, { recursive: true });
	const lockFile = path.join(path.dirname(dataDir), `${path.basename(dataDir)}.lock`);
	const release = () => {
		if (readPid(lockFile) === process.pid) fs.rmSync(lockFile, { force: true });
	};
	for (let attempt = 0; ; attempt++) {
		if (createExclusive(lockFile)) return release;
		const holder = readPid(lockFile);
		// This process already holds it (a second open of the same directory), as before.
		if (holder === process.pid) return release;
		if (holder && isAlive(holder)) throw new DatabaseInUseError(dataDir, holder);
		if (attempt >= 50) throw new DatabaseInUseError(dataDir, holder ?? 0);
		// Stale, or being written this instant (empty): take it over only if it is still stale under the takeover lock.
		if (!takeOverStale(lockFile, holder)) sleepSync(20);
	}
}

/**
 * A restore unpacks into `<dataDir>.restoring-<time>` (about 63 MB) before swapping it in; one that was interrupted
 * (killed, power cut) leaves it behind. Whoever holds the directory's lock knows no restore is under way (a restore
 * holds it too), so the leftovers go. Returns what was removed.
 */
export function removeRestoreLeftovers(dataDir: string): string[] {
	const parent = path.dirname(dataDir);
	const prefix = `${path.basename(dataDir)}.restoring-`;
	let names: string[];
	try {
		names = fs.readdirSync(parent);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
		throw error;
	}
	const removed = names.filter((name) => name.startsWith(prefix)).map((name) => path.join(parent, name));
	for (const leftover of removed) fs.rmSync(leftover, { recursive: true, force: true });
	return removed;
}

/** Creates `file` holding this process's pid, unless it exists (O_CREAT | O_EXCL). */
function createExclusive(file: string): boolean {
	try {
		fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
		return true;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
		throw error;
	}
}

/**
 * Removes a lock file still held by the dead `stale` pid; one process at a time, under `<lock>.takeover`. Returns
 * whether this process did the removal (the caller then creates its own lock file, with O_EXCL as always).
 */
function takeOverStale(lockFile: string, stale: number | undefined): boolean {
	const guard = `${lockFile}.takeover`;
	if (!createExclusive(guard)) {
		const guardHolder = readPid(guard);
		// A process that died while taking over leaves its guard behind: clear it for the next attempt.
		if (guardHolder && !isAlive(guardHolder)) fs.rmSync(guard, { force: true });
		return false;
	}
	try {
		const holder = readPid(lockFile);
		// Anything else means the file changed meanwhile: another process took it over and now holds it.
		if (holder !== stale || (holder !== undefined && isAlive(holder))) return false;
		// An empty file may be one being written this instant; only a dead pid is certainly stale.
		if (holder === undefined && fs.existsSync(lockFile)) {
			const age = Date.now() - fs.statSync(lockFile).mtimeMs;
			if (age < 2_000) return false;
		}
		fs.rmSync(lockFile, { force: true });
		return true;
	} finally {
		fs.rmSync(guard, { force: true });
	}
}

function sleepSync(ms: number): void {
	Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function readPid(file: string): number | undefined {
	try {
		const pid = Number.parseInt(fs.readFileSync(file, 'utf8'), 10);
		return Number.isInteger(pid) && pid > 0 ? pid : undefined;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
		throw error;
	}
}

function safeLocation(url: string): string {
	const parsed = new URL(url);
	return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
}

function describe(error: unknown): string {
	if (error instanceof AggregateError && error.errors.length > 0) return describe(error.errors[0]);
	const fileError = embeddedFileError(error);
	if (fileError) return fileError;
	if (error instanceof Error) {
		const code = (error as NodeJS.ErrnoException).code;
		return code && !error.message.includes(code) ? `${error.message} (${code})` : error.message;
	}
	return String(error);
}
