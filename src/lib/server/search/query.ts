// The portal's search box: approved startups, their products and open demands for a few words (Thai or English),
// narrowed by facets, with a count for each facet value. Runs on Meilisearch (engine-meilisearch.ts); if it cannot
// answer, on Postgres (engine-postgres.ts) with simple matching and the same filters, without facet counts, marked
// degraded.
import type { Meilisearch } from 'meilisearch';
import type { Queryable } from '../db';
import { isPaused, noteFailure } from './client';
import { searchMeili } from './engine-meilisearch';
import { searchPostgres } from './engine-postgres';
import { emptyFacets } from './filters';
import { recentAnswer } from './recent';
import type { SearchOptions, SearchRequest, SearchResult } from './results';

export type { ProductName, SearchHit, SearchOptions, SearchResult } from './results';

export async function searchPortal(
	db: Queryable,
	search: Meilisearch | null,
	query: string,
	options: SearchOptions = {}
): Promise<SearchResult> {
	const request: SearchRequest = {
		q: query.trim(),
		types: options.type ? [options.type] : ['startup', 'demand'],
		facets: { ...emptyFacets(), ...options.facets },
		page: options.page ?? 1,
		pageSize: options.pageSize ?? 10
	};
	if (search && !isPaused(search)) {
		try {
			return await recentAnswer(search, JSON.stringify(request), () => searchMeili(search, request));
		} catch (error) {
			// Meilisearch is down, missed its deadline or refused the query: answering from Postgres is the point of
			// the fallback, and /health reports an outage.
			noteFailure(search, error);
		}
	}
	if (request.pageSize === 0) return { engine: 'fallback', hits: [], total: 0, counts: null, facets: null };
	return searchPostgres(db, request);
}
