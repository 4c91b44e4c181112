// Public: the gap dashboard — open demand against registered capacity per province × TSIC division, matched
// coverage, unmet demand, the monthly trend and the searches that found nothing.
import type { PageServerLoad } from './$types';
import { getLocale } from '$lib/paraglide/runtime';
import { readMarketFilter } from '$lib/schemas/market';
import { db } from '$lib/server/context';
import { filterGapRows, gapRows, monthlyTrend, sumGapRows, zeroResultReport } from '$lib/server/gap/queries';
import { referenceNames } from '$lib/server/reference';

// Everything here works as plain HTML (links and GET forms): no JavaScript is sent, so phones render it at once.
export const csr = false;

// The largest gaps first; the whole table is the CSV.
const DETAIL_ROWS = 50;

export const load: PageServerLoad = async ({ url }) => {
	const filter = readMarketFilter(url);
	const [all, trend, zeroResults] = await Promise.all([
		gapRows(db()),
		monthlyTrend(db()),
		zeroResultReport(db())
	]);
	const rows = filterGapRows(all, filter);
	const total = sumGapRows(rows, () => 'all').get('all') ?? null;
	const byDivision = [...sumGapRows(rows, (r) => r.division).values()]
		.filter((r) => r.openDemands > 0)
		.sort((a, b) => b.demandValue - a.demandValue)
		.slice(0, 12);
	const byProvince = [...sumGapRows(rows, (r) => r.province ?? '').values()]
		.filter((r) => r.unmetDemands > 0)
		.sort((a, b) => b.unmetValue - a.unmetValue)
		.slice(0, 15);
	return {
		filter,
		total,
		byDivision,
		byProvince,
		trend,
		zeroResults,
		detail: [...rows]
			.sort((a, b) => b.unmetValue - a.unmetValue || b.demandValue - a.demandValue)
			.slice(0, DETAIL_ROWS),
		detailTotal: rows.length,
		names: referenceNames(getLocale())
	};
};
