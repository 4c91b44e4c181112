// Public by design: load balancers and operators poll it. It names what fails, never secrets.
import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { runtime } from '$lib/server/context';
import { checkHealth } from '$lib/server/health';

export const GET: RequestHandler = async () => {
	const report = await checkHealth(runtime());
	return json(report, {
		status: report.failing.length === 0 ? 200 : 503,
		headers: { 'Cache-Control': 'no-store' }
	});
};
