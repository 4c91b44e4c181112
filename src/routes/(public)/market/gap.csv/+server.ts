// Public: the gap figures as CSV (UTF-8 with BOM, so Excel shows Thai), with the dashboard's filters.
import type { RequestHandler } from './$types';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { readMarketFilter } from '$lib/schemas/market';
import { db } from '$lib/server/context';
import { toCsv } from '$lib/server/csv';
import { filterGapRows, gapRows, type UnitQuantity } from '$lib/server/gap/queries';
import { referenceNames } from '$lib/server/reference';

const units = (list: UnitQuantity[]) => list.map((q) => `${q.quantity} ${q.unit}`).join('; ');

export const GET: RequestHandler = async ({ url }) => {
	const filter = readMarketFilter(url);
	const names = referenceNames(getLocale());
	const rows = filterGapRows(await gapRows(db()), filter);
	const csv = toCsv(
		[
			'province_code',
			'province',
			'tsic_division',
			'tsic_division_name',
			'open_demands',
			'demand_quantity',
			'demand_value_thb',
			'covered_demands',
			'unmet_demands',
			'unmet_value_thb',
			'pending_demands',
			'startups',
			'monthly_capacity',
			'capacity_value_thb_per_month'
		],
		rows.map((r) => [
			r.province ?? '',
			r.province ? (names.provinces[r.province] ?? r.province) : m.anywhere_in_thailand(),
			r.division,
			names.divisions[r.division] ?? '',
			r.openDemands,
			units(r.demandQuantities),
			r.demandValue,
			r.coveredDemands,
			r.unmetDemands,
			r.unmetValue,
			r.pendingDemands,
			r.startups,
			units(r.capacityQuantities),
			r.capacityValue
		])
	);
	const name = `gap${filter.province ? `-${filter.province}` : ''}${filter.division ? `-${filter.division}` : ''}.csv`;
	return new Response(csv, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="${name}"`,
			'cache-control': 'public, max-age=60'
		}
	});
};
