// Thai and English in the real Meilisearch: Thai text is segmented, and every pair of the synonym list finds
// across languages (a Thai product by its English name and an English one by its Thai name).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSearchClient, type Meilisearch } from '$lib/server/search/client';
import { INDEXES } from '$lib/server/search/indexes';
import type { MeiliProcess } from '$lib/server/search/process';
import { SYNONYM_PAIRS } from '$lib/server/search/synonyms';
import { startTestMeili } from '../helpers/meili';

let meili: MeiliProcess;
let client: Meilisearch;
const uid = 'language_test';

beforeAll(async () => {
	meili = await startTestMeili();
	client = createSearchClient(meili.url, meili.masterKey);
	await client.createIndex(uid, { primaryKey: 'id' }).waitTask();
	await client.index(uid).updateSettings(INDEXES.startups.settings).waitTask({ timeout: 60_000 });
	const documents = SYNONYM_PAIRS.flatMap((pair, i) => [
		{ id: `th-${i}`, product_names_th: [pair.th] },
		{ id: `en-${i}`, product_names_en: [pair.en] }
	]);
	await client.index(uid).addDocuments(documents).waitTask({ timeout: 60_000 });
});
afterAll(async () => {
	await meili?.stop();
});

describe('Thai and English search', () => {
	it('segments Thai: a word inside a Thai compound is found', async () => {
		const names = async (query: string) =>
			(await client.index(uid).search(query, { limit: 100 })).hits.map(
				(hit) => (hit.product_names_th as string[] | undefined)?.[0]
			);
		expect(await names('กาแฟ')).toEqual(expect.arrayContaining(['กาแฟ', 'กาแฟคั่ว', 'เมล็ดกาแฟ']));
		expect(await names('มัดหมี่')).toContain('ผ้าไหมมัดหมี่');
		expect(await names('หอมมะลิ')).toContain('ข้าวหอมมะลิ');
	});

	it('finds every pair of the synonym list across languages, both ways', async () => {
		const misses: string[] = [];
		for (const [i, pair] of SYNONYM_PAIRS.entries()) {
			const [byEnglish, byThai] = await Promise.all([
				client.index(uid).search(pair.en, { limit: 100, attributesToRetrieve: ['id'] }),
				client.index(uid).search(pair.th, { limit: 100, attributesToRetrieve: ['id'] })
			]);
			if (!byEnglish.hits.some((hit) => hit.id === `th-${i}`)) misses.push(`${pair.en} → ${pair.th}`);
			if (!byThai.hits.some((hit) => hit.id === `en-${i}`)) misses.push(`${pair.th} → ${pair.en}`);
		}
		expect(misses).toEqual([]);
		expect(SYNONYM_PAIRS.length).toBeGreaterThanOrEqual(150);
	});
});
