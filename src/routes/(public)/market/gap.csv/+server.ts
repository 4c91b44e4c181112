// Public: the gap figures as CSV (UTF-8 with BOM, so Excel shows Thai), with the dashboard's filters.
import type { RequestHandler } from './$types';
import { readMarketFilter } from '$lib/schemas/market';
import { db } from '$lib/server/context';
import { gapCsv } from '$lib/server/gap/csv';

export const GET: RequestHandler = async ({ url }) => {
	const filter = readMarketFilter(url);
	const csv = await gapCsv(db(), filter);
	const name = `gap${filter.province ? `-${filter.province}` : ''}${filter.division ? `-${filter.division}` : ''}.csv`;
	return new Response(csv, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="${name}"`,
			'cache-control': 'public, max-age=60'
		}
	});
};
