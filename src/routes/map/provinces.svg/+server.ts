// Public: the province outlines the home page's map draws with <use>; versioned by content, so cached for good.
import type { RequestHandler } from './$types';
import { provinceSprite } from '$lib/server/provinces/map';

export const GET: RequestHandler = ({ url }) => {
	const { svg, version } = provinceSprite();
	const current = url.searchParams.get('v') === version;
	return new Response(svg, {
		headers: {
			'content-type': 'image/svg+xml',
			'cache-control': current ? 'public, max-age=31536000, immutable' : 'public, max-age=300'
		}
	});
};
