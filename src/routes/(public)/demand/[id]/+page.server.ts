// A demand as anyone sees it. An approved startup offers on it here, follows its offer and talks with the
// buyer; the buyer's contact shows only to startups that have offered. Signed-in users can report it.
import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireRole, requireUser } from '$lib/server/auth/guard';
import { db, searchClient } from '$lib/server/context';
import { withStartupNames } from '$lib/server/matching/display';
import { matchStartupsForDemand } from '$lib/server/matching/service';
import { demandDetail, ownOfferOn } from '$lib/server/demands/queries';
import { formValues, idOr404, invalid, readForm, userFailure } from '$lib/server/forms';
import { ownInvitation } from '$lib/server/invitations/queries';
import { offerPrefill } from '$lib/server/invitations/rules';
import { declineInvitation, noteInvitationViewed } from '$lib/server/invitations/service';
import {
	makeOffer,
	messagesOf,
	offerShowsBuyerContact,
	OutsideTerms,
	postMessage,
	reportSubject,
	updateOffer,
	withdrawOffer
} from '$lib/server/offers/service';
import { verifiedStartupIds } from '$lib/server/organisations/queries';
import { provinceOptions } from '$lib/server/provinces/options';
import { profileChoices, startupOfOrganisation } from '$lib/server/startups/queries';
import { isPublicStartup } from '$lib/server/startups/public';
import { messageSchema, offerSchema, reportSchema, todayInThailand } from '$lib/schemas/demand';
import { declineInvitationSchema } from '$lib/schemas/invitation';

export const load: PageServerLoad = async ({ locals, params }) => {
	const detail = await demandDetail(db(), idOr404(params.id));
	if (!detail) error(404, 'not_found');
	const isOwner = locals.user?.organisationId === detail.demand.buyerOrganisationId;
	if ((detail.demand.status === 'draft' || detail.demand.status === 'hidden') && !isOwner)
		error(404, 'not_found');
	if (isOwner) redirect(303, `/buyer/demands/${detail.demand.id}`);
	let canOffer = false;
	let ownOffer = null;
	let messages: Awaited<ReturnType<typeof messagesOf>> = [];
	let invitation: Awaited<ReturnType<typeof ownInvitation>> = null;
	if (locals.user?.role === 'startup' && locals.user.organisationId) {
		const own = await startupOfOrganisation(db(), locals.user.organisationId);
		canOffer = own !== null && isPublicStartup(own);
		ownOffer = await ownOfferOn(db(), locals.user.organisationId, detail.demand.id);
		if (ownOffer) messages = await messagesOf(db(), locals.user, ownOffer.id);
		invitation = await ownInvitation(db(), locals.user.organisationId, detail.demand.id);
		// The buyer sees that the invited startup opened the demand.
		if (invitation && !invitation.viewedAt)
			await noteInvitationViewed(db(), locals.user.organisationId, detail.demand.id);
	}
	const staff = locals.user?.role === 'officer' || locals.user?.role === 'admin';
	const [provinces, choices, matched] = await Promise.all([
		provinceOptions(db()),
		profileChoices(db()),
		// Offices see which startups could supply it, to follow up with them.
		staff && detail.demand.status === 'open'
			? matchStartupsForDemand(db(), searchClient(), detail.demand.id, { limit: 5 })
			: null
	]);
	const { demand, buyer, certifications, offerCount } = detail;
	const matchedStartups = matched ? await withStartupNames(db(), matched.matches) : null;
	// The badge of a verified organisation, read from Postgres (the index does not carry it), as on /search.
	const verifiedMatches = await verifiedStartupIds(db(), matchedStartups?.map((s) => s.id) ?? []);
	return {
		demand: publicView(demand),
		certifications,
		offerCount,
		buyerName: buyer.name,
		buyerVerified: buyer.verification === 'verified',
		// Contact details only for startups whose offer stands.
		buyerContact: offerShowsBuyerContact(ownOffer) ? { email: buyer.contactEmail, phone: buyer.phone } : null,
		signedIn: locals.user !== null,
		canOffer,
		isStartup: locals.user?.role === 'startup',
		ownOffer,
		invitation: invitation && {
			declined: invitation.declinedAt !== null,
			// An invited startup's first offer form is filled from the demand.
			prefill: ownOffer ? null : offerPrefill(demand, todayInThailand())
		},
		messages: messages.map((m) => ({ ...m, mine: m.authorId === locals.user?.id })),
		provinces,
		choices,
		matches:
			matched && matchedStartups
				? { degraded: matched.degraded, startups: matchedStartups, verified: [...verifiedMatches] }
				: null
	};
};

