// Public: the search box with its facets. Server-side, so the search key never reaches the browser; every search
// with words is logged (normalised, with its result count and the visitor's hashed address) for the report of what
// people could not find. Searches are limited per address (SEARCH_REQUESTS_PER_MINUTE): 429 past it.
import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { getLocale } from '$lib/paraglide/runtime';
import { clientAddressOf } from '$lib/server/client-address';
import { db, searchClient } from '$lib/server/context';
import { env } from '$lib/server/env';
import { provinceOptions } from '$lib/server/provinces/options';
import { REGIONS } from '$lib/server/reference';
import { hasFacets, parseSearchParams } from '$lib/server/search/filters';
import { openDemandCards } from '$lib/server/demands/queries';
import { verifiedStartupIds } from '$lib/server/organisations/queries';
import { hitSearchLimit, logSearch } from '$lib/server/search/log';
import { searchPortal } from '$lib/server/search/query';
import { findableSuggestions } from '$lib/server/search/suggest';
import { profileChoices, publicProductPhotos } from '$lib/server/startups/queries';
import { lineOffer } from '$lib/server/line/service';

const PAGE_SIZE = 20;

export const load: PageServerLoad = async (event) => {
	const { url, setHeaders } = event;
	const address = clientAddressOf(event);
	const allowed = await hitSearchLimit(db(), address, env().SEARCH_REQUESTS_PER_MINUTE);
	if (!allowed.allowed) {
		setHeaders({ 'Retry-After': String(allowed.retryAfterSeconds) });
		error(429, 'search_rate_limited');
	}
	const { request, ignored } = parseSearchParams(url.searchParams);
	const words = request.q.trim();
	// Browsing by filters alone lists what they select; with neither words nor filters only the counts are shown.
	const searching = words !== '' || hasFacets(request.facets) || request.type !== null;
	const [result, provinces, choices] = await Promise.all([
		searchPortal(db(), searchClient(), words, {
			type: request.type,
			facets: request.facets,
			page: request.page,
			pageSize: searching ? PAGE_SIZE : 0
		}),
		provinceOptions(db()),
		profileChoices(db())
	]);
	// Turning pages is the same search, so only its first page is logged; so are the live results shown while
	// someone is still typing (the page asks again, unmarked, once the typing rests).
	if (words && request.page === 1 && !url.searchParams.has('live')) {
		await logSearch(db(), {
			query: words,
			locale: getLocale(),
			resultCount: result.total,
			engine: result.engine,
			address
		});
	}
	// The figures a result card shows (quantity, price, dates) are read from Postgres, the truth, not the index.
	const demandIds = result.hits.filter((hit) => hit.type === 'demand').map((hit) => hit.id);
	const startupIds = result.hits.filter((hit) => hit.type === 'startup').map((hit) => hit.id);
	const [cards, verified, productPhotos, line] = await Promise.all([
		openDemandCards(db(), demandIds),
		verifiedStartupIds(db(), startupIds),
		publicProductPhotos(db(), startupIds),
		lineOffer(db(), event.locals.user?.id)
	]);
	return {
		request,
		// What "save this search" keeps, in the saved search's shape (alerts/criteria.ts).
		saveCriteria: { q: words, type: request.type, ...request.facets, minQuantity: null, maxQuantity: null },
		lineOffer: line,
		ignored,
		searching,
		result,
		demandCards: Object.fromEntries(cards.map((card) => [card.id, card])),
		// The badge of a verified organisation, read from Postgres like the figures (the index does not carry it).
		verifiedStartups: [...verified],
		productPhotos,
		suggestions:
			searching && result.total === 0 ? await findableSuggestions(db(), searchClient(), words) : [],
		pageSize: PAGE_SIZE,
		regions: REGIONS,
		provinces: provinces.flatMap((group) => group.provinces),
		divisions: choices.divisions.map(({ code, nameTh, nameEn }) => ({ code, nameTh, nameEn })),
		certifications: choices.certifications.map(({ id, abbrTh, abbrEn, nameTh, nameEn }) => ({
			id,
			abbrTh,
			abbrEn,
			nameTh,
			nameEn
		}))
	};
};
