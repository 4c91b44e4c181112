// Public: one region's provinces with their figures (e.g. /regions/northeast).
import { yearInThailand } from '$lib/schemas/calendar-date';
import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { db } from '$lib/server/context';
import { provinceTotals } from '$lib/server/gap/queries';
import { listProvincesByRegion } from '$lib/server/provinces/queries';

// Everything here works as plain HTML (links and GET forms): no JavaScript is sent, so phones render it at once.
export const csr = false;

export const load: PageServerLoad = async ({ params }) => {
	const year = yearInThailand();
	const [regions, totals] = await Promise.all([
		listProvincesByRegion(db(), getLocale()),
		provinceTotals(db(), year)
	]);
	const group = regions.find((g) => g.region.toLowerCase() === params.region.toLowerCase());
	if (!group) error(404, m.error_not_found());
	return {
		region: group.region,
		year,
		provinces: group.provinces.map((p) => ({
			code: p.code,
			nameTh: p.nameTh,
			nameEn: p.nameEn,
			totals: totals[p.code] ?? null
		}))
	};
};
