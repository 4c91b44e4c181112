// `npm run bench -- pages`: the public pages as a phone sees them (Lighthouse, mobile) and under a crowd
// (autocannon), on the production build loaded with the demo data; it reports against the issue's targets.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { launch, type LaunchedChrome } from 'chrome-launcher';
import lighthouse, { type Result } from 'lighthouse';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/helpers/chromium';
import { freePort } from '../tests/helpers/ports';

type Row = { measure: string; value: string };

type CannonResult = {
	requests: { average: number };
	latency: { p99: number };
	errors: number;
	timeouts: number;
	non2xx: number;
};
// autocannon ships no types and @types/autocannon is not a dependency: the part used here, typed by hand.
const autocannon = createRequire(import.meta.url)('autocannon') as (options: {
	url: string;
	connections: number;
	duration: number;
}) => PromiseLike<CannonResult>;

const LIGHTHOUSE_PAGES = ['/', '/provinces/TH-40', '/market'];
const LOAD_PAGES = ['/provinces/TH-40', '/market'];
const CATEGORIES = [
	{ id: 'performance', label: 'performance', min: 95, target: '≥ 95' },
	{ id: 'accessibility', label: 'accessibility', min: 100, target: '100' },
	{ id: 'best-practices', label: 'best practices', min: 95, target: '≥ 95' },
	{ id: 'seo', label: 'SEO', min: 95, target: '≥ 95' }
];
// Decimal kilobytes, the stricter reading of the issue's "≤ 60 KB".
const HOME_JS_TARGET_KB = 60;
const SETPRIV = '/usr/bin/setpriv';
const LIGHTHOUSE_RUNS = Number(process.env.BENCH_LIGHTHOUSE_RUNS ?? 3);
// Runtime errors whose message asks to run Lighthouse again (the trace lost its navigation start).
const RERUN_ERRORS = new Set(['NO_NAVSTART', 'NO_TRACING_STARTED']);
const MAX_RERUNS = 2;
export async function pagesBench(
	seconds = Number(process.env.BENCH_SECONDS ?? 20),
	connections = Number(process.env.BENCH_CONNECTIONS ?? 50)
): Promise<Row[]> {
	if (!(seconds > 0) || !(connections > 0)) {
		throw new Error('BENCH_SECONDS and BENCH_CONNECTIONS must be positive numbers');
	}
	if (!fs.existsSync('build/index.js')) throw new Error('no production build: run `npm run build` first');
	warnIfBuildIsOlderThanSource();
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-pages-'));
	const env = {
		...process.env,
		DATA_DIR: dataDir,
		PORT: String(await freePort()),
		MEILI_PORT: String(await freePort()),
		NODE_ENV: 'production'
	};
	const url = `http://localhost:${env.PORT}`;
	const rows: Row[] = [];
	const running: Running = {};
	// The portal and Chromium run in process groups of their own, which a Ctrl-C in the terminal does not
	// reach: the bench passes it on, lets the current measurement fail and cleans up as usual. The handler
	// stays for the whole run (`on`, not `once`): tsx relays a second SIGINT, and the bench would exit on it.
	let interruptedBy: NodeJS.Signals | undefined;
	const onSignal = (signal: NodeJS.Signals) => {
		if (!interruptedBy) {
			console.error(`\n${signal}: stopping the portal and Chromium.`);
			// Lighthouse leaves promises of its own to reject when its browser goes: report them, rather than
			// let them end the bench before it has cleaned up.
			process.on('unhandledRejection', (reason) => console.error(`after ${signal}: ${String(reason)}`));
		}
		interruptedBy = signal;
		if (running.app) signalPortal(running.app);
		running.chrome?.kill();
	};
	process.on('SIGINT', onSignal);
	process.on('SIGTERM', onSignal);
	// Held in an object so that a thrown value of any kind (even a falsy one) is kept and thrown again.
	let failure: { error: unknown } | undefined;
	try {
		let started = performance.now();
		await run('npx', ['tsx', 'src/cli/index.ts', 'seed', '--demo'], env);
		rows.push({
			measure: 'demo data (`seed --demo`, search and gap figures included)',
			value: since(started)
		});
		if (interruptedBy) throw new Error(`interrupted by ${String(interruptedBy)}`);

		started = performance.now();
		running.app = startPortal(env, dataDir);
		await waitForHealth(url, running.app, 120_000);
		rows.push({ measure: 'start-up to the first 200 on /health', value: since(started) });
		rows.push({ measure: '/market settled (coverage worker done)', value: await marketSettled(url) });

		rows.push(...(await lighthouseRows(url, running)));
		rows.push(...(await loadRows(url, seconds, connections)));
		if (interruptedBy) throw new Error(`interrupted by ${String(interruptedBy)}`);
	} catch (error) {
		failure = {
			error: interruptedBy ? new Error(`interrupted by ${interruptedBy}`, { cause: error }) : error
		};
		printLogTail(dataDir);
	}
	try {
		await stopPortal(running.app, dataDir);
	} catch (error) {
		failure = {
			error: failure
				? new AggregateError([failure.error, error], 'the bench failed, and so did stopping the portal')
				: error
		};
	}
	process.off('SIGINT', onSignal);
	process.off('SIGTERM', onSignal);
	fs.rmSync(dataDir, { recursive: true, force: true });
	if (failure) throw failure.error;
	return rows;
}

