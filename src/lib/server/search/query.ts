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
import { traced } from '../tracing/spans';
import type { SearchOptions, SearchRequest, SearchResult } from './results';

export type { ProductName, SearchHit, SearchOptions, SearchResult } from './results';

/** The search, traced: which engine answered and how many it found (never the words searched for). */
export function searchPortal(
	db: Queryable,
	search: Meilisearch | null,
	query: string,
	options: SearchOptions = {}
): Promise<SearchResult> {
	return traced('search', { 'portal.search.types': options.type ?? 'startup,demand' }, async (span) => {
		const result = await searchOn(db, search, query, options);
		span.setAttributes({ 'portal.search.engine': result.engine, 'portal.search.total': result.total });
		return result;
	});
}

async function searchOn(
	db: Queryable,
	search: Meilisearch | null,
	query: string,
	options: SearchOptions
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
			// A span only for a question Meilisearch is asked, not for an answer kept from a moment ago.
			return await recentAnswer(search, JSON.stringify(request), () =>
				traced('meilisearch.search', {}, () => searchMeili(search, request))
			);
		} catch (error) {
			// Meilisearch is down, missed its deadline or refused the query: answering from Postgres is the point of
			// the fallback, and /health reports an outage.
			noteFailure(search, error);
		}
	}
	if (request.pageSize === 0) return { engine: 'fallback', hits: [], total: 0, counts: null, facets: null };
	return searchPostgres(db, request);
}
