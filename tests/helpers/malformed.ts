// Bad input for the fuzz tests: fast-check arbitraries for the values people and programs get wrong (wrong types,
// huge strings, control characters, Thai with emoji, impossible numbers and dates, SQL and Meilisearch filter
// injection), and a fingerprint of every table to prove that a refused request changed nothing.
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import type { Queryable } from '$lib/server/db';

export const SQL_INJECTIONS = [
	"' OR 1=1 --",
	"' OR '1'='1",
	'"; DROP TABLE users; --',
	"'; DROP TABLE demands; --",
	"1' AND pg_sleep(5) --",
	"' UNION SELECT password_hash, email FROM users --",
	'1 OR 1=1',
	"%' OR '%'='",
	"\\'; --",
	'$$; select 1; $$',
	"x'::int --",
	"TH-50' OR province_code LIKE '%"
];

export const MEILI_INJECTIONS = [
	'" OR status = "draft',
	'TH-50" OR tsic EXISTS',
	'TH-50\\" OR status = \\"hidden',
	'") OR (status = "draft',
	'x" OR NOT status = "open',
	'status != "approved"',
	'tsic EXISTS OR status = "draft"',
	'_geoRadius(0, 0, 1)',
	'] OR status IN ["draft", "hidden"',
	'\\',
	'\\"',
	'*'
];

export const BAD_NUMBERS = [
	'-1',
	'-0',
	'0',
	'-5.5',
	'1e308',
	'1e309',
	'-1e308',
	'Infinity',
	'-Infinity',
	'NaN',
	'9007199254740993',
	'99999999999999999999999999',
	'0x10',
	'1_000',
	'๑๒๓',
	'١٢٣',
	'1.2.3',
	'.5',
	'5.',
	'1e-400',
	'0.0004',
	'0.0001',
	'1000000000000',
	'999999999999.999',
	'2,0,0,0',
	'  12  ',
	'12abc'
];

export const BAD_DATES = [
	'2026-02-30',
	'2099-02-30',
	'2099-02-29',
	'2099-13-01',
	'2099-00-10',
	'2099-04-31',
	'0000-00-00',
	'0000-01-01',
	'9999-99-99',
	'2099-2-3',
	'30/02/2099',
	'2569-01-01',
	'+275760-09-13',
	'2099-12-31T25:61:00Z',
	'1900-01-01',
	'99999-01-01'
];

export const WRONG_TYPES = [
	'true',
	'false',
	'null',
	'undefined',
	'[]',
	'{}',
	'[object Object]',
	'{"$ne": null}',
	'__proto__',
	'constructor',
	'<script>alert(1)</script>',
	'../../etc/passwd',
	'%00',
	'%',
	'&amp;',
	'=cmd|" /C calc"!A0'
];

const HUGE = 100_000;
const HUGE_STRINGS = [
	'a'.repeat(HUGE),
	'ข'.repeat(HUGE),
	'😀'.repeat(HUGE / 2),
	'\u0000'.repeat(1000),
	'9'.repeat(5000)
];

const INVISIBLES = ['\u0000', '\u200f', '\u202e', '\u2066', '\u200b', '\ufeff', '\u00ad', '\r\n', '\t'];
const THAI_EMOJI = ['ข้าว', 'กาแฟ', 'หอมมะลิ', '🍚', '👩🏽‍🌾', '🇹🇭', '่', 'ำ', 'é', '𝕏', '\ud800', 'ﷺ', 'A'];

const controlChars = fc.string({
	unit: fc.integer({ min: 0, max: 0x1f }).map((code) => String.fromCharCode(code)),
	minLength: 1,
	maxLength: 12
});
const thaiEmoji = fc
	.array(fc.constantFrom(...THAI_EMOJI, ...INVISIBLES), { minLength: 1, maxLength: 12 })
	.map((parts) => parts.join(''));

/** One malformed value, as a form field or query parameter would carry it. */
export const malformedString: fc.Arbitrary<string> = fc.oneof(
	fc.constantFrom(...SQL_INJECTIONS),
	fc.constantFrom(...MEILI_INJECTIONS),
	fc.constantFrom(...BAD_NUMBERS),
	fc.constantFrom(...BAD_DATES),
	fc.constantFrom(...WRONG_TYPES),
	fc.constantFrom(...HUGE_STRINGS),
	controlChars,
	thaiEmoji,
	fc.constant(''),
	fc.string({ maxLength: 40 }),
	fc.string({ unit: 'binary', maxLength: 40 }),
	// A plausible value with garbage stuck to it.
	fc
		.tuple(fc.constantFrom('TH-50', '01', 'kg', '2099-01-01', '5'), fc.constantFrom(...INVISIBLES, "'", '"'))
		.map(([value, junk]) => value + junk)
);

