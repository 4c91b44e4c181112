// Every startup in every province, for administrators: find one to act for it (e.g. move its province).
import { z } from 'zod';
import type { PageServerLoad } from './$types';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/context';
import { startupsForAdmin } from '$lib/server/startups/queries';
import { withoutNul } from '$lib/server/text';

const filterSchema = z.object({
	q: z.string().transform(withoutNul).pipe(z.string().trim().max(200)).optional().catch(undefined),
	province: z
		.string()
		.regex(/^TH-\d{2}$/)
		.optional()
		.catch(undefined)
});

export const load: PageServerLoad = async ({ locals, url }) => {
	requireRole(locals, 'admin');
	const filter = filterSchema.parse(Object.fromEntries(url.searchParams));
	return { filter, startups: await startupsForAdmin(db(), filter) };
};
