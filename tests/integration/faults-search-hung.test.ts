// Fault injection on the real binary: Meilisearch frozen with SIGSTOP keeps its port open and never answers (a
// wedged or swapping process looks the same). The pages that wait on it — /search, the buyer's demand with its
// matches, the startup's home with the demands it could serve — must answer from Postgres within a few seconds,
// marked degraded, instead of hanging until the visitor gives up. SIGCONT brings it back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnv } from '$lib/server/env';
import { setRuntime } from '$lib/server/context';
import { outboxLag } from '$lib/server/search/outbox';
import { startRuntime, type Runtime } from '$lib/server/runtime';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { freePort, tempDir } from '../helpers/meili';
import { processState } from '../helpers/processes';
import { routeEvent, routeModule, settle, signedInLocals } from '../helpers/route-event';
import { waitFor } from '../helpers/wait';
import { buildWorld, type World } from '../helpers/world';

/** The deadline the portal is given here; the bound below leaves room for a loaded machine. */
const TIMEOUT_MS = 1_000;
/** Generous: without a deadline these pages gave no answer in 60 s. */
const ANSWERED_WITHIN_MS = 15_000;

let runtime: Runtime;
let server: TestDatabase;
let world: World;
let frozen: number | undefined;

beforeAll(async () => {
	server = await createTestDatabase();
	const env = parseEnv({
		DATA_DIR: tempDir('faults-search-hung'),
		MEILI_PORT: String(await freePort()),
		MEILI_TIMEOUT_MS: String(TIMEOUT_MS),
		DATABASE_URL: server.url
	});
	runtime = await startRuntime(env, { emailWorker: false, scheduler: false, log: () => {} });
	setRuntime(runtime);
	world = await buildWorld(runtime.db);
	await waitFor(async () => (await outboxLag(runtime.db)).pending === 0, 60_000);
}, 180_000);

afterAll(async () => {
	if (frozen !== undefined) process.kill(frozen, 'SIGCONT');
	setRuntime(undefined);
	await runtime?.stop();
	await server?.dispose();
});

type Load = (event: unknown) => Promise<Record<string, unknown>>;

async function load(file: string, event: ReturnType<typeof routeEvent>) {
	const { load } = (await routeModule(file)) as { load: Load };
	const started = performance.now();
	const settled = await settle(() => load(event));
	return { settled, ms: performance.now() - started };
}

/** The three pages; `q` differs from call to call so Meilisearch's recent answers (kept 2 s) are not reused. */
const pages = async (q: string) => {
	const buyer = await signedInLocals(runtime.db, world.users.buyer.id);
	const startup = await signedInLocals(runtime.db, world.users.startup.id);
	return {
		search: await load(
			'(public)/search/+page.server.ts',
			routeEvent({
				locals: { user: null, session: null },
				method: 'GET',
				search: `?q=${encodeURIComponent(q)}`
			})
		),
		demand: await load(
			'(app)/buyer/demands/[id]/+page.server.ts',
			routeEvent({ locals: buyer, method: 'GET', params: { id: world.ids.demand } })
		),
		home: await load('(app)/startup/+page.server.ts', routeEvent({ locals: startup, method: 'GET' }))
	};
};

const valueOf = (page: { settled: Awaited<ReturnType<typeof settle>> }) => {
	expect(page.settled.kind).toBe('data');
	return (page.settled as { value: Record<string, unknown> }).value;
};

describe('Meilisearch frozen with SIGSTOP', () => {
	it('search and matching answer from Postgres, degraded, within a few seconds, and from Meilisearch after SIGCONT', async () => {
		// Healthy first: the same pages answer from Meilisearch, so the answers below are the fallback's doing.
		const before = await pages('ข้าวหอมมะลิ');
		expect(valueOf(before.search).result).toMatchObject({ engine: 'meili' });
		expect(valueOf(before.demand).matches).toMatchObject({ degraded: false });
		expect(valueOf(before.home).matches).toMatchObject({ degraded: false });

		const pid = runtime.search.managed!.pid!;
		process.kill(pid, 'SIGSTOP');
		frozen = pid;
		await waitFor(() => processState(pid) === 'T', 5_000, 10);

		const during = await pages('hom mali');
		const search = valueOf(during.search) as { result: { engine: string; hits: { id: string }[] } };
		expect(search.result.engine).toBe('fallback');
		expect(search.result.hits.map((hit) => hit.id)).toContain(world.ids.startup);
		const demand = valueOf(during.demand) as { matches: { degraded: boolean; startups: { id: string }[] } };
		expect(demand.matches.degraded).toBe(true);
		expect(demand.matches.startups.map((s) => s.id)).toContain(world.ids.startup);
		const home = valueOf(during.home) as { matches: { degraded: boolean; demands: { id: string }[] } };
		expect(home.matches.degraded).toBe(true);
		expect(home.matches.demands.map((d) => d.id)).toContain(world.ids.demand);
		for (const page of Object.values(during)) expect(page.ms).toBeLessThan(ANSWERED_WITHIN_MS);
		console.log(
			`[faults] Meilisearch frozen (deadline ${TIMEOUT_MS} ms): /search ${Math.round(during.search.ms)} ms, ` +
				`demand page ${Math.round(during.demand.ms)} ms, startup home ${Math.round(during.home.ms)} ms, all from Postgres`
		);

		process.kill(pid, 'SIGCONT');
		frozen = undefined;
		// After the pause that follows a missed deadline, searches ask Meilisearch again.
		await waitFor(
			async () => {
				const again = await pages(`rice ${Math.random()}`);
				return (valueOf(again.search).result as { engine: string }).engine === 'meili';
			},
			30_000,
			500
		);
	}, 120_000);
});
