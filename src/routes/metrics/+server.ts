// Prometheus scrapes this with OPERATOR_TOKEN as a bearer token; without the setting the endpoint does not exist.
import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { env } from '$lib/server/env';
import { registry } from '$lib/server/metrics/registry';
import { operatorAccess } from '$lib/server/operator';

export const GET: RequestHandler = async ({ request }) => {
	const access = operatorAccess(request, env().OPERATOR_TOKEN);
	if (access === 'none') error(404, 'not_found');
	if (access === 'refused')
		return new Response('operator token required\n', {
			status: 401,
			headers: { 'WWW-Authenticate': 'Bearer', 'Cache-Control': 'no-store' }
		});
	return new Response(await registry.metrics(), {
		headers: { 'Content-Type': registry.contentType, 'Cache-Control': 'no-store' }
	});
};