type Running = { app?: ChildProcess; chrome?: LaunchedChrome };

/**
 * `node scripts/start.js` in a process group of its own, so that SIGINT reaches the portal and its Meilisearch
 * as a Ctrl-C would. setpriv (as the portal does for Meilisearch) makes the kernel send that SIGINT if the
 * bench dies first; the log goes to a file, since under load the portal writes a line per request.
 */
export function startPortal(env: NodeJS.ProcessEnv, dataDir: string): ChildProcess {
	const log = fs.openSync(path.join(dataDir, 'portal.log'), 'a');
	// BENCH_NODE_FLAGS: flags for the portal's Node, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to see where its time goes.
	const flags = process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];
	const command = ['node', ...flags, 'scripts/start.js'];
	if (fs.existsSync(SETPRIV)) command.unshift(SETPRIV, '--pdeathsig', 'INT', '--');
	const app = spawn(command[0]!, command.slice(1), { env, detached: true, stdio: ['ignore', log, log] });
	fs.closeSync(log);
	return app;
}

/** Figures from a stale build would be reported as today's: say so, without refusing to run. */
export function warnIfBuildIsOlderThanSource() {
	const built = fs.statSync('build/index.js').mtimeMs;
	const newer = fs
		.readdirSync('src', { recursive: true, withFileTypes: true })
		.filter(
			(entry) => entry.isFile() && fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs > built
		);
	if (newer.length > 0) {
		console.error(
			`Note: ${newer.length} file(s) under src/ changed after the last build (e.g. ${path.join(newer[0]!.parentPath, newer[0]!.name)}); ` +
				'run `npm run build` to measure them.'
		);
	}
}

