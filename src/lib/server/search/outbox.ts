// The search outbox: writes enqueue a row in their own transaction; a worker drains the rows into
// Meilisearch in batches, the latest operation per entity winning, and retries with backoff on failure. With
// several app nodes on one PostgreSQL, the worker drains on one node at a time (the leader, ../leader.ts).
import { asc, count, inArray, lte, min, sql } from 'drizzle-orm';
import type { Meilisearch } from 'meilisearch';
import type { Db, Queryable } from '../db';
import { tryLeaderLock } from '../leader';
import { searchOutbox } from '../db/schema';
import { demandDocument, isDemandSearchable, isStartupSearchable, startupDocument } from './documents';
import { INDEXES } from './indexes';
import { loadDemandSources, loadStartupSources } from './sources';
import { indexChanged } from './recent';
import { lotDocuments, wantDocuments } from '../waste/search';
import { listingsOf, recordMatches } from '../alerts/service';
import { traced } from '../tracing/spans';

export type SearchEntity = 'startup' | 'demand' | 'waste_lot' | 'material_want';

/** Each entity's index and how its searchable rows become documents (the others are removed). */
const ENTITIES: Record<
	SearchEntity,
	{ uid: string; documents: (db: Queryable, ids: string[]) => Promise<object[]> }
> = {
	startup: {
		uid: INDEXES.startups.uid,
		documents: async (db, ids) =>
			(await loadStartupSources(db, ids)).filter(isStartupSearchable).map(startupDocument)
	},
	demand: {
		uid: INDEXES.demands.uid,
		documents: async (db, ids) =>
			(await loadDemandSources(db, ids)).filter(isDemandSearchable).map(demandDocument)
	},
	waste_lot: { uid: INDEXES.wasteLots.uid, documents: lotDocuments },
	material_want: { uid: INDEXES.materialWants.uid, documents: wantDocuments }
};

export async function enqueueSearchSync(
	db: Queryable,
	entity: SearchEntity,
	ids: string[],
	op: 'upsert' | 'delete' = 'upsert'
): Promise<void> {
	if (ids.length === 0) return;
	await db.insert(searchOutbox).values(ids.map((entityId) => ({ entity, entityId, op })));
}

export interface DrainResult {
	processed: number;
	failed: number;
}

export interface DrainOptions {
	/**
	 * Drain only as the leader (the app's worker does): when another node holds the outbox's lock, nothing is
	 * drained here. Without it (the CLI, tests) the pass still claims its rows, so it can run beside a leader.
	 */
	asLeader?: boolean;
}

/**
 * Applies up to `batchSize` due outbox rows to the index. The pass is one transaction: its rows are
 * claimed with `for update skip locked` (another node's pass takes other rows, or none) and deleted or given a
 * retry time in the same transaction, so a row is applied by one pass, or by none when that pass dies (its rows
 * are then free again at once). Rows are applied more than once only when a pass dies after Meilisearch accepted
 * them and before its commit, which re-applying makes harmless: a row says "make the index match the database".
 */
export async function drainOutboxOnce(
	db: Db,
	client: Meilisearch,
	batchSize = 500,
	options: DrainOptions = {}
): Promise<DrainResult> {
	return db.transaction(async (tx) => {
		if (options.asLeader && !(await tryLeaderLock(tx, 'searchOutbox'))) return { processed: 0, failed: 0 };
		// A savepoint per batch: a database error while applying one rolls back only that batch's reads, and
		// the row can still be given its retry time.
		return drainPass(tx, client, batchSize, (apply) => tx.transaction(apply));
	});
}

async function drainPass(
	db: Queryable,
	client: Meilisearch,
	batchSize: number,
	savepoint: (apply: (db: Queryable) => Promise<void>) => Promise<void>
): Promise<DrainResult> {
	const rows = await db
		.select()
		.from(searchOutbox)
		.where(lte(searchOutbox.availableAt, sql`now()`))
		.orderBy(asc(searchOutbox.id))
		.limit(batchSize)
		.for('update', { skipLocked: true });
	if (rows.length === 0) return { processed: 0, failed: 0 };

	const result: DrainResult = { processed: 0, failed: 0 };
	for (const entity of Object.keys(ENTITIES) as SearchEntity[]) {
		const batch = rows.filter((row) => row.entity === entity);
		if (batch.length === 0) continue;
		try {
			// A span per batch applied (a pass with nothing due makes none): its trace is the outbox worker's own.
			await traced(
				'search.outbox.apply',
				{ 'portal.search.entity': entity, 'portal.outbox.rows': batch.length },
				() => savepoint((q) => applyBatch(q, client, entity, batch))
			);
			await db.delete(searchOutbox).where(
				inArray(
					searchOutbox.id,
					batch.map((row) => row.id)
				)
			);
			result.processed += batch.length;
		} catch (error) {
			const message = error instanceof Error ? error.message : String(error);
			await db
				.update(searchOutbox)
				.set({
					attempts: sql`${searchOutbox.attempts} + 1`,
					lastError: message.slice(0, 1000),
					// 1 s, 2 s, 4 s … capped at 5 minutes.
					availableAt: sql`now() + least(power(2, ${searchOutbox.attempts}), 300) * interval '1 second'`
				})
				.where(
					inArray(
						searchOutbox.id,
						batch.map((row) => row.id)
					)
				);
			result.failed += batch.length;
		}
	}
	return result;
}

