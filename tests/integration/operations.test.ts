// What an operator sees of a running portal: liveness and readiness for a load balancer, the full health report and
// Prometheus metrics behind OPERATOR_TOKEN, and one JSON log line per request carrying the id the response gives.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startDevServer, type DevServer } from '../helpers/dev-server';
import { freePort, tempDir } from '../helpers/meili';
import { waitFor } from '../helpers/wait';

const TOKEN = 'operator-token-for-the-test-0123456789';

let database: TestDatabase;
let portal: DevServer;

beforeAll(async () => {
	database = await createTestDatabase();
	// Meilisearch is pointed at a port where nothing listens: the portal runs degraded, on its Postgres fallback.
	portal = await startDevServer({
		DATABASE_URL: database.url,
		DATA_DIR: tempDir('operations'),
		MEILI_URL: `http://127.0.0.1:${await freePort()}`,
		MEILI_MASTER_KEY: 'a-master-key-nobody-uses-here',
		OPERATOR_TOKEN: TOKEN
	});
}, 300_000);

afterAll(async () => {
	await portal?.stop();
	await database?.dispose();
});

const get = (path: string, headers: Record<string, string> = {}) =>
	fetch(`${portal.url}${path}`, { headers });

/** The JSON lines the server wrote (Vite's own output is prose and is skipped). */
const logLines = () =>
	portal
		.output()
		.split('\n')
		.filter((line) => line.startsWith('{'))
		.map((line) => JSON.parse(line) as Record<string, unknown>);

describe('health for load balancers', () => {
	it('is live and ready while search is down, marked degraded: a search outage does not take the node out', async () => {
		const live = await get('/health/live');
		expect(live.status).toBe(200);
		expect(await live.json()).toEqual({ status: 'live' });
		const ready = await get('/health/ready');
		expect(ready.status).toBe(200);
		expect(await ready.json()).toEqual({ status: 'ready', degraded: true, failing: [] });
	});

	it('keeps the detailed report for the operator: the public sees each part ok or not, nothing more', async () => {
		const open = await get('/health');
		expect(open.status).toBe(503);
		const summary = (await open.json()) as Record<string, unknown>;
		expect(summary.failing).toEqual(['search']);
		expect(summary).not.toHaveProperty('admission');
		expect(summary.database).toEqual({ ok: true });
		const full = await get('/health', { authorization: `Bearer ${TOKEN}` });
		const report = (await full.json()) as { database: { driver: string }; search: { managed: boolean } };
		expect(report.database.driver).toBe('postgres');
		expect(report.search.managed).toBe(false);
	});
});

describe('metrics', () => {
	it('answers only the operator’s token', async () => {
		expect((await get('/metrics')).status).toBe(401);
		expect((await get('/metrics', { authorization: 'Bearer not-the-operator-token-at-all' })).status).toBe(
			401
		);
		expect((await get('/metrics', { authorization: `Bearer ${TOKEN}x` })).status).toBe(401);
	});

	it('counts requests by route, and reports the outboxes, the admission line, the jobs and the database', async () => {
		await get('/health/live');
		await get('/no-such-page-here');
		const response = await get('/metrics', { authorization: `Bearer ${TOKEN}` });
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toContain('text/plain');
		const text = await response.text();
		expect(text).toMatch(
			/portal_http_requests_total\{method="GET",route="\/health\/live",status="200"\} [1-9]/
		);
		// A path nobody routes is counted as "unmatched", never under its own name.
		expect(text).toMatch(/portal_http_requests_total\{method="GET",route="unmatched",status="404"\} [1-9]/);
		expect(text).not.toContain('no-such-page-here');
		expect(text).toMatch(
			/portal_http_request_duration_seconds_bucket\{le="0\.005",method="GET",route="\/health\/live"\}/
		);
		expect(text).toMatch(/portal_mail_outbox\{state="waiting"\} \d+/);
		expect(text).toMatch(/portal_line_outbox\{state="given_up"\} \d+/);
		expect(text).toMatch(/portal_database_pool_size \d+/);
		expect(text).toMatch(/portal_database_up 1/);
		expect(text).toMatch(/portal_database_connections\{state="[a-z ]+"\} [1-9]/);
		expect(text).toMatch(/portal_admission_longest_wait_seconds \d/);
		await waitFor(async () =>
			/portal_background_job_runs_total\{job="mail"\} [1-9]/.test(
				await (await get('/metrics', { authorization: `Bearer ${TOKEN}` })).text()
			)
		);
	});
});

describe('request logs', () => {
	it('writes one JSON line per request with the id the response carries, and keeps a proxy’s id', async () => {
		const page = await get('/demand?q=private-words');
		const id = page.headers.get('x-request-id');
		expect(id).toMatch(/^[0-9a-f-]{36}$/);
		await waitFor(() => logLines().some((line) => line.requestId === id));
		const line = logLines().find((entry) => entry.requestId === id)!;
		expect(line).toMatchObject({
			level: 'info',
			method: 'GET',
			route: '/(public)/demand',
			path: '/demand',
			status: 200
		});
		expect(typeof line.ms).toBe('number');
		expect(typeof line.time).toBe('string');
		// The query string (search words, tokens in links) is never written.
		expect(portal.output()).not.toContain('private-words');

		const proxied = await get('/health/live', { 'x-request-id': 'lb-7f3a9c2e' });
		expect(proxied.headers.get('x-request-id')).toBe('lb-7f3a9c2e');
		const forged = await get('/health/live', { 'x-request-id': 'bad id\twith spaces' });
		expect(forged.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
	});
});
