// Readiness for a load balancer: 200 while this node can serve (the database answers, the admission line is not
// saturated), 503 otherwise. Search being down leaves the node ready, marked degraded (see checkReadiness).
import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { runtime } from '$lib/server/context';
import { checkReadiness } from '$lib/server/health';

export const GET: RequestHandler = async () => {
	const readiness = await checkReadiness(runtime());
	return json(readiness, {
		status: readiness.status === 'ready' ? 200 : 503,
		headers: { 'Cache-Control': 'no-store' }
	});
};
