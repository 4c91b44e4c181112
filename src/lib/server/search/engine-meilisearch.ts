// The search box on Meilisearch: typo-tolerant, with synonyms, and a count for each facet value (disjunctive:
// a ticked facet's values are counted without its own selection).
import { MeilisearchApiError, type Meilisearch, type MultiSearchQuery } from 'meilisearch';
import { z } from 'zod';
import {
	FACET_ATTRIBUTES,
	FACETS,
	meiliFilter,
	type Facet,
	type FacetSelection,
	type SearchType
} from './filters';
import { INDEXES } from './indexes';
import {
	indexOf,
	matchedProducts,
	wordsOf,
	type SearchHit,
	type SearchRequest,
	type SearchResult
} from './results';

// The fields a page of hits retrieves (attributesToRetrieve below), as search/documents.ts writes them; a field
// the document lacks reads as null, as before any value was indexed.
const text = z.string().nullable().default(null);
const demandHit = z.object({ id: z.string(), title_th: text, title_en: text, delivery_province: text });
const startupHit = z.object({
	id: z.string(),
	slug: z.string(),
	name_th: text,
	name_en: text,
	province: text,
	products: z.array(z.object({ name_th: z.string().nullable(), name_en: z.string().nullable() })).default([])
});

/**
 * One type's query: a product is a startup found by its product names alone. `productNames` is false when no
 * document has a product name yet: Meilisearch then refuses to search on those attributes, and nothing can match.
 */
function typeQuery(
	type: SearchType,
	q: string,
	facets: FacetSelection,
	productNames: boolean,
	except?: Facet
): MultiSearchQuery {
	const index = indexOf(type);
	const filter = meiliFilter(index, facets, except);
	if (type !== 'product') return { indexUid: INDEXES[index].uid, q, filter };
	if (!productNames)
		return { indexUid: INDEXES[index].uid, q, filter: [...filter, 'units IS NOT EMPTY', 'units IS EMPTY'] };
	return {
		indexUid: INDEXES[index].uid,
		q,
		// Every product has a unit, so a startup with units has products (needed when browsing without words).
		filter: [...filter, 'units IS NOT EMPTY'],
		attributesToSearchOn: ['product_names_th', 'product_names_en']
	};
}

export async function searchMeili(search: Meilisearch, request: SearchRequest): Promise<SearchResult> {
	try {
		return await searchMeiliWith(search, request, true);
	} catch (error) {
		// A new portal whose index holds no product name yet (see typeQuery).
		if (
			error instanceof MeilisearchApiError &&
			error.cause?.code === 'invalid_search_attributes_to_search_on'
		)
			return searchMeiliWith(search, request, false);
		throw error;
	}
}

async function searchMeiliWith(
	search: Meilisearch,
	request: SearchRequest,
	productNames: boolean
): Promise<SearchResult> {
	const { q, types, facets, page, pageSize } = request;
	const active = FACETS.filter((facet) => facets[facet].length > 0);
	// Counts: every type under every facet (type counts), and for each ticked facet the chosen types without that
	// facet's own selection, so its values show what ticking them would add.
	const countQueries: MultiSearchQuery[] = (['startup', 'product', 'demand'] as const).map((type) => ({
		...typeQuery(type, q, facets, productNames),
		page: 1,
		hitsPerPage: 0,
		facets: types.includes(type) ? FACETS.map((facet) => FACET_ATTRIBUTES[indexOf(type)][facet]) : []
	}));
	const disjunctive = types.flatMap((type) =>
		active.map((facet) => ({
			type,
			facet,
			query: {
				...typeQuery(type, q, facets, productNames, facet),
				page: 1,
				hitsPerPage: 0,
				facets: [FACET_ATTRIBUTES[indexOf(type)][facet]]
			}
		}))
	);
	const [counted, found] = await Promise.all([
		search.multiSearch({ queries: [...countQueries, ...disjunctive.map((d) => d.query)] }),
		pageSize === 0
			? null
			: search.multiSearch({
					federation: { offset: (page - 1) * pageSize, limit: pageSize },
					queries: types.map((type) => ({
						...typeQuery(type, q, facets, productNames),
						showMatchesPosition: true,
						attributesToRetrieve: [
							'id',
							'slug',
							'name_th',
							'name_en',
							'province',
							'products',
							'product_names_th',
							'product_names_en',
							'title_th',
							'title_en',
							'delivery_province'
						]
					}))
				})
	]);
	const [startupCount, productCount, demandCount] = counted.results;
	const byType = { startup: startupCount!, product: productCount!, demand: demandCount! };
	const counts = {
		startup: startupCount!.totalHits ?? 0,
		product: productCount!.totalHits ?? 0,
		demand: demandCount!.totalHits ?? 0
	};

	const facetCounts = Object.fromEntries(FACETS.map((facet) => [facet, {}])) as Record<
		Facet,
		Record<string, number>
	>;
	for (const type of types) {
		for (const facet of FACETS) {
			const attribute = FACET_ATTRIBUTES[indexOf(type)][facet];
			const position = disjunctive.findIndex((d) => d.type === type && d.facet === facet);
			const source = position >= 0 ? counted.results[countQueries.length + position]! : byType[type];
			for (const [value, n] of Object.entries(source.facetDistribution?.[attribute] ?? {})) {
				facetCounts[facet][value] = (facetCounts[facet][value] ?? 0) + n;
			}
		}
	}

	const words = wordsOf(q);
	const hits: SearchHit[] = (found?.hits ?? []).map((hit) => {
		const type = types[hit._federation?.queriesPosition ?? 0]!;
		if (type === 'demand') {
			const demand = demandHit.parse(hit);
			return {
				type: 'demand',
				id: demand.id,
				nameTh: demand.title_th,
				nameEn: demand.title_en,
				province: demand.delivery_province,
				products: []
			};
		}
		const startup = startupHit.parse(hit);
		const positions = hit._matchesPosition ?? {};
		return {
			type: 'startup',
			id: startup.id,
			slug: startup.slug,
			nameTh: startup.name_th,
			nameEn: startup.name_en,
			province: startup.province,
			products: matchedProducts(
				startup.products.map((p) => ({ nameTh: p.name_th, nameEn: p.name_en })),
				words,
				{
					all: type === 'product' && words.length === 0,
					th: (positions.product_names_th ?? []).flatMap((p) => p.indices ?? []),
					en: (positions.product_names_en ?? []).flatMap((p) => p.indices ?? [])
				}
			)
		};
	});
	return {
		engine: 'meili',
		hits,
		total: types.reduce((sum, type) => sum + counts[type], 0),
		counts,
		facets: facetCounts
	};
}
