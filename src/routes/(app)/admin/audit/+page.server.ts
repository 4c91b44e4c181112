// The audit events that belong to no province (administrators' account actions, API tokens, demand delivered
// anywhere in Thailand), for administrators, newest first, a page at a time.
import { z } from 'zod';
import type { PageServerLoad } from './$types';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/context';
import { NATIONAL_AUDIT_PAGE_SIZE, nationalAuditPage } from '$lib/server/offices/queries';

// A page number anyone can type: anything that is not one reads as the first page.
const pageSchema = z.coerce.number().int().min(1).max(100_000).catch(1);

export const load: PageServerLoad = async ({ locals, url }) => {
	requireRole(locals, 'admin');
	const page = pageSchema.parse(url.searchParams.get('page') ?? 1);
	const { events, total } = await nationalAuditPage(db(), page);
	return {
		page,
		pageSize: NATIONAL_AUDIT_PAGE_SIZE,
		total,
		events: events.map((e) => ({ ...e, before: JSON.stringify(e.before), after: JSON.stringify(e.after) }))
	};
};
