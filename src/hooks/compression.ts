// Compresses rendered pages and text endpoints (adapter-node compresses only the prebuilt static files): a
// province page or the gap dashboard is mostly repeated markup and shrinks to a fraction on a phone's connection.
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { Handle } from '@sveltejs/kit';

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);
const COMPRESSIBLE = /^(text\/|application\/(json|xml|javascript)|image\/svg\+xml)/;
/** Below this a compressed body saves less than the headers it adds. */
const MIN_BYTES = 1024;

export const compression: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	const type = response.headers.get('content-type') ?? '';
	const accepted = event.request.headers.get('accept-encoding') ?? '';
	const encoding = /\bbr\b/.test(accepted) ? 'br' : /\bgzip\b/.test(accepted) ? 'gzip' : null;
	if (!encoding || !response.body || response.headers.has('content-encoding') || !COMPRESSIBLE.test(type))
		return response;
	const body = Buffer.from(await response.arrayBuffer());
	const headers = new Headers(response.headers);
	headers.append('Vary', 'Accept-Encoding');
	const init = { status: response.status, statusText: response.statusText, headers };
	if (body.length < MIN_BYTES) return new Response(body, init);
	// Brotli at quality 4 costs about what gzip does and compresses better; the highest levels are for build time.
	const compressed =
		encoding === 'br'
			? await brotli(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } })
			: await gzip(body, { level: 6 });
	headers.set('Content-Encoding', encoding);
	headers.delete('Content-Length');
	return new Response(compressed, init);
};
