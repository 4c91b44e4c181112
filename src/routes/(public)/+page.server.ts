import { yearInThailand } from '$lib/schemas/calendar-date';
import type { PageServerLoad } from './$types';
import { getLocale } from '$lib/paraglide/runtime';
import { MAP_LAYERS } from '$lib/gap';
import { db } from '$lib/server/context';
import { headlineFigures, provinceTotals } from '$lib/server/gap/queries';
import { MAP_HEIGHT, MAP_WIDTH, provinceSprite } from '$lib/server/provinces/map';
import { listProvincesByRegion } from '$lib/server/provinces/queries';
import { wasteMapFigures } from '$lib/server/waste/queries';

// Everything here works as plain HTML (links and GET forms): no JavaScript is sent, so phones render it at once.
export const csr = false;

export const load: PageServerLoad = async ({ url }) => {
	const requested = url.searchParams.get('layer');
	const layer = MAP_LAYERS.find((l) => l === requested) ?? 'demand';
	const year = yearInThailand();
	const [regions, totals, figures, waste] = await Promise.all([
		listProvincesByRegion(db(), getLocale()),
		provinceTotals(db(), year),
		headlineFigures(db()),
		wasteMapFigures(db())
	]);
	return {
		layer,
		figures,
		year,
		totals,
		waste,
		map: {
			width: MAP_WIDTH,
			height: MAP_HEIGHT,
			sprite: `/map/provinces.svg?v=${provinceSprite().version}`
		},
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
