// Earlier versions of the portal kept their data in PGlite (PostgreSQL compiled to WebAssembly) under
// DATA_DIR/pglite, and backed it up as PGlite's own tarball. Both are read here only to carry their rows over to
// the PostgreSQL server, as the same snapshot a live backup makes (snapshot.ts).
import fs from 'node:fs';
import path from 'node:path';
import type { Snapshot, TableCopy } from './snapshot';

/** Whether `dir` holds a PGlite database (a PostgreSQL data directory). */
export function isPgliteDirectory(dir: string): boolean {
	return fs.existsSync(path.join(dir, 'PG_VERSION'));
}

/** Every table's rows, the sequences and the migration count of a PGlite database (a directory or a tarball). */
export async function pgliteSnapshot(
	source: { dataDir: string } | { tarball: Blob },
	progress: (table: string, done: number, total: number) => void = () => {}
): Promise<Snapshot> {
	// Loaded only here: a portal with nothing to carry over never pays for the WebAssembly engine.
	const { PGlite } = await import('@electric-sql/pglite');
	const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
	const { unaccent } = await import('@electric-sql/pglite/contrib/unaccent');
	const client = await PGlite.create({
		...('dataDir' in source ? { dataDir: source.dataDir } : { loadDataDir: source.tarball }),
		extensions: { pg_trgm, unaccent }
	});
	try {
		const names = (
			await client.query<{ name: string }>(
				`select tablename as name from pg_tables where schemaname = 'public' order by tablename`
			)
		).rows.map((row) => row.name);
		const tables: TableCopy[] = [];
		for (const [index, name] of names.entries()) {
			progress(name, index, names.length);
			const columns = (
				await client.query<{ name: string }>(
					`select attname as name from pg_attribute
					 where attrelid = $1::regclass and attnum > 0 and not attisdropped order by attnum`,
					[`public.${quote(name)}`]
				)
			).rows.map((row) => row.name);
			const counted = await client.query<{ n: number }>(
				`select count(*)::int as n from public.${quote(name)}`
			);
			const copied = await client.query(
				`copy public.${quote(name)} (${columns.map(quote).join(', ')}) to '/dev/blob'`
			);
			const data = copied.blob ? Buffer.from(await copied.blob.arrayBuffer()) : Buffer.alloc(0);
			tables.push({ name, columns, rows: counted.rows[0]?.n ?? 0, data });
		}
		progress('', names.length, names.length);
		const sequences: Snapshot['sequences'] = [];
		const sequenceNames = await client.query<{ name: string }>(
			`select sequencename as name from pg_sequences where schemaname = 'public' order by sequencename`
		);
		for (const { name } of sequenceNames.rows) {
			const state = await client.query<{ value: string; called: boolean }>(
				`select last_value::text as value, is_called as called from public.${quote(name)}`
			);
			sequences.push({
				name,
				value: Number(state.rows[0]?.value ?? 1),
				called: state.rows[0]?.called ?? false
			});
		}
		const hasJournal = await client.query<{ n: number }>(
			`select count(*)::int as n from pg_tables where schemaname = 'drizzle' and tablename = '__drizzle_migrations'`
		);
		const migrations = hasJournal.rows[0]?.n
			? ((await client.query<{ n: number }>(`select count(*)::int as n from drizzle.__drizzle_migrations`))
					.rows[0]?.n ?? 0)
			: 0;
		return { migrations, tables, sequences };
	} finally {
		await client.close();
	}
}

function quote(name: string): string {
	return `"${name.replaceAll('"', '""')}"`;
}
