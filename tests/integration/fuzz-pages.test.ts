// Bad input at scale, pages: every page load and GET handler outside the API (the public search, demand board,
// market, province, region and startup pages, CSVs, and every signed-in page as the role it serves) gets
// generated query strings — the parameters pages read and unknown ones, malformed or plausible, repeated — and
// generated route params. No call may crash or answer 5xx, and reading a page changes no row (the search log,
// which records searches, aside).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as schema from '$lib/server/db/schema';
import {
	changedTables,
	FUZZ_SEED,
	MEILI_INJECTIONS,
	malformedString,
	routeParams,
	SQL_INJECTIONS,
	tableFingerprint
} from '../helpers/malformed';
import { ROUTE_MODULES, routeEvent, routeFile, settle, signedInLocals } from '../helpers/route-event';
import { startWorld, worldIds, type Role, type RunningWorld, type World } from '../helpers/world';

// Thorough in CI; bounded on a developer's machine (FUZZ_RUNS sets either).
const RUNS = Number(process.env.FUZZ_RUNS ?? (process.env.CI ? 50 : 15));

/** Every query parameter a page reads, and a few no page reads. */
const QUERY_NAMES = [
	'q',
	'type',
	'province',
	'region',
	'tsic',
	'cert',
	'division',
	'certification',
	'minQuantity',
	'maxQuantity',
	'sort',
	'page',
	'live',
	'layer',
	'as',
	'next',
	'token',
	'subject',
	'role',
	'status',
	'saved',
	'published',
	'welcome',
	'reset',
	'v',
	'__proto__',
	'filter'
];

type Who = Role | 'visitor';

/** Whom a route serves: the signed-in areas by their folder; public and sign-in pages to visitors and startups. */
function servedBy(file: string): Who[] {
	if (file.startsWith('(app)/startup')) return ['startup'];
	if (file.startsWith('(app)/buyer')) return ['buyer'];
	if (file.startsWith('(app)/office')) return ['officer'];
	if (file.startsWith('(app)/admin')) return ['admin'];
	if (file.startsWith('(app)/') || file.startsWith('(auth)/sign-out')) return ['buyer'];
	return ['visitor', 'startup'];
}

let running: RunningWorld;
let world: World;
let slugs: string[];
const locals = {} as Record<Who, App.Locals>;

beforeAll(async () => {
	running = await startWorld({ search: true });
	world = running.world;
	const { db } = running.database;
	slugs = (await db.select({ slug: schema.startups.slug }).from(schema.startups)).map((s) => s.slug);
	for (const who of ['startup', 'buyer', 'officer', 'admin'] as const)
		locals[who] = await signedInLocals(db, world.users[who].id);
	locals.visitor = { user: null, session: null };
}, 180_000);

afterAll(async () => {
	await running?.stop();
});

function plausible(name: string): fc.Arbitrary<string> {
	if (name === 'province') return fc.constantFrom('TH-50', 'TH-10', 'TH-99', 'chiang-mai');
	if (name === 'region') return fc.constantFrom('north', 'northeast', 'atlantis');
	if (name === 'tsic' || name === 'division') return fc.constantFrom('01', '10', '99');
	if (name === 'cert' || name === 'certification') return fc.constantFrom('gmp', 'organic-thailand', 'nope');
	if (name === 'type') return fc.constantFrom('startup', 'product', 'demand', 'user');
	if (name === 'page') return fc.constantFrom('1', '2', '50', '51', '10000', '10001');
	if (/Quantity$/.test(name)) return fc.constantFrom('0', '1', '2.5', '1000000000000');
	if (name === 'sort') return fc.constantFrom('newest', 'closing', 'price');
	if (name === 'layer') return fc.constantFrom('demand', 'capacity', 'unmet', 'selection');
	if (name === 'as') return fc.constantFrom('startup', 'buyer', 'admin');
	if (name === 'next') return fc.constantFrom('/buyer', '//evil.example', 'https://evil.example');
	if (name === 'token') return fc.stringMatching(/^[a-z2-7]{32}$/);
	if (name === 'role') return fc.constantFrom('startup', 'officer', 'root');
	if (name === 'status') return fc.constantFrom('active', 'suspended', 'draft');
	return fc.constantFrom('ข้าวหอมมะลิ', 'coffee', 'กาแฟ arabica', ...SQL_INJECTIONS, ...MEILI_INJECTIONS);
}

const queryArbitrary = fc
	.array(
		fc
			.constantFrom(...QUERY_NAMES)
			.chain((name) =>
				fc.tuple(
					fc.constant(name),
					fc.oneof({ weight: 3, arbitrary: malformedString }, { weight: 2, arbitrary: plausible(name) })
				)
			),
		{ maxLength: 6 }
	)
	.map((pairs) => {
		const params = new URLSearchParams();
		for (const [name, value] of pairs) params.append(name, value);
		const search = params.toString();
		return search ? `?${search}` : '';
	});

const problems: string[] = [];
let inputs = 0;

describe('every page load and GET handler, fed malformed query strings and params', () => {
	const routes = Object.keys(ROUTE_MODULES)
		.map(routeFile)
		// The API has its own fuzz test; /health reads no input and needs the whole runtime (runtime.test.ts).
		.filter((file) => !file.startsWith('api/v1/') && file !== 'health/+server.ts')
		.sort();
	let expected = 0;

	for (const file of routes) {
		it(file, async () => {
			const module = await ROUTE_MODULES[`/src/routes/${file}`]!();
			const handlers = (['load', 'GET'] as const).filter((name) => name in module);
			expected += RUNS * handlers.length;
			for (const name of handlers) {
				const handler = module[name] as (event: unknown) => unknown;
				let before = await tableFingerprint(running.database.db);
				await fc.assert(
					fc.asyncProperty(
						queryArbitrary,
						routeParams(file, { ids: worldIds(world), slugs }),
						fc.constantFrom(...servedBy(file)),
						async (search, params, who) => {
							inputs++;
							const event = routeEvent({ locals: locals[who], method: 'GET', params, search });
							const settled = await settle(() => handler(event));
							const after = await tableFingerprint(running.database.db);
							const where = `${file} ${name} as ${who} ${JSON.stringify(params).slice(0, 200)} ${search.slice(0, 300)}`;
							if (settled.kind === 'crash') {
								const cause = (settled.error as { cause?: Error }).cause;
								problems.push(`${where}: threw ${cause?.message ?? String(settled.error)}`);
							} else if (settled.status >= 500) problems.push(`${where}: ${settled.status}`);
							else if (
								settled.kind === 'http' &&
								![401, 403, 404].includes(settled.status) &&
								/^[a-z_]+$/.test(settled.message)
							)
								problems.push(`${where}: ${settled.status} with a bare code ${settled.message}`);
							const changed = changedTables(before, after);
							if (changed.length) problems.push(`${where}: changed ${changed.join(', ')}`);
							before = after;
						}
					),
					{ seed: FUZZ_SEED, numRuns: RUNS }
				);
			}
			expect(problems.filter((p) => p.startsWith(`${file} `))).toEqual([]);
		});
	}

	it('fed every page', () => {
		console.log(`fuzz-pages: ${inputs} generated requests (seed ${FUZZ_SEED})`);
		if (problems.length) console.log(problems.join('\n'));
		expect(inputs).toBe(expected);
	});
});
