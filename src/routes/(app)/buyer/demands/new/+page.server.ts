// A buyer posts a demand: saved as a draft, or published at once (the best-matched startups are told within
// seconds, by the coverage worker).
import { redirect } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/context';
import { demandAttachmentStore, readDemandForm } from '$lib/server/demands/forms';
import { createDemand } from '$lib/server/demands/service';
import { userFailure } from '$lib/server/forms';
import { provinceOptions } from '$lib/server/provinces/options';
import { profileChoices } from '$lib/server/startups/queries';
import { todayInThailand } from '$lib/schemas/demand';

export const load: PageServerLoad = async ({ locals, url }) => {
	requireRole(locals, 'buyer');
	const [choices, provinces] = await Promise.all([profileChoices(db()), provinceOptions(db())]);
	// A search that found nothing offers to post its words as a demand: they start the title in their language.
	const title = z
		.string()
		.trim()
		.max(200)
		.catch('')
		.parse(url.searchParams.get('title') ?? '');
	const prefill: Record<string, string> = title
		? { [/[\u0E00-\u0E7F]/.test(title) ? 'titleTh' : 'titleEn']: title }
		: {};
	return { choices, provinces, today: todayInThailand(), prefill };
};

async function post(locals: App.Locals, request: Request, publish: boolean) {
	const buyer = requireRole(locals, 'buyer');
	const { values, demand, failure, attachment } = await readDemandForm(request);
	if (failure) return failure;
	let id: string;
	try {
		const storeAttachment = demandAttachmentStore(db(), buyer.id, attachment);
		id = (await createDemand(db(), buyer, demand!, { publish, storeAttachment })).id;
	} catch (error) {
		return userFailure(error, values);
	}
	redirect(303, `/buyer/demands/${id}?${publish ? 'published' : 'saved'}=1`);
}

export const actions: Actions = {
	publish: async ({ locals, request }) => {
		requireRole(locals, 'buyer');
		return post(locals, request, true);
	},
	draft: async ({ locals, request }) => {
		requireRole(locals, 'buyer');
		return post(locals, request, false);
	}
};
