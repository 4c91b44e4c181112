// The single database client: postgres.js, on the portal's own PostgreSQL server (embedded.ts) or on the one
// DATABASE_URL names. Migrations from drizzle/ run under an advisory lock, so several nodes may start at once.
import path from 'node:path';
import { drizzle as drizzlePostgres, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { isConnectionLost } from './errors';
import * as schema from './schema';
import { errnoCode } from '../system-errors';

export { schema };

/** The drizzle client over postgres.js. */
export type Db = PostgresJsDatabase<typeof schema>;
/** A transaction handle, accepted wherever a query runs inside one. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** Either: code that may run inside or outside a transaction takes this. */
export type Queryable = Db | Tx;

export interface DatabaseOptions {
	url: string;
	poolSize?: number;
	/** Where the URL came from, for the message when it cannot be reached. */
	source?: string;
}

export interface DatabaseHandle {
	db: Db;
	driver: 'postgres';
	/** Where the data lives, for messages (password hidden). */
	location: string;
	/** The server's URL (with its password: never print it), for a second connection. */
	url: string;
	migrate(): Promise<void>;
	ping(): Promise<void>;
	close(): Promise<void>;
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
		// Subclasses keep the ordinary test.
		return this === DatabaseUnavailableError && isConnectionLost(value);
	}
}

export const migrationsFolder = path.resolve(process.cwd(), 'drizzle');
// Any fixed number shared by every node of the portal: only one of them migrates at a time.
const MIGRATION_LOCK_KEY = 7_142_001;

export async function openDatabase({
	url,
	poolSize = 10,
	source = 'DATABASE_URL'
}: DatabaseOptions): Promise<DatabaseHandle> {
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
			`Cannot reach PostgreSQL at ${location} (${source}): ${describe(error)}`,
			{ cause: error }
		);
	}
	return {
		db,
		driver: 'postgres',
		location,
		url,
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

function safeLocation(url: string): string {
	const parsed = new URL(url);
	return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
}

function describe(error: unknown): string {
	if (error instanceof AggregateError && error.errors.length > 0) return describe(error.errors[0]);
	if (error instanceof Error) {
		const code = errnoCode(error);
		return code && !error.message.includes(code) ? `${error.message} (${code})` : error.message;
	}
	return String(error);
}
