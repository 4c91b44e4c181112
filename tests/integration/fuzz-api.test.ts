// Bad input at scale, API: every /api/v1 endpoint gets generated calls — path keys, query strings with its own
// and unknown parameters, JSON bodies (malformed text, wrong types, a valid document with a field or three spoiled),
// odd content types, tokens and languages — through the same route handlers and error hook SvelteKit runs. No call
// may answer 5xx; every error is the API's JSON error with a message in the caller's language (Thai unless English
// is asked for), never the bare code; reads and refused writes change no row.
process.env.API_PUBLIC_REQUESTS_PER_MINUTE = '1000000';

import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { API_ERRORS } from '$lib/server/api/errors';
import type { Endpoint } from '$lib/server/api/endpoint';
import { ENDPOINTS } from '$lib/server/api/registry';
import { callApi } from '../helpers/api';
import {
	changedTables,
	FUZZ_SEED,
	malformedJson,
	malformedString,
	tableFingerprint
} from '../helpers/malformed';
import { startWorld, type RunningWorld, type World } from '../helpers/world';

// More in CI than on a developer's machine, within CI's fifteen minutes; FUZZ_RUNS sets either (a deep run:
// FUZZ_RUNS=500). The seed is fixed, so a smaller count tries the first of the same inputs, and every case a run
// once found stays in fuzz-regressions.test.ts.
const RUNS = Number(process.env.FUZZ_RUNS ?? (process.env.CI ? 100 : 40));
/** The endpoints that write take more calls: their bodies have the most to get wrong. */
const runsOf = (endpoint: Endpoint) => (endpoint.body ? RUNS * 2 : RUNS);
/** About 0.1 s a call beside the other files in CI; the limit is three times that, so only a hang fails. */
const timeLimitOf = (endpoint: Endpoint) => Math.max(60_000, runsOf(endpoint) * 300);
const THAI = /[\u0e00-\u0e7f]/;

let running: RunningWorld;
let world: World;

beforeAll(async () => {
	running = await startWorld({ search: true });
	world = running.world;
}, 180_000);

afterAll(async () => {
	await running?.stop();
});

/** Accept-Language values with the language the answer must be in. */
const LANGUAGES: [string | undefined, 'th' | 'en'][] = [
	[undefined, 'th'],
	['th', 'th'],
	['en', 'en'],
	['en-GB,en;q=0.9', 'en'],
	['fr', 'th'],
	['fr, en;q=0.5', 'en'],
	['th;q=0, en', 'en'],
	['*', 'th'],
	['en;q=abc, th', 'th'],
	['x'.repeat(5000), 'th']
];

// The fixtures as written (loose: every field kept), typed down to the records the bodies are made of.
const records = z.array(z.looseObject({}));
const fixture = z
	.looseObject({ startups: records, demands: records })
	.parse(JSON.parse(fs.readFileSync(path.resolve('tests/fixtures/exchange-small.json'), 'utf8')));
const waste = z
	.looseObject({ byproducts: records, material_wants: records })
	.parse(JSON.parse(fs.readFileSync(path.resolve('tests/fixtures/exchange-waste.json'), 'utf8')));
/** Valid bodies, which the generator spoils (refs of their own, so an accepted one does not touch the world's). */
const VALID_BODIES: Record<string, unknown> = {
	'POST /api/v1/import': {
		...fixture,
		startups: fixture.startups.map((s, i) => ({ ...s, ref: `fz-s-${i}` })),
		demands: fixture.demands.map((d, i) => ({ ...d, ref: `fz-d-${i}` }))
	},
	'POST /api/v1/demands': { ...fixture.demands[0], ref: 'fz-agency-d' },
	'POST /api/v1/byproducts': { ...waste.byproducts[0], ref: 'fz-agency-b' },
	'POST /api/v1/material-wants': { ...waste.material_wants[0], ref: 'fz-agency-w' }
};

/** Every path to a value inside a JSON value, e.g. ['startups', 0, 'products', 0, 'unit']. */
function pathsOf(value: unknown, at: (string | number)[] = []): (string | number)[][] {
	if (Array.isArray(value)) return [at, ...value.flatMap((v, i) => pathsOf(v, [...at, i]))];
	if (value && typeof value === 'object')
		return [at, ...Object.entries(value).flatMap(([k, v]) => pathsOf(v, [...at, k]))];
	return [at];
}

type Spoil = {
	kind: 'replace' | 'delete' | 'add' | 'append';
	value: unknown;
	junk: string;
	keepType: boolean;
};

/** Stuck to the end of a string that was valid. */
const JUNK = [
	'\u0000',
	'"',
	"'",
	'\\',
	'\u202e',
	"' OR 1=1 --",
	'" OR status = "draft',
	'🍚',
	'x'.repeat(300)
];

/**
 * The document with the value at `where` replaced (a string often by another string), removed, given junk at
 * its end, or given an unknown sibling field.
 */
