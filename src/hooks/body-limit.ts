// Request bodies: the pages' forms take at most 6 MB (a 5 MB attachment with its fields); the API sets its own,
// larger limit for exchange documents. adapter-node's BODY_SIZE_LIMIT is the outer bound for both. Runs inside the
// locale hook: the refusal is in the visitor's language.
//
// The body is read here, before the request joins the admission line (src/hooks/admission.ts), and must arrive
// within `timeoutMs`: otherwise a request would hold its place in the line for as long as its sender took to send
// the body, and 64 connections sending one byte every two seconds held every place and left the portal answering
// 503 to everyone. A body that has not arrived in time is answered 408 and its connection closed.
import type { Handle, RequestEvent } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';

export const PAGE_BODY_LIMIT = 6 * 1024 * 1024;

export interface BodyLimitOptions {
	/** How long a request's whole body may take to arrive. */
	timeoutMs: number;
}

type Read = { body: Uint8Array<ArrayBuffer> } | { refused: 'timeout' | 'too_large' | 'broken' };

export function bodyLimit({ timeoutMs }: BodyLimitOptions): Handle {
	return async ({ event, resolve }) => {
		const isApi = event.url.pathname.startsWith('/api/');
		const declared = Number(event.request.headers.get('content-length') ?? 0);
		if (declared > PAGE_BODY_LIMIT && !isApi) return refusal(event, 413);
		if (!event.request.body) return resolve(event);
		// The API's endpoints check their own, larger limits as they parse; adapter-node's bounds them all.
		const read = await readWithin(event.request, timeoutMs, isApi ? Infinity : PAGE_BODY_LIMIT);
		if ('refused' in read)
			return refusal(event, read.refused === 'timeout' ? 408 : read.refused === 'too_large' ? 413 : 400);
		const { method, headers, signal, url } = event.request;
		event.request = new Request(url, { method, headers, body: read.body, signal });
		return resolve(event);
	};
}

async function readWithin(request: Request, timeoutMs: number, maxBytes: number): Promise<Read> {
	const reader = request.body!.getReader();
	const chunks: Uint8Array[] = [];
	let size = 0;
	let timer: NodeJS.Timeout | undefined;
	const late = new Promise<'late'>((resolve) => {
		timer = setTimeout(() => resolve('late'), timeoutMs);
	});
	try {
		for (;;) {
			const next = reader.read();
			const result = await Promise.race([next, late]);
			if (result === 'late') {
				// Not cancelled: cancelling destroys the socket before the 408 can be written. The 408 closes the
				// connection instead; the read still waiting ends with it, and its failure is expected.
				next.catch(() => {});
				return { refused: 'timeout' };
			}
			if (result.done) break;
			size += result.value.byteLength;
			if (size > maxBytes) {
				await reader.cancel();
				return { refused: 'too_large' };
			}
			chunks.push(result.value);
		}
	} catch (error) {
		// adapter-node fails the stream with a 413 past BODY_SIZE_LIMIT or the declared length; anything else is a
		// connection that broke while sending, answered (to nobody, most likely) as a bad request.
		const status = (error as { status?: unknown } | null)?.status;
		return { refused: status === 413 ? 'too_large' : 'broken' };
	} finally {
		clearTimeout(timer);
	}
	const body = new Uint8Array(new ArrayBuffer(size));
	let offset = 0;
	for (const chunk of chunks) {
		body.set(chunk, offset);
		offset += chunk.byteLength;
	}
	return { body };
}

/**
 * A refused body, in the visitor's language; under /api as plain text, which the API's error hook turns into its
 * JSON error. The connection is closed: whatever of the body is still on its way is not read.
 */
function refusal(event: RequestEvent, status: 400 | 408 | 413): Response {
	const text =
		status === 413
			? m.error_payload_too_large()
			: status === 408
				? m.error_request_timeout()
				: m.error_bad_request();
	return new Response(event.url.pathname.startsWith('/api/') ? String(status) : text, {
		status,
		headers: { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close', 'Cache-Control': 'no-store' }
	});
}
