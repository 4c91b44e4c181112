// Every server route that is not public must call the guard on the first line of each load, action and
// handler. This walks src/routes and reads the code with the TypeScript parser, so a new route cannot
// slip through by forgetting it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROUTES = path.resolve('src/routes');
/**
 * Routes anyone may use, each with the reason; where only some exports are public (a public page with
 * signed-in actions), `only` names them and the rest must still call the guard.
 */
const PUBLIC: Record<string, string | { reason: string; only: string[] }> = {
	'(public)/+page.server.ts': 'the home page',
	'health/+server.ts': 'polled by operators: a public summary, the full report for OPERATOR_TOKEN',
	'health/live/+server.ts': 'liveness for load balancers: the process answers, nothing more',
	'health/ready/+server.ts': 'readiness for load balancers: database and admission line, no details',
	'metrics/+server.ts':
		'Prometheus metrics behind OPERATOR_TOKEN (checked in the handler, absent without it)',
	'locale/+server.ts': 'the language switch',
	'+layout.server.ts': 'tells pages who is signed in; returns only the requester’s own email and role',
	'(auth)/sign-up/+page.server.ts': 'public sign-up for startups and buyers',
	'(auth)/sign-in/+page.server.ts': 'signing in',
	'(auth)/sign-in/identity/+server.ts': 'starts a sign-in at an identity provider; signs nobody in itself',
	'(auth)/sign-in/identity/[provider]/callback/+server.ts':
		'the identity provider’s redirect back: the flow cookie, state, nonce and PKCE verifier are the credential',
	'(auth)/sign-up/identity/+page.server.ts':
		'completes a sign-up for an identity the provider just verified (held by the flow cookie)',
	'api/line/webhook/+server.ts':
		'LINE’s webhook: the X-Line-Signature (HMAC-SHA256 of the body with the channel secret) is the credential',
	'(auth)/forgot-password/+page.server.ts': 'asking for a reset link (same answer for every address)',
	'(auth)/reset-password/+page.server.ts': 'the emailed reset link is the credential',
	'(auth)/invite/+page.server.ts': 'the emailed invitation link is the credential',
	'(auth)/verify-email/+page.server.ts': 'the emailed verification link is the credential',
	'dev/mail/+page.server.ts':
		'the development mailbox; 404 unless switched on outside production, and then loopback only',
	'(public)/startups/[slug]/+page.server.ts':
		'an approved startup’s public profile (the approved snapshot only)',
	'uploads/[...path]/+server.ts': 'logos and product photos shown on public pages',
	'(public)/demand/+page.server.ts': 'the public demand board',
	'(public)/search/+page.server.ts': 'the public search box',
	'(public)/provinces/[province]/+page.server.ts':
		'a province’s public page: aggregates and public records only',
	'(public)/regions/[region]/+page.server.ts': 'a region’s provinces with their public figures',
	'(public)/privacy/+page.server.ts': 'the privacy notice (the configured controller and retention periods)',
	'(public)/market/+page.server.ts': 'the public gap dashboard (aggregates, no personal data)',
	'(public)/market/gap.csv/+server.ts': 'the gap dashboard’s figures as CSV',
	'sitemap.xml/+server.ts': 'the sitemap of public pages for crawlers',
	'robots.txt/+server.ts': 'crawler rules',
	'map/provinces.svg/+server.ts': 'the province outlines the public map draws',
	'api/docs/+page.server.ts': 'the API reference, built from the public OpenAPI document',
	'(public)/waste/+page.server.ts': 'the by-product figures and the lots an office approved (issue 23)',
	'(public)/waste/figures.csv/+server.ts': 'the by-product figures per province as CSV',
	'(public)/alerts/unsubscribe/[token]/+page.server.ts':
		'the signed unsubscribe link in an alert is the credential (HMAC over the saved search and its purpose)',
	'(public)/demand/[id]/+page.server.ts': {
		reason: 'a demand is public; offering, messaging and reporting are not',
		only: ['load']
	}
};
const HANDLERS = new Set(['load', 'GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'fallback']);
const GUARDS = new Set(['requireUser', 'requireRole']);
/**
 * An API route's handler is made by `apiHandler(endpoint)`: the endpoint declares who may call it (`access`:
 * public or a token scope, required by its type) and apiHandler enforces that before anything else runs.
 */
const GUARDED_FACTORIES = new Set(['apiHandler']);

function serverFiles(dir: string): string[] {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) return serverFiles(full);
		return /^\+(page\.server|layout\.server|server)\.ts$/.test(entry.name) ? [full] : [];
	});
}

function firstStatementCallsGuard(fn: ts.Node): boolean {
	if (ts.isCallExpression(fn) && ts.isIdentifier(fn.expression) && GUARDED_FACTORIES.has(fn.expression.text))
		return true;
	if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn) && !ts.isFunctionDeclaration(fn)) return false;
	const body = fn.body;
	if (!body || !ts.isBlock(body)) return false;
	const first = body.statements[0];
	if (!first) return false;
	let call: ts.Node | undefined;
	if (ts.isExpressionStatement(first)) call = first.expression;
	if (ts.isVariableStatement(first)) call = first.declarationList.declarations[0]?.initializer;
	return (
		!!call &&
		ts.isCallExpression(call) &&
		ts.isIdentifier(call.expression) &&
		GUARDS.has(call.expression.text)
	);
}

