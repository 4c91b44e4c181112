// The search box on Postgres, when Meilisearch cannot answer: every word found with ILIKE (inside Thai compounds
// too), the same filters, startups waiting for re-review read from their approved snapshot as the index has them;
// no facet counts, no typo tolerance.
import { and, asc, count, desc, eq, exists, ilike, inArray, or, sql, type SQL } from 'drizzle-orm';
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
import type { Region } from '../reference';
import { awaitingReReview } from '../startups/public';
import { todayInThailand } from '$lib/schemas/calendar-date';
import { matchedProducts, wordsOf, type SearchRequest, type SearchResult } from './results';
import { containing } from '../db/like';

const productNamed = (word: string) =>
	exists(
		sql`(select 1 from ${products} where ${products.startupId} = ${startups.id} and (${ilike(products.nameTh, containing(word))} or ${ilike(products.nameEn, containing(word))}))`
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
			sql`(select 1 from jsonb_array_elements(${snapshot}->'products') as p(product) where ${ilike(sql`p.product->>'nameTh'`, containing(word))} or ${ilike(sql`p.product->>'nameEn'`, containing(word))})`
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
function startupMatches(request: SearchRequest, productsOnly: boolean, view: StartupView): SQL | undefined {
	const words = wordsOf(request.q);
	const { tsic, cert } = request.facets;
	return and(
		// Every word must appear in one of the texts (Thai words included: ILIKE finds them inside compounds).
		...words.map((word) =>
			productsOnly
				? view.productNamed(word)
				: or(...view.texts.map((text) => ilike(text, containing(word))), view.productNamed(word))
		),
		productsOnly && words.length === 0 ? view.hasProducts : undefined,
		tsic.length ? view.inDivisions(tsic) : undefined,
		cert.length ? view.holdsCertification(cert) : undefined
	);
}

function startupWhere(request: SearchRequest, productsOnly: boolean): SQL | undefined {
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

function demandWhere(request: SearchRequest): SQL | undefined {
	const words = wordsOf(request.q);
	const { province, region, tsic, cert } = request.facets;
	return and(
		eq(demands.status, 'open'),
		...words.map((word) =>
			or(
				ilike(demands.titleTh, containing(word)),
				ilike(demands.titleEn, containing(word)),
				ilike(demands.detailsTh, containing(word)),
				ilike(demands.detailsEn, containing(word))
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

export async function searchPostgres(db: Queryable, request: SearchRequest): Promise<SearchResult> {
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
	const startupSlice = { offset, limit: Math.max(0, Math.min(pageSize, startupTotal.n - offset)) };
	const demandSlice = {
		offset: Math.max(0, offset - startupTotal.n),
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
		const approved = status === 'submitted' ? snapshot : null;
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
		total: startupTotal.n + demandTotal.n,
		counts: null,
		facets: null
	};
}
