// `npm run audit:security`: the production build on scratch ports with the demo data, attacked by sqlmap (the
// Debian package) through the public search, the demand board and the API — query strings, a path key and a
// JSON import with a token issued here — plus the live headers and a cross-site form post; then
// `npm audit --omit=dev`. Prints what was tested, what sqlmap found injectable (expected: nothing) and the audit.
// Exits 1 when a parameter is injectable, a check fails or a high or critical advisory applies.
import { spawn, spawnSync } from 'node:child_process';
import { z } from 'zod';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createAdmin } from '../src/lib/server/accounts/service';
import { issueApiToken } from '../src/lib/server/api/tokens';
import { parseEnv } from '../src/lib/server/env';
import { connectDatabase } from '../src/lib/server/runtime';
import { freePort } from '../tests/helpers/ports';
import { printLogTail, run, startPortal, stopPortal, waitForHealth } from './pages';

/** sqlmap's time for one target, after which it is stopped and the target reported as cut short. */
const TARGET_TIMEOUT_MS = Number(process.env.AUDIT_TARGET_MINUTES ?? 12) * 60_000;
const SQLMAP_OPTIONS = [
	'--batch',
	'--level=2',
	'--risk=1',
	// The portal runs on PostgreSQL (PGlite here): payloads for other engines would only cost time.
	'--dbms=PostgreSQL',
	'--threads=2',
	'--timeout=20',
	'--retries=1',
	'--time-sec=3',
	'--flush-session',
	'--disable-coloring'
];

interface Target {
	name: string;
	url: string;
	/** Extra sqlmap options (body, headers). */
	options?: string[];
}

interface Finding {
	target: string;
	parameter: string;
	verdict: 'not injectable' | 'INJECTABLE';
}

interface TargetReport {
	target: string;
	findings: Finding[];
	/** sqlmap's count of the HTTP errors it got, e.g. "400 (Bad Request) - 564 times". */
	httpErrors: string | null;
	seconds: number;
	cutShort: boolean;
}

async function main(): Promise<number> {
	const started = performance.now();
	if (spawnSync('sqlmap', ['--version']).error) {
		console.error('sqlmap is not installed: `apt-get install -y sqlmap` (Debian package), then run again.');
		return 1;
	}
	await ensureBuild();
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-security-'));
	const env = {
		...process.env,
		DATA_DIR: dataDir,
		PORT: String(await freePort()),
		MEILI_PORT: String(await freePort()),
		NODE_ENV: 'production',
		// sqlmap sends thousands of requests from one address: the public rate limit would answer most of them
		// 429 before any parameter reached a query, and the scan would prove nothing.
		API_PUBLIC_REQUESTS_PER_MINUTE: '1000000'
	};
	const base = `http://localhost:${env.PORT}`;
	let app: ReturnType<typeof startPortal> | undefined;
	let failed: boolean;
	try {
		console.log(`Seeding the demo data into ${dataDir} …`);
		await run('npx', ['tsx', 'src/cli/index.ts', 'seed', '--demo'], env);
		const token = await issueToken(dataDir);
		app = startPortal(env, dataDir);
		await waitForHealth(base, app, 120_000);
		console.log(`Portal (production build, demo data) at ${base}\n`);

		const live = await liveChecks(base);
		const demandKey = await firstDemandKey(base);
		const reports: TargetReport[] = [];
		for (const target of targets(base, demandKey, token)) reports.push(await sqlmap(target, dataDir));
		failed = printSqlmap(reports) || live.some((c) => !c.ok);
		printLive(live);
	} catch (error) {
		printLogTail(dataDir);
		throw error;
	} finally {
		await stopPortal(app, dataDir);
		fs.rmSync(dataDir, { recursive: true, force: true });
	}
	failed = npmAudit() || failed;
	console.log(`\nTime taken: ${((performance.now() - started) / 60_000).toFixed(1)} min`);
	return failed ? 1 : 0;
}

/** Builds when there is no build; a build older than the source is used as it is, with a note. */
async function ensureBuild() {
	if (!fs.existsSync('build/index.js')) {
		console.log('No production build: running `npm run build` …');
		await run('npm', ['run', 'build'], process.env);
		return;
	}
	const built = fs.statSync('build/index.js').mtimeMs;
	const newer = fs
		.readdirSync('src', { recursive: true, withFileTypes: true })
		.filter(
			(entry) => entry.isFile() && fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs > built
		);
	if (newer.length > 0)
		console.log(
			`Note: ${newer.length} file(s) under src/ changed after the last build; run \`npm run build\` first to audit them.`
		);
}