/** Names of exported handlers (and `actions.x`) whose first statement is not a guard call. */
export function unguardedHandlers(source: string): string[] {
	const file = ts.createSourceFile('route.ts', source, ts.ScriptTarget.Latest, true);
	const missing: string[] = [];
	for (const statement of file.statements) {
		const exported = ts
			.getModifiers(statement as ts.HasModifiers)
			?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
		if (!exported) continue;
		if (ts.isFunctionDeclaration(statement) && statement.name && HANDLERS.has(statement.name.text)) {
			if (!firstStatementCallsGuard(statement)) missing.push(statement.name.text);
		}
		if (!ts.isVariableStatement(statement)) continue;
		for (const declaration of statement.declarationList.declarations) {
			const name = declaration.name.getText(file);
			let init = declaration.initializer;
			while (init && (ts.isSatisfiesExpression(init) || ts.isAsExpression(init))) init = init.expression;
			if (!init) continue;
			if (HANDLERS.has(name) && !firstStatementCallsGuard(init)) missing.push(name);
			if (name === 'actions') {
				if (!ts.isObjectLiteralExpression(init)) {
					missing.push('actions');
					continue;
				}
				for (const property of init.properties) {
					const fn = ts.isPropertyAssignment(property) ? property.initializer : property;
					if (!firstStatementCallsGuard(fn)) missing.push(`actions.${property.name?.getText(file)}`);
				}
			}
		}
	}
	return missing;
}

describe('guard coverage', () => {
	it('finds every server route file, and lists public ones that still exist', () => {
		const files = serverFiles(ROUTES).map((file) => path.relative(ROUTES, file));
		expect(files.length).toBeGreaterThan(0);
		for (const publicFile of Object.keys(PUBLIC)) expect(files).toContain(publicFile);
	});

	it('every non-public load, action and handler calls the guard first', () => {
		const offenders = serverFiles(ROUTES).flatMap((file) => {
			const relative = path.relative(ROUTES, file);
			const entry = PUBLIC[relative];
			if (typeof entry === 'string') return [];
			return unguardedHandlers(fs.readFileSync(file, 'utf8'))
				.filter((name) => !entry?.only.includes(name))
				.map((name) => `${relative}: ${name}`);
		});
		expect(offenders).toEqual([]);
	});

	it('catches a handler without the guard, one with it later, and an unguarded action', () => {
		expect(
			unguardedHandlers(`export const load = async ({ locals }) => { requireUser(locals); return {}; };`)
		).toEqual([]);
		expect(
			unguardedHandlers(
				`export const GET = async ({ locals }) => { const user = requireRole(locals, 'admin'); return json(user); };`
			)
		).toEqual([]);
		expect(unguardedHandlers(`export const load = async () => ({ secret: 1 });`)).toEqual(['load']);
		expect(unguardedHandlers(`export const GET = apiHandler(listStartups);`)).toEqual([]);
		expect(unguardedHandlers(`export const GET = makeHandler(listStartups);`)).toEqual(['GET']);
		expect(
			unguardedHandlers(`export async function POST({ locals }) { log(); requireUser(locals); }`)
		).toEqual(['POST']);
		expect(
			unguardedHandlers(
				`export const actions = { save: async ({ locals }) => { requireUser(locals); }, drop: async () => {} };`
			)
		).toEqual(['actions.drop']);
	});
});

describe('routes hold no queries', () => {
	// A route guards, parses, calls a service and maps errors; the queries live in src/lib/server/<domain>/.
	const importsOf = (file: string) => {
		const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
		return source.statements
			.filter(ts.isImportDeclaration)
			.map((statement) => (statement.moduleSpecifier as ts.StringLiteral).text);
	};
	const isQueryModule = (specifier: string) =>
		specifier === 'drizzle-orm' ||
		specifier.startsWith('drizzle-orm/') ||
		/(^|\/)db\/schema$/.test(specifier);

	it('no route file imports drizzle or the schema', () => {
		const offenders = serverFiles(ROUTES)
			.filter((file) => importsOf(file).some(isQueryModule))
			.map((file) => path.relative(ROUTES, file));
		expect(offenders).toEqual([]);
	});

	it('would catch one that does', () => {
		const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'route-imports-')), '+page.server.ts');
		fs.writeFileSync(
			file,
			"import { eq } from 'drizzle-orm';\nimport { users } from '$lib/server/db/schema';\n"
		);
		expect(importsOf(file).filter(isQueryModule)).toEqual(['drizzle-orm', '$lib/server/db/schema']);
	});
});

// Lint does not run svelte/require-store-reactive-access (the costliest template rule): it guards stores, and the
// portal has none. This keeps it so; a store brought in means turning the rule back on in eslint.config.js.
describe('no Svelte stores', () => {
	const STORE_IMPORT = /from\s+['"]svelte\/store['"]/;
	const sources = (dir: string): string[] =>
		fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
			const full = path.join(dir, entry.name);
			if (entry.isDirectory()) return entry.name === 'paraglide' ? [] : sources(full);
			return /\.(svelte|ts|js)$/.test(entry.name) ? [full] : [];
		});

	it('no file under src imports svelte/store', () => {
		const offenders = sources(path.resolve('src')).filter((file) =>
			STORE_IMPORT.test(fs.readFileSync(file, 'utf8'))
		);
		expect(offenders.map((file) => path.relative('src', file))).toEqual([]);
	});

	it('would catch one that does', () => {
		expect(STORE_IMPORT.test("import { writable } from 'svelte/store';")).toBe(true);
	});
});
