// Public: an approved startup's profile as last approved (edits waiting for review do not show), with its
// province's-startup badge for the years it was selected. Its email and phone show only to those the organisation
// chose (src/lib/server/privacy/contact.ts); anyone signed in can write to it through the contact form. Signed-in
// users can report it to its province's office.
import { error } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireUser } from '$lib/server/auth/guard';
import { db } from '$lib/server/context';
import { formValues, invalid, readForm, userFailure } from '$lib/server/forms';
import { reportSubject } from '$lib/server/offers/service';
import { todayInThailand } from '$lib/schemas/calendar-date';
import { profileChoices, publicStartupBySlug } from '$lib/server/startups/queries';
import { approvedProfile } from '$lib/server/startups/profile';
import { reportSchema } from '$lib/schemas/demand';
import { contactMessageSchema } from '$lib/schemas/privacy';
import { contactShownTo, sendContactMessage } from '$lib/server/privacy/contact';

const SLUG = /^[a-z0-9-]{1,80}$/;

export const load: PageServerLoad = async ({ locals, params }) => {
	if (!SLUG.test(params.slug)) error(404, 'not_found');
	const [row, choices] = await Promise.all([publicStartupBySlug(db(), params.slug), profileChoices(db())]);
	if (!row) error(404, 'not_found');
	const snapshot = approvedProfile(row.startup);
	const showContact = await contactShownTo(db(), locals.user, row.startup.organisationId);
	return {
		slug: row.startup.slug,
		profile: showContact ? snapshot : { ...snapshot, contactEmail: null, phone: null },
		contactHidden: !showContact,
		province: row.province,
		verified: row.verified,
		selectedYears: row.selectedYears,
		choices,
		signedIn: locals.user !== null,
		mayAskForQuote: locals.user === null || locals.user.role === 'buyer',
		today: todayInThailand()
	};
};

export const actions: Actions = {
	report: async ({ locals, params, request, url }) => {
		const user = requireUser(locals);
		const row = SLUG.test(params.slug) ? await publicStartupBySlug(db(), params.slug) : null;
		if (!row) error(404, 'not_found');
		const values = formValues(await readForm(request), ['reason']);
		const parsed = reportSchema.safeParse(values);
		if (!parsed.success) return invalid(values, parsed.error, 'report');
		try {
			await reportSubject(
				db(),
				user,
				{ type: 'startup', id: row.startup.id },
				parsed.data.reason,
				url.origin
			);
		} catch (caught) {
			return userFailure(caught, values, 'report');
		}
		return { reported: true };
	},
	contact: async ({ locals, params, request }) => {
		const user = requireUser(locals);
		const row = SLUG.test(params.slug) ? await publicStartupBySlug(db(), params.slug) : null;
		if (!row) error(404, 'not_found');
		const values = formValues(await readForm(request), ['message']);
		const parsed = contactMessageSchema.safeParse(values);
		if (!parsed.success) return invalid(values, parsed.error, 'contact');
		const snapshot = approvedProfile(row.startup);
		try {
			await sendContactMessage(
				db(),
				user,
				{
					organisationId: row.startup.organisationId,
					contactEmail: snapshot.contactEmail ?? row.startup.contactEmail,
					name: snapshot.nameTh ?? snapshot.nameEn ?? row.startup.slug
				},
				parsed.data.message
			);
		} catch (caught) {
			return userFailure(caught, values, 'contact');
		}
		return { contacted: true };
	}
};
