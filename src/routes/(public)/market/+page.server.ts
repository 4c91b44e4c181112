// Public: the gap dashboard — open demand against registered capacity per province × TSIC division, matched
// coverage, unmet demand, the monthly trend and the searches that found nothing.
import type { PageServerLoad } from './$types';
import { getLocale } from '$lib/paraglide/runtime';
import { readMarketFilter } from '$lib/schemas/market';
import { db } from '$lib/server/context';
import { env } from '$lib/server/env';
import { marketFigures, monthlyTrend, zeroResultReport } from '$lib/server/gap/queries';
import { referenceNames } from '$lib/server/reference';
import { wasteFigures } from '$lib/server/waste/queries';

// Everything here works as plain HTML (links and GET forms): no JavaScript is sent, so phones render it at once.
export const csr = false;

export const load: PageServerLoad = async ({ url }) => {
	const filter = readMarketFilter(url);
	const [figures, trend, zeroResults, waste] = await Promise.all([
		marketFigures(db(), filter),
		monthlyTrend(db()),
		zeroResultReport(db(), { minVisitors: env().SEARCH_PUBLIC_MIN_VISITORS }),
		wasteFigures(db())
	]);
	return { filter, ...figures, trend, zeroResults, waste, names: referenceNames(getLocale()) };
};
