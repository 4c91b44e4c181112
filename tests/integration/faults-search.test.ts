// Fault injection on the real binaries: Meilisearch is killed (SIGKILL) in the middle of a stream of 1,000
// writes made through the exchange import. No write may be lost, search and matching must answer from Postgres
// while it is down, and once it runs again the outbox worker must bring the index level with Postgres within
// 5 s — checked document by document against what documents.ts makes of every source row.
import { isDeepStrictEqual } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { count, eq, like, max } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../bench/matching';
import { parseEnv } from '$lib/server/env';
import { importDocument } from '$lib/server/exchange/service';
import { matchStartupsForDemand } from '$lib/server/matching/service';
import { isAlive } from '$lib/server/process-alive';
import { demands, searchOutbox, startups } from '$lib/server/db/schema';
import { demandDocument, startupDocument } from '$lib/server/search/documents';
import { INDEXES } from '$lib/server/search/indexes';
import { outboxLag } from '$lib/server/search/outbox';
import { isHealthy } from '$lib/server/search/process';
import { searchPortal } from '$lib/server/search/query';
import { pageDemandSources, pageStartupSources } from '$lib/server/search/sources';
import { startRuntime, type Runtime } from '$lib/server/runtime';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { freePort, tempDir } from '../helpers/meili';
import { waitFor } from '../helpers/wait';

const WRITES = 1_000;
const KILL_AT = 300;
const CONVERGE_WITHIN_MS = 5_000;

let runtime: Runtime;
let server: TestDatabase | undefined;

beforeAll(async () => {
	// A fresh test database: the subject here is Meilisearch, not the database's supervision.
	server = await createTestDatabase();
	const env = parseEnv({
		DATA_DIR: tempDir('faults-search'),
		MEILI_PORT: String(await freePort()),
		DATABASE_URL: server.url
	});
	// The outbox worker runs as in the app; mail and the schedules have nothing to do with this.
	runtime = await startRuntime(env, { emailWorker: false, scheduler: false, log: () => {} });
});
afterAll(async () => {
	await runtime?.stop();
	await server?.dispose();
});

/** The 1,000 writes: startups and demands alternately, each its own import (one transaction with its outbox row). */
function writes() {
	const document = generate(WRITES / 2, WRITES / 2);
	return document.startups.flatMap((startup, i) => [
		{ ...document, startups: [startup], demands: [] },
		{ ...document, startups: [], demands: [document.demands[i]!] }
	]);
}

type Doc = Record<string, unknown>;

/** What the index must hold: every searchable row of Postgres as documents.ts makes it, by id. */
async function expectedDocuments(): Promise<Record<string, Map<string, Doc>>> {
	const collect = async <T>(pages: AsyncGenerator<T[]>, toDocument: (row: T) => object) => {
		const documents = new Map<string, Doc>();
		for await (const page of pages)
			for (const row of page) {
				// As Meilisearch stores it: JSON (undefined fields dropped).
				const document = JSON.parse(JSON.stringify(toDocument(row))) as Doc;
				documents.set(document.id as string, document);
			}
		return documents;
	};
	return {
		[INDEXES.startups.uid]: await collect(pageStartupSources(runtime.db, 500), startupDocument),
		[INDEXES.demands.uid]: await collect(pageDemandSources(runtime.db, 500), demandDocument)
	};
}

async function indexedDocuments(): Promise<Record<string, Map<string, Doc>>> {
	const all: Record<string, Map<string, Doc>> = {};
	for (const { uid } of Object.values(INDEXES)) {
		const { results } = await runtime.search.client.index(uid).getDocuments({ limit: 10_000 });
		all[uid] = new Map(results.map((doc) => [doc.id as string, doc]));
	}
	return all;
}

const sameDocuments = (a: Record<string, Map<string, Doc>>, b: Record<string, Map<string, Doc>>) =>
	Object.keys(a).every((uid) => isDeepStrictEqual(a[uid], b[uid]));

