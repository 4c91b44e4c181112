// Every office's queue on one page for administrators: what waits, what waits past the target, and how long
// decisions take, most overdue first.
import type { PageServerLoad } from './$types';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/context';
import { responseTimes } from '$lib/server/offices/response-times';

export const load: PageServerLoad = async ({ locals }) => {
	requireRole(locals, 'admin');
	return { offices: await responseTimes(db(), null) };
};