/** An administrator and an API token with every scope, written before the portal starts. */
async function issueToken(dataDir: string): Promise<string> {
	const stops: (() => Promise<void>)[] = [];
	const database = await connectDatabase(parseEnv({ DATA_DIR: dataDir }), 'cli', () => {}, stops);
	try {
		const admin = await createAdmin(
			database.db,
			{ email: 'audit@example.org', password: `audit ${crypto.randomUUID()}` },
			'audit:security'
		);
		const { secret } = await issueApiToken(database.db, admin, {
			agencyId: 'sme-d-bank',
			label: 'audit:security (sqlmap)',
			scopes: ['read', 'import', 'demands:write'],
			requestsPerMinute: 100_000,
			expiresAt: new Date(Date.now() + 86_400_000)
		});
		return secret;
	} finally {
		for (const stop of stops.reverse()) await stop();
	}
}

async function firstDemandKey(base: string): Promise<string> {
	const response = await fetch(`${base}/api/v1/demands?limit=1`);
	const body = (await response.json()) as { data: { ref: string | null; id: string }[] };
	const first = body.data[0];
	if (!first) throw new Error('the demo data has no open demand to read by key');
	return first.ref ?? first.id;
}

function targets(base: string, demandKey: string, token: string): Target[] {
	const document = JSON.stringify({
		format: 'provincial-matchmaking/v1',
		startups: [
			{
				ref: 'audit-s-1',
				province: 'TH-50',
				name_th: 'ทดสอบ',
				tsic: ['10'],
				certifications: ['gmp'],
				products: [{ name_th: 'กาแฟ', unit: 'kg', monthly_capacity: 100 }]
			}
		],
		demands: [
			{
				ref: 'audit-d-1',
				buyer_name: 'Audit Hotel',
				title_th: 'กาแฟคั่ว',
				tsic: '10',
				quantity: 5,
				unit: 'kg',
				recurrence: 'monthly',
				delivery_province: 'TH-50',
				needed_by: '2099-01-31'
			}
		]
	});
	return [
		{
			name: 'search',
			url: `${base}/search?q=%E0%B8%82%E0%B9%89%E0%B8%B2%E0%B8%A7&type=startup&province=TH-50`
		},
		{
			name: 'demand board',
			url: `${base}/demand?province=TH-50&division=01&certification=gmp&minQuantity=1&sort=newest&page=1`
		},
		{ name: 'API startups', url: `${base}/api/v1/startups?province=TH-50&tsic=01&certification=gmp&limit=5` },
		{
			name: 'API demands',
			url: `${base}/api/v1/demands?province=TH-50&tsic=01&unit=kg&coverage=unmet&limit=5`
		},
		// `*` marks the path segment as the injection point.
		{ name: 'API demand by key', url: `${base}/api/v1/demands/${encodeURIComponent(demandKey)}*` },
		{
			// A dry run, so that a payload that happens to be valid stores nothing.
			name: 'API import (token)',
			url: `${base}/api/v1/import?dry_run=true`,
			options: [
				`--data=${document}`,
				`--headers=Authorization: Bearer ${token}\nContent-Type: application/json`
			]
		}
	];
}

/** One sqlmap run, its log parsed: every parameter it tested and whether it found it injectable. */
async function sqlmap(target: Target, dataDir: string): Promise<TargetReport> {
	const output = path.join(dataDir, 'sqlmap', target.name.replace(/\W+/g, '-'));
	const args = ['-u', target.url, ...SQLMAP_OPTIONS, `--output-dir=${output}`, ...(target.options ?? [])];
	console.log(`sqlmap: ${target.name} …`);
	const started = performance.now();
	const { text, cutShort } = await capture('sqlmap', args, TARGET_TIMEOUT_MS);
	fs.mkdirSync(output, { recursive: true });
	fs.writeFileSync(path.join(output, 'console.log'), text);
	return {
		target: target.name,
		...parseSqlmap(target.name, text),
		cutShort,
		seconds: (performance.now() - started) / 1000
	};
}

