// The office's CSV downloads for its own province: startups, demands, deals, gap figures and reviews.
import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/context';
import { csvDownload } from '$lib/server/exports/files';

export const GET: RequestHandler = async ({ locals, params }) => {
	requireRole(locals, 'officer', { province: params.province });
	return (await csvDownload(db(), params.file, params.province)) ?? error(404, 'not_found');
};
