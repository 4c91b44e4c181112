// Public: the by-product figures per province as CSV (UTF-8 with BOM, so Excel shows Thai).
import type { RequestHandler } from './$types';
import { db } from '$lib/server/context';
import { wasteFiguresCsv } from '$lib/server/waste/csv';

export const GET: RequestHandler = async () => {
	return new Response(await wasteFiguresCsv(db()), {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': 'attachment; filename="waste-figures.csv"',
			'cache-control': 'public, max-age=60'
		}
	});
};
