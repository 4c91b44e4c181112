// A public page is the same for every visitor who is not signed in: the home page, a province, the market, the
// demand board. Once rendered (and compressed) for a language, it is served again for a few seconds
// (PAGE_CACHE_SECONDS) instead of being rendered for each of the hundreds who ask in those seconds.
//
// - Only GET requests without a session cookie, answered 200 with HTML and no cookie of their own, are kept;
//   everything a signed-in person sees is rendered for them.
// - A page is rendered by one request at a time. When its copy has expired, the first request renders it again
//   and waits for it (2 s at most, then it too is given the old copy); the requests that arrive meanwhile are
//   given the expiring copy, a few seconds older.
// - Pages whose rendering records something (the search log) are never kept.
// - The copies are bounded in number and in bytes; the least recently used go first.
import type { Handle, RequestEvent } from '@sveltejs/kit';
import { within } from '$lib/server/promises';
import { cookieName as LOCALE_COOKIE } from '$lib/paraglide/runtime';

/** Paths rendered afresh every time: `/search` logs each search for the market's zero-result report. */
const NEVER_KEPT = /^\/(api|search|health|metrics|dev|uploads|locale)(\/|$)/;
/** How long the first visitor after a copy expired waits for the new one before being given the old one. */
const STALE_WAIT_MS = 2_000;

export interface PageCacheOptions {
	seconds: number;
	maxEntries?: number;
	maxBytes?: number;
}

interface Copy {
	status: number;
	headers: [string, string][];
	body: Uint8Array<ArrayBuffer>;
	expires: number;
}

interface Slot {
	copy?: Copy;
	/** A rendering under way: resolves to the new copy, or undefined when its answer was not one to keep. */
	rendering?: Promise<Copy | undefined>;
}

export function pageCache({
	seconds,
	maxEntries = 2_000,
	maxBytes = 64 * 1024 * 1024
}: PageCacheOptions): Handle {
	const slots = new Map<string, Slot>();
	let bytes = 0;

	const keep = (key: string, slot: Slot, copy: Copy) => {
		if (slot.copy) bytes -= slot.copy.body.byteLength;
		slot.copy = copy;
		bytes += copy.body.byteLength;
		// Most recently used last; the oldest go while the cache is over either bound.
		slots.delete(key);
		slots.set(key, slot);
		for (const [oldKey, old] of slots) {
			if (slots.size <= maxEntries && bytes <= maxBytes) break;
			if (old.rendering) continue;
			slots.delete(oldKey);
			if (old.copy) bytes -= old.copy.body.byteLength;
		}
	};

	return async ({ event, resolve }) => {
		const key = seconds > 0 ? cacheKey(event) : undefined;
		if (!key) return resolve(event);

		let slot = slots.get(key);
		const now = Date.now();
		if (slot?.copy && slot.copy.expires > now) {
			// Most recently used: last to be dropped.
			slots.delete(key);
			slots.set(key, slot);
			return answer(slot.copy, 'hit');
		}
		if (slot?.rendering) {
			if (slot.copy) return answer(slot.copy, 'stale');
			const copy = await slot.rendering;
			if (copy) return answer(copy, 'hit');
			return resolve(event);
		}

		slot ??= {};
		slots.set(key, slot);
		const current = slot;
		const rendering = (async () => {
			const response = await resolve(event);
			const copy = await copyOf(response, seconds);
			if (copy) keep(key, current, copy);
			return { response, copy };
		})();
		const settled = rendering.then(
			({ copy }) => copy,
			() => undefined
		);
		current.rendering = settled;
		void settled.then(() => {
			if (current.rendering === settled) current.rendering = undefined;
			if (!current.copy && !current.rendering) slots.delete(key);
		});

		const stale = current.copy;
		if (!stale) {
			const { response, copy } = await rendering;
			return copy ? answer(copy, 'miss') : response;
		}
		// An expired copy: wait for the new one, but not past STALE_WAIT_MS (the rendering then goes on for the
		// visitors after this one).
		const rendered = await within(rendering, STALE_WAIT_MS, undefined);
		if (!rendered) return answer(stale, 'stale');
		return rendered.copy ? answer(rendered.copy, 'miss') : rendered.response;
	};
}

/** The copy's key (address, language, encoding), or undefined when this request must be rendered for itself. */
function cacheKey(event: RequestEvent): string | undefined {
	if (event.request.method !== 'GET' || NEVER_KEPT.test(event.url.pathname)) return undefined;
	// A page rendered with any cookie but the language's (a session, a sign-in half done at an identity
	// provider) may be that person's alone.
	if (event.cookies.getAll().some((cookie) => cookie.name !== LOCALE_COOKIE)) return undefined;
	// SvelteKit's own data requests for client-side navigation are JSON: kept out by the content type below,
	// and by never sharing a key with the page.
	const language = event.cookies.get(LOCALE_COOKIE) === 'en' ? 'en' : 'th';
	const accepted = event.request.headers.get('accept-encoding') ?? '';
	const encoding = /\bbr\b/.test(accepted) ? 'br' : /\bgzip\b/.test(accepted) ? 'gzip' : 'identity';
	return `${language} ${encoding} ${event.url.pathname}${event.url.search}`;
}

/** What of a response can be served to the next visitor: a 200 HTML page that sets no cookie. */
async function copyOf(response: Response, seconds: number): Promise<Copy | undefined> {
	const type = response.headers.get('content-type') ?? '';
	if (response.status !== 200 || !type.startsWith('text/html') || response.headers.has('set-cookie')) {
		return undefined;
	}
	const cacheControl = response.headers.get('cache-control') ?? '';
	if (/no-store|private/.test(cacheControl)) return undefined;
	const body = new Uint8Array(await response.arrayBuffer());
	return {
		status: response.status,
		// The timing of this rendering is not the timing of the visits it will serve.
		headers: [...response.headers].filter(([name]) => name !== 'server-timing'),
		body,
		expires: Date.now() + seconds * 1000
	};
}

function answer(copy: Copy, state: 'hit' | 'stale' | 'miss'): Response {
	const headers = new Headers(copy.headers);
	headers.set('X-Page-Cache', state);
	return new Response(copy.body, { status: copy.status, headers });
}
