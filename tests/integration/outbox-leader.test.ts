// Two app nodes on one PostgreSQL and one Meilisearch, as behind a load balancer: the search outbox is drained by
// one node at a time, no row is applied twice, and when the leader is killed mid-pass the other node takes over.
// Each node talks to Meilisearch through a recording pass-through, which counts the documents it sends.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '$lib/server/db';
import { organisations, startups } from '$lib/server/db/schema';
import { asLeader } from '$lib/server/leader';
import { createSearchClient } from '$lib/server/search/client';
import { applyIndexSettings, INDEXES } from '$lib/server/search/indexes';
import { enqueueSearchSync, outboxLag } from '$lib/server/search/outbox';
import type { MeiliProcess } from '$lib/server/search/process';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { freePort, startTestMeili, tempDir } from '../helpers/meili';

const NODE_SCRIPT = path.resolve('tests/helpers/outbox-node.ts');
const ROWS = 2_000;

interface Sent {
	node: string;
	ids: string[];
}

/** A pass-through to Meilisearch for one node, recording the startup documents that node sends. */
class RecordingProxy {
	readonly sent: Sent[] = [];
	/** When set, the next documents request is answered never (the node waits, mid-pass) and reported here. */
	holdNext?: (ids: string[]) => void;
	#server?: http.Server;
	url = '';

	constructor(
		readonly node: string,
		readonly upstream: string
	) {}

	async start(): Promise<void> {
		const port = await freePort();
		this.#server = http.createServer((request, response) => {
			void this.#forward(request, response).catch((error: unknown) => {
				response.destroy(error instanceof Error ? error : new Error(String(error)));
			});
		});
		await new Promise<void>((resolve) => this.#server!.listen(port, '127.0.0.1', resolve));
		this.url = `http://127.0.0.1:${port}`;
	}

	async #forward(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
		const chunks: Buffer[] = [];
		for await (const chunk of request) chunks.push(chunk as Buffer);
		const body = Buffer.concat(chunks);
		const url = request.url ?? '/';
		if (request.method === 'POST' && url.startsWith(`/indexes/${INDEXES.startups.uid}/documents`)) {
			const payload = JSON.parse(body.toString('utf8')) as (string | { id: string })[];
			const ids = payload.map((item) => (typeof item === 'string' ? item : item.id));
			this.sent.push({ node: this.node, ids });
			if (this.holdNext) {
				const report = this.holdNext;
				this.holdNext = undefined;
				report(ids);
				return;
			}
		}
		const headers = new Headers();
		for (const [name, value] of Object.entries(request.headers)) {
			if (typeof value === 'string' && name !== 'host' && name !== 'content-length') headers.set(name, value);
		}
		const upstream = await fetch(`${this.upstream}${url}`, {
			method: request.method,
			headers,
			body: body.length > 0 ? body : undefined
		});
		const answer = Buffer.from(await upstream.arrayBuffer());
		response.writeHead(upstream.status, {
			'content-type': upstream.headers.get('content-type') ?? 'text/plain'
		});
		response.end(answer);
	}

	async stop(): Promise<void> {
		this.#server?.closeAllConnections();
		await new Promise((resolve) => this.#server?.close(resolve) ?? resolve(undefined));
	}
}

class Node {
	readonly log: string[] = [];
	readonly dataDir: string;
	#child?: ChildProcess;

	constructor(
		readonly name: string,
		readonly proxy: RecordingProxy
	) {
		this.dataDir = tempDir(`outbox-${name}`);
	}

