// What the public province page shows: the province's startup this year and before, its approved startups, the
// open demand delivered there, the demand elsewhere its startups could serve, and its gap by TSIC division.
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Queryable } from '../db';
import { demandCoverage, demandMatches, demands, provinces, startups } from '../db/schema';
import { cachedFigures } from '../gap/cache';
import { gapRows } from '../gap/queries';
import { provinceSuggestions } from '../gap/suggestions';
import { selectionHistory } from '../offices/queries';

import type { Coverage } from '$lib/gap';
import { publicStartup } from '../startups/public';

/** A province by its ISO code (TH-50) or its readable alias (chiang-mai). */
export async function findProvince(db: Queryable, codeOrSlug: string) {
	const isCode = /^TH-\d{2}$/.test(codeOrSlug);
	// Anything else is no slug (they are lower-case words and hyphens): not looked up, so a NUL byte in the URL
	// is a 404 and not PostgreSQL's encoding error.
	if (!isCode && !/^[a-z0-9-]{1,80}$/.test(codeOrSlug)) return null;
	const column = isCode ? provinces.code : provinces.slug;
	const [row] = await db.select().from(provinces).where(eq(column, codeOrSlug));
	return row ?? null;
}

const demandValue = sql<string>`coalesce(${demands.quantity} * ${demands.priceThbMax}, 0)`;
export const coverageOf = sql<Coverage>`case
	when ${demandCoverage.demandId} is null or ${demandCoverage.computedAt} < ${demands.updatedAt} then 'pending'
	when ${demandCoverage.goodMatches} > 0 then 'covered'
	else 'unmet' end`;
const demandColumns = {
	id: demands.id,
	titleTh: demands.titleTh,
	titleEn: demands.titleEn,
	division: demands.divisionCode,
	quantity: demands.quantity,
	unit: demands.unit,
	recurrence: demands.recurrence,
	neededBy: demands.neededBy,
	deliveryProvince: demands.deliveryProvinceCode,
	value: demandValue,
	coverage: coverageOf
};

/** Cached like the gap figures it shows (cache.ts): the page is read far more often than any of it changes. */
export function provincePage(db: Queryable, code: string, limit = 10) {
	return cachedFigures(db, `province-page:${code}:${limit}`, () => loadProvincePage(db, code, limit));
}

async function loadProvincePage(db: Queryable, code: string, limit: number) {
	const fromHere = db
		.select({ id: demandMatches.demandId })
		.from(demandMatches)
		.innerJoin(startups, eq(startups.id, demandMatches.startupId))
		.where(eq(startups.provinceCode, code));
	const [selections, candidates, demandHere, servable, gap, suggestions] = await Promise.all([
		selectionHistory(db, code),
		db
			.select({ id: startups.id, slug: startups.slug, nameTh: startups.nameTh, nameEn: startups.nameEn })
			.from(startups)
			.where(and(eq(startups.provinceCode, code), publicStartup))
			.orderBy(startups.nameTh, startups.id),
		db
			.select(demandColumns)
			.from(demands)
			.leftJoin(demandCoverage, eq(demandCoverage.demandId, demands.id))
			.where(and(eq(demands.status, 'open'), eq(demands.deliveryProvinceCode, code)))
			.orderBy(desc(demandValue), demands.id)
			.limit(limit),
		db
			.select(demandColumns)
			.from(demands)
			.leftJoin(demandCoverage, eq(demandCoverage.demandId, demands.id))
			.where(and(eq(demands.status, 'open'), inArray(demands.id, fromHere)))
			.orderBy(desc(demandValue), demands.id)
			.limit(limit),
		gapRows(db),
		provinceSuggestions(db, code)
	]);
	const toNumber = <T extends { value: string; quantity: number }>(row: T) => ({
		...row,
		value: Number(row.value)
	});
	return {
		selections,
		candidates,
		demandHere: demandHere.map(toNumber),
		servable: servable.map(toNumber),
		gap: gap.filter((r) => r.province === code),
		suggestions
	};
}