async function lighthouseRows(url: string, running: Running): Promise<Row[]> {
	// One request each first, so that Lighthouse does not measure the server's first, unoptimised render.
	for (const page of LIGHTHOUSE_PAGES) await expectOk(`${url}${page}`);
	const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-pages-chromium-'));
	const chrome = await launch({
		chromePath: CHROMIUM_PATH,
		chromeFlags: CHROMIUM_ARGS,
		userDataDir: profile,
		logLevel: 'silent',
		// Its handler would exit at once and leave the portal running; the bench's own stops both.
		handleSIGINT: false
	});
	running.chrome = chrome;
	// Lighthouse waits forever for a browser that has gone.
	const chromeExit = new Promise<string>((resolve) =>
		chrome.process.once('exit', (code, signal) => resolve(String(code ?? signal)))
	);
	const rerunFor: string[] = [];
	const lighthouseOnce = async (page: string, rerun = 0): Promise<Result> => {
		// Default config: mobile emulation with simulated throttling, as the issue's targets assume.
		const result = await Promise.race([
			lighthouse(`${url}${page}`, {
				port: chrome.port,
				output: 'json',
				logLevel: 'error',
				onlyCategories: CATEGORIES.map((c) => c.id)
			}),
			chromeExit.then((how) => {
				throw new Error(`Chromium exited (${how}) during Lighthouse on ${page}`);
			})
		]);
		if (!result) throw new Error(`Lighthouse returned no result for ${page}`);
		const error = result.lhr.runtimeError;
		// On a busy machine Chromium now and then loses the start of the trace; Lighthouse asks to run again.
		if (error && RERUN_ERRORS.has(error.code) && rerun < MAX_RERUNS) {
			console.error(`Lighthouse on ${page}: ${error.code}, running it again`);
			rerunFor.push(`${page} ${error.code}`);
			return lighthouseOnce(page, rerun + 1);
		}
		if (error) throw new Error(`Lighthouse on ${page}: ${error.code} ${error.message}`);
		for (const warning of result.lhr.runWarnings) console.error(`Lighthouse on ${page}: ${warning}`);
		return result.lhr;
	};
	const reports: { page: string; lhr: Result; performanceRuns: number[] }[] = [];
	try {
		for (const page of LIGHTHOUSE_PAGES) {
			// Scores move by several points from run to run on a shared machine: as Lighthouse's own guidance
			// advises, each page runs several times and the run with the median performance score is reported.
			const runs: Result[] = [];
			for (let run = 0; run < LIGHTHOUSE_RUNS; run++) runs.push(await lighthouseOnce(page));
			runs.sort((a, b) => (a.categories.performance?.score ?? 0) - (b.categories.performance?.score ?? 0));
			const lhr = runs[Math.floor(runs.length / 2)]!;
			reports.push({
				page,
				lhr,
				performanceRuns: runs.map((r) => Math.round((r.categories.performance?.score ?? 0) * 100))
			});
			// The whole report, for the failing audits' elements (bench/results/*.json is not committed).
			const file = path.join('bench', 'results', `pages-lighthouse-${slug(page)}.json`);
			fs.mkdirSync(path.dirname(file), { recursive: true });
			fs.writeFileSync(file, JSON.stringify(lhr));
		}
	} finally {
		await stopChrome(chrome);
		running.chrome = undefined;
		fs.rmSync(profile, { recursive: true, force: true });
	}

	const table = columns([
		['Lighthouse, mobile: score (target)', ...CATEGORIES.map((c) => `${c.label} ${c.target}`)],
		...reports.map(({ page, lhr }) => [
			`  ${page}`,
			...CATEGORIES.map((c) => {
				const score = lhr.categories[c.id]?.score;
				if (score === null || score === undefined) return `no score (target ${c.target}) ✗`;
				const value = Math.round(score * 100);
				return value >= c.min ? `${value} ✓` : `${value} (target ${c.target}) ✗`;
			})
		])
	]);

	const home = reports.find((r) => r.page === '/')!.lhr;
	const requests = home.audits['network-requests']?.details;
	if (requests?.type !== 'table') throw new Error('Lighthouse has no network-requests table for /');
	const scriptBytes = requests.items
		.filter((item) => item.resourceType === 'Script')
		.reduce((sum, item) => sum + Number(item.transferSize ?? 0), 0);
	const kb = scriptBytes / 1000;
	const jsRow: Row = {
		measure: 'JavaScript transferred by / (compressed as served)',
		value: `${kb.toFixed(1)} KB (target ≤ ${HOME_JS_TARGET_KB} KB) ${kb <= HOME_JS_TARGET_KB ? '✓' : '✗'}`
	};
	// Simulated throttling scales what this machine did; a busy or slow host lowers the performance score.
	const hostRow: Row = {
		measure: 'Lighthouse host CPU benchmark index per run (under 1,000: too slow)',
		value: reports.map(({ lhr }) => Math.round(lhr.environment.benchmarkIndex)).join(' / ')
	};
	const runsRow: Row = {
		measure: `Lighthouse performance of each of the ${LIGHTHOUSE_RUNS} runs (the median is reported)`,
		value: reports.map(({ page, performanceRuns }) => `${page} ${performanceRuns.join(', ')}`).join(' · ')
	};

	if (rerunFor.length > 0) runsRow.value += ` (run again after ${rerunFor.join(', ')})`;
	return [...table, jsRow, hostRow, runsRow, ...reports.flatMap(({ page, lhr }) => failingAudits(page, lhr))];
}

/**
 * For each category under its target: the audits that did not pass, one row each, and on stdout what they
 * point at (elements, URLs, the largest contentful paint), so that the page's authors know what to fix.
 */
