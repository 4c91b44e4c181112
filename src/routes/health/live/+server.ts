// Liveness for a load balancer or an orchestrator: the process answers. Nothing else is checked, so a database
// outage never gets a healthy process restarted.
import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = () =>
	json({ status: 'live' }, { headers: { 'Cache-Control': 'no-store' } });
