// The public by-product search (/waste): approved lots found by words in their names, province or region, and
// waste code, by the same rules a saved by-product search's alerts use (alerts/criteria.ts), and the one lot an
// alert links to (a lot has no public page of its own).
import { and, desc, eq, ilike, inArray, or, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Queryable } from '../db';
import { wasteLots } from '../db/schema';
import { provinceData, REGIONS } from '../reference';
import { withoutNul } from '../text';
import { wordsOf, type SearchCriteria } from '../alerts/criteria';
import { wasteCode } from './codes';
import { containing } from '../db/like';
import { PUBLIC_LOT_COLUMNS } from './queries';

const MAX_VALUES = 20;
/** Several values of a filter (the search's links repeat a parameter); anything unknown is dropped. */
const values = (valid: (value: string) => boolean) =>
	z
		.array(z.string())
		.default([])
		.transform((list) => [...new Set(list.filter(valid))].slice(0, MAX_VALUES));
const provinceCodes = new Set(provinceData.map((p) => p.code));

export const wasteSearchSchema = z.object({
	q: z
		.string()
		.transform((q) => withoutNul(q).trim().slice(0, 200))
		.catch(''),
	province: values((code) => provinceCodes.has(code)).catch([]),
	region: values((region) => (REGIONS as readonly string[]).includes(region))
		.transform((list) => list as (typeof REGIONS)[number][])
		.catch([]),
	code: values((code) => /^\d{6}$/.test(code) && wasteCode(code) !== undefined).catch([]),
	/** The one lot an alert names. */
	lot: z.string().uuid().optional().catch(undefined)
});
export type WasteSearch = z.infer<typeof wasteSearchSchema>;

export function parseWasteSearch(params: URLSearchParams): WasteSearch {
	return wasteSearchSchema.parse({
		q: params.get('q') ?? '',
		province: params.getAll('province').filter(Boolean),
		region: params.getAll('region').filter(Boolean),
		code: params.getAll('code').filter(Boolean),
		lot: params.get('lot') || undefined
	});
}

/** What "save this search" keeps: the by-product search in the saved search's shape. */
export function wasteSaveCriteria(search: WasteSearch): SearchCriteria {
	return {
		q: search.q,
		type: 'waste',
		province: search.province,
		region: search.region,
		tsic: [],
		cert: [],
		code: search.code,
		minQuantity: null,
		maxQuantity: null
	};
}

/**
 * Approved lots the search finds, newest approval first (`lot`: that one lot alone, when approved). As before the
 * search, the page lists approved lots not available now too; alerts name only those available (the index's).
 */
export function searchPublicLots(db: Queryable, search: WasteSearch, limit = 50) {
	const where: (SQL | undefined)[] = [eq(wasteLots.status, 'approved')];
	if (search.lot) where.push(eq(wasteLots.id, search.lot));
	for (const word of wordsOf(search.q))
		where.push(or(ilike(wasteLots.nameTh, containing(word)), ilike(wasteLots.nameEn, containing(word))));
	const inRegion = provinceData.filter((p) => search.region.includes(p.region)).map((p) => p.code);
	if (search.province.length > 0) where.push(inArray(wasteLots.provinceCode, search.province));
	if (search.region.length > 0) where.push(inArray(wasteLots.provinceCode, inRegion));
	if (search.code.length > 0) where.push(inArray(wasteLots.wasteCode, search.code));
	return db
		.select(PUBLIC_LOT_COLUMNS)
		.from(wasteLots)
		.where(and(...where))
		.orderBy(desc(wasteLots.approvedAt))
		.limit(limit);
}