function capture(
	command: string,
	args: string[],
	timeoutMs: number
): Promise<{ text: string; cutShort: boolean }> {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
		let text = '';
		child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
		child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
		let cutShort = false;
		const timer = setTimeout(() => {
			cutShort = true;
			child.kill('SIGTERM');
		}, timeoutMs);
		child.once('error', reject);
		child.once('close', () => {
			clearTimeout(timer);
			resolve({ text, cutShort });
		});
	});
}

/** sqlmap's verdicts, e.g. "GET parameter 'q' does not seem to be injectable" or "… appears to be '…' injectable". */
function parseSqlmap(target: string, text: string): Pick<TargetReport, 'findings' | 'httpErrors'> {
	const verdicts = new Map<string, Finding['verdict']>();
	const parameter = String.raw`((?:\(custom\) )?(?:GET|POST|URI|Cookie|User-Agent|Referer|Host|JSON|\w+) parameter '[^']+')`;
	for (const match of text.matchAll(
		new RegExp(`${parameter} (?:does not seem to be|is not) injectable`, 'g')
	))
		if (!verdicts.has(match[1]!)) verdicts.set(match[1]!, 'not injectable');
	for (const match of text.matchAll(new RegExp(`${parameter} (?:appears to be|is) '[^']+' injectable`, 'g')))
		verdicts.set(match[1]!, 'INJECTABLE');
	for (const match of text.matchAll(new RegExp(`${parameter} is vulnerable`, 'g')))
		verdicts.set(match[1]!, 'INJECTABLE');
	if (
		/sqlmap identified the following injection point/.test(text) &&
		![...verdicts.values()].includes('INJECTABLE')
	)
		verdicts.set('(unnamed injection point)', 'INJECTABLE');
	const errors = /HTTP error codes detected during run:\s*([^\n]+)/.exec(text);
	return {
		findings: [...verdicts].map(([p, verdict]) => ({ target, parameter: p, verdict })),
		httpErrors: errors ? errors[1]!.trim() : null
	};
}

