// Matches with what a page shows of each side: names, links, places.
import { eq, inArray } from 'drizzle-orm';
import type { Queryable } from '../db';
import { demands, provinces, startups } from '../db/schema';
import type { Match } from './service';

export async function withStartupNames(db: Queryable, matches: Match[]) {
	if (matches.length === 0) return [];
	const rows = await db
		.select({
			id: startups.id,
			slug: startups.slug,
			nameTh: startups.nameTh,
			nameEn: startups.nameEn,
			provinceTh: provinces.nameTh,
			provinceEn: provinces.nameEn
		})
		.from(startups)
		.innerJoin(provinces, eq(provinces.code, startups.provinceCode))
		.where(
			inArray(
				startups.id,
				matches.map((m) => m.id)
			)
		);
	return matches.flatMap((match) => {
		const row = rows.find((r) => r.id === match.id);
		return row ? [{ ...match, ...row }] : [];
	});
}

export async function withDemandTitles<T extends Match>(db: Queryable, matches: T[]) {
	if (matches.length === 0) return [];
	const rows = await db
		.select({
			id: demands.id,
			titleTh: demands.titleTh,
			titleEn: demands.titleEn,
			quantity: demands.quantity,
			unit: demands.unit,
			neededBy: demands.neededBy
		})
		.from(demands)
		.where(
			inArray(
				demands.id,
				matches.map((m) => m.id)
			)
		);
	return matches.flatMap((match) => {
		const row = rows.find((r) => r.id === match.id);
		return row ? [{ ...match, ...row }] : [];
	});
}
