import type { PageServerLoad } from './$types';
import { getLocale } from '$lib/paraglide/runtime';
import { db } from '$lib/server/context';
import { MAP_HEIGHT, MAP_WIDTH, provinceFigures, provinceShapes } from '$lib/server/provinces/map';
import { listProvincesByRegion } from '$lib/server/provinces/queries';

const LAYERS = ['demand', 'startups', 'selected'] as const;

export const load: PageServerLoad = async ({ url }) => {
	const requested = url.searchParams.get('layer');
	const layer = LAYERS.find((l) => l === requested) ?? 'demand';
	const year = new Date().getFullYear();
	const [regions, figures] = await Promise.all([
		listProvincesByRegion(db(), getLocale()),
		provinceFigures(db(), year)
	]);
	return {
		layer,
		year,
		figures,
		map: { width: MAP_WIDTH, height: MAP_HEIGHT, shapes: provinceShapes() },
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
