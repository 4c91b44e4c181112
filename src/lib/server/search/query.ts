// The portal's search box: approved startups, their products and open demands for a few words (Thai or English),
// narrowed by facets, with a count for each facet value. Runs on Meilisearch (typo-tolerant, synonyms); if it
// cannot answer, on Postgres with simple matching and the same filters, without facet counts, marked degraded.
import { and, asc, count, desc, eq, exists, ilike, inArray, or, sql, type SQL } from 'drizzle-orm';
import { MeilisearchApiError, type Meilisearch, type MultiSearchQuery } from 'meilisearch';
import type { Queryable } from '../db';
import {
	demandCertifications,
	demands,
	products,
	provinces,
	startupCertifications,
	startupDivisions,
	startups
} from '../db/schema';
import {
	emptyFacets,
	FACET_ATTRIBUTES,
	FACETS,
	meiliFilter,
	type Facet,
	type FacetSelection,
	type IndexKind,
	type SearchType
} from './filters';
import { INDEXES } from './indexes';
import type { Region } from '../reference';
import { isPaused, noteFailure } from './client';
import { recentAnswer } from './recent';
import { awaitingReReview } from '../startups/public';
import type { Profile } from '../startups/queries';
import { todayInThailand } from '$lib/schemas/calendar-date';

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

/** A product hit lists at most this many of the startup's products. */
const PRODUCTS_SHOWN = 5;

