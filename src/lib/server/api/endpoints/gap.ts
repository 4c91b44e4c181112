// The supply–demand gap per province × TSIC division, as the /market dashboard shows it.
import { z } from 'zod';
import { filterGapRows, gapRows } from '../../gap/queries';
import { defineEndpoint } from '../endpoint';
import { divisionCode, gapRowSchema, provinceCode } from '../schemas';
import type { Unit } from '$lib/schemas/units';

export const gapEndpoint = defineEndpoint({
	method: 'GET',
	path: '/api/v1/gap',
	tag: 'Market',
	summary: 'Open demand, what the matching engine covers and what stays unmet, against registered capacity',
	description:
		'One row per delivery province × TSIC division (province null: deliver anywhere). Quantities are per month ' +
		'for recurring demand. A demand is valued at its price ceiling, else at the median accepted price for the ' +
		'same product; demands with neither are counted in unvalued_demands (and unvalued_unmet_demands), never as ' +
		'0 baht. Unmet quantities are what neither deals nor the free capacity of matching startups supply, in the ' +
		'demands’ units. Capacity is valued at the mid price. Figures are at most a minute old.',
	access: 'public',
	query: z.strictObject({ province: provinceCode.optional(), tsic: divisionCode.optional() }),
	responses: { 200: { description: 'Gap rows', schema: z.object({ data: z.array(gapRowSchema) }) } },
	async handle({ db, query }) {
		const rows = filterGapRows(await gapRows(db), { province: query.province, division: query.tsic });
		const units = (list: { unit: string; quantity: number }[]) =>
			list.map((q) => ({ unit: q.unit as Unit, quantity: q.quantity }));
		return {
			body: {
				data: rows.map((r) => ({
					province: r.province,
					tsic: r.division,
					open_demands: r.openDemands,
					demand_value_thb: r.demandValue,
					unvalued_demands: r.unvaluedDemands,
					demand_quantities: units(r.demandQuantities),
					covered_demands: r.coveredDemands,
					unmet_demands: r.unmetDemands,
					unmet_quantities: units(r.unmetQuantities),
					unmet_value_thb: r.unmetValue,
					unvalued_unmet_demands: r.unvaluedUnmetDemands,
					pending_demands: r.pendingDemands,
					startups: r.startups,
					capacity_value_thb: r.capacityValue,
					capacity_quantities: units(r.capacityQuantities)
				}))
			}
		};
	}
});
