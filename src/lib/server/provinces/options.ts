// Provinces as a form's choices: grouped by region, named in the reader's language.
import { getLocale } from '$lib/paraglide/runtime';
import type { Queryable } from '../db';
import { listProvincesByRegion } from './queries';

export async function provinceOptions(db: Queryable, { officesOnly = false } = {}) {
	const regions = await listProvincesByRegion(db, getLocale());
	return regions
		.map(({ region, provinces }) => ({
			region,
			provinces: provinces
				.filter((p) => !officesOnly || p.hasIndustryOffice)
				.map((p) => ({ code: p.code, nameTh: p.nameTh, nameEn: p.nameEn }))
		}))
		.filter((group) => group.provinces.length > 0);
}
