// Provinces with their public figures, and each province's selected startup by year.
import { yearInThailand } from '$lib/schemas/calendar-date';
import { z } from 'zod';
import { listProvinces } from '../../provinces/queries';
import { findProvince } from '../../provinces/public';
import { provinceTotals } from '../../gap/queries';
import { orNotFound } from '../errors';
import { defineEndpoint } from '../endpoint';
import { selectionsOf } from '../queries';
import { provinceCode, provinceFiguresSchema, provinceSchema, selectionSchema } from '../schemas';
import { EMPTY_TOTALS } from '$lib/gap';

const provinceOut = (p: Awaited<ReturnType<typeof listProvinces>>[number]) => ({
	code: p.code,
	slug: p.slug,
	name_th: p.nameTh,
	name_en: p.nameEn,
	region: p.region,
	has_industry_office: p.hasIndustryOffice,
	url: `/provinces/${p.code}`
});

const thisYear = () => yearInThailand();

export const listProvincesEndpoint = defineEndpoint({
	method: 'GET',
	path: '/api/v1/provinces',
	tag: 'Reference',
	summary:
		'The 77 provinces (ISO 3166-2:TH), their region and whether a Provincial Industry Office serves them',
	access: 'public',
	responses: {
		200: { description: 'Every province', schema: z.object({ data: z.array(provinceSchema) }) }
	},
	async handle({ db }) {
		return { body: { data: (await listProvinces(db)).map(provinceOut) } };
	}
});

export const getProvinceEndpoint = defineEndpoint({
	method: 'GET',
	path: '/api/v1/provinces/{code}',
	tag: 'Reference',
	summary: "One province with this year's demand, unmet demand, capacity and its selected startups by year",
	access: 'public',
	params: z.object({ code: provinceCode }),
	responses: { 200: { description: 'The province', schema: provinceFiguresSchema } },
	errors: ['not_found'],
	async handle({ db, params }) {
		const province = orNotFound(await findProvince(db, params.code));
		const [totals, selections] = await Promise.all([
			provinceTotals(db, thisYear()),
			selectionsOf(db, { province: province.code })
		]);
		const t = totals[province.code] ?? EMPTY_TOTALS;
		return {
			body: {
				...provinceOut(province),
				figures: {
					open_demands: t.openDemands,
					open_demand_value_thb: t.demandValue,
					unmet_demands: t.unmetDemands,
					unmet_value_thb: t.unmetValue,
					pending_demands: t.pendingDemands,
					capacity_value_thb: t.capacityValue,
					approved_startups: t.approvedStartups
				},
				selections: selections.map((s) => ({ year: s.year, startup_id: s.startup_id, reason: s.reason }))
			}
		};
	}
});

export const listSelectionsEndpoint = defineEndpoint({
	method: 'GET',
	path: '/api/v1/selections',
	tag: 'Reference',
	summary: 'The startup each province selected, by year ("1 อุตสาหกรรมจังหวัด 1 สตาร์ทอัพ")',
	access: 'public',
	query: z.strictObject({
		year: z.coerce.number().int().min(2020).max(2100).optional(),
		province: provinceCode.optional()
	}),
	responses: { 200: { description: 'Selections', schema: z.object({ data: z.array(selectionSchema) }) } },
	async handle({ db, query }) {
		return { body: { data: await selectionsOf(db, query) } };
	}
});
