// `npm run bench -- <suite>`: reproducible measurements printed as a table and saved under bench/results/.
// Suites: startup (time to first healthy response, idle memory of the app and of Meilisearch, page latency);
// auth (argon2id hash and verify time with the portal's parameters; sign-in through the account service on
// PGlite, for a right password, a wrong one and an unknown email, which must cost the same); matching
// (10,000 startups and 100,000 demands: import, indexing, write → searchable, match latency, memory); pages
// (Lighthouse scores of the public pages on a phone, home-page JavaScript, throughput under 50 connections); api
// (a 10,000-startup exchange document imported through POST /api/v1/import, against the direct import); load
// (500 people at once for 60 s on 10,000 startups and 100,000 demands: public pages, search and match, signed-in
// writes; per-route p50 / p99, errors, the app's memory); alerts (10,000 saved searches and 1,000 new demands: time to
// deliver every alert, and the checks done against re-running every search); tracing (what SvelteKit's spans cost a
// request: compiled out, compiled in with no collector, and on).
import { spawn } from 'node:child_process';
import { z } from 'zod';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { alertsBench } from './alerts';
import { apiBench } from './api';
import { loadBench } from './load';
import { matchingBench } from './matching';
import { pagesBench } from './pages';
import { tracingBench } from './tracing';

type Row = { measure: string; value: string };
const suites: Record<string, () => Promise<Row[]>> = {
	startup,
	auth,
	matching: () => matchingBench(),
	pages: () => pagesBench(),
	api: () => apiBench(),
	load: () => loadBench(),
	alerts: () => alertsBench(),
	tracing: () => tracingBench()
};

async function auth(): Promise<Row[]> {
	const { hashPassword, verifyPassword } = await import('../src/lib/server/auth/password');
	const hashTimes: number[] = [];
	const verifyTimes: number[] = [];
	for (let i = 0; i < 20; i++) {
		let t = performance.now();
		const hash = await hashPassword(`correct horse battery ${i}`);
		hashTimes.push(performance.now() - t);
		t = performance.now();
		await verifyPassword(hash, `correct horse battery ${i}`);
		verifyTimes.push(performance.now() - t);
	}
	const signIn = await signInTimes();
	return [
		{
			measure: 'argon2id hash (19 MiB, t=2, p=1): p50 / max',
			value: `${quantile(hashTimes, 0.5)} / ${quantile(hashTimes, 1)} ms`
		},
		{
			measure: 'argon2id verify: p50 / max',
			value: `${quantile(verifyTimes, 0.5)} / ${quantile(verifyTimes, 1)} ms`
		},
		...Object.entries(signIn).map(([kind, times]) => ({
			measure: `sign-in (service, embedded PostgreSQL), ${kind}: p50 / p95`,
			value: `${quantile(times, 0.5)} / ${quantile(times, 0.95)} ms`
		})),
		{
			measure: 'sign-in unknown email ÷ wrong password (p50 ratio; 1.0 = indistinguishable)',
			value: (median(signIn['unknown email']!) / median(signIn['wrong password']!)).toFixed(2)
		}
	];
}

async function signInTimes(): Promise<Record<string, number[]>> {
	const { openDatabase } = await import('../src/lib/server/db');
	const { EmbeddedPostgres } = await import('../src/lib/server/db/embedded');
	const { seedReferenceData } = await import('../src/lib/server/reference/seed');
	const { signIn, signUp } = await import('../src/lib/server/accounts/service');
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-auth-'));
	const server = new EmbeddedPostgres({ dataDir, owner: 'cli', log: () => {} });
	await server.start();
	const database = await openDatabase({ url: server.url, poolSize: 4 });
	await database.migrate();
	await seedReferenceData(database.db);
	const runs = 25;
	const password = 'bench passphrase 2026';
	const emails: string[] = [];
	for (let i = 0; i < runs; i++) {
		const email = `bench-${i}@example.org`;
		const context = { origin: 'http://bench', address: `10.1.0.${i}` };
		await signUp(
			database.db,
			{
				accountType: 'buyer',
				organisationName: `Bench ${i}`,
				provinceCode: null,
				email,
				password,
				locale: 'th'
			},
			context
		);
		emails.push(email);
	}
	const times: Record<string, number[]> = { 'right password': [], 'wrong password': [], 'unknown email': [] };
	const attempt = async (kind: string, email: string, guess: string, address: string) => {
		const started = performance.now();
		await signIn(database.db, { email, password: guess }, { address }).catch((error: unknown) => {
			if ((error as { code?: string }).code !== 'invalid_credentials') throw error;
		});
		times[kind]!.push(performance.now() - started);
	};
	// Interleaved, each account and address used a few times only, so no rate limit is reached.
	for (let i = 0; i < runs; i++) {
		await attempt('right password', emails[i]!, password, `10.2.0.${i}`);
		await attempt('wrong password', emails[i]!, 'not the password', `10.3.0.${i}`);
		await attempt('unknown email', `nobody-${i}@example.org`, password, `10.4.0.${i}`);
	}
	await database.close();
	await server.stop();
	fs.rmSync(dataDir, { recursive: true, force: true });
	return times;
}

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

