// Public: the search box's results. Server-side, so the search key never reaches the browser.
import type { PageServerLoad } from './$types';
import { db, searchClient } from '$lib/server/context';
import { searchPortal } from '$lib/server/search/query';

export const load: PageServerLoad = async ({ url }) => {
	const query = (url.searchParams.get('q') ?? '').trim().slice(0, 200);
	if (!query) return { query, result: null };
	return { query, result: await searchPortal(db(), searchClient(), query) };
};
