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
 */
export function claimDirectory(dataDir: string): () => void {
	fs.mkdirSync(dataDir, { recursive: true });
	const lockFile = path.join(path.dirname(dataDir), `${path.basename(dataDir)}.lock`);
	const holder = readPid(lockFile);
	if (holder && holder !== process.pid && isAlive(holder)) throw new DatabaseInUseError(dataDir, holder);
	fs.writeFileSync(lockFile, String(process.pid));
	return () => {
		if (readPid(lockFile) === process.pid) fs.rmSync(lockFile, { force: true });
	};
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
