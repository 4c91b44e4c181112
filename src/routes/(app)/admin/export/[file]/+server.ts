// The national CSV downloads for administrators: startups, demands, deals and gap figures of every province.
import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/context';
import { csvDownload } from '$lib/server/exports/files';

export const GET: RequestHandler = async ({ locals, params }) => {
	requireRole(locals, 'admin');
	return (await csvDownload(db(), params.file, null)) ?? error(404, 'not_found');
};
