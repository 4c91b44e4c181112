// Public: logos and product photos, as stored by the upload module (content-addressed, never overwritten).
import fs from 'node:fs/promises';
import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { env } from '$lib/server/env';
import { uploadFile } from '$lib/server/uploads/images';

export const GET: RequestHandler = async ({ params }) => {
	const file = uploadFile(env().dataDir, params.path);
	if (!file) error(404, 'not_found');
	const bytes = await fs.readFile(file).catch((caught: NodeJS.ErrnoException) => {
		if (caught.code === 'ENOENT') error(404, 'not_found');
		throw caught;
	});
	return new Response(new Uint8Array(bytes), {
		headers: {
			'Content-Type': 'image/webp',
			'Cache-Control': 'public, max-age=31536000, immutable',
			'Content-Security-Policy': "default-src 'none'"
		}
	});
};
