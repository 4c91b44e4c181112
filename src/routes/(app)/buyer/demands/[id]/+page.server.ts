// The buyer's view of one demand: its offers side by side, and the decisions on them.
import { error, fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireRole } from '$lib/server/auth/guard';
import { db, searchClient } from '$lib/server/context';
import { withStartupNames } from '$lib/server/matching/display';
import { matchStartupsForDemand } from '$lib/server/matching/service';
import { demandDetail, offersForComparison } from '$lib/server/demands/queries';
import { closeDemand, publishDemand } from '$lib/server/demands/service';
import { formValues, idOr404, invalid, readForm, userFailure } from '$lib/server/forms';
import { invitationsOfDemand } from '$lib/server/invitations/queries';
import { inviteToQuote } from '$lib/server/invitations/service';
import {
	acceptOffer,
	declineOffer,
	messagesOf,
	OfferChanged,
	postMessage,
	reportSubject
} from '$lib/server/offers/service';
import { provinceOptions } from '$lib/server/provinces/options';
import { profileChoices } from '$lib/server/startups/queries';
import { proposeGroupForDemand, SPLIT_CANDIDATES } from '$lib/server/volumes/service';
import { declineSchema, messageSchema, reportSchema, seenVersionSchema } from '$lib/schemas/demand';
import { inviteSchema } from '$lib/schemas/invitation';
import type { FieldErrors } from '$lib/form-errors';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const buyer = requireRole(locals, 'buyer');
	const detail = await demandDetail(db(), idOr404(params.id));
	// Another buyer's demand looks exactly like a missing one.
	if (!detail || detail.demand.buyerOrganisationId !== buyer.organisationId) error(404, 'not_found');
	const offers = await offersForComparison(db(), detail.demand, detail.certifications);
	const threads = await Promise.all(
		offers.map(async ({ offer }) => ({
			offerId: offer.id,
			messages: (await messagesOf(db(), buyer, offer.id)).map((m) => ({
				...m,
				mine: m.authorId === buyer.id
			}))
		}))
	);
	const [choices, provinces, invitations, matched] = await Promise.all([
		profileChoices(db()),
		provinceOptions(db()),
		invitationsOfDemand(db(), detail.demand.id),
		detail.demand.status === 'open' || detail.demand.status === 'draft'
			? // Enough for the proposed group too; the page lists the first five.
				matchStartupsForDemand(db(), searchClient(), detail.demand.id, { limit: SPLIT_CANDIDATES })
			: null
	]);
	// Only an open demand can be quoted on: a group is proposed for it alone.
	const group =
		matched && detail.demand.status === 'open'
			? await proposeGroupForDemand(db(), searchClient(), detail.demand.id, { matched })
			: null;
	const accepted = offers.filter((o) => o.offer.status === 'accepted');
	return {
		demand: detail.demand,
		buyer: { name: detail.buyer.name, verified: detail.buyer.verification === 'verified' },
		certifications: detail.certifications,
		offers,
		threads,
		acceptedQuantity: accepted.reduce((sum, o) => sum + o.offer.quantity, 0),
		acceptedValue: accepted.reduce((sum, o) => sum + o.offer.quantity * o.offer.unitPriceThb, 0),
		choices,
		provinces,
		invitations,
		matches: matched
			? { degraded: matched.degraded, startups: await withStartupNames(db(), matched.matches.slice(0, 5)) }
			: null,
		group,
		notice: url.searchParams.has('published') ? 'published' : url.searchParams.has('saved') ? 'saved' : null
	};
};

export const actions: Actions = {
	publish: async ({ locals, params }) => {
		const buyer = requireRole(locals, 'buyer');
		try {
			await publishDemand(db(), buyer, idOr404(params.id));
		} catch (caught) {
			return userFailure(caught, {}, 'demand');
		}
		return { done: 'published' };
	},
	close: async ({ locals, params, url }) => {
		const buyer = requireRole(locals, 'buyer');
		try {
			await closeDemand(db(), buyer, idOr404(params.id), url.origin);
		} catch (caught) {
			return userFailure(caught, {}, 'demand');
		}
		return { done: 'closed' };
	},
	// One startup, the ones ticked in the matched list, or a proposed group's hidden fields: all repeated `startupId`.
	invite: async ({ locals, params, request, url }) => {
		const buyer = requireRole(locals, 'buyer');
		const demandId = idOr404(params.id);
		const sent = (await readForm(request)).getAll('startupId');
		// What was ticked comes back with a refusal, so the list keeps its ticks.
		const values = { startupId: sent.filter((id) => typeof id === 'string').join(',') };
		const parsed = inviteSchema.safeParse({ startupId: sent });
		if (!parsed.success) return invalid(values, parsed.error, 'invite');
		try {
			const { invited, already } = await inviteToQuote(
				db(),
				buyer,
				demandId,
				parsed.data.startupId,
				url.origin
			);
			return { done: 'invited', invitation: { invited: invited.length, already: already.length } };
		} catch (caught) {
			return userFailure(caught, values, 'invite');
		}
	},
	accept: async ({ locals, request, url }) => {
		const buyer = requireRole(locals, 'buyer');
		const form = await readForm(request);
		const offerId = idOr404(form.get('offerId'));
		// The version of the offer on the buyer's page: terms changed since are shown, not accepted.
		const version = seenVersionSchema.parse(form.get('version') ?? '');
		try {
			await acceptOffer(db(), buyer, { id: offerId, version }, url.origin);
		} catch (caught) {
			if (caught instanceof OfferChanged) {
				// Typed as every form's errors are, so the page reads one shape for all of its forms.
				const errors: FieldErrors = { form: caught.code };
				return fail(caught.status, { values: {}, errors, form: `offer-${offerId}`, changed: caught.terms });
			}
			return userFailure(caught, {}, `offer-${offerId}`);
		}
		return { done: 'accepted', offerId };
	},
	decline: async ({ locals, request, url }) => {
		const buyer = requireRole(locals, 'buyer');
		const values = formValues(await readForm(request), ['offerId', 'reason']);
		const offerId = idOr404(values.offerId);
		const parsed = declineSchema.safeParse(values);
		if (!parsed.success) return invalid(values, parsed.error, `offer-${offerId}`);
		try {
			await declineOffer(db(), buyer, offerId, parsed.data.reason, url.origin);
		} catch (caught) {
			return userFailure(caught, values, `offer-${offerId}`);
		}
		return { done: 'declined', offerId };
	},
	report: async ({ locals, request, url }) => {
		const buyer = requireRole(locals, 'buyer');
		const values = formValues(await readForm(request), ['offerId', 'reason']);
		const offerId = idOr404(values.offerId);
		const parsed = reportSchema.safeParse(values);
		if (!parsed.success) return invalid(values, parsed.error, `report-${offerId}`);
		try {
			await reportSubject(db(), buyer, { type: 'offer', id: offerId }, parsed.data.reason, url.origin);
		} catch (caught) {
			return userFailure(caught, values, `report-${offerId}`);
		}
		return { done: 'reported' };
	},
	message: async ({ locals, request, url }) => {
		const buyer = requireRole(locals, 'buyer');
		const values = formValues(await readForm(request), ['offerId', 'body']);
		const offerId = idOr404(values.offerId);
		const parsed = messageSchema.safeParse(values);
		if (!parsed.success) return invalid(values, parsed.error, `message-${offerId}`);
		try {
			await postMessage(db(), buyer, offerId, parsed.data.body, url.origin);
		} catch (caught) {
			return userFailure(caught, values, `message-${offerId}`);
		}
		return { done: 'messaged' };
	}
};
