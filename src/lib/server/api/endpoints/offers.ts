// Offers on the demand a partner agency posts for the buyers it manages: listed and decided with the agency's token
// under the `demands:write` scope (the scope that posted the demand answers its offers). The buyer organisation's
// own portal users, when it has any, see and decide the same offers on the portal.
import { z } from 'zod';
import { decideAgencyOffer, offersForAgency, type AgencyDecision } from '../../offers/agency';
import { ApiError } from '../errors';
import { defineEndpoint, type Endpoint, type EndpointContext } from '../endpoint';
import { paged } from '../queries';
import { encodeCursor, page, pageQuery } from '../schemas';
import type { ApiCaller } from '../tokens';

const actorOf = (caller: ApiCaller) => ({
	agencyId: caller.agency.id,
	label: `api:${caller.agency.id}:${caller.token.prefix}`
});

export const agencyOfferSchema = z.object({
	id: z.uuid(),
	status: z.enum(['pending', 'accepted', 'declined', 'withdrawn']),
	/** Raised each time the startup changes its terms; an accept names the version it answers. */
	version: z.number().int(),
	quantity: z.number(),
	unit: z.string(),
	unit_price_thb: z.number(),
	lead_time_days: z.number().int(),
	message: z.string().nullable(),
	decline_reason: z.string().nullable(),
	created_at: z.string(),
	decided_at: z.string().nullable(),
	demand: z.object({
		id: z.uuid(),
		ref: z.string().nullable(),
		title_th: z.string().nullable(),
		title_en: z.string().nullable()
	}),
	startup: z.object({
		id: z.uuid(),
		slug: z.string(),
		name_th: z.string().nullable(),
		name_en: z.string().nullable(),
		province: z.string(),
		organisation_verified: z
			.boolean()
			.describe("The startup's office verified its juristic person number against its documents")
	})
});

const offerParam = z.object({ id: z.uuid() });
const decisionResult = z.object({ id: z.uuid(), status: z.enum(['accepted', 'declined']) });

export const listAgencyOffersEndpoint = defineEndpoint({
	method: 'GET',
	path: '/api/v1/offers',
	tag: 'Partners',
	summary: "Offers on the demand the token's agency posted or imported",
	description:
		'Startups answer agency and imported demand like any other: their offers are listed here, for the agency to ' +
		'accept (`POST /api/v1/offers/{id}/accept`) or decline (`POST /api/v1/offers/{id}/decline`). Filter by ' +
		'`status` (e.g. `pending`) or by `demand` (its id). Offers on other agencies’ demands are never listed. Pages ' +
		'come in a stable order that is not the order offers arrived in: to find new offers, list `status=pending` ' +
		'from the first page each time (an offer stays pending until it is decided or withdrawn).',
	access: 'demands:write',
	query: z.strictObject({
		...pageQuery,
		status: z.enum(['pending', 'accepted', 'declined', 'withdrawn']).optional(),
		demand: z.uuid().optional()
	}),
	responses: { 200: { description: 'A page of offers', schema: page(agencyOfferSchema) } },
	async handle({ db, query, caller }) {
		if (!caller) throw new ApiError('token_missing');
		const rows = await offersForAgency(db, caller.agency.id, {
			status: query.status,
			demandId: query.demand,
			after: query.cursor,
			limit: query.limit + 1
		});
		const { data, next_cursor } = paged(
			rows.map((row) => ({ ...row, id: row.offer.id })),
			query.limit,
			encodeCursor
		);
		return {
			body: {
				next_cursor,
				data: data.map(({ offer, demand, startup }) => ({
					id: offer.id,
					status: offer.status,
					version: offer.version,
					quantity: offer.quantity,
					unit: demand.unit,
					unit_price_thb: offer.unitPriceThb,
					lead_time_days: offer.leadTimeDays,
					message: offer.message,
					decline_reason: offer.declineReason,
					created_at: offer.createdAt.toISOString(),
					decided_at: offer.decidedAt?.toISOString() ?? null,
					demand: { id: demand.id, ref: demand.ref, title_th: demand.titleTh, title_en: demand.titleEn },
					startup: {
						id: startup.id,
						slug: startup.slug,
						name_th: startup.nameTh,
						name_en: startup.nameEn,
						province: startup.provinceCode,
						organisation_verified: startup.verified
					}
				}))
			}
		};
	}
});

/** What accepting and declining share: who may, the offer named in the path, and the errors either may give. */
const decisionRoute = {
	tag: 'Partners',
	access: 'demands:write',
	params: offerParam,
	errors: ['not_found', 'conflict', 'invalid_body']
} satisfies Partial<Endpoint>;

/** The agency's decision on an offer on its demand, through the service; the answer is the offer's new status. */
async function decide(
	{ db, params, caller, url }: EndpointContext<z.infer<typeof offerParam>, unknown, unknown>,
	decision: AgencyDecision
): Promise<{ body: z.infer<typeof decisionResult> }> {
	if (!caller) throw new ApiError('token_missing');
	await decideAgencyOffer(db, actorOf(caller), params.id, decision, url.origin);
	return { body: { id: params.id, status: decision.decision === 'accept' ? 'accepted' : 'declined' } };
}

export const acceptAgencyOfferEndpoint = defineEndpoint({
	...decisionRoute,
	method: 'POST',
	path: '/api/v1/offers/{id}/accept',
	summary: "Accept an offer on the agency's demand, at the version listed",
	description:
		'Records the deal; when accepted offers cover the quantity the demand is fulfilled and the offers still ' +
		'pending are declined. An offer whose terms changed since the version named is refused (409, reason ' +
		'`offer_changed`): list it again and decide on the new terms. An offer already decided or withdrawn: 409.',
	body: z.strictObject({ version: z.number().int().min(1) }),
	responses: { 200: { description: 'Accepted', schema: decisionResult } },
	handle: (context) => decide(context, { decision: 'accept', version: context.body.version })
});

export const declineAgencyOfferEndpoint = defineEndpoint({
	...decisionRoute,
	method: 'POST',
	path: '/api/v1/offers/{id}/decline',
	summary: "Decline an offer on the agency's demand, with an optional reason the startup reads",
	body: z.strictObject({ reason: z.string().trim().max(1000).nullable().default(null) }),
	responses: { 200: { description: 'Declined', schema: decisionResult } },
	handle: (context) => decide(context, { decision: 'decline', reason: context.body.reason || null })
});
