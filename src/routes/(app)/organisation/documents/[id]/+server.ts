// One of an organisation's verification documents, for its members, its office and the administrators; anyone
// else gets 404, as for a document that does not exist. Always downloaded, never rendered in the portal's origin.
import fs from 'node:fs/promises';
import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { requireUser } from '$lib/server/auth/guard';
import { db } from '$lib/server/context';
import { env } from '$lib/server/env';
import { UserError } from '$lib/server/errors';
import { idOr404 } from '$lib/server/forms';
import { documentForReader } from '$lib/server/organisations/verification';
import { documentFile } from '$lib/server/uploads/images';

export const GET: RequestHandler = async ({ locals, params }) => {
	const reader = requireUser(locals);
	const document = await documentForReader(db(), reader, idOr404(params.id)).catch((caught) => {
		if (caught instanceof UserError) error(caught.status, caught.code);
		throw caught;
	});
	const file = documentFile(env().dataDir, document.path);
	if (!file) error(404, 'not_found');
	const bytes = await fs.readFile(file.path).catch((caught: NodeJS.ErrnoException) => {
		if (caught.code === 'ENOENT') error(404, 'not_found');
		throw caught;
	});
	const extension = file.contentType === 'application/pdf' ? 'pdf' : 'webp';
	return new Response(new Uint8Array(bytes), {
		headers: {
			'Content-Type': file.contentType,
			'Cache-Control': 'private, no-store',
			'Content-Disposition': `attachment; filename="document.${extension}"; filename*=UTF-8''${encodeURIComponent(document.fileName.replace(/\.[^.]*$/, ''))}.${extension}`,
			'Content-Security-Policy': "default-src 'none'; sandbox",
			'X-Content-Type-Options': 'nosniff'
		}
	});
};
