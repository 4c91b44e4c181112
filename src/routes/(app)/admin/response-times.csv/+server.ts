// Every office's response times as CSV, for administrators (the table on /admin/response-times).
import type { RequestHandler } from './$types';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/context';
import { responseTimesCsv } from '$lib/server/offices/response-times';
import { todayInThailand } from '$lib/schemas/calendar-date';

export const GET: RequestHandler = async ({ locals }) => {
	requireRole(locals, 'admin');
	return new Response(await responseTimesCsv(db()), {
		headers: {
			'Content-Type': 'text/csv; charset=utf-8',
			'Content-Disposition': `attachment; filename="response-times-${todayInThailand()}.csv"`,
			'Cache-Control': 'no-store'
		}
	});
};
