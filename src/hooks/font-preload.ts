// The faces a first screen draws, announced in the Link header ahead of the page's JavaScript modules. SvelteKit
// lists those modules there (30 to 40 on /sign-in or a demand page); over HTTP/1.1 the fonts preloaded from the
// page's <head> waited behind them for a connection, arrived after the first paint and moved the page as they
// swapped in (Lighthouse on a phone: layout shift 0.24 in one run in three on this machine, which has no Thai font).
import type { Handle } from '@sveltejs/kit';
import thai400 from '@fontsource/noto-sans-thai/files/noto-sans-thai-thai-400-normal.woff2?url';
import latin400 from '@fontsource/noto-sans-thai/files/noto-sans-thai-latin-400-normal.woff2?url';
import thai700 from '@fontsource/noto-sans-thai/files/noto-sans-thai-thai-700-normal.woff2?url';

const FONT_LINKS = [thai400, latin400, thai700]
	.map((href) => `<${href}>; rel="preload"; as="font"; type="font/woff2"; crossorigin`)
	.join(', ');

export const fontPreload: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	if (!response.headers.get('content-type')?.startsWith('text/html')) return response;
	const modules = response.headers.get('link');
	response.headers.set('link', modules ? `${FONT_LINKS}, ${modules}` : FONT_LINKS);
	return response;
};