describe('Meilisearch killed during a stream of writes', () => {
	it('loses no write, answers from Postgres while down, and converges within 5 s of the restart', async () => {
		const { db } = runtime;
		const managed = runtime.search.managed!;
		const stream = writes();
		const killedPid = managed.pid!;
		let downSince = 0;
		for (const [n, document] of stream.entries()) {
			if (n === KILL_AT) {
				// The index holds the first writes when the crash comes.
				await waitFor(async () => (await outboxLag(db)).pending === 0);
				process.kill(killedPid, 'SIGKILL');
				downSince = performance.now();
				// The supervisor sees the crash; pausing it keeps Meilisearch down for the rest of the stream, so the
				// outage is long enough for the outbox to back off (the case that makes convergence slow).
				await waitFor(() => managed.state === 'restarting', 20_000, 20);
				await managed.stop();
				expect(isAlive(killedPid)).toBe(false);
			}
			// Every write must succeed: a failing one fails the test here.
			await importDocument(db, document, { actor: 'fault-test' });
		}
		expect(await isHealthy(runtime.search.url)).toBe(false);

		// 0 writes lost: every record of the stream is in Postgres.
		const [startupRows] = await db.select({ n: count() }).from(startups).where(like(startups.ref, 'bs-%'));
		const [demandRows] = await db.select({ n: count() }).from(demands).where(like(demands.ref, 'bd-%'));
		expect(startupRows!.n + demandRows!.n).toBe(WRITES);
		const pendingWhileDown = (await outboxLag(db)).pending;
		expect(pendingWhileDown).toBeGreaterThan(0);

		// Search answers from Postgres, with what Postgres holds now — the writes made during the outage included.
		const lastStartup = stream.at(-2)!.startups[0]!;
		const [written] = await db.select().from(startups).where(eq(startups.ref, lastStartup.ref));
		const name = lastStartup.name_en ?? lastStartup.name_th!;
		const byName = await searchPortal(db, runtime.search.client, name, { type: 'startup' });
		expect(byName.engine).toBe('fallback');
		expect(byName.hits.map((hit) => hit.id)).toContain(written!.id);
		const everyStartup = await searchPortal(db, runtime.search.client, '', { type: 'startup' });
		const everyDemand = await searchPortal(db, runtime.search.client, '', { type: 'demand' });
		expect(everyStartup).toMatchObject({ engine: 'fallback', total: WRITES / 2 });
		expect(everyDemand).toMatchObject({ engine: 'fallback', total: WRITES / 2 });

		// Matching for a demand posted during the outage: degraded, and the same answer the Postgres engine gives.
		const demandRecord = stream
			.slice(KILL_AT)
			.flatMap((document) => document.demands)
			.find((demand) => demand.required_certifications.length === 0)!;
		const [demand] = await db.select().from(demands).where(eq(demands.ref, demandRecord.ref));
		const now = new Date();
		const degraded = await matchStartupsForDemand(db, runtime.search.client, demand!.id, { now });
		const postgres = await matchStartupsForDemand(db, null, demand!.id, { engine: 'fallback', now });
		expect(degraded).toMatchObject({ engine: 'fallback', degraded: true });
		expect(degraded.matches.length).toBeGreaterThan(0);
		expect(degraded.matches).toEqual(postgres.matches);
		// A longer outage: the worker keeps retrying until the rows' backoff has grown to 8 s.
		await waitFor(async () => {
			const [row] = await db.select({ attempts: max(searchOutbox.attempts) }).from(searchOutbox);
			return (row?.attempts ?? 0) >= 4;
		}, 120_000);
		const downSeconds = (performance.now() - downSince) / 1000;

		// Meilisearch back: the runtime's recovery check releases the outbox's backoff and its worker catches up.
		await managed.start();
		const upAt = performance.now();
		const expected = await expectedDocuments();
		expect(expected[INDEXES.startups.uid]!.size).toBe(WRITES / 2);
		expect(expected[INDEXES.demands.uid]!.size).toBe(WRITES / 2);
		// Converged: the index holds exactly what Postgres says, and nothing is left in the outbox (matching treats
		// an outbox row older than 5 s as an index that is behind and answers from Postgres).
		let indexed = await indexedDocuments();
		while (!sameDocuments(expected, indexed) || (await outboxLag(db)).pending > 0) {
			if (performance.now() - upAt > 60_000) break;
			await sleep(100);
			indexed = await indexedDocuments();
		}
		const convergedMs = Math.round(performance.now() - upAt);
		console.log(
			`[faults] Meilisearch SIGKILLed after ${KILL_AT} of ${WRITES} writes (0 lost), down ${downSeconds.toFixed(1)} s ` +
				`with ${pendingWhileDown} outbox rows waiting; every document equal to Postgres and the outbox empty ` +
				`${convergedMs} ms after the restart`
		);
		// Every document, every field (a failure shows the difference).
		for (const uid of Object.keys(expected))
			expect(Object.fromEntries(indexed[uid]!)).toEqual(Object.fromEntries(expected[uid]!));
		expect(convergedMs).toBeLessThanOrEqual(CONVERGE_WITHIN_MS);
		expect((await outboxLag(db)).pending).toBe(0);
		const answered = await searchPortal(db, runtime.search.client, '', { type: 'startup' });
		expect(answered).toMatchObject({ engine: 'meili', total: WRITES / 2 });
		const matched = await matchStartupsForDemand(db, runtime.search.client, demand!.id);
		expect(matched).toMatchObject({ engine: 'meili', degraded: false });
	}, 600_000);
});
