// Rebuilds the search indexes from Postgres into fresh indexes and swaps them in atomically, so search
// never sees half an index.
import type { Meilisearch } from 'meilisearch';
import type { Db } from '../db';
import { demandDocument, startupDocument } from './documents';
import { applyIndexSettings, INDEXES } from './indexes';
import { pageDemandSources, pageStartupSources } from './sources';

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
	await applyIndexSettings(client);
	await client.deleteIndex(`${INDEXES.startups.uid}${suffix}`).waitTask({ timeout: 60_000 });
	await client.deleteIndex(`${INDEXES.demands.uid}${suffix}`).waitTask({ timeout: 60_000 });
	await applyIndexSettings(client, suffix);

	const totals: Record<string, number> = {};
	const fill = async <T>(uid: string, pages: AsyncGenerator<T[]>, toDocument: (row: T) => object) => {
		const target = client.index(`${uid}${suffix}`);
		let documents = 0;
		onProgress({ index: uid, documents });
		for await (const page of pages) {
			const task = await target
				.addDocuments(page.map(toDocument) as Record<string, unknown>[], { primaryKey: 'id' })
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

	const swap = await client
		.swapIndexes([
			{ indexes: [INDEXES.startups.uid, `${INDEXES.startups.uid}${suffix}`], rename: false },
			{ indexes: [INDEXES.demands.uid, `${INDEXES.demands.uid}${suffix}`], rename: false }
		])
		.waitTask({ timeout: 60_000 });
	if (swap.status !== 'succeeded')
		throw new Error(`index swap failed: ${swap.error?.message ?? swap.status}`);
	await client.deleteIndex(`${INDEXES.startups.uid}${suffix}`).waitTask({ timeout: 60_000 });
	await client.deleteIndex(`${INDEXES.demands.uid}${suffix}`).waitTask({ timeout: 60_000 });
	return totals;
}