/** A value of any JSON type, for the API's bodies and the wrong-type cases of its fields. */
export const malformedJson: fc.Arbitrary<unknown> = fc.oneof(
	malformedString,
	fc.constantFrom(-1, -0, 0, 1e308, -1e308, 2 ** 53 + 2, 0.1, 1.5, true, false, null),
	fc.integer(),
	fc.double({ noNaN: true, noDefaultInfinity: true }),
	fc.array(fc.oneof(malformedString, fc.integer()), { maxLength: 3 }),
	fc.dictionary(fc.constantFrom('a', '__proto__', 'constructor', 'x', 'ref'), fc.integer(), { maxKeys: 3 }),
	// Deep nesting.
	fc
		.integer({ min: 1, max: 200 })
		.map((depth) => JSON.parse('['.repeat(depth) + ']'.repeat(depth)) as unknown)
);

/** Names no form or endpoint reads, posted alongside the real ones. */
export const UNKNOWN_FIELDS = [
	'__proto__',
	'constructor',
	'role',
	'status',
	'organisationId',
	'userId',
	'approvedAt',
	'admin',
	'x'.repeat(300),
	'ข้าว',
	'a[b]',
	'id'
];

/** Bytes that claim to be an image or a PDF, or claim nothing. */
export const malformedFile: fc.Arbitrary<File> = fc
	.tuple(
		fc.constantFrom(
			new Uint8Array(),
			Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
			Uint8Array.from([0xff, 0xd8, 0xff]),
			new TextEncoder().encode('RIFF\0\0\0\0WEBP'),
			new TextEncoder().encode('%PDF-1.7\n'),
			new TextEncoder().encode('<svg onload="alert(1)"/>')
		),
		fc.uint8Array({ maxLength: 256 }),
		fc.constantFrom('a.png', 'a.jpg', 'a.pdf', '../../x.png', 'ข้าว.webp', 'a.svg'),
		fc.constantFrom('image/png', 'image/jpeg', 'application/pdf', 'image/svg+xml', 'text/html', '')
	)
	.map(([head, tail, name, type]) => new File([head, tail], name, { type }));

/**
 * A route's params, by the names in its file path: real ids (`ids`, `slugs`) and values that name nothing,
 * malformed or not. An office's province is always TH-50: its matcher refuses any other value before SvelteKit
 * calls the route.
 */
export function routeParams(
	file: string,
	pools: { ids: string[]; slugs?: string[] }
): fc.Arbitrary<Record<string, string>> {
	const bad = malformedString.filter((s) => s !== '');
	const shape: Record<string, fc.Arbitrary<string>> = {};
	if (file.includes('[province=province]')) shape.province = fc.constant('TH-50');
	else if (file.includes('[province]'))
		shape.province = fc.oneof(fc.constantFrom('TH-50', 'TH-10', 'chiang-mai', 'CHIANG-MAI', 'TH-99'), bad);
	if (file.includes('[id]')) shape.id = fc.oneof(fc.constantFrom(...pools.ids), fc.uuid(), bad);
	if (file.includes('[region]')) shape.region = fc.oneof(fc.constantFrom('north', 'NorthEast'), bad);
	if (file.includes('[slug]'))
		shape.slug = fc.oneof(fc.constantFrom(...(pools.slugs ?? ['no-such-slug'])), bad);
	if (file.includes('[file]'))
		shape.file = fc.oneof(fc.constantFrom('startups.csv', 'demands.csv', 'deals.csv', 'gap.csv'), bad);
	if (file.includes('[...path]'))
		shape.path = fc.oneof(
			fc.constantFrom('../../etc/passwd', 'logos/x.webp', '%2e%2e/secret', 'a/../../b'),
			bad
		);
	return fc.record(shape);
}

/** Tables whose rows record that a request happened, not what it asked for: they change on refusals too. */
const BOOKKEEPING = new Set(['rate_limits', 'api_token_usage', 'search_log']);
/** Columns that say when something was last used, in the same sense. */
const BOOKKEEPING_COLUMNS: Record<string, string[]> = { api_tokens: ['last_used_at'] };
/** Rows made on first use, in the same sense: the salt of the search log's visitor hashes (search/log.ts). */
const BOOKKEEPING_ROWS: Record<string, string> = { job_state: `name <> 'search.visitor_salt'` };