function spoil(document: unknown, where: (string | number)[], how: Spoil): unknown {
	if (where.length === 0) return how.kind === 'add' ? document : how.value;
	const copy = structuredClone(document) as Record<string | number, unknown>;
	let parent = copy;
	for (const key of where.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
	const last = where.at(-1)!;
	const original = parent[last];
	if (how.kind === 'append' && typeof original === 'string') parent[last] = original + how.junk;
	else if (how.kind === 'delete') delete parent[last];
	else if (how.kind === 'add' && !Array.isArray(parent)) parent[`x_${String(last)}`] = how.value;
	else
		parent[last] =
			typeof original === 'string' && how.keepType && typeof how.value !== 'string'
				? (JSON.stringify(how.value) ?? '')
				: how.value;
	return copy;
}

const keyPool = () => [
	world.refs.startup,
	world.refs.demand,
	world.ids.startup,
	world.ids.demand,
	// Not public: a draft demand, a startup's product and an offer are no key of any endpoint.
	world.ids.draftDemand,
	world.ids.product,
	world.ids.offer,
	world.ids.startup.toUpperCase(),
	'-'.repeat(36),
	'TH-50',
	'th-50',
	'TH-99'
];

/** Plausible values for a query parameter, by its name, so that calls also get past validation. */
function plausible(name: string): fc.Arbitrary<string> {
	if (name === 'province') return fc.constantFrom('TH-50', 'TH-10', 'TH-99');
	if (name === 'tsic') return fc.constantFrom('01', '10', '99');
	if (name === 'certification') return fc.constantFrom('gmp', 'thai-fda', 'nope');
	if (name === 'limit') return fc.constantFrom('1', '50', '100', '101', '0');
	if (name === 'cursor')
		return fc.constantFrom(
			Buffer.from(world.ids.demand).toString('base64url'),
			Buffer.from('not a uuid').toString('base64url'),
			'!!!'
		);
	if (name === 'selected_year' || name === 'year') return fc.constantFrom('2026', '1999', '2101');
	if (name === 'unit') return fc.constantFrom('kg', 'tonne', 'bushel');
	if (name === 'coverage') return fc.constantFrom('unmet', 'covered', 'pending', 'all');
	if (name === 'status') return fc.constantFrom('offered', 'requested', 'nope');
	if (name === 'dry_run') return fc.constantFrom('true', 'true', 'false', 'yes');
	if (name === 'region') return fc.constantFrom('north', 'northeast', 'atlantis');
	return fc.constantFrom('x');
}

function queryNames(endpoint: Endpoint): string[] {
	const schema = endpoint.query as z.ZodObject | undefined;
	return schema && 'shape' in schema ? Object.keys(schema.shape) : [];
}

interface Call {
	target: string;
	language: [string | undefined, 'th' | 'en'];
	token: 'world' | 'none' | 'garbage';
	body?: { raw: string; type: string | undefined };
	dryRun: boolean;
}

/** A query string of the endpoint's own parameters (plausible or malformed, sometimes twice) and unknown ones. */
function queryArbitrary(names: string[], options: { malformed: boolean }): fc.Arbitrary<URLSearchParams> {
	const value = (name: string) =>
		options.malformed
			? fc.oneof({ weight: 3, arbitrary: malformedString }, { weight: 2, arbitrary: plausible(name) })
			: plausible(name);
	return fc
		.tuple(
			fc.subarray(names),
			options.malformed
				? fc.array(fc.tuple(fc.constantFrom('x', 'limit[]', 'filter', '__proto__', 'q'), malformedString), {
						maxLength: 2
					})
				: fc.constant([]),
			fc.tuple(
				...names.map((n) => fc.array(value(n), { minLength: 1, maxLength: options.malformed ? 2 : 1 }))
			)
		)
		.map(([chosen, unknown, values]) => {
			const params = new URLSearchParams();
			for (const name of chosen) for (const v of values[names.indexOf(name)]!) params.append(name, v);
			for (const [name, v] of unknown) params.append(name, v);
			return params;
		});
}

/** A valid document with one or two values spoiled. */
function spoiledBody(valid: unknown): fc.Arbitrary<string> {
	return fc
		.array(
			fc.tuple(
				fc.nat(),
				fc.constantFrom<Spoil['kind']>('replace', 'append', 'append', 'delete', 'add'),
				malformedJson,
				fc.constantFrom(...JUNK),
				fc.boolean()
			),
			{ minLength: 1, maxLength: 2 }
		)
		.map((spoils) => {
			let document = valid;
			for (const [n, kind, value, junk, keepType] of spoils) {
				const paths = pathsOf(document);
				document = spoil(document, paths[n % paths.length]!, { kind, value, junk, keepType });
			}
			return JSON.stringify(document) ?? '';
		});
}

const CONTENT_TYPES = [
	'application/json',
	'application/json; charset=utf-8',
	'APPLICATION/JSON',
	'text/plain',
	'application/x-www-form-urlencoded',
	'multipart/form-data; boundary=x',
	undefined
];

/**
 * A call with one part spoiled and the rest valid (so that each check is reached), or with every part generated
 * at once: the path key, the query string, the token, the content type or the body.
 */
function callArbitrary(endpoint: Endpoint): fc.Arbitrary<Call> {
	const names = queryNames(endpoint);
	const valid = VALID_BODIES[`${endpoint.method} ${endpoint.path}`];
	const goodKey = fc.constantFrom(...keyPool());
	const badKey = malformedString.filter((s) => s !== '' && s.length < 3000);
	const goodQuery = queryArbitrary(names, { malformed: false });
	const badQuery = queryArbitrary(names, { malformed: true });
	const token = fc.constantFrom<Call['token']>('world', 'none', 'garbage');
	const body = fc.oneof(
		{ weight: 1, arbitrary: malformedString },
		{ weight: 1, arbitrary: malformedJson.map((v) => JSON.stringify(v) ?? 'null') },
		{ weight: 4, arbitrary: spoiledBody(valid) }
	);
	const layers = ['key', 'query', 'token', ...(endpoint.body ? ['type', 'body', 'body', 'body'] : [])];
	return fc
		.record({
			spoilt: fc.constantFrom('all', ...layers),
			language: fc.constantFrom(...LANGUAGES),
			key: fc.tuple(goodKey, badKey),
			query: fc.tuple(goodQuery, badQuery),
			token,
			type: fc.constantFrom(...CONTENT_TYPES),
			body
		})
		.map(({ spoilt, language, key, query, token, type, body }) => {
			const bad = (layer: string) => spoilt === 'all' || spoilt === layer;
			const pathKey = bad('key') ? key[1] : key[0];
			const params = bad('query') ? query[1] : query[0];
			const pathname = endpoint.path.replace(/\{[a-z]+\}/g, encodeURIComponent(pathKey.toWellFormed()));
			const search = params.toString();
			return {
				target: search ? `${pathname}?${search}` : pathname,
				language,
				token: bad('token') ? token : 'world',
				body: endpoint.body
					? {
							raw: bad('body') ? body : JSON.stringify(valid),
							type: bad('type') ? type : 'application/json'
						}
					: undefined,
				dryRun: params.get('dry_run') === 'true'
			};
		});
}

const problems: string[] = [];
let inputs = 0;

describe('every API endpoint, fed malformed calls', () => {
	for (const endpoint of ENDPOINTS) {
		const route = `${endpoint.method} ${endpoint.path}`;
		it(
			route,
			async () => {
				let before = await tableFingerprint(running.database.db);
				await fc.assert(
					fc.asyncProperty(callArbitrary(endpoint), async (call) => {
						inputs++;
						const headers: Record<string, string> = {};
						if (call.language[0] !== undefined) headers['accept-language'] = call.language[0];
						if (call.body?.type) headers['content-type'] = call.body.type;
						if (call.token === 'garbage') headers.authorization = "Bearer tnp_' OR 1=1 --";
						const response = await callApi(endpoint.method, call.target, {
							token: call.token === 'world' ? world.token : undefined,
							rawBody: call.body?.raw,
							headers: call.body && !call.body.type ? { ...headers, 'content-type': '' } : headers
						});
						const text = await response.text();
						const after = await tableFingerprint(running.database.db);
						const where = `${route} ${call.target.slice(0, 200)} (${call.language[0]?.slice(0, 20)}, ${call.token}) ${call.body?.raw?.slice(0, 200) ?? ''}`;
						const problem = check(response, text, call);
						if (problem) problems.push(`${where}: ${problem}`);
						const refused = response.status >= 400;
						if (endpoint.method === 'GET' || refused || call.dryRun) {
							const changed = changedTables(before, after);
							if (changed.length) problems.push(`${where}: changed ${changed.join(', ')}`);
						}
						before = after;
					}),
					{ seed: FUZZ_SEED, numRuns: runsOf(endpoint) }
				);
				expect(problems.filter((p) => p.startsWith(`${route} `))).toEqual([]);
			},
			timeLimitOf(endpoint)
		);
	}

	it('fed every endpoint', () => {
		console.log(`fuzz-api: ${inputs} generated calls (seed ${FUZZ_SEED})`);
		if (problems.length) console.log(problems.join('\n'));
		expect(inputs).toBe(ENDPOINTS.reduce((sum, e) => sum + runsOf(e), 0));
	});
});

/** What is wrong with an answer, if anything. */
function check(response: Response, text: string, call: Call): string | null {
	if (response.status >= 500) return `${response.status} ${text.slice(0, 300)}`;
	if (response.status === 304) return null;
	if (!(response.headers.get('content-type') ?? '').startsWith('application/json'))
		return `not JSON: ${response.headers.get('content-type')}`;
	if (response.status < 400) return null;
	const body = JSON.parse(text) as { error?: { code?: string; message?: string } };
	const code = body.error?.code as keyof typeof API_ERRORS | undefined;
	const message = body.error?.message ?? '';
	if (!code || API_ERRORS[code] !== response.status) return `error code ${code} for ${response.status}`;
	const expected = call.language[1];
	if (response.headers.get('content-language') !== expected)
		return `answered in ${response.headers.get('content-language')}, not ${expected}`;
	if (message === code || /^[a-z_]+$/.test(message)) return `bare message ${message}`;
	if (expected === 'th' && !THAI.test(message)) return `not in Thai: ${message}`;
	if (expected === 'en' && THAI.test(message)) return `not in English: ${message}`;
	return null;
}
