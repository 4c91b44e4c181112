// Public: what the by-product exchange has achieved, nationwide and per province, and the published lots, found
// by words, place and waste code (a search a signed-in person can save with alerts).
import type { PageServerLoad } from './$types';
import { db } from '$lib/server/context';
import { getLocale } from '$lib/paraglide/runtime';
import { todayInThailand } from '$lib/schemas/calendar-date';
import { referenceNames } from '$lib/server/reference';
import { wasteCodeNames } from '$lib/server/waste/forms';
import { publicPhotos } from '$lib/server/waste/files';
import { wasteFigures } from '$lib/server/waste/queries';
import { lineOffer } from '$lib/server/line/service';
import { parseWasteSearch, searchPublicLots, wasteSaveCriteria } from '$lib/server/waste/public-search';

export const load: PageServerLoad = async ({ locals, url }) => {
	const search = parseWasteSearch(url.searchParams);
	const [figures, lots, line] = await Promise.all([
		wasteFigures(db()),
		searchPublicLots(db(), search),
		lineOffer(db(), locals.user?.id)
	]);
	return {
		figures,
		lots,
		search,
		saveCriteria: wasteSaveCriteria(search),
		lineOffer: line,
		photos: await publicPhotos(
			db(),
			lots.map((lot) => lot.id)
		),
		provinceNames: referenceNames(getLocale()).provinces,
		codeNames: wasteCodeNames(),
		today: todayInThailand()
	};
};
