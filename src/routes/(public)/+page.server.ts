import type { PageServerLoad } from './$types';
import { getLocale } from '$lib/paraglide/runtime';
import { db } from '$lib/server/context';
import { listProvincesByRegion } from '$lib/server/provinces/queries';

export const load: PageServerLoad = async () => {
	const regions = await listProvincesByRegion(db(), getLocale());
	return {
		regions: regions.map(({ region, provinces }) => ({
			region,
			provinces: provinces.map((p) => ({
				code: p.code,
				slug: p.slug,
				nameTh: p.nameTh,
				nameEn: p.nameEn,
				hasIndustryOffice: p.hasIndustryOffice
			}))
		}))
	};
};
