// The whole runtime as `npm start` brings it up: embedded database, managed Meilisearch, health, shutdown.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isAlive } from '$lib/server/process-alive';
import { parseEnv } from '$lib/server/env';
import { checkHealth, reportAdmissionLoad } from '$lib/server/health';
import { admission } from '../../src/hooks/admission';
import { startRuntime, type Runtime } from '$lib/server/runtime';
import { dataDirWithCluster } from '../helpers/data-dir';
import { freePort, tempDir } from '../helpers/meili';

let runtime: Runtime;
const dataDir = dataDirWithCluster('runtime');

beforeAll(async () => {
	runtime = await startRuntime(parseEnv({ DATA_DIR: dataDir, MEILI_PORT: String(await freePort()) }), {
		owner: 'portal',
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
		expect(report.database.driver).toBe('postgres');
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

	it('lets a CLI command share its PostgreSQL, and refuses a second portal on the same DATA_DIR', async () => {
		const { EmbeddedPostgres } = await import('$lib/server/db/embedded');
		const { default: postgres } = await import('postgres');
		const fs = await import('node:fs');
		const path = await import('node:path');
		// As if another live process (our parent) were the portal that runs it.
		const state = z
			.record(z.string(), z.unknown())
			.parse(JSON.parse(fs.readFileSync(path.join(dataDir, 'postgres.json'), 'utf8')));
		fs.writeFileSync(path.join(dataDir, 'postgres.json'), JSON.stringify({ ...state, owner: process.ppid }));
		try {
			const cli = new EmbeddedPostgres({ dataDir, owner: 'cli', log: () => {} });
			await cli.start();
			expect(cli.attached).toBe(true);
			const client = postgres(cli.url, { max: 1, onnotice: () => {} });
			expect((await client`select count(*)::int as n from provinces`)[0]?.n).toBe(77);
			await client.end();
			await cli.stop();
			const portal = new EmbeddedPostgres({ dataDir, owner: 'portal', log: () => {} });
			await expect(portal.start()).rejects.toThrow(/Another portal \(process \d+\) already runs on DATA_DIR/);
			const restore = new EmbeddedPostgres({ dataDir, owner: 'cli', exclusive: true, log: () => {} });
			await expect(restore.start()).rejects.toThrow(/is running on DATA_DIR .*: stop it first/);
		} finally {
			fs.writeFileSync(path.join(dataDir, 'postgres.json'), JSON.stringify(state));
		}
		expect((await checkHealth(runtime)).failing).toEqual([]);
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
