// Read access to provinces and regions.
import { asc } from 'drizzle-orm';
import { localeTag } from '$lib/format';
import { inLanguage } from '$lib/notifications';
import type { Queryable } from '../db';
import { provinces } from '../db/schema';
import { REGIONS, type Region } from '../reference';
import { cachedReference } from '../reference/cache';

export type ProvinceRow = typeof provinces.$inferSelect;

export function listProvinces(db: Queryable): Promise<ProvinceRow[]> {
	return cachedReference(db, 'provinces', () => db.select().from(provinces).orderBy(asc(provinces.code)));
}

/** Provinces grouped by region, regions in the reference order, provinces sorted by name in `locale`. */
export async function listProvincesByRegion(
	db: Queryable,
	locale: 'th' | 'en'
): Promise<{ region: Region; provinces: ProvinceRow[] }[]> {
	const rows = await listProvinces(db);
	const collator = new Intl.Collator(localeTag(locale));
	const name = (row: ProvinceRow) => inLanguage(locale, row.nameTh, row.nameEn);
	return REGIONS.map((region) => ({
		region,
		provinces: rows.filter((row) => row.region === region).sort((a, b) => collator.compare(name(a), name(b)))
	})).filter((group) => group.provinces.length > 0);
}
