// Public by design: load balancers and operators poll it. It names what fails, never why (see publicHealth).
import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { runtime } from '$lib/server/context';
import { checkHealth, publicHealth } from '$lib/server/health';

export const GET: RequestHandler = async () => {
	const report = await checkHealth(runtime());
	if (report.database.error) console.error(`[health] database: ${report.database.error}`);
	return json(publicHealth(report), {
		status: report.failing.length === 0 ? 200 : 503,
		headers: { 'Cache-Control': 'no-store' }
	});
};
