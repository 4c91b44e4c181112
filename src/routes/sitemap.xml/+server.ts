// Public: every public page a crawler should know — home, the dashboards, the 77 provinces, the regions, the
// approved startups and the open demands.
import type { RequestHandler } from './$types';
import { db } from '$lib/server/context';
import { provinceData, REGIONS } from '$lib/server/reference';
import { sitemapEntries } from '$lib/server/sitemap/queries';

/** The sitemap protocol's limit per file. */
const MAX_URLS = 50_000;

const escapeXml = (text: string) =>
	text.replace(
		/[<>&'"]/g,
		(c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!
	);

export const GET: RequestHandler = async ({ url }) => {
	const fixed = ['/', '/market', '/demand', '/search', '/api/docs'];
	const [startupRows, demandRows] = await sitemapEntries(db(), MAX_URLS);
	const entries: { path: string; lastmod?: Date }[] = [
		...fixed.map((path) => ({ path })),
		...REGIONS.map((region) => ({ path: `/regions/${region.toLowerCase()}` })),
		...provinceData.map((p) => ({ path: `/provinces/${p.code}` })),
		...startupRows.map((s) => ({ path: `/startups/${s.slug}`, lastmod: s.updatedAt })),
		...demandRows.map((d) => ({ path: `/demand/${d.id}`, lastmod: d.updatedAt }))
	];
	const body = entries
		.map(
			(e) =>
				`<url><loc>${escapeXml(url.origin + e.path)}</loc>${e.lastmod ? `<lastmod>${e.lastmod.toISOString()}</lastmod>` : ''}</url>`
		)
		.join('\n');
	return new Response(
		`<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${body}\n</urlset>\n`,
		{ headers: { 'content-type': 'application/xml; charset=utf-8', 'cache-control': 'public, max-age=600' } }
	);
};
