// "Download my data": the signed-in person's complete record as JSON (PDPA s.30-31), recorded as an access request
// answered at once.
import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { requireUser } from '$lib/server/auth/guard';
import { db } from '$lib/server/context';
import { exportPersonalData } from '$lib/server/privacy/export';
import { recordPrivacyRequest } from '$lib/server/privacy/requests';

// POST, not GET: serving it records an access request, and a link followed by a crawler or a prefetch must not.
export const POST: RequestHandler = async ({ locals }) => {
	const user = requireUser(locals);
	const now = new Date();
	const data = await db().transaction(async (tx) => {
		await recordPrivacyRequest(tx, user.id, 'access', { completed: true, now });
		return exportPersonalData(tx, user.id, now);
	});
	if (!data) error(404, 'not_found');
	return new Response(JSON.stringify(data, null, 2), {
		headers: {
			'content-type': 'application/json; charset=utf-8',
			'content-disposition': `attachment; filename="my-data-${now.toISOString().slice(0, 10)}.json"`,
			'cache-control': 'no-store'
		}
	});
};
