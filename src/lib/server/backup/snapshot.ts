// A logical copy of the portal's database: every table of the public schema in PostgreSQL's COPY text format,
// with its columns and row count, the sequences and how many migrations made the schema, all read in one
// REPEATABLE READ snapshot, so a copy taken while the portal serves and writes is consistent (every row as of
// one instant, foreign keys whole). Logical rather than physical because the server binaries the portal ships
// have no pg_basebackup, because it reads the same from PostgreSQL 15 to 18, and because it is how the data of a
// PGlite database from an earlier version comes over (pglite.ts makes the same snapshot from it).
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres, { type Sql, type TransactionSql } from 'postgres';
import { z } from 'zod';
import { migrationsFolder } from '../db';
import { one } from '../db/rows';

export interface TableCopy {
	name: string;
	columns: string[];
	rows: number;
	/** The rows in COPY text format. */
	data: Buffer;
}

export interface Snapshot {
	/** How many of drizzle/'s migrations the schema had. */
	migrations: number;
	tables: TableCopy[];
	/** Each sequence of the public schema: its next value is `value + 1` when `called`, else `value`. */
	sequences: { name: string; value: number; called: boolean }[];
}

/** Reads the whole database in one snapshot, while others go on writing. */
export async function takeSnapshot(
	client: Sql,
	progress: (table: string, done: number, total: number) => void = () => {}
): Promise<Snapshot> {
	return client.begin('isolation level repeatable read read only', async (tx) => {
		const migrations = await migrationCount(tx);
		const names = (
			await tx<{ name: string }[]>`
				select tablename as name from pg_tables where schemaname = 'public' order by tablename`
		).map((row) => row.name);
		const tables: TableCopy[] = [];
		for (const [index, name] of names.entries()) {
			progress(name, index, names.length);
			const columns = (
				await tx<{ name: string }[]>`
					select attname as name from pg_attribute
					where attrelid = ${`public.${quote(name)}`}::regclass and attnum > 0 and not attisdropped
					order by attnum`
			).map((row) => row.name);
			const { n } = one(
				await tx.unsafe<{ n: number }[]>(`select count(*)::int as n from public.${quote(name)}`),
				`count of ${name}`
			);
			const chunks: Buffer[] = [];
			const stream = await tx
				.unsafe(`copy public.${quote(name)} (${columns.map(quote).join(', ')}) to stdout`)
				.readable();
			for await (const chunk of stream) {
				// postgres.js streams COPY TO STDOUT as the bytes it receives.
				if (!Buffer.isBuffer(chunk)) throw new Error(`copy of ${name} gave ${typeof chunk}, not bytes`);
				chunks.push(chunk);
			}
			tables.push({ name, columns, rows: n, data: Buffer.concat(chunks) });
		}
		progress('', names.length, names.length);
		const sequences = [];
		for (const { name } of await tx<{ name: string }[]>`
			select sequencename as name from pg_sequences where schemaname = 'public' order by sequencename`) {
			const row = one(
				await tx.unsafe<{ value: string; called: boolean }[]>(
					`select last_value::text as value, is_called as called from public.${quote(name)}`
				),
				`sequence ${name}`
			);
			sequences.push({ name, value: Number(row.value), called: row.called });
		}
		return { migrations, tables, sequences };
	});
}

export class SnapshotLoadError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'SnapshotLoadError';
	}
}

/**
 * Loads a snapshot into `client`'s database, which must be empty: the schema as the snapshot's version had it
 * (its first `migrations` migrations), the rows, the sequences; then checks every table's row count against the
 * snapshot, and brings the schema up to this version. Returns how many migrations ran after the load.
 */
