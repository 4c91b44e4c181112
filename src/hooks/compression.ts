// Compresses rendered pages and text endpoints (adapter-node compresses only the prebuilt static files): a
// province page or the gap dashboard is mostly repeated markup and shrinks to a fraction on a phone's connection.
import type { NonSharedBuffer } from 'node:buffer';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { Handle } from '@sveltejs/kit';

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);
/**
 * Bodies up to this size are compressed on the spot. Measured here (Node 24, 20 pages at once): brotli through the
 * thread pool cost 6.6 ms of CPU per 215 kB page, the synchronous call 0.9 ms, holding the event loop that long; a
 * larger body (an export) goes to the thread pool.
 */
const SYNC_MAX_BYTES = 1024 * 1024;
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
	const compressed = await compress(body, encoding);
	headers.set('Content-Encoding', encoding);
	headers.delete('Content-Length');
	return new Response(compressed, init);
};

async function compress(body: Buffer, encoding: 'br' | 'gzip'): Promise<NonSharedBuffer> {
	const sync = body.length <= SYNC_MAX_BYTES;
	if (encoding === 'gzip') return sync ? zlib.gzipSync(body, { level: 6 }) : gzip(body, { level: 6 });
	// Brotli at quality 4 costs about what gzip does and compresses better; the highest levels are for build time.
	// The size hint lets it size its tables to the body rather than to a 4 MB window.
	const options = {
		params: {
			[zlib.constants.BROTLI_PARAM_QUALITY]: 4,
			[zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length
		}
	};
	return sync ? zlib.brotliCompressSync(body, options) : brotli(body, options);
}
