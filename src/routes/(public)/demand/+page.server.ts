// Public: the demand board, open demands filtered by place, category, certification and quantity.
import { z } from 'zod';
import type { PageServerLoad } from './$types';
import { db } from '$lib/server/context';
import { BOARD_PAGE_SIZE, listOpenDemands } from '$lib/server/demands/queries';
import { provinceOptions } from '$lib/server/provinces/options';
import { REGIONS } from '$lib/server/reference';
import { profileChoices } from '$lib/server/startups/queries';
import { lineOffer } from '$lib/server/line/service';

const quantity = z.coerce.number().min(0).max(1e12).optional().catch(undefined);
const filterSchema = z.object({
	q: z.string().trim().min(1).max(200).optional().catch(undefined),
	province: z
		.string()
		.regex(/^TH-\d{2}$/)
		.optional()
		.catch(undefined),
	region: z.enum(REGIONS).optional().catch(undefined),
	division: z
		.string()
		.regex(/^\d{2}$/)
		.optional()
		.catch(undefined),
	certification: z
		.string()
		.regex(/^[a-z0-9_-]{1,40}$/)
		.optional()
		.catch(undefined),
	minQuantity: quantity,
	maxQuantity: quantity,
	sort: z.enum(['newest', 'closing']).optional().catch(undefined),
	page: z.coerce.number().int().min(1).max(10_000).optional().catch(undefined)
});

export const load: PageServerLoad = async ({ locals, url }) => {
	const raw = Object.fromEntries([...url.searchParams].filter(([, value]) => value !== ''));
	const filter = filterSchema.parse(raw);
	const [result, provinces, choices, line] = await Promise.all([
		listOpenDemands(db(), filter),
		provinceOptions(db()),
		profileChoices(db()),
		lineOffer(db(), locals.user?.id)
	]);
	// What "save this search" keeps: the board's filters in the saved search's shape (alerts/criteria.ts).
	const saveCriteria = {
		q: filter.q ?? '',
		type: 'demand',
		province: filter.province ? [filter.province] : [],
		region: filter.region ? [filter.region] : [],
		tsic: filter.division ? [filter.division] : [],
		cert: filter.certification ? [filter.certification] : [],
		minQuantity: filter.minQuantity ?? null,
		maxQuantity: filter.maxQuantity ?? null
	};
	return {
		filter,
		saveCriteria,
		lineOffer: line,
		pageSize: BOARD_PAGE_SIZE,
		...result,
		provinces,
		choices,
		regions: REGIONS
	};
};
