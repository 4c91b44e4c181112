// Public: what crawlers may index — the public pages, not the signed-in areas — and where the sitemap is.
import type { RequestHandler } from './$types';

const PRIVATE = ['/account', '/admin', '/office/', '/startup/', '/buyer/', '/notifications', '/dev/'];

export const GET: RequestHandler = ({ url }) =>
	new Response(
		[
			'User-agent: *',
			'Allow: /',
			...PRIVATE.map((path) => `Disallow: ${path}`),
			'',
			`Sitemap: ${url.origin}/sitemap.xml`,
			''
		].join('\n'),
		{ headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'public, max-age=3600' } }
	);