/**
 * A checksum of every row of every table but the bookkeeping ones (row count and the sum of row hashes): two equal
 * fingerprints mean no row was inserted, updated or deleted in between.
 *
 * Hashing every row takes one query of some 80 table scans (about 30 ms, most of a fuzzer's time when taken after
 * each of thousands of inputs), so a table is hashed only when a row of it may have changed: the first call on a
 * database gives each of those tables a trigger that notes, in `fingerprint.notes`, the table of every row written,
 * in the writer's own transaction (a rolled-back write leaves no note). A table with no note since the last
 * checksum has no changed row, and its checksum still holds; one with a note is hashed again, so an update that
 * wrote the same values, or touched only bookkeeping, still compares equal as before.
 */
export async function tableFingerprint(db: Queryable): Promise<Record<string, string>> {
	let state = fingerprints.get(db);
	if (!state) {
		state = fingerprintSetUp(db);
		fingerprints.set(db, state);
	}
	const { parts, last } = await state;
	// The notes are counted first: a write committed after the count is seen at the next call.
	const notes = new Map(
		rowsOf<{ name: string; n: string }>(
			await db.execute(sql`select name, count(*)::text as n from fingerprint.notes group by name`)
		).map((r) => [r.name, r.n])
	);
	// Only the tables with notes since the last checksum are hashed again (all of them the first time).
	const stale = last.value
		? [...parts.keys()].filter((name) => notes.get(name) !== last.notes.get(name))
		: [...parts.keys()];
	if (stale.length) {
		const query = sql.raw(stale.map((name) => parts.get(name)!).join(' union all '));
		const sums = rowsOf<{ name: string; sum: string }>(await db.execute(query));
		last.value = { ...last.value, ...Object.fromEntries(sums.map((r) => [r.name, r.sum])) };
	}
	last.notes = notes;
	return { ...last.value };
}

const rowsOf = <T>(result: unknown): T[] =>
	Array.isArray(result) ? (result as T[]) : (result as { rows: T[] }).rows;

interface FingerprintState {
	/** Each table's checksum query, read from the catalogue once. */
	parts: Map<string, string>;
	/** The last checksums, and the count of change notes per table when they were taken. */
	last: { notes: Map<string, string>; value?: Record<string, string> };
}

const fingerprints = new WeakMap<Queryable, Promise<FingerprintState>>();

async function fingerprintSetUp(db: Queryable): Promise<FingerprintState> {
	const names = rowsOf<{ name: string }>(
		await db.execute(
			sql`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`
		)
	)
		.map((t) => t.name)
		.filter((name) => !BOOKKEEPING.has(name));
	const parts = new Map(
		names.map((name) => {
			const row = BOOKKEEPING_COLUMNS[name]
				? `(to_jsonb(t) - array[${BOOKKEEPING_COLUMNS[name].map((c) => `'${c}'`).join(', ')}])::text`
				: 't::text';
			const where = BOOKKEEPING_ROWS[name] ? ` where ${BOOKKEEPING_ROWS[name]}` : '';
			return [
				name,
				`select '${name}' as name, count(*) || ':' || coalesce(sum(hashtext(${row})::bigint), 0) as sum from "${name}" t${where}`
			];
		})
	);
	const triggers = names.flatMap((name) => [
		`create or replace trigger fingerprint_row after insert or update or delete on "${name}" for each row execute function fingerprint.note()`,
		`create or replace trigger fingerprint_truncate after truncate on "${name}" for each statement execute function fingerprint.note()`
	]);
	// The notes live outside the public schema, so the checksum and the portal's own queries never see them. A note
	// names its table: appended, never updated, so writers to the same table never wait on each other.
	for (const statement of [
		'create schema if not exists fingerprint',
		'create table if not exists fingerprint.notes (name text not null)',
		`create or replace function fingerprint.note() returns trigger language plpgsql as $$ begin insert into fingerprint.notes (name) values (TG_TABLE_NAME); return null; end $$`,
		...triggers
	])
		await db.execute(sql.raw(statement));
	return { parts, last: { notes: new Map() } };
}

/** The tables whose fingerprint differs. */
export function changedTables(before: Record<string, string>, after: Record<string, string>): string[] {
	return Object.keys({ ...before, ...after }).filter((name) => before[name] !== after[name]);
}

/** A seed per run from FUZZ_SEED (to replay a failure), fixed otherwise so every run sees the same inputs. */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20260901);
