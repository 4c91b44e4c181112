// What a search answers, whichever engine answered it, and the parts both engines share: the request as they take
// it, the words a query is matched by, and the products listed under a startup hit.
import type { Facet, FacetSelection, IndexKind, SearchType } from './filters';

export interface ProductName {
	nameTh: string | null;
	nameEn: string | null;
}

export interface SearchHit {
	type: 'startup' | 'demand';
	id: string;
	slug?: string;
	nameTh: string | null;
	nameEn: string | null;
	province: string | null;
	/** A startup's products that matched the words (all of them when browsing products without words). */
	products: ProductName[];
}

export interface SearchResult {
	engine: 'meili' | 'fallback';
	hits: SearchHit[];
	/** Every result of the chosen type(s), over all pages. */
	total: number;
	/** Results per type under the same words and facets; null on the fallback. */
	counts: Record<SearchType, number> | null;
	/** Results per facet value; null on the fallback. */
	facets: Record<Facet, Record<string, number>> | null;
}

export interface SearchOptions {
	/** Null: startups and demands together (products are found through their startups). */
	type?: SearchType | null;
	facets?: Partial<FacetSelection>;
	page?: number;
	/** 0 asks for the counts only. */
	pageSize?: number;
}

/** A search as the engines take it: the options filled in. */
export interface SearchRequest {
	q: string;
	types: SearchType[];
	facets: FacetSelection;
	page: number;
	pageSize: number;
}

export const indexOf = (type: SearchType): IndexKind => (type === 'demand' ? 'demands' : 'startups');

/** Words for matching product names and for the Postgres fallback, as Meilisearch would take them at most. */
export const wordsOf = (q: string) => q.toLowerCase().split(/\s+/).filter(Boolean).slice(0, 8);

/** A product hit lists at most this many of the startup's products. */
const PRODUCTS_SHOWN = 5;

/**
 * The products to show under a startup hit: those Meilisearch reports a match in (by position in
 * product_names_th / _en, which hold the non-empty names in product order: synonyms and typos included) and
 * those containing one of the words (Meilisearch does not report every prefix match inside Thai compounds).
 */
export function matchedProducts(
	list: ProductName[],
	words: string[],
	matched: { all: boolean; th?: number[]; en?: number[] }
): ProductName[] {
	if (matched.all) return list.slice(0, PRODUCTS_SHOWN);
	const named = (language: 'nameTh' | 'nameEn') => list.filter((p) => p[language]);
	const chosen = new Set<ProductName | undefined>([
		...(matched.th ?? []).map((i) => named('nameTh')[i]),
		...(matched.en ?? []).map((i) => named('nameEn')[i])
	]);
	for (const product of list) {
		const text = `${product.nameTh ?? ''} ${product.nameEn ?? ''}`.toLowerCase();
		if (words.some((word) => text.includes(word))) chosen.add(product);
	}
	return list.filter((product) => chosen.has(product)).slice(0, PRODUCTS_SHOWN);
}
