// Every startup in every province, for administrators: find one to act for it (e.g. move its province), by name,
// province and status, a page at a time (a GET form, so it works without JavaScript and links can be shared).
import { z } from 'zod';
import type { PageServerLoad } from './$types';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/context';
import { provinceOptions } from '$lib/server/provinces/options';
import { ADMIN_STARTUPS_PAGE_SIZE, STARTUP_STATUSES, startupsForAdmin } from '$lib/server/startups/queries';
import { withoutNul } from '$lib/server/text';

const filterSchema = z.object({
	q: z.string().transform(withoutNul).pipe(z.string().trim().max(200)).optional().catch(undefined),
	province: z
		.string()
		.regex(/^TH-\d{2}$/)
		.optional()
		.catch(undefined),
	status: z.enum(STARTUP_STATUSES).optional().catch(undefined),
	page: z.coerce.number().int().min(1).max(100_000).optional().catch(undefined)
});

export const load: PageServerLoad = async ({ locals, url }) => {
	requireRole(locals, 'admin');
	const filter = filterSchema.parse(Object.fromEntries(url.searchParams));
	const [listed, provinces] = await Promise.all([startupsForAdmin(db(), filter), provinceOptions(db())]);
	return { filter, pageSize: ADMIN_STARTUPS_PAGE_SIZE, statuses: STARTUP_STATUSES, provinces, ...listed };
};