export async function searchPortal(
	db: Queryable,
	search: Meilisearch | null,
	query: string,
	options: SearchOptions = {}
): Promise<SearchResult> {
	const request: Request = {
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

interface Request {
	q: string;
	types: SearchType[];
	facets: FacetSelection;
	page: number;
	pageSize: number;
}

const indexOf = (type: SearchType): IndexKind => (type === 'demand' ? 'demands' : 'startups');

/** Words for matching product names and for the Postgres fallback, as Meilisearch would take them at most. */
const wordsOf = (q: string) => q.toLowerCase().split(/\s+/).filter(Boolean).slice(0, 8);

// ---------- Meilisearch ----------

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

async function searchMeili(search: Meilisearch, request: Request): Promise<SearchResult> {
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
	request: Request,
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
		if (type === 'demand')
			return {
				type: 'demand',
				id: String(hit.id),
				nameTh: (hit.title_th as string | null) ?? null,
				nameEn: (hit.title_en as string | null) ?? null,
				province: (hit.delivery_province as string | null) ?? null,
				products: []
			};
		const positions = hit._matchesPosition ?? {};
		return {
			type: 'startup',
			id: String(hit.id),
			slug: String(hit.slug),
			nameTh: (hit.name_th as string | null) ?? null,
			nameEn: (hit.name_en as string | null) ?? null,
			province: (hit.province as string | null) ?? null,
			products: matchedProducts(
				((hit.products as { name_th: string | null; name_en: string | null }[] | undefined) ?? []).map(
					(p) => ({ nameTh: p.name_th, nameEn: p.name_en })
				),
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

/**
 * The products to show under a startup hit: those Meilisearch reports a match in (by position in
 * product_names_th / _en, which hold the non-empty names in product order: synonyms and typos included) and
 * those containing one of the words (Meilisearch does not report every prefix match inside Thai compounds).
 */
function matchedProducts(
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

// ---------- Postgres fallback ----------

const like = (word: string) => `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

const productNamed = (word: string) =>
	exists(
		sql`(select 1 from ${products} where ${products.startupId} = ${startups.id} and (${ilike(products.nameTh, like(word))} or ${ilike(products.nameEn, like(word))}))`
	);

const provincesOfRegions = (regions: string[]) =>
	sql`(select ${provinces.code} from ${provinces} where ${inArray(provinces.region, regions as Region[])})`;

/** Where a startup's public texts, categories and products are read from: its rows, or its approved snapshot. */
interface StartupView {
	texts: SQL[];
	productNamed(word: string): SQL;
	hasProducts: SQL;
	inDivisions(codes: string[]): SQL;
	holdsCertification(ids: string[]): SQL;
}

const liveView: StartupView = {
	texts: [startups.nameTh, startups.nameEn, startups.summaryTh, startups.summaryEn].map((c) => sql`${c}`),
	productNamed,
	hasProducts: exists(sql`(select 1 from ${products} where ${products.startupId} = ${startups.id})`),
	inDivisions: (codes) =>
		exists(
			sql`(select 1 from ${startupDivisions} where ${startupDivisions.startupId} = ${startups.id} and ${inArray(startupDivisions.divisionCode, codes)})`
		),
	holdsCertification: (ids) =>
		exists(
			sql`(select 1 from ${startupCertifications} where ${startupCertifications.startupId} = ${startups.id} and ${inArray(startupCertifications.certificationId, ids)} and (${startupCertifications.expiresOn} is null or ${startupCertifications.expiresOn} >= ${todayInThailand()}))`
		)
};

// The approved snapshot (startups/queries.ts Profile): what the index holds for a startup waiting for re-review.
const snapshot = sql`${startups.approvedSnapshot}`;
const snapshotView: StartupView = {
	// Constant keys, written into the SQL: a bound parameter would leave ->> unsure whether it takes a key or an index.
	texts: ['nameTh', 'nameEn', 'summaryTh', 'summaryEn'].map(
		(key) => sql`(${snapshot}->>${sql.raw(`'${key}'`)})`
	),
	productNamed: (word) =>
		exists(
			sql`(select 1 from jsonb_array_elements(${snapshot}->'products') as p(product) where ${ilike(sql`p.product->>'nameTh'`, like(word))} or ${ilike(sql`p.product->>'nameEn'`, like(word))})`
		),
	hasProducts: sql`jsonb_array_length(${snapshot}->'products') > 0`,
	inDivisions: (codes) =>
		exists(
			sql`(select 1 from jsonb_array_elements_text(${snapshot}->'divisions') as d(code) where ${inArray(sql`d.code`, codes)})`
		),
	holdsCertification: (ids) =>
		exists(
			sql`(select 1 from jsonb_array_elements(${snapshot}->'certifications') as c(cert) where ${inArray(sql`c.cert->>'id'`, ids)} and (c.cert->>'expiresOn' is null or c.cert->>'expiresOn' >= ${todayInThailand()}))`
		)
};

/** The words and the facets read through one view of the startup. */
function startupMatches(request: Request, productsOnly: boolean, view: StartupView): SQL | undefined {
	const words = wordsOf(request.q);
	const { tsic, cert } = request.facets;
	return and(
		// Every word must appear in one of the texts (Thai words included: ILIKE finds them inside compounds).
		...words.map((word) =>
			productsOnly
				? view.productNamed(word)
				: or(...view.texts.map((text) => ilike(text, like(word))), view.productNamed(word))
		),
		productsOnly && words.length === 0 ? view.hasProducts : undefined,
		tsic.length ? view.inDivisions(tsic) : undefined,
		cert.length ? view.holdsCertification(cert) : undefined
	);
}

function startupWhere(request: Request, productsOnly: boolean): SQL | undefined {
	const { province, region } = request.facets;
	return and(
		// As the index has them: an approved startup as it is, one waiting for re-review as it was approved (its
		// pending edits must not be found before an officer has seen them).
		or(
			and(eq(startups.status, 'approved'), startupMatches(request, productsOnly, liveView)),
			and(awaitingReReview, startupMatches(request, productsOnly, snapshotView))
		),
		province.length ? inArray(startups.provinceCode, province) : undefined,
		region.length ? sql`${startups.provinceCode} in ${provincesOfRegions(region)}` : undefined
	);
}

function demandWhere(request: Request): SQL | undefined {
	const words = wordsOf(request.q);
	const { province, region, tsic, cert } = request.facets;
	return and(
		eq(demands.status, 'open'),
		...words.map((word) =>
			or(
				ilike(demands.titleTh, like(word)),
				ilike(demands.titleEn, like(word)),
				ilike(demands.detailsTh, like(word)),
				ilike(demands.detailsEn, like(word))
			)
		),
		province.length ? inArray(demands.deliveryProvinceCode, province) : undefined,
		region.length ? sql`${demands.deliveryProvinceCode} in ${provincesOfRegions(region)}` : undefined,
		tsic.length ? inArray(demands.divisionCode, tsic) : undefined,
		cert.length
			? exists(
					sql`(select 1 from ${demandCertifications} where ${demandCertifications.demandId} = ${demands.id} and ${inArray(demandCertifications.certificationId, cert)})`
				)
			: undefined
	);
}

async function searchPostgres(db: Queryable, request: Request): Promise<SearchResult> {
	const { types, page, pageSize } = request;
	const startupType = types.find((type) => type !== 'demand');
	const wantsDemands = types.includes('demand');
	const whereStartup = startupType ? startupWhere(request, startupType === 'product') : undefined;
	const whereDemand = demandWhere(request);
	const [[startupTotal], [demandTotal]] = await Promise.all([
		startupType ? db.select({ n: count() }).from(startups).where(whereStartup) : [{ n: 0 }],
		wantsDemands ? db.select({ n: count() }).from(demands).where(whereDemand) : [{ n: 0 }]
	]);
	// Startups first, then demands: the page is cut from that one list.
	const offset = (page - 1) * pageSize;
	const startupSlice = { offset, limit: Math.max(0, Math.min(pageSize, startupTotal!.n - offset)) };
	const demandSlice = {
		offset: Math.max(0, offset - startupTotal!.n),
		limit: pageSize - startupSlice.limit
	};
	const [startupRows, demandRows] = await Promise.all([
		startupType && startupSlice.limit > 0
			? db
					.select({
						id: startups.id,
						slug: startups.slug,
						status: startups.status,
						snapshot: startups.approvedSnapshot,
						nameTh: startups.nameTh,
						nameEn: startups.nameEn,
						province: startups.provinceCode
					})
					.from(startups)
					.where(whereStartup)
					.orderBy(desc(startups.updatedAt), asc(startups.id))
					.offset(startupSlice.offset)
					.limit(startupSlice.limit)
			: [],
		wantsDemands && demandSlice.limit > 0
			? db
					.select({
						id: demands.id,
						nameTh: demands.titleTh,
						nameEn: demands.titleEn,
						province: demands.deliveryProvinceCode
					})
					.from(demands)
					.where(whereDemand)
					.orderBy(desc(demands.publishedAt), asc(demands.id))
					.offset(demandSlice.offset)
					.limit(demandSlice.limit)
			: []
	]);
	// Those waiting for re-review are shown from their snapshot, as the index shows them.
	const published = startupRows.map(({ status, snapshot, ...row }) => {
		const approved = status === 'submitted' ? (snapshot as Profile | null) : null;
		return approved
			? { ...row, nameTh: approved.nameTh, nameEn: approved.nameEn, approvedProducts: approved.products }
			: { ...row, approvedProducts: null };
	});
	const live = published.filter((row) => row.approvedProducts === null);
	const productRows =
		live.length === 0
			? []
			: await db
					.select({ startupId: products.startupId, nameTh: products.nameTh, nameEn: products.nameEn })
					.from(products)
					.where(
						inArray(
							products.startupId,
							live.map((row) => row.id)
						)
					)
					.orderBy(asc(products.position), asc(products.createdAt));
	const words = wordsOf(request.q);
	return {
		engine: 'fallback',
		hits: [
			...published.map(({ approvedProducts, ...row }) => ({
				type: 'startup' as const,
				...row,
				products: matchedProducts(
					(approvedProducts ?? productRows.filter((p) => p.startupId === row.id)).map(
						({ nameTh, nameEn }) => ({ nameTh, nameEn })
					),
					words,
					{ all: startupType === 'product' && words.length === 0 }
				)
			})),
			...demandRows.map((row) => ({ type: 'demand' as const, ...row, products: [] }))
		],
		total: startupTotal!.n + demandTotal!.n,
		counts: null,
		facets: null
	};
}
