// The portal's search box: approved startups and open demands for a few words, Thai or English. Runs on
// Meilisearch (typo-tolerant, synonyms); if it cannot answer, on Postgres with simple matching, marked degraded.
import { and, eq, ilike, isNotNull, ne, or } from 'drizzle-orm';
import type { Meilisearch } from 'meilisearch';
import type { Queryable } from '../db';
import { demands, startups } from '../db/schema';
import { INDEXES } from './indexes';

export interface SearchHit {
	type: 'startup' | 'demand';
	id: string;
	slug?: string;
	nameTh: string | null;
	nameEn: string | null;
	province: string | null;
}

export interface SearchResult {
	engine: 'meili' | 'fallback';
	hits: SearchHit[];
}

export async function searchPortal(
	db: Queryable,
	search: Meilisearch | null,
	query: string,
	limit = 10
): Promise<SearchResult> {
	if (search) {
		try {
			const { results } = await search.multiSearch({
				queries: [
					{ indexUid: INDEXES.startups.uid, q: query, limit, filter: ['status = "approved"'] },
					{ indexUid: INDEXES.demands.uid, q: query, limit, filter: ['status = "open"'] }
				]
			});
			const startupHits = results[0]!.hits.map((hit) => ({
				type: 'startup' as const,
				id: String(hit.id),
				slug: String(hit.slug),
				nameTh: (hit.name_th as string | null) ?? null,
				nameEn: (hit.name_en as string | null) ?? null,
				province: (hit.province as string | null) ?? null
			}));
			const demandHits = results[1]!.hits.map((hit) => ({
				type: 'demand' as const,
				id: String(hit.id),
				nameTh: (hit.title_th as string | null) ?? null,
				nameEn: (hit.title_en as string | null) ?? null,
				province: (hit.delivery_province as string | null) ?? null
			}));
			return { engine: 'meili', hits: [...startupHits, ...demandHits] };
		} catch {
			// Answer from Postgres below.
		}
	}
	// Every word must appear in one of the texts (Thai words included: ILIKE finds them inside compounds).
	const words = query.split(/\s+/).filter(Boolean).slice(0, 8);
	const like = (word: string) => `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
	const [startupRows, demandRows] = await Promise.all([
		db
			.select({
				id: startups.id,
				slug: startups.slug,
				nameTh: startups.nameTh,
				nameEn: startups.nameEn,
				province: startups.provinceCode
			})
			.from(startups)
			.where(
				and(
					or(eq(startups.status, 'approved'), isNotNull(startups.approvedSnapshot)),
					ne(startups.status, 'suspended'),
					...words.map((word) =>
						or(
							ilike(startups.nameTh, like(word)),
							ilike(startups.nameEn, like(word)),
							ilike(startups.summaryTh, like(word)),
							ilike(startups.summaryEn, like(word))
						)
					)
				)
			)
			.limit(limit),
		db
			.select({
				id: demands.id,
				nameTh: demands.titleTh,
				nameEn: demands.titleEn,
				province: demands.deliveryProvinceCode
			})
			.from(demands)
			.where(
				and(
					eq(demands.status, 'open'),
					...words.map((word) => or(ilike(demands.titleTh, like(word)), ilike(demands.titleEn, like(word))))
				)
			)
			.limit(limit)
	]);
	return {
		engine: 'fallback',
		hits: [
			...startupRows.map((r) => ({ type: 'startup' as const, ...r })),
			...demandRows.map((r) => ({ type: 'demand' as const, ...r }))
		]
	};
}
