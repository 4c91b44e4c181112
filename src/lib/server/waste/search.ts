// By-product lots and material wants as search documents (issue 23): what the outbox and reindex write to
// Meilisearch, and what matching asks it. Only what may be matched is indexed: an approved lot available now, an
// open want; anything else is removed. Postgres stays the truth: matching reads the rows it found there again.
import { and, eq, gt, inArray } from 'drizzle-orm';
import type { Meilisearch } from 'meilisearch';
import type { Queryable } from '../db';
import { INDEXES } from '../search/indexes';
import { materialWants, wasteLots } from '../db/schema';
import type { MaterialWantRow, WasteLotRow } from './queries';

export const isLotSearchable = (lot: WasteLotRow) => lot.status === 'approved' && lot.availableNow;
export const isWantSearchable = (want: MaterialWantRow) => want.status === 'open';

export function lotDocument(lot: WasteLotRow) {
	return {
		id: lot.id,
		name_th: lot.nameTh,
		name_en: lot.nameEn,
		waste_code: lot.wasteCode,
		province: lot.provinceCode,
		organisation: lot.organisationId,
		hazardous: lot.hazardous
	};
}

/** A lot as the index and saved-search alerts read it. */
export type LotDocument = ReturnType<typeof lotDocument>;

export function wantDocument(want: MaterialWantRow) {
	return {
		id: want.id,
		name_th: want.nameTh,
		name_en: want.nameEn,
		waste_codes: want.wasteCodes,
		province: want.provinceCode,
		organisation: want.organisationId,
		licence_class: want.licenceClass
	};
}

/** The documents of the searchable ones among `ids` (the outbox removes the rest). */
export async function lotDocuments(db: Queryable, ids: string[]) {
	if (ids.length === 0) return [];
	const rows = await db.select().from(wasteLots).where(inArray(wasteLots.id, ids));
	return rows.filter(isLotSearchable).map(lotDocument);
}

export async function wantDocuments(db: Queryable, ids: string[]) {
	if (ids.length === 0) return [];
	const rows = await db.select().from(materialWants).where(inArray(materialWants.id, ids));
	return rows.filter(isWantSearchable).map(wantDocument);
}

/** Documents a page at a time in id order: `read` gives the page after an id (the first page without one). */
async function* pagesOf<Row extends { id: string }, Document>(
	read: (after: string | undefined) => Promise<Row[]>,
	toDocument: (row: Row) => Document
) {
	for (let after: string | undefined; ;) {
		const rows = await read(after);
		if (rows.length === 0) return;
		yield rows.map(toDocument);
		after = rows.at(-1)!.id;
	}
}

/** Every searchable lot, a page at a time in id order, for reindex. */
export function pageLotDocuments(db: Queryable, pageSize: number) {
	return pagesOf(
		(after) =>
			db
				.select()
				.from(wasteLots)
				.where(
					and(
						eq(wasteLots.status, 'approved'),
						eq(wasteLots.availableNow, true),
						after ? gt(wasteLots.id, after) : undefined
					)
				)
				.orderBy(wasteLots.id)
				.limit(pageSize),
		lotDocument
	);
}

/** Every open want, a page at a time in id order, for reindex. */
export function pageWantDocuments(db: Queryable, pageSize: number) {
	return pagesOf(
		(after) =>
			db
				.select()
				.from(materialWants)
				.where(and(eq(materialWants.status, 'open'), after ? gt(materialWants.id, after) : undefined))
				.orderBy(materialWants.id)
				.limit(pageSize),
		wantDocument
	);
}

/** How many names matching asks Meilisearch about: more than any page shows. */
const CANDIDATES = 500;
const quoted = (values: string[]) => values.map((value) => JSON.stringify(value)).join(', ');

/**
 * Which open wants of other organisations accepting any of `codes` have names that share words with `text`
 * (Meilisearch segments Thai, which has no spaces to split on).
 */
export function wantsNamedLike(search: Meilisearch, codes: string[], notOrganisation: string, text: string) {
	const filter = `waste_codes IN [${quoted(codes)}] AND organisation != ${JSON.stringify(notOrganisation)}`;
	return idsNamedLike(search, INDEXES.materialWants.uid, filter, text);
}

/** Which available lots of other organisations with any of `codes` have names that share words with `text`. */
export function lotsNamedLike(search: Meilisearch, codes: string[], notOrganisation: string, text: string) {
	const filter = `waste_code IN [${quoted(codes)}] AND organisation != ${JSON.stringify(notOrganisation)}`;
	return idsNamedLike(search, INDEXES.wasteLots.uid, filter, text);
}

/**
 * The ids whose names share a word with `text`. 'frequency' drops the commonest words of the query first, so
 * sharing only a generic word that starts many names (เศษ, กาก, scrap) is not what makes a record found.
 */
async function idsNamedLike(search: Meilisearch, uid: string, filter: string, text: string) {
	if (!text.trim()) return new Set<string>();
	const named = await search.index(uid).search(text, {
		filter,
		limit: CANDIDATES,
		attributesToRetrieve: ['id'],
		matchingStrategy: 'frequency'
	});
	return new Set(named.hits.map((hit) => String(hit.id)));
}
