// The whole runtime as `npm start` brings it up: embedded database, managed Meilisearch, health, shutdown.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAlive } from '$lib/server/process-alive';
import { parseEnv } from '$lib/server/env';
import { checkHealth, reportAdmissionLoad } from '$lib/server/health';
import { admission } from '../../src/hooks/admission';
import { startRuntime, type Runtime } from '$lib/server/runtime';
import { freePort, tempDir } from '../helpers/meili';

let runtime: Runtime;
const dataDir = tempDir('runtime');

beforeAll(async () => {
	runtime = await startRuntime(parseEnv({ DATA_DIR: dataDir, MEILI_PORT: String(await freePort()) }), {
		log: () => {}
	});
});
afterAll(async () => {
	await runtime?.stop();
});

describe('runtime', () => {
	it('reports healthy with the embedded database and a managed Meilisearch', async () => {
		const report = await checkHealth(runtime);
		expect(report.failing).toEqual([]);
		expect(report.database.driver).toBe('pglite');
		expect(report.search).toMatchObject({ ok: true, managed: true, state: 'up' });
		expect(report.outbox?.pending).toBe(0);
	});

	it('reports the admission line, and saturation once a request has waited past HEALTH_QUEUE_SECONDS', async () => {
		let clock = 0;
		const line = admission({ limit: 1, queueTimeoutMs: 60_000, now: () => clock });
		reportAdmissionLoad(line.load);
		try {
			let finish = () => {};
			const held = new Promise<void>((resolve) => (finish = resolve));
			const visit = () => {
				const url = new URL('http://portal.test/search');
				const event = { url, request: new Request(url), isDataRequest: false, route: { id: '/search' } };
				return line.handle({ event, resolve: () => held.then(() => new Response('ok')) } as never);
			};
			const first = visit();
			const second = visit();
			await new Promise((resolve) => setTimeout(resolve, 5));
			clock = runtime.env.HEALTH_QUEUE_SECONDS * 1000 - 1;
			const waiting = await checkHealth(runtime);
			expect(waiting.admission).toMatchObject({ limit: 1, active: 1, waiting: 1, saturated: false });
			expect(waiting.failing).toEqual([]);
			clock = runtime.env.HEALTH_QUEUE_SECONDS * 1000 + 1;
			const saturated = await checkHealth(runtime);
			expect(saturated.admission).toMatchObject({ waiting: 1, saturated: true });
			expect(saturated.failing).toEqual(['saturated']);
			finish();
			expect((await first).status).toBe(200);
			expect((await second).status).toBe(200);
			expect((await checkHealth(runtime)).failing).toEqual([]);
		} finally {
			reportAdmissionLoad(undefined);
		}
	});

	it('refuses a second process on the same embedded database with a clear message', async () => {
		const { openDatabase } = await import('$lib/server/db');
		const fs = await import('node:fs');
		const path = await import('node:path');
		// Claim the lock as if another live process (our parent) held it.
		fs.writeFileSync(path.join(dataDir, 'pglite.lock'), String(process.ppid));
		await expect(openDatabase({ driver: 'pglite', dataDir: path.join(dataDir, 'pglite') })).rejects.toThrow(
			/in use by process \d+.*DATABASE_URL/
		);
		fs.writeFileSync(path.join(dataDir, 'pglite.lock'), String(process.pid));
	});

	it('names search as failing when Meilisearch is down, and stops it on shutdown', async () => {
		const managed = runtime.search.managed!;
		const pid = managed.pid!;
		await managed.stop();
		const report = await checkHealth(runtime);
		expect(report.failing).toEqual(['search']);
		expect(report.database.ok).toBe(true);
		await managed.start();
		expect((await checkHealth(runtime)).failing).toEqual([]);
		const newPid = managed.pid!;
		await runtime.stop();
		expect(isAlive(pid)).toBe(false);
		expect(isAlive(newPid)).toBe(false);
	});
});

describe('start-up failures', () => {
	it('fails fast with a clear message when PostgreSQL cannot be reached', async () => {
		const started = Date.now();
		await expect(
			startRuntime(parseEnv({ DATABASE_URL: 'postgres://nobody@127.0.0.1:1/x', DATA_DIR: tempDir('bad') }), {
				log: () => {}
			})
		).rejects.toThrow(/Cannot reach PostgreSQL at 127\.0\.0\.1:1\/x \(DATABASE_URL\)/);
		expect(Date.now() - started).toBeLessThan(10_000);
	});
});
