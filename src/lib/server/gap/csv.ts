// The gap figures as CSV rows, one builder for the public /market download and the offices' and admins' exports.
// Values in baht count the demands whose value is stated; the *_value_not_stated columns count the others.
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import type { Queryable } from '../db';
import { toCsv } from '../csv';
import { referenceNames } from '../reference';
import { filterGapRows, gapRows, type UnitQuantity } from './queries';

const units = (list: UnitQuantity[]) => list.map((q) => `${q.quantity} ${q.unit}`).join('; ');

export const GAP_CSV_HEADER = [
	'province_code',
	'province',
	'tsic_division',
	'tsic_division_name',
	'open_demands',
	'demand_quantity',
	'demand_value_thb',
	'demands_value_not_stated',
	'covered_demands',
	'unmet_demands',
	'unmet_quantity',
	'unmet_value_thb',
	'unmet_demands_value_not_stated',
	'pending_demands',
	'startups',
	'monthly_capacity',
	'capacity_value_thb_per_month'
];

/** The whole file (BOM, header, rows) for a province and/or division, names in the request's language. */
export async function gapCsv(
	db: Queryable,
	filter: { province?: string; division?: string }
): Promise<string> {
	const names = referenceNames(getLocale());
	const rows = filterGapRows(await gapRows(db), filter);
	return toCsv(
		GAP_CSV_HEADER,
		rows.map((r) => [
			r.province ?? '',
			r.province ? (names.provinces[r.province] ?? r.province) : m.anywhere_in_thailand(),
			r.division,
			names.divisions[r.division] ?? '',
			r.openDemands,
			units(r.demandQuantities),
			r.demandValue,
			r.unvaluedDemands,
			r.coveredDemands,
			r.unmetDemands,
			units(r.unmetQuantities),
			r.unmetValue,
			r.unvaluedUnmetDemands,
			r.pendingDemands,
			r.startups,
			units(r.capacityQuantities),
			r.capacityValue
		])
	);
}