	/** Starts the node and resolves once its runtime is up. */
	start(databaseUrl: string, masterKey: string): Promise<void> {
		this.#child = spawn(process.execPath, ['--import', 'tsx', NODE_SCRIPT], {
			env: {
				PATH: process.env.PATH,
				HOME: process.env.HOME,
				DATA_DIR: this.dataDir,
				DATABASE_URL: databaseUrl,
				MEILI_URL: this.proxy.url,
				MEILI_MASTER_KEY: masterKey,
				NODE_ENV: 'test'
			},
			stdio: ['ignore', 'pipe', 'pipe']
		});
		const child = this.#child;
		child.stderr!.on('data', (chunk: Buffer) => this.log.push(chunk.toString()));
		return new Promise((resolve, reject) => {
			child.stdout!.on('data', (chunk: Buffer) => {
				if (chunk.toString().includes('ready')) resolve();
			});
			child.once('exit', (code, signal) =>
				reject(new Error(`node ${this.name} exited (${code ?? signal}):\n${this.log.join('')}`))
			);
		});
	}

	get alive(): boolean {
		return !!this.#child && this.#child.exitCode === null && this.#child.signalCode === null;
	}

	async kill(signal: NodeJS.Signals): Promise<void> {
		const child = this.#child;
		if (!child || !this.alive) return;
		const exited = new Promise((resolve) => child.once('exit', resolve));
		child.kill(signal);
		await exited;
	}
}

/** Approved startups with no outbox row yet: the test decides when each is enqueued. */
async function insertStartups(db: Db, count: number, label: string): Promise<string[]> {
	const orgs = await db
		.insert(organisations)
		.values(Array.from({ length: count }, (_, i) => ({ kind: 'startup' as const, name: `${label} ${i}` })))
		.returning({ id: organisations.id });
	const rows = await db
		.insert(startups)
		.values(
			orgs.map((org, i) => ({
				organisationId: org.id,
				provinceCode: 'TH-50',
				slug: `${label}-${i}`,
				nameTh: `สตาร์ทอัพ ${label} ${i}`,
				nameEn: `Startup ${label} ${i}`,
				status: 'approved' as const
			}))
		)
		.returning({ id: startups.id });
	return rows.map((row) => row.id);
}