function quantile(values: number[], q: number): string {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(q * (sorted.length - 1))]!.toFixed(1);
}

async function startup(): Promise<Row[]> {
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-startup-'));
	const port = 3950;
	const url = `http://localhost:${port}`;
	const rows: Row[] = [];
	// As a person runs it: `npm start` builds when the sources changed since the last build, then starts the portal
	// with its own PostgreSQL (the cluster created on the first start) and Meilisearch.
	const runs = [
		'first start (build if the sources changed, cluster created, migrate + seed)',
		'restart with no source change (no build)'
	];
	for (const [index, run] of runs.entries()) {
		const started = performance.now();
		const app = spawn('node', ['scripts/start.js', '--build-if-changed'], {
			env: {
				...process.env,
				PORT: String(port),
				MEILI_PORT: '7750',
				DATA_DIR: dataDir,
				NODE_ENV: 'production'
			},
			stdio: 'ignore'
		});
		const ready = await waitForHealth(url, 300_000);
		rows.push({
			measure: `${run}: time to first 200 on /health`,
			value: `${Math.round(ready - started)} ms`
		});
		if (index === runs.length - 1) {
			await sleep(5_000);
			const pidOf = (file: string) =>
				z
					.object({ pid: z.number() })
					.loose()
					.parse(JSON.parse(fs.readFileSync(file, 'utf8'))).pid;
			const meiliPid = pidOf(path.join(dataDir, 'meilisearch', 'meilisearch.pid'));
			const postgresPid = pidOf(path.join(dataDir, 'postgres.json'));
			rows.push({ measure: 'idle resident memory: app (node)', value: `${rssMiB(app.pid!)} MiB` });
			rows.push({ measure: 'idle resident memory: Meilisearch', value: `${rssMiB(meiliPid)} MiB` });
			rows.push({
				measure: 'idle resident memory: PostgreSQL (server and its processes)',
				value: `${treeRssMiB(postgresPid)} MiB`
			});
			const latencies: number[] = [];
			for (let i = 0; i < 300; i++) {
				const t = performance.now();
				const response = await fetch(`${url}/`);
				await response.text();
				latencies.push(performance.now() - t);
			}
			const pick = (q: number) => quantile(latencies, q);
			rows.push({
				measure: 'home page (77 provinces from the database), sequential: p50 / p95',
				value: `${pick(0.5)} / ${pick(0.95)} ms`
			});
			rows.push({ measure: 'app resident memory after 300 page views', value: `${rssMiB(app.pid!)} MiB` });
		}
		const exited = new Promise((resolve) => app.once('exit', resolve));
		app.kill('SIGTERM');
		await exited;
	}
	fs.rmSync(dataDir, { recursive: true, force: true });
	return rows;
}

/** Resident memory of a process and its children (PostgreSQL forks one per connection and per worker). */
function treeRssMiB(pid: number): string {
	const children = fs
		.readdirSync('/proc')
		.filter((entry) => /^\d+$/.test(entry))
		.filter((entry) => {
			try {
				return fs.readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]?.split(' ')[1] === String(pid);
			} catch {
				// Gone since the listing.
				return false;
			}
		})
		.map(Number);
	const total = [pid, ...children].reduce((sum, each) => sum + Number(rssMiB(each)), 0);
	return total.toFixed(0);
}

async function waitForHealth(url: string, timeoutMs: number): Promise<number> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		const ok = await fetch(`${url}/health`).then(
			(response) => response.ok,
			() => false
		);
		if (ok) return performance.now();
		await sleep(50);
	}
	throw new Error(`no healthy answer from ${url} within ${timeoutMs} ms`);
}

function rssMiB(pid: number): string {
	const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
	const kib = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
	return (kib / 1024).toFixed(0);
}

const name = process.argv[2] ?? 'startup';
const suite = suites[name];
if (!suite) {
	console.error(`Unknown suite "${name}". Suites: ${Object.keys(suites).join(', ')}`);
	process.exit(2);
}
const rows = await suite();
const width = Math.max(...rows.map((r) => r.measure.length));
console.log(
	`\n${name}  (${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version})`
);
for (const row of rows) console.log(`  ${row.measure.padEnd(width)}  ${row.value}`);
fs.mkdirSync(path.join('bench', 'results'), { recursive: true });
const file = path.join('bench', 'results', `${name}.json`);
fs.writeFileSync(
	file,
	JSON.stringify({ suite: name, at: new Date().toISOString(), node: process.version, rows }, null, 2)
);
console.log(`\nSaved ${file}`);
