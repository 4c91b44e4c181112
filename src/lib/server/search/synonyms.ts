// The Thai ↔ English product vocabulary (data/synonyms.json), as Meilisearch synonyms: each word finds the other.
import { z } from 'zod';
import synonymsJson from './data/synonyms.json';

const synonymFile = z.object({
	pairs: z
		.array(z.object({ division: z.string().regex(/^\d{2}$/), th: z.string().min(1), en: z.string().min(1) }))
		.min(150)
});

export const SYNONYM_PAIRS = synonymFile.parse(synonymsJson).pairs;

/** Meilisearch's synonym map: every Thai term lists its English term and the other way round. */
export function meiliSynonyms(): Record<string, string[]> {
	const map: Record<string, string[]> = {};
	for (const { th, en } of SYNONYM_PAIRS) {
		(map[th] ??= []).push(en);
		(map[en] ??= []).push(th);
	}
	return map;
}