function failingAudits(page: string, lhr: Result): Row[] {
	const rows: Row[] = [];
	for (const category of CATEGORIES) {
		const result = lhr.categories[category.id];
		if (!result || (result.score ?? 0) * 100 >= category.min) continue;
		const details: string[][] = [];
		for (const ref of result.auditRefs) {
			const audit = lhr.audits[ref.id];
			if (!audit || audit.score === null || audit.score >= 0.9) continue;
			if (!['binary', 'numeric', 'metricSavings'].includes(audit.scoreDisplayMode)) continue;
			// Performance lists its metrics and every diagnostic; the weighted ones decide the score.
			if (category.id === 'performance' && ref.weight === 0 && audit.scoreDisplayMode !== 'metricSavings')
				continue;
			rows.push({
				measure: `  ✗ ${page} ${category.label}: ${ref.id}`,
				value: `${audit.title}${audit.displayValue ? ` (${audit.displayValue})` : ''}`
			});
			details.push([`${ref.id} — ${audit.title}`, ...auditTargets(audit.details)]);
		}
		if (category.id === 'performance') {
			const lcp = auditTargets(lhr.audits['lcp-breakdown-insight']?.details);
			if (lcp.length > 0) details.push(['largest contentful paint element', ...lcp]);
		}
		for (const [heading, ...targets] of details) {
			if (targets.length === 0) continue;
			console.log(`\n${page} ${category.label}: ${heading}`);
			for (const target of targets.slice(0, 10)) console.log(`    ${target}`);
			if (targets.length > 10) console.log(`    … and ${targets.length - 10} more`);
		}
	}
	return rows;
}

type AuditDetails = Result['audits'][string]['details'];

/** What an audit's details point at: elements (selector, snippet, axe's reason), URLs, failed checks. */
function auditTargets(details: AuditDetails): string[] {
	if (!details) return [];
	if (details.type === 'checklist') {
		return Object.values(details.items)
			.filter((check) => !check.value)
			.map((check) => `${check.label}`);
	}
	if (details.type !== 'table' && details.type !== 'list' && details.type !== 'opportunity') return [];
	const out: string[] = [];
	for (const item of details.items as Record<string, unknown>[]) {
		const node = (item.node ?? item) as {
			type?: string;
			selector?: string;
			snippet?: string;
			nodeLabel?: string;
			explanation?: string;
		};
		if (node.type === 'node') {
			// axe's explanation starts with "Fix any/all of the following:"; the reasons follow, one a line.
			const reasons = node.explanation
				?.split('\n')
				.slice(1)
				.map((line) => line.trim());
			const label = node.nodeLabel && node.nodeLabel !== node.selector ? ` "${node.nodeLabel}"` : '';
			out.push(
				`${node.selector ?? ''}  ${node.snippet ?? ''}${label}${reasons?.length ? ` — ${reasons.join('; ')}` : ''}`
			);
		} else if (typeof item.url === 'string') {
			out.push(item.url);
		}
	}
	return out;
}

async function loadRows(url: string, seconds: number, connections: number): Promise<Row[]> {
	// The ceiling: a file the same server sends from disk, with no rendering and no database.
	const assets = path.join('build', 'client', '_app', 'immutable', 'assets');
	const css = fs
		.readdirSync(assets)
		.filter((name) => name.endsWith('.css'))
		.sort((a, b) => fs.statSync(path.join(assets, b)).size - fs.statSync(path.join(assets, a)).size)[0];
	if (!css) throw new Error(`no CSS file in ${assets} to serve as the static ceiling`);
	const staticPath = `/_app/immutable/assets/${css}`;
	const targets = [...LOAD_PAGES, staticPath];
	const results = new Map<string, CannonResult>();
	for (const target of targets) {
		await expectOk(`${url}${target}`);
		results.set(target, await autocannon({ url: `${url}${target}`, connections, duration: seconds }));
	}
	const ceiling = results.get(staticPath)!.requests.average;
	return columns([
		[
			`autocannon: ${connections} connections × ${seconds} s`,
			'req/s (avg)',
			'p99',
			'errors (timeouts)',
			'non-2xx',
			'÷ static'
		],
		...targets.map((target) => {
			const r = results.get(target)!;
			return [
				`  ${target === staticPath ? `${target} (static, ${kib(path.join(assets, css))})` : target}`,
				r.requests.average.toFixed(0),
				`${r.latency.p99} ms`,
				`${r.errors} (${r.timeouts})`,
				String(r.non2xx),
				(r.requests.average / ceiling).toFixed(3)
			];
		})
	]);
}

/** Rows of cells → table rows whose value cells line up (the first cell is the measure). */
export function columns(cells: string[][]): Row[] {
	const widths = cells[0]!.slice(1).map((_, i) => Math.max(...cells.map((row) => row[i + 1]!.length)));
	return cells.map(([measure, ...values]) => ({
		measure: measure!,
		value: values
			.map((value, i) => value.padEnd(widths[i]!))
			.join('  ')
			.trimEnd()
	}));
}

/**
 * The seed fills the gap figures itself, but the portal's worker may still be refreshing coverage when it
 * starts: two identical /market pages 3 s apart mean the figures have stopped moving.
 */
