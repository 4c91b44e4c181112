// Public: one province — its startup this year and before, approved startups, demand delivered there, demand its
// startups could serve, its gap by TSIC division and what the market wants from its producers.
// Reached by ISO code (/provinces/TH-50); the readable alias (/provinces/chiang-mai) redirects there.
import { yearInThailand } from '$lib/schemas/calendar-date';
import { error, redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { db } from '$lib/server/context';
import { provinceTotals } from '$lib/server/gap/queries';
import { verifiedStartupIds } from '$lib/server/organisations/queries';
import { findProvince, provincePage } from '$lib/server/provinces/public';
import { referenceNames } from '$lib/server/reference';
import { wasteFiguresOfProvince } from '$lib/server/waste/queries';

// Everything here works as plain HTML (links and GET forms): no JavaScript is sent, so phones render it at once.
export const csr = false;

export const load: PageServerLoad = async ({ params }) => {
	const province = await findProvince(db(), params.province.slice(0, 80));
	if (!province) error(404, m.error_not_found());
	if (province.code !== params.province) redirect(308, `/provinces/${province.code}`);
	const year = yearInThailand();
	const [page, totals, waste] = await Promise.all([
		provincePage(db(), province.code),
		provinceTotals(db(), year),
		wasteFiguresOfProvince(db(), province.code)
	]);
	// The badges are read apart from the cached page, so a verification decided shows at once.
	const verified = await verifiedStartupIds(db(), [
		...page.candidates.map((c) => c.id),
		...page.selections.map((s) => s.startupId)
	]);
	return {
		verifiedStartups: [...verified],
		province,
		waste,
		year,
		totals: totals[province.code] ?? null,
		names: referenceNames(getLocale()),
		...page
	};
};
