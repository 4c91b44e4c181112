// A private upload (an organisation's proof of registration, a certificate's evidence) sent to a reader the
// caller has already allowed: always downloaded, never kept by a cache, never rendered in the portal's origin.
import fs from 'node:fs/promises';
import { error } from '@sveltejs/kit';
import { env } from '../env';
import { documentFile } from './images';
import { errnoCode } from '../system-errors';

/** The response for a private upload's stored path, named after `fileName` (its extension follows the file). */
export async function privateFileResponse(relative: string, fileName: string): Promise<Response> {
	const file = documentFile(env().dataDir, relative);
	if (!file) error(404, 'not_found');
	const bytes = await fs.readFile(file.path).catch((caught: unknown) => {
		if (errnoCode(caught) === 'ENOENT') error(404, 'not_found');
		throw caught;
	});
	const extension = file.contentType === 'application/pdf' ? 'pdf' : 'webp';
	const name = encodeURIComponent(fileName.replace(/\.[^.]*$/, ''));
	return new Response(new Uint8Array(bytes), {
		headers: {
			'Content-Type': file.contentType,
			'Cache-Control': 'private, no-store',
			'Content-Disposition': `attachment; filename="document.${extension}"; filename*=UTF-8''${name}.${extension}`,
			'Content-Security-Policy': "default-src 'none'; sandbox",
			'X-Content-Type-Options': 'nosniff'
		}
	});
}
