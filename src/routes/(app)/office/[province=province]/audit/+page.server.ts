// The office's record of every decision and change in its province, newest first, filterable by subject.
import type { PageServerLoad } from './$types';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/context';
import { withoutNul } from '$lib/server/text';
import { auditSubjectNames, auditTrail } from '$lib/server/offices/queries';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	requireRole(locals, 'officer', { province: params.province });
	const subject =
		withoutNul(url.searchParams.get('subject') ?? '')
			.trim()
			.slice(0, 100) || undefined;
	const events = await auditTrail(db(), params.province, subject);
	return {
		subject: subject ?? '',
		names: await auditSubjectNames(db(), events),
		events: events.map((e) => ({ ...e, before: JSON.stringify(e.before), after: JSON.stringify(e.after) }))
	};
};
