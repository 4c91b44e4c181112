// Offers on the demand a partner agency posted (through the API or an import) for the buyer organisations it
// manages: the agency lists them and accepts or declines them with its token, as the buyer's own users would on the
// portal. Another agency's offers read as missing. Each decision is audited with the token that made it.
import { and, asc, eq, gt, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db, Queryable } from '../db';
import { demands, offers, organisations, startups } from '../db/schema';
import { recordAudit } from '../audit/record';
import { notFound } from '../errors';
import type { AgencyActor } from '../demands/agency';
import { acceptOffer, declineOffer } from './service';

/** The startup's own organisation, beside the buyer's joined as `organisations`. */
const startupOrganisations = alias(organisations, 'startup_organisations');

export interface AgencyOfferFilter {
	status?: 'pending' | 'accepted' | 'declined' | 'withdrawn';
	demandId?: string;
	after?: string;
	limit: number;
}

export function offersForAgency(db: Queryable, agencyId: string, filter: AgencyOfferFilter) {
	const where: SQL[] = [eq(organisations.agencyId, agencyId)];
	if (filter.status) where.push(eq(offers.status, filter.status));
	if (filter.demandId) where.push(eq(offers.demandId, filter.demandId));
	if (filter.after) where.push(gt(offers.id, filter.after));
	return db
		.select({
			offer: offers,
			demand: {
				id: demands.id,
				ref: demands.ref,
				titleTh: demands.titleTh,
				titleEn: demands.titleEn,
				unit: demands.unit
			},
			startup: {
				id: startups.id,
				slug: startups.slug,
				nameTh: startups.nameTh,
				nameEn: startups.nameEn,
				provinceCode: startups.provinceCode,
				verified: sql<boolean>`(${startupOrganisations.verification} = 'verified')`
			}
		})
		.from(offers)
		.innerJoin(demands, eq(demands.id, offers.demandId))
		.innerJoin(organisations, eq(organisations.id, demands.buyerOrganisationId))
		.innerJoin(startups, eq(startups.id, offers.startupId))
		.innerJoin(startupOrganisations, eq(startupOrganisations.id, startups.organisationId))
		.where(and(...where))
		.orderBy(asc(offers.id))
		.limit(filter.limit);
}

export type AgencyDecision =
	{ decision: 'accept'; version: number } | { decision: 'decline'; reason: string | null };

/** Accepts or declines an offer on the agency's demand, as its buyer organisation; audited with the token. */
export async function decideAgencyOffer(
	db: Db,
	actor: AgencyActor,
	offerId: string,
	input: AgencyDecision,
	origin: string
) {
	// One transaction for the decision and its audit row: a decision is never recorded without who made it.
	await db.transaction(async (tx) => {
		const [row] = await tx
			.select({ organisationId: organisations.id, provinceCode: demands.deliveryProvinceCode })
			.from(offers)
			.innerJoin(demands, eq(demands.id, offers.demandId))
			.innerJoin(organisations, eq(organisations.id, demands.buyerOrganisationId))
			.where(and(eq(offers.id, offerId), eq(organisations.agencyId, actor.agencyId)));
		if (!row) throw notFound('offer');
		const buyer = { id: actor.label, email: actor.label, organisationId: row.organisationId };
		if (input.decision === 'accept')
			await acceptOffer(tx, buyer, { id: offerId, version: input.version }, origin);
		else await declineOffer(tx, buyer, offerId, input.reason, origin);
		await recordAudit(tx, {
			actorLabel: actor.label,
			action: `offer.${input.decision}`,
			subjectType: 'offer',
			subjectId: offerId,
			provinceCode: row.provinceCode,
			after: input
		});
	});
}