async function marketSettled(url: string): Promise<string> {
	const started = performance.now();
	// The CSP nonce differs on every response.
	const page = async () => (await expectOk(`${url}/market`)).replace(/nonce="[^"]*"/g, '');
	let previous = await page();
	while (performance.now() - started < 60_000) {
		await sleep(3_000);
		const current = await page();
		if (current === previous) return `after ${since(started)}`;
		previous = current;
	}
	return `still changing after 60 s (measured anyway) ✗`;
}

async function expectOk(url: string): Promise<string> {
	const response = await fetch(url);
	const body = await response.text();
	if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
	return body;
}

export function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { env, stdio: ['ignore', 'inherit', 'inherit'] });
		child.once('error', reject);
		child.once('exit', (code, signal) =>
			code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${code ?? signal}`))
		);
	});
}

export async function waitForHealth(url: string, app: ChildProcess, timeoutMs: number): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (app.exitCode !== null || app.signalCode !== null) {
			throw new Error(`the portal exited (${app.exitCode ?? app.signalCode}) before /health answered`);
		}
		// Refused connections are expected until the server listens.
		const ok = await fetch(`${url}/health`).then(
			(response) => response.ok,
			() => false
		);
		if (ok) return;
		await sleep(100);
	}
	throw new Error(`no healthy answer from ${url} within ${timeoutMs} ms`);
}

const signalled = new WeakSet<ChildProcess>();

/** SIGINT once to the portal's process group: a second one could cut its graceful shutdown short. */
function signalPortal(app: ChildProcess) {
	if (signalled.has(app) || app.exitCode !== null || app.signalCode !== null) return;
	signalled.add(app);
	process.kill(-app.pid!, 'SIGINT');
}

/** chrome-launcher's kill() sends SIGKILL to Chromium's group; waiting for the exit lets its profile go. */
async function stopChrome(chrome: LaunchedChrome): Promise<void> {
	if (chrome.process.exitCode !== null || chrome.process.signalCode !== null) return;
	const exited = new Promise((resolve) => chrome.process.once('exit', resolve));
	chrome.kill();
	await exited;
}

/**
 * Ctrl-C for the portal's process group, then proof that the managed Meilisearch went with it (or with the
 * seed command, if the portal never started). A restart by the supervisor would change its pid, so any
 * process naming this data directory counts.
 */
export async function stopPortal(
	app: ChildProcess | undefined,
	dataDir: string,
	graceMs = 20_000
): Promise<void> {
	if (app && app.exitCode === null && app.signalCode === null) {
		const exited = new Promise((resolve) => app.once('exit', resolve));
		signalPortal(app);
		const stopped = await Promise.race([exited.then(() => true), sleep(graceMs).then(() => false)]);
		if (!stopped) {
			process.kill(-app.pid!, 'SIGKILL');
			throw new Error(
				`the portal (pid ${app.pid}) did not stop within ${graceMs / 1000} s of SIGINT; killed`
			);
		}
	}
	let left = processesNaming(dataDir);
	for (let waited = 0; left.length > 0 && waited < 10_000; waited += 200) {
		await sleep(200);
		left = processesNaming(dataDir);
	}
	if (left.length > 0) {
		for (const pid of left) process.kill(pid, 'SIGKILL');
		throw new Error(`process(es) ${left.join(', ')} using ${dataDir} outlived the portal; killed`);
	}
}

function processesNaming(dataDir: string): number[] {
	const pids: number[] = [];
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		let cmdline: string;
		try {
			cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
		} catch (error) {
			// A process that ended between the listing and the read is simply gone.
			if (
				(error as NodeJS.ErrnoException).code === 'ENOENT' ||
				(error as NodeJS.ErrnoException).code === 'ESRCH'
			) {
				continue;
			}
			throw error;
		}
		if (cmdline.includes(dataDir)) pids.push(Number(entry));
	}
	return pids;
}

export function printLogTail(dataDir: string) {
	const file = path.join(dataDir, 'portal.log');
	if (!fs.existsSync(file)) return;
	const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
	console.error(`\nLast lines of the portal's log:\n${lines.slice(-40).join('\n')}`);
}

function since(started: number): string {
	return `${((performance.now() - started) / 1000).toFixed(1)} s`;
}

function kib(file: string): string {
	return `${(fs.statSync(file).size / 1024).toFixed(1)} KiB`;
}

function slug(page: string): string {
	return page === '/' ? 'home' : page.slice(1).replaceAll('/', '-');
}