async function waitUntil(what: string, condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await condition())) {
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

/** How many times each id was sent, over every recorded request. */
function sendCounts(sent: Sent[]): Map<string, number> {
	const counts = new Map<string, number>();
	for (const request of sent) for (const id of request.ids) counts.set(id, (counts.get(id) ?? 0) + 1);
	return counts;
}

describe('two app nodes sharing one PostgreSQL', () => {
	let database: TestDatabase;
	let meili: MeiliProcess;
	let nodes: Node[] = [];

	beforeAll(async () => {
		[database, meili] = await Promise.all([createTestDatabase(), startTestMeili()]);
		await applyIndexSettings(createSearchClient(meili.url, meili.masterKey));
		nodes = ['a', 'b'].map((name) => new Node(name, new RecordingProxy(name, meili.url)));
		for (const node of nodes) await node.proxy.start();
		// Side by side, as a deployment starts its nodes: the migrations' own lock is exercised on the way.
		await Promise.all(nodes.map((node) => node.start(database.url, meili.masterKey)));
	});
	afterAll(async () => {
		await Promise.all(nodes.map((node) => node.kill('SIGKILL')));
		await Promise.all(nodes.map((node) => node.proxy.stop()));
		for (const node of nodes) fs.rmSync(node.dataDir, { recursive: true, force: true });
		await Promise.all([database?.dispose(), meili?.stop()]);
	});

	const allSent = () => nodes.flatMap((node) => node.proxy.sent);
	const indexedIds = async () => {
		const index = createSearchClient(meili.url, meili.masterKey).index(INDEXES.startups.uid);
		const { results } = await index.getDocuments({ limit: 10 * ROWS, fields: ['id'] });
		return new Set(results.map((doc) => doc.id as string));
	};

	it('applies every row once, whichever node drains it, while writes keep coming', async () => {
		const ids = await insertStartups(database.db, ROWS, 'steady');
		// 20 writes of 100 rows, 100 ms apart: both nodes' workers are polling all along.
		for (let i = 0; i < ids.length; i += 100) {
			await enqueueSearchSync(database.db, 'startup', ids.slice(i, i + 100));
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
		await waitUntil('the outbox is empty', async () => (await outboxLag(database.db)).pending === 0, 90_000);

		const counts = sendCounts(allSent());
		const twice = [...counts].filter(([, n]) => n > 1).map(([id]) => id);
		expect(twice).toEqual([]);
		expect([...counts.keys()].sort()).toEqual([...ids].sort());
		const indexed = await indexedIds();
		expect(ids.filter((id) => !indexed.has(id))).toEqual([]);
		expect(indexed.size).toBe(ROWS);
		for (const node of nodes) {
			console.info(`node ${node.name} applied ${sendCounts(node.proxy.sent).size} rows`);
		}
	}, 150_000);

	it('hands the outbox to the other node when the leader is killed mid-pass', async () => {
		const before = new Map(nodes.map((node) => [node, node.proxy.sent.length]));
		// The first node to send a batch now is the leader; its request is held, so it dies inside its pass.
		let leader: Node | undefined;
		let heldBatch: string[] = [];
		const held = new Promise<void>((resolve) => {
			for (const node of nodes) {
				node.proxy.holdNext = (batch) => {
					for (const other of nodes) other.proxy.holdNext = undefined;
					leader = node;
					heldBatch = batch;
					resolve();
				};
			}
		});
		const ids = await insertStartups(database.db, ROWS, 'failover');
		await enqueueSearchSync(database.db, 'startup', ids);
		await held;
		const survivor = nodes.find((node) => node !== leader)!;
		// While the leader lives, stuck in its pass, the other node polls (every second) and drains nothing:
		// not the leader's rows, which are locked, and not the others, which are the leader's to take.
		const sentBySurvivor = survivor.proxy.sent.length;
		await new Promise((resolve) => setTimeout(resolve, 3_000));
		expect(survivor.proxy.sent.length).toBe(sentBySurvivor);
		await leader!.kill('SIGKILL');
		const killedAt = Date.now();
		await waitUntil('the outbox is empty', async () => (await outboxLag(database.db)).pending === 0, 90_000);
		const takeoverMs = Date.now() - killedAt;
		console.info(
			`node ${leader!.name} killed holding ${heldBatch.length} rows; ${survivor.name} done in ${takeoverMs} ms`
		);

		expect(survivor.alive).toBe(true);
		expect(heldBatch.length).toBeGreaterThan(0);
		const after = nodes.flatMap((node) => node.proxy.sent.slice(before.get(node)));
		// The dead node's only send was the batch it died in; it never committed, so its rows came back to the
		// survivor at once (the kernel closes the socket, PostgreSQL ends the transaction and frees the lock).
		expect(after.filter((request) => request.node === leader!.name).map((request) => request.ids)).toEqual([
			heldBatch
		]);
		const survivorCounts = sendCounts(after.filter((request) => request.node === survivor.name));
		expect([...survivorCounts].filter(([, n]) => n > 1)).toEqual([]);
		expect([...survivorCounts.keys()].sort()).toEqual([...ids].sort());
		const indexed = await indexedIds();
		expect(ids.filter((id) => !indexed.has(id))).toEqual([]);
		expect(indexed.size).toBe(2 * ROWS);
	}, 150_000);

	it('runs a scheduled job on one node at a time, and on the other once the first is done', async () => {
		// A second pool on the same database stands for another node.
		const other = await openDatabase({ url: database.url, poolSize: 2 });
		try {
			let finish!: () => void;
			const first = asLeader(database.db, 'gapCoverage', async () => {
				await new Promise<void>((resolve) => (finish = resolve));
				return 'first';
			});
			await waitUntil('the first node leads', async () => finish !== undefined, 10_000);
			let ranOnOther = false;
			const skipped = await asLeader(other.db, 'gapCoverage', async () => (ranOnOther = true));
			expect(skipped).toBeUndefined();
			expect(ranOnOther).toBe(false);
			// Another job's lock is free meanwhile.
			expect(await asLeader(other.db, 'referrals', async () => 'referrals')).toBe('referrals');
			finish();
			expect(await first).toBe('first');
			expect(await asLeader(other.db, 'gapCoverage', async () => 'other')).toBe('other');
		} finally {
			await other.close();
		}
	});
});
