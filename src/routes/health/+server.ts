// The detailed health report. Anyone may read its public summary (each part ok or not, see publicHealth); an
// operator's request bearing OPERATOR_TOKEN gets the whole report, error text and admission line included. Load
// balancers should poll /health/live and /health/ready instead.
import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { runtime } from '$lib/server/context';
import { env } from '$lib/server/env';
import { checkHealth, publicHealth } from '$lib/server/health';
import { log } from '$lib/server/log';
import { operatorAccess } from '$lib/server/operator';

export const GET: RequestHandler = async ({ request }) => {
	const report = await checkHealth(runtime());
	if (report.database.error)
		log().error({ component: 'health', reason: report.database.error }, 'the database does not answer');
	const operator = operatorAccess(request, env().OPERATOR_TOKEN) === 'operator';
	return json(operator ? report : publicHealth(report), {
		status: report.failing.length === 0 ? 200 : 503,
		headers: { 'Cache-Control': 'no-store' }
	});
};
