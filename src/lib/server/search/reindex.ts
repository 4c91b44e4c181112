// Rebuilds the search indexes from Postgres into fresh indexes and swaps them in atomically, so search
// never sees half an index; and the standing request for one that a restore leaves in job_state.
import { and, eq } from 'drizzle-orm';
import type { Meilisearch } from 'meilisearch';
import type { Db, Queryable } from '../db';
import { jobState } from '../db/schema';
import { demandDocument, startupDocument } from './documents';
import { applyIndexSettings, INDEXES } from './indexes';
import { pageDemandSources, pageStartupSources } from './sources';
import { indexChanged } from './recent';
import { pageLotDocuments, pageWantDocuments } from '../waste/search';
import { messageOf } from '../system-errors';

export interface ReindexProgress {
	index: string;
	documents: number;
}

export async function reindexAll(
	db: Db,
	client: Meilisearch,
	onProgress: (progress: ReindexProgress) => void = () => {},
	pageSize = 1_000
): Promise<Record<string, number>> {
	const suffix = '_rebuild';
	const [request] = await db.select().from(jobState).where(eq(jobState.name, REINDEX_REQUEST));
	await applyIndexSettings(client);
	const uids = Object.values(INDEXES).map((index) => index.uid);
	for (const uid of uids) await client.deleteIndex(`${uid}${suffix}`).waitTask({ timeout: 60_000 });
	await applyIndexSettings(client, suffix);

	const totals: Record<string, number> = {};
	const fill = async <T>(uid: string, pages: AsyncGenerator<T[]>, toDocument: (row: T) => object) => {
		const target = client.index(`${uid}${suffix}`);
		let documents = 0;
		onProgress({ index: uid, documents });
		for await (const page of pages) {
			const task = await target
				.addDocuments(page.map(toDocument), { primaryKey: 'id' })
				.waitTask({ timeout: 300_000 });
			if (task.status !== 'succeeded') {
				throw new Error(`indexing ${uid} failed: ${task.error?.message ?? task.status}`);
			}
			documents += page.length;
			onProgress({ index: uid, documents });
		}
		totals[uid] = documents;
	};
	await fill(INDEXES.startups.uid, pageStartupSources(db, pageSize), startupDocument);
	await fill(INDEXES.demands.uid, pageDemandSources(db, pageSize), demandDocument);
	await fill(INDEXES.wasteLots.uid, pageLotDocuments(db, pageSize), (document) => document);
	await fill(INDEXES.materialWants.uid, pageWantDocuments(db, pageSize), (document) => document);

	const swap = await client
		.swapIndexes(uids.map((uid) => ({ indexes: [uid, `${uid}${suffix}`], rename: false })))
		.waitTask({ timeout: 60_000 });
	indexChanged();
	if (swap.status !== 'succeeded')
		throw new Error(`index swap failed: ${swap.error?.message ?? swap.status}`);
	for (const uid of uids) await client.deleteIndex(`${uid}${suffix}`).waitTask({ timeout: 60_000 });
	// Only the request this rebuild saw is answered: one made while it ran still stands.
	if (request)
		await db
			.delete(jobState)
			.where(and(eq(jobState.name, REINDEX_REQUEST), eq(jobState.value, request.value)));
	return totals;
}

/**
 * Set when the index no longer matches the database as a whole (after a restore); kept in the database so it
 * travels with the data, and removed by the next complete reindex.
 */
export const REINDEX_REQUEST = 'search.reindex_requested';

export async function requestReindex(db: Queryable, reason: string): Promise<void> {
	const value = `${reason} (${new Date().toISOString()})`;
	await db
		.insert(jobState)
		.values({ name: REINDEX_REQUEST, value })
		.onConflictDoUpdate({ target: jobState.name, set: { value, updatedAt: new Date() } });
}

/**
 * Rebuilds the indexes when a reindex was requested, for the portal at start-up. A failure is logged and the
 * request stays, so the next start tries again.
 */
export async function reindexIfRequested(
	db: Db,
	client: Meilisearch,
	log: (message: string) => void
): Promise<void> {
	try {
		const [request] = await db.select().from(jobState).where(eq(jobState.name, REINDEX_REQUEST));
		if (!request) return;
		log(`[search] rebuilding the indexes from the database: ${request.value}`);
		const totals = await reindexAll(db, client);
		log(`[search] indexes rebuilt: ${JSON.stringify(totals)}`);
	} catch (error) {
		log(`[search] rebuilding the indexes failed, tried again at the next start: ${messageOf(error)}`);
	}
}