/** The table of targets and parameters; true when anything is injectable or a target tested nothing. */
function printSqlmap(reports: TargetReport[]): boolean {
	console.log('\nsqlmap (level 2, risk 1, PostgreSQL payloads)');
	const rows = reports.flatMap((r) =>
		r.findings.length
			? r.findings.map((f) => [r.target, f.parameter, f.verdict])
			: [[r.target, '(no parameter tested)', r.cutShort ? 'cut short' : 'nothing tested']]
	);
	printTable(['target', 'parameter', 'verdict'], rows);
	for (const r of reports)
		console.log(
			`  ${r.target}: ${r.seconds.toFixed(0)} s${r.cutShort ? ' (stopped at the time limit)' : ''}${r.httpErrors ? `; HTTP errors seen by sqlmap: ${r.httpErrors}` : ''}`
		);
	const findings = reports.flatMap((r) => r.findings);
	const injectable = findings.filter((f) => f.verdict === 'INJECTABLE').length;
	// sqlmap's payloads are bad input too: the portal must refuse them (4xx), never fail on them (5xx).
	const failing = reports.filter((r) => /\b5\d\d \(/.test(r.httpErrors ?? ''));
	console.log(`Parameters tested: ${findings.length}; injectable: ${injectable}`);
	console.log(
		`Server errors (5xx) answered to sqlmap: ${failing.length ? failing.map((r) => r.target).join(', ') : 'none'}`
	);
	return injectable > 0 || failing.length > 0 || reports.some((r) => r.findings.length === 0);
}

interface LiveCheck {
	check: string;
	ok: boolean;
	seen: string;
}

/** The headers as the production server sends them, and SvelteKit's CSRF check, on the live build. */
async function liveChecks(base: string): Promise<LiveCheck[]> {
	const checks: LiveCheck[] = [];
	const page = await fetch(`${base}/`);
	const csp = page.headers.get('content-security-policy') ?? '';
	const script = csp.split(';').find((d) => d.trim().startsWith('script-src')) ?? '';
	checks.push({
		check: 'page: script-src without unsafe-inline',
		ok: script !== '' && !/unsafe-inline/.test(script),
		seen: script.trim()
	});
	checks.push({
		check: "page: frame-ancestors 'none'",
		ok: csp.includes("frame-ancestors 'none'"),
		seen: csp ? 'yes' : 'no CSP'
	});
	for (const [what, url] of [
		['page', `${base}/`],
		['API', `${base}/api/v1/provinces`],
		['CSV', `${base}/market/gap.csv`]
	] as const) {
		const response = what === 'page' ? page : await fetch(url);
		const nosniff = response.headers.get('x-content-type-options');
		const referrer = response.headers.get('referrer-policy');
		checks.push({ check: `${what}: nosniff`, ok: nosniff === 'nosniff', seen: String(nosniff) });
		checks.push({ check: `${what}: Referrer-Policy`, ok: referrer !== null, seen: String(referrer) });
		if (what !== 'page') {
			const own = response.headers.get('content-security-policy');
			checks.push({
				check: `${what}: CSP frame-ancestors 'none'`,
				ok: !!own?.includes("frame-ancestors 'none'"),
				seen: String(own)
			});
		}
	}
	const hsts = page.headers.get('strict-transport-security');
	checks.push({
		check: 'HSTS absent over plain http (set when ORIGIN is https)',
		ok: hsts === null,
		seen: String(hsts)
	});
	const foreign = await fetch(`${base}/locale`, {
		method: 'POST',
		headers: { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
		body: 'locale=en&redirectTo=/',
		redirect: 'manual'
	});
	checks.push({
		check: 'cross-site form POST refused (CSRF)',
		ok: foreign.status === 403,
		seen: String(foreign.status)
	});
	const own = await fetch(`${base}/locale`, {
		method: 'POST',
		headers: { origin: base, 'content-type': 'application/x-www-form-urlencoded' },
		body: 'locale=en&redirectTo=/',
		redirect: 'manual'
	});
	checks.push({ check: 'same-site form POST accepted', ok: own.status === 303, seen: String(own.status) });
	return checks;
}

function printLive(checks: LiveCheck[]) {
	console.log('\nLive checks on the production server');
	printTable(
		['check', 'result', 'seen'],
		checks.map((c) => [c.check, c.ok ? 'ok' : 'FAILED', c.seen.slice(0, 70)])
	);
}

/** `npm audit --omit=dev --audit-level=high`; true when a high or critical advisory applies. */
function npmAudit(): boolean {
	console.log('\nnpm audit --omit=dev --audit-level=high');
	const result = spawnSync('npm', ['audit', '--omit=dev', '--audit-level=high', '--json'], {
		encoding: 'utf8',
		timeout: 120_000
	});
	const auditReport = z
		.object({
			metadata: z
				.object({ vulnerabilities: z.record(z.string(), z.number()).optional() })
				.loose()
				.optional(),
			message: z.string().optional(),
			error: z.object({ code: z.string().optional(), summary: z.string().optional() }).loose().optional()
		})
		.loose();
	let report: z.infer<typeof auditReport>;
	try {
		report = auditReport.parse(JSON.parse(result.stdout || '{}'));
	} catch {
		report = {};
	}
	const counts = report.metadata?.vulnerabilities;
	if (!counts) {
		const reason =
			report.message ||
			report.error?.summary ||
			report.error?.code ||
			result.error?.message ||
			result.stderr.trim().split('\n').at(-1) ||
			'no answer';
		console.log(`  NOT RUN: the registry's audit endpoint did not answer (${reason}).`);
		console.log('  Run `npm audit --omit=dev --audit-level=high` where the npm registry is reachable.');
		return false;
	}
	const summary = ['critical', 'high', 'moderate', 'low', 'info']
		.map((s) => `${s} ${counts[s] ?? 0}`)
		.join(', ');
	const serious = (counts.critical ?? 0) + (counts.high ?? 0);
	console.log(
		`  ${summary} → ${serious === 0 ? 'no high or critical issue' : `${serious} high or critical: FAILED`}`
	);
	return serious > 0;
}

function printTable(header: string[], rows: string[][]) {
	const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
	const line = (cells: string[]) => `  ${cells.map((c, i) => c.padEnd(widths[i]!)).join('  ')}`.trimEnd();
	console.log(line(header));
	console.log(line(widths.map((w) => '-'.repeat(w))));
	for (const row of rows) console.log(line(row));
}

main().then(
	(code) => process.exit(code),
	(error: unknown) => {
		console.error(error);
		process.exit(1);
	}
);
