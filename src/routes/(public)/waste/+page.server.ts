// Public: what the by-product exchange has achieved, nationwide and per province, and the published lots.
import type { PageServerLoad } from './$types';
import { db } from '$lib/server/context';
import { getLocale } from '$lib/paraglide/runtime';
import { todayInThailand } from '$lib/schemas/calendar-date';
import { referenceNames } from '$lib/server/reference';
import { wasteCodeNames } from '$lib/server/waste/forms';
import { publicPhotos } from '$lib/server/waste/files';
import { publicLots, wasteFigures } from '$lib/server/waste/queries';

export const load: PageServerLoad = async () => {
	const [figures, lots] = await Promise.all([wasteFigures(db()), publicLots(db())]);
	return {
		figures,
		lots,
		photos: await publicPhotos(
			db(),
			lots.map((lot) => lot.id)
		),
		provinceNames: referenceNames(getLocale()).provinces,
		codeNames: wasteCodeNames(),
		today: todayInThailand()
	};
};
