// Fault injection on the real binaries: the CLI is killed with SIGKILL while it imports 10,000 startups. The
// database must hold all of the import or none of it, and the next start on the same DATA_DIR must not be
// blocked by, nor leave behind, the managed Meilisearch of the killed run.
import fs from 'node:fs';
import path from 'node:path';
import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../bench/matching';
import { parseEnv } from '$lib/server/env';
import { isAlive } from '$lib/server/process-alive';
import { products, searchOutbox, startups } from '$lib/server/db/schema';
import { checkHealth } from '$lib/server/health';
import { INDEXES } from '$lib/server/search/indexes';
import { pidRecord } from '$lib/server/search/process';
import { startRuntime, type Runtime } from '$lib/server/runtime';
import { spawnCli } from '../helpers/cli';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { freePort, tempDir } from '../helpers/meili';
import { processesOn, processState } from '../helpers/processes';
import { waitFor } from '../helpers/wait';

const RECORDS = 10_000;
let documentFile: string;
let server: TestDatabase | undefined;

beforeAll(async () => {
	documentFile = path.join(tempDir('faults-import'), 'startups-10000.json');
	fs.writeFileSync(documentFile, JSON.stringify(generate(RECORDS, 0)));
	// One fresh test database (the first test leaves it without startups); the embedded server killed with its
	// owner is tests/integration/embedded-postgres.test.ts's subject.
	server = await createTestDatabase();
});
afterAll(async () => {
	await server?.dispose();
});

/** A fresh DATA_DIR and Meilisearch port, and the test database on PostgreSQL. */
async function freshSetting() {
	return {
		DATA_DIR: tempDir('faults-import-data'),
		MEILI_PORT: String(await freePort()),
		DATABASE_URL: server!.url
	};
}

/**
 * Runs `cli import` and SIGKILLs it (the CLI process alone) once its stderr matches `killAt`; `beforeKill` runs
 * first, with the pid of the Meilisearch the CLI started. Resolves when the CLI is dead.
 */
async function importKilled(
	setting: Record<string, string>,
	killAt: RegExp,
	beforeKill: (meiliPid: number) => Promise<void> = async () => {}
) {
	const cli = spawnCli(['import', documentFile], setting);
	const exited = new Promise<NodeJS.Signals | null>((resolve) =>
		cli.once('exit', (_, signal) => resolve(signal))
	);
	let stderr = '';
	const reached = new Promise<string>((resolve, reject) => {
		cli.stderr.setEncoding('utf8').on('data', (chunk: string) => {
			stderr += chunk;
			const match = killAt.exec(stderr);
			if (match) resolve(match[0]);
		});
		void exited.then(() => reject(new Error(`the import ended before the kill point: ${stderr}`)));
	});
	const point = await reached;
	const meiliPid = pidFileOf(setting.DATA_DIR!).pid;
	await beforeKill(meiliPid);
	cli.kill('SIGKILL');
	expect(await exited).toBe('SIGKILL');
	return { cliPid: cli.pid!, meiliPid, point };
}

function pidFileOf(dataDir: string) {
	return pidRecord.parse(
		JSON.parse(fs.readFileSync(path.join(dataDir, 'meilisearch', 'meilisearch.pid'), 'utf8'))
	);
}

const rowCount = async (runtime: Runtime, table: typeof startups | typeof products | typeof searchOutbox) =>
	(await runtime.db.select({ n: count() }).from(table))[0]!.n;

describe('the CLI killed during a 10,000-record import', () => {
	it('keeps none of an import killed before its commit, and replaces a Meilisearch that outlived the CLI', async () => {
		const setting = await freshSetting();
		const logs: string[] = [];
		// Frozen just before the kill, the CLI's Meilisearch cannot act on the SIGTERM the kernel sends it when
		// its parent dies (setpriv --pdeathsig): the worst case, a Meilisearch that outlives its portal.
		const killed = await importKilled(setting, /imported [3-9]\d{3} \/ 10000/, async (meiliPid) => {
			process.kill(meiliPid, 'SIGSTOP');
			// The signal takes effect when the process next runs: the kill must come after it.
			await waitFor(() => processState(meiliPid) === 'T');
		});
		expect(processState(killed.meiliPid)).toBe('T');
		expect(isAlive(killed.cliPid)).toBe(false);

		const runtime = await startRuntime(parseEnv(setting), {
			emailWorker: false,
			scheduler: false,
			log: (message) => logs.push(message)
		});
		try {
			// All or none: the import was killed at "imported N / 10000" inside its transaction, so none.
			const kept = {
				startups: await rowCount(runtime, startups),
				products: await rowCount(runtime, products)
			};
			console.log(
				`[faults] import SIGKILLed at "${killed.point}": ${kept.startups} startups, ${kept.products} products kept`
			);
			expect([0, RECORDS]).toContain(kept.startups);
			expect(kept).toEqual({ startups: 0, products: 0 });
			expect(await rowCount(runtime, searchOutbox)).toBe(0);

			// The stale Meilisearch was found by its pid file and ended; a new one runs on the same port.
			expect(logs).toContain(
				`[meilisearch] stopping a stale Meilisearch (pid ${killed.meiliPid}) left by an earlier run`
			);
			expect(isAlive(killed.meiliPid)).toBe(false);
			const managed = runtime.search.managed!;
			expect(managed.pid).not.toBe(killed.meiliPid);
			expect(pidFileOf(setting.DATA_DIR)).toEqual({ pid: managed.pid, owner: process.pid });
			expect((await checkHealth(runtime)).failing).toEqual([]);
			expect(processesOn(setting.DATA_DIR)).toEqual([managed.pid]);
		} finally {
			await runtime.stop();
		}
		expect(processesOn(setting.DATA_DIR)).toEqual([]);
	}, 600_000);

	it('keeps all of an import killed after its commit, and the next start indexes the rest', async () => {
		const setting = await freshSetting();
		const killed = await importKilled(setting, /indexing… \d+ left/);
		// Not frozen this time: the kernel's SIGTERM (setpriv --pdeathsig) ends the orphaned Meilisearch by itself.
		await waitFor(() => !isAlive(killed.meiliPid));

		const runtime = await startRuntime(parseEnv(setting), {
			emailWorker: false,
			scheduler: false,
			log: () => {}
		});
		try {
			const kept = await rowCount(runtime, startups);
			console.log(`[faults] import SIGKILLed at "${killed.point}" (after the commit): ${kept} startups kept`);
			expect(kept).toBe(RECORDS);
			expect(await rowCount(runtime, products)).toBe(2 * RECORDS);
			// The outbox rows the killed CLI did not get to are indexed by the new runtime's worker.
			const index = runtime.search.client.index(INDEXES.startups.uid);
			await waitFor(
				async () =>
					(await rowCount(runtime, searchOutbox)) === 0 &&
					(await index.getStats()).numberOfDocuments === RECORDS,
				120_000
			);
			expect(processesOn(setting.DATA_DIR)).toEqual([runtime.search.managed!.pid]);
		} finally {
			await runtime.stop();
		}
		expect(processesOn(setting.DATA_DIR)).toEqual([]);
	}, 600_000);
});
