// Public: logos, product photos and demand attachments, as stored by the upload module (content-addressed,
// never overwritten).
import fs from 'node:fs/promises';
import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { env } from '$lib/server/env';
import { uploadFile } from '$lib/server/uploads/images';
import { errnoCode } from '$lib/server/system-errors';

export const GET: RequestHandler = async ({ params }) => {
	const file = uploadFile(env().dataDir, params.path);
	if (!file) error(404, 'not_found');
	const bytes = await fs.readFile(file.path).catch((caught: unknown) => {
		if (errnoCode(caught) === 'ENOENT') error(404, 'not_found');
		throw caught;
	});
	return new Response(new Uint8Array(bytes), {
		headers: {
			'Content-Type': file.contentType,
			'Cache-Control': 'public, max-age=31536000, immutable',
			// A PDF is downloaded, never rendered in the portal's origin.
			...(file.contentType === 'application/pdf' ? { 'Content-Disposition': 'attachment' } : {}),
			'Content-Security-Policy': "default-src 'none'; sandbox"
		}
	});
};