async function applyBatch(
	db: Queryable,
	client: Meilisearch,
	entity: SearchEntity,
	batch: (typeof searchOutbox.$inferSelect)[]
): Promise<void> {
	// Rows are in id order, so the last operation seen for an entity is the one that stands.
	const latest = new Map<string, 'upsert' | 'delete'>();
	for (const row of batch) latest.set(row.entityId, row.op);
	const upsertIds = [...latest].filter(([, op]) => op === 'upsert').map(([id]) => id);
	const removals = new Set([...latest].filter(([, op]) => op === 'delete').map(([id]) => id));

	const index = client.index(ENTITIES[entity].uid);
	const documents = (await ENTITIES[entity].documents(db, upsertIds)) as Record<string, unknown>[];
	const indexed = new Set(documents.map((doc) => doc.id as string));
	for (const id of upsertIds) if (!indexed.has(id)) removals.add(id);

	if (documents.length > 0) {
		const task = await index.addDocuments(documents, { primaryKey: 'id' }).waitTask({ timeout: 60_000 });
		indexChanged();
		if (task.status !== 'succeeded')
			throw new Error(`indexing failed: ${task.error?.message ?? task.status}`);
	}
	// The listings just made findable enter saved searches here, from the same stream, in the same savepoint: a
	// batch that fails is retried whole, and a listing already recorded for a search is not recorded twice.
	await recordMatches(db, listingsOf(entity, documents));
	if (removals.size > 0) {
		const task = await index.deleteDocuments([...removals]).waitTask({ timeout: 60_000 });
		indexChanged();
		if (task.status !== 'succeeded')
			throw new Error(`deletion failed: ${task.error?.message ?? task.status}`);
	}
}

export interface OutboxLag {
	pending: number;
	oldestSeconds: number;
}

export async function outboxLag(db: Queryable): Promise<OutboxLag> {
	const [row] = await db
		.select({ pending: count(), oldest: min(searchOutbox.enqueuedAt) })
		.from(searchOutbox);
	const oldest = row?.oldest ? new Date(row.oldest) : undefined;
	return {
		pending: row?.pending ?? 0,
		oldestSeconds: oldest ? Math.max(0, Math.round((Date.now() - oldest.getTime()) / 1000)) : 0
	};
}

/**
 * Drains the outbox every `intervalMs` until stopped, as the leader: on a node that does not hold the outbox's
 * lock a round does nothing, and the first round after the leader has gone takes over. A failing round is logged
 * and tried again later.
 */
export function startOutboxWorker(
	db: Db,
	client: Meilisearch,
	options: { intervalMs?: number; log?: (message: string) => void } = {}
): { stop(): Promise<void> } {
	const intervalMs = options.intervalMs ?? 1_000;
	const log = options.log ?? ((message: string) => console.warn(`[search-outbox] ${message}`));
	let stopped = false;
	let timer: NodeJS.Timeout | undefined;
	let running: Promise<void> = Promise.resolve();

	const tick = async () => {
		try {
			for (;;) {
				const { processed, failed } = await drainOutboxOnce(db, client, 500, { asLeader: true });
				if (failed > 0) log(`${failed} row(s) failed and will be retried`);
				if (processed === 0 || stopped) break;
			}
		} catch (error) {
			log(`drain failed: ${error instanceof Error ? error.message : String(error)}`);
		}
		if (!stopped) {
			timer = setTimeout(() => {
				running = tick();
			}, intervalMs);
		}
	};
	running = tick();
	return {
		async stop() {
			stopped = true;
			clearTimeout(timer);
			await running;
		}
	};
}