/**
 * What of a demand this page sends (to anyone, as page data): picked, so internal ids (the buyer organisation, the
 * account that posted it) and bookkeeping columns added later never reach the browser.
 */
function publicView(demand: NonNullable<Awaited<ReturnType<typeof demandDetail>>>['demand']) {
	return {
		id: demand.id,
		ref: demand.ref,
		status: demand.status,
		titleTh: demand.titleTh,
		titleEn: demand.titleEn,
		detailsTh: demand.detailsTh,
		detailsEn: demand.detailsEn,
		divisionCode: demand.divisionCode,
		quantity: demand.quantity,
		unit: demand.unit,
		recurrence: demand.recurrence,
		priceThbMax: demand.priceThbMax,
		deliveryProvinceCode: demand.deliveryProvinceCode,
		neededBy: demand.neededBy,
		maxOffers: demand.maxOffers,
		verifiedOffersOnly: demand.verifiedOffersOnly,
		attachmentPath: demand.attachmentPath,
		publishedAt: demand.publishedAt,
		closedAt: demand.closedAt
	};
}

const OFFER_FIELDS = ['quantity', 'unitPriceThb', 'leadTimeDays', 'message', 'confirmTerms'] as const;

export const actions: Actions = {
	offer: async ({ locals, params, request, url }) => {
		const user = requireRole(locals, 'startup');
		const demandId = idOr404(params.id);
		const values = formValues(await readForm(request), OFFER_FIELDS);
		const parsed = offerSchema.safeParse(values);
		if (!parsed.success) return invalid(values, parsed.error, 'offer');
		try {
			const existing = user.organisationId ? await ownOfferOn(db(), user.organisationId, demandId) : null;
			if (existing?.status === 'pending') await updateOffer(db(), user, existing.id, parsed.data, url.origin);
			else await makeOffer(db(), user, demandId, parsed.data, url.origin);
		} catch (caught) {
			// Outside the buyer's terms: the form comes back saying how, for the startup to confirm or change.
			if (caught instanceof OutsideTerms)
				return fail(caught.status, {
					values,
					errors: { [caught.field!]: caught.code },
					form: 'offer',
					termsFlags: caught.flags
				});
			return userFailure(caught, values, 'offer');
		}
		return { offered: true };
	},
	declineInvitation: async ({ locals, params, request }) => {
		const user = requireRole(locals, 'startup');
		const demandId = idOr404(params.id);
		const values = formValues(await readForm(request), ['reason']);
		const parsed = declineInvitationSchema.safeParse(values);
		if (!parsed.success) return invalid(values, parsed.error, 'invitation');
		try {
			await declineInvitation(db(), user, demandId, parsed.data.reason);
		} catch (caught) {
			return userFailure(caught, values, 'invitation');
		}
		return { invitationDeclined: true };
	},
	withdraw: async ({ locals, request }) => {
		const user = requireRole(locals, 'startup');
		const offerId = idOr404((await readForm(request)).get('offerId'));
		try {
			await withdrawOffer(db(), user, offerId);
		} catch (caught) {
			return userFailure(caught, {}, 'offer');
		}
		return { withdrawn: true };
	},
	message: async ({ locals, request, url }) => {
		const user = requireUser(locals);
		const values = formValues(await readForm(request), ['body', 'offerId']);
		const offerId = idOr404(values.offerId);
		const parsed = messageSchema.safeParse(values);
		if (!parsed.success) return invalid(values, parsed.error, 'message');
		try {
			await postMessage(db(), user, offerId, parsed.data.body, url.origin);
		} catch (caught) {
			return userFailure(caught, values, 'message');
		}
		return { messaged: true };
	},
	report: async ({ locals, params, request, url }) => {
		const user = requireUser(locals);
		const demandId = idOr404(params.id);
		const values = formValues(await readForm(request), ['reason']);
		const parsed = reportSchema.safeParse(values);
		if (!parsed.success) return invalid(values, parsed.error, 'report');
		try {
			await reportSubject(db(), user, { type: 'demand', id: demandId }, parsed.data.reason, url.origin);
		} catch (caught) {
			return userFailure(caught, values, 'report');
		}
		return { reported: true };
	}
};