export async function loadSnapshot(
	client: Sql,
	snapshot: Pick<Snapshot, 'migrations' | 'sequences'> & { tables: TableCopy[] },
	progress: (table: string, done: number, total: number) => void = () => {}
): Promise<number> {
	const journal = readJournal();
	if (snapshot.migrations > journal.entries.length)
		throw new SnapshotLoadError(
			`the copy has ${snapshot.migrations} migrations and this version knows ${journal.entries.length}: update the portal first`
		);
	await migrateTo(client, snapshot.migrations);
	await client.begin(async (tx) => {
		// Rows arrive table by table, not in the order foreign keys would want: checks are off for this load (the
		// rows were consistent when copied, and the counts are checked below).
		await tx`set local session_replication_role = replica`;
		const present = (
			await tx<{ name: string }[]>`select tablename as name from pg_tables where schemaname = 'public'`
		).map((row) => row.name);
		if (present.length > 0)
			await tx.unsafe(`truncate ${present.map((name) => `public.${quote(name)}`).join(', ')}`);
		for (const [index, table] of snapshot.tables.entries()) {
			progress(table.name, index, snapshot.tables.length);
			if (!present.includes(table.name))
				throw new SnapshotLoadError(`the copy has a table ${table.name} that its schema version does not`);
			const sink = await tx
				.unsafe(`copy public.${quote(table.name)} (${table.columns.map(quote).join(', ')}) from stdin`)
				.writable();
			await pipeline(function* () {
				yield table.data;
			}, sink);
		}
		progress('', snapshot.tables.length, snapshot.tables.length);
		for (const sequence of snapshot.sequences) {
			await tx.unsafe(`select setval('public.${quote(sequence.name)}', $1, $2)`, [
				Math.max(1, sequence.value),
				sequence.called && sequence.value >= 1
			]);
		}
		const differences: string[] = [];
		for (const table of snapshot.tables) {
			const { n } = one(
				await tx.unsafe<{ n: number }[]>(`select count(*)::int as n from public.${quote(table.name)}`),
				`count of ${table.name}`
			);
			if (n !== table.rows) differences.push(`${table.name} ${n} instead of ${table.rows}`);
		}
		if (differences.length > 0)
			throw new SnapshotLoadError(`the loaded rows differ from the copy: ${differences.join(', ')}`);
	});
	const before = await migrationCount(client);
	await migrate(drizzle(client), { migrationsFolder });
	return (await migrationCount(client)) - before;
}

/** Whether the database at `url` has any row in any table of its public schema. */
export async function holdsData(url: string): Promise<boolean> {
	const client = postgres(url, { max: 1, onnotice: () => {} });
	try {
		const tables = await client<{ name: string }[]>`
			select tablename as name from pg_tables where schemaname = 'public'`;
		for (const { name } of tables) {
			const [row] = await client.unsafe<{ found: boolean }[]>(
				`select exists (select 1 from public.${quote(name)}) as found`
			);
			if (row?.found) return true;
		}
		return false;
	} finally {
		await client.end({ timeout: 5 });
	}
}

/** Applies the first `count` migrations of drizzle/, as the portal version that made a copy had them. */
async function migrateTo(client: Sql, count: number): Promise<void> {
	const journal = readJournal();
	const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-migrations-'));
	try {
		fs.mkdirSync(path.join(folder, 'meta'));
		const entries = journal.entries.slice(0, count);
		for (const entry of entries)
			fs.copyFileSync(path.join(migrationsFolder, `${entry.tag}.sql`), path.join(folder, `${entry.tag}.sql`));
		fs.writeFileSync(path.join(folder, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries }));
		await migrate(drizzle(client), { migrationsFolder: folder });
	} finally {
		fs.rmSync(folder, { recursive: true, force: true });
	}
}

async function migrationCount(client: Sql | TransactionSql): Promise<number> {
	const [table] = await client<{ n: number }[]>`
		select count(*)::int as n from pg_tables where schemaname = 'drizzle' and tablename = '__drizzle_migrations'`;
	if (!table?.n) return 0;
	const [row] = await client<{ n: number }[]>`select count(*)::int as n from drizzle.__drizzle_migrations`;
	return row?.n ?? 0;
}

// Loose: drizzle's migrator reads the journal's other fields (version, dialect) from the copy migrateTo writes.
const journalSchema = z.looseObject({
	entries: z.array(z.looseObject({ idx: z.number(), tag: z.string(), when: z.number() }))
});

type Journal = z.infer<typeof journalSchema>;

export function readJournal(): Journal {
	return journalSchema.parse(
		JSON.parse(fs.readFileSync(path.join(migrationsFolder, 'meta', '_journal.json'), 'utf8'))
	);
}

export function sha256(data: Uint8Array): string {
	return crypto.createHash('sha256').update(data).digest('hex');
}

/** A table or sequence name as an SQL identifier (they come from the catalogue, quoted all the same). */
function quote(name: string): string {
	return `"${name.replaceAll('"', '""')}"`;
}
