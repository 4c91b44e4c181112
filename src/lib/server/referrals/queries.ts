// Reading referrals: a startup's own, a province's (office) or all (admin), an agency's feed for the API, and the
// figures the standing check weighs.
import { and, asc, desc, eq, gt, inArray, isNull, ne, or, sql } from 'drizzle-orm';
import type { Queryable } from '../db';
import {
	agencies,
	demandMatches,
	demands,
	offers,
	products,
	provinces,
	referrals,
	startups
} from '../db/schema';
import { UserError } from '../errors';
import { isUuid } from '../text';
import { DISMISSED_QUIET_DAYS, LAND_AGENCY } from './rules';
import { publicStartup } from '../startups/public';

export type ReferralStatus = (typeof referrals.$inferSelect)['status'];

/**
 * An agency's referrals for the API, in id order from after the `after` cursor. The startup's contact email is
 * given only once the startup asked to be referred: that request is its consent to be contacted.
 */
export function referralsForAgency(
	db: Queryable,
	agencyId: string,
	options: { after?: string; limit: number; status?: ReferralStatus }
) {
	if (options.after !== undefined && !isUuid(options.after))
		throw new UserError('invalid_cursor', 'the cursor is not a referral id', { field: 'after' });
	return db
		.select({
			id: referrals.id,
			status: referrals.status,
			reason: referrals.reason,
			agency_id: referrals.agencyId,
			created_at: referrals.createdAt,
			decided_at: referrals.decidedAt,
			unit: referrals.unit,
			quantity: referrals.quantity,
			monthly_capacity: referrals.monthlyCapacity,
			value_thb: referrals.valueThb,
			offer_id: referrals.offerId,
			startup: {
				id: startups.id,
				ref: startups.ref,
				slug: startups.slug,
				name_th: startups.nameTh,
				name_en: startups.nameEn,
				province_code: startups.provinceCode
			},
			contact_email: sql<
				string | null
			>`case when ${referrals.status} = 'requested' then ${startups.contactEmail} end`
		})
		.from(referrals)
		.innerJoin(startups, eq(startups.id, referrals.startupId))
		.where(
			and(
				eq(referrals.agencyId, agencyId),
				options.after ? gt(referrals.id, options.after) : undefined,
				options.status ? eq(referrals.status, options.status) : undefined
			)
		)
		.orderBy(asc(referrals.id))
		.limit(options.limit);
}

const figureColumns = {
	id: referrals.id,
	agencyId: referrals.agencyId,
	agencyNameTh: agencies.nameTh,
	agencyNameEn: agencies.nameEn,
	reason: referrals.reason,
	unit: referrals.unit,
	quantity: referrals.quantity,
	monthlyCapacity: referrals.monthlyCapacity,
	valueThb: referrals.valueThb,
	status: referrals.status,
	createdAt: referrals.createdAt,
	decidedAt: referrals.decidedAt
};

/** A province's referrals in every status, newest first; all provinces' for `null` (administrators). */
export function referralsForProvince(db: Queryable, provinceCode: string | null, limit = 500) {
	return db
		.select({
			...figureColumns,
			startupId: startups.id,
			startupSlug: startups.slug,
			startupNameTh: startups.nameTh,
			startupNameEn: startups.nameEn,
			provinceCode: startups.provinceCode,
			provinceNameTh: provinces.nameTh,
			provinceNameEn: provinces.nameEn
		})
		.from(referrals)
		.innerJoin(startups, eq(startups.id, referrals.startupId))
		.innerJoin(provinces, eq(provinces.code, startups.provinceCode))
		.innerJoin(agencies, eq(agencies.id, referrals.agencyId))
		.where(provinceCode ? eq(startups.provinceCode, provinceCode) : undefined)
		.orderBy(desc(referrals.createdAt), asc(referrals.id))
		.limit(limit);
}

/** The referrals a startup still has before it (offered) or has asked for, with the offer's demand if any. */
export function referralsOfStartup(db: Queryable, startupId: string) {
	return db
		.select({
			...figureColumns,
			demandId: demands.id,
			demandTitleTh: demands.titleTh,
			demandTitleEn: demands.titleEn,
			demandRecurrence: demands.recurrence,
			demandNeededBy: demands.neededBy,
			offerQuantity: offers.quantity
		})
		.from(referrals)
		.innerJoin(agencies, eq(agencies.id, referrals.agencyId))
		.leftJoin(offers, eq(offers.id, referrals.offerId))
		.leftJoin(demands, eq(demands.id, offers.demandId))
		.where(and(eq(referrals.startupId, startupId), ne(referrals.status, 'dismissed')))
		.orderBy(desc(referrals.createdAt), asc(referrals.id));
}

/**
 * What startups make each month, by product: one startup's, or (without an id) those of every startup the
 * matching engine found good for an open demand.
 */
export function productCapacities(db: Queryable, startupId?: string) {
	return db
		.select({ startupId: products.startupId, unit: products.unit, monthlyCapacity: products.monthlyCapacity })
		.from(products)
		.where(
			startupId
				? eq(products.startupId, startupId)
				: inArray(products.startupId, db.selectDistinct({ id: demandMatches.startupId }).from(demandMatches))
		)
		.orderBy(asc(products.startupId), asc(products.position), asc(products.id));
}

/**
 * Each open demand an approved startup is a good match for, with the part of its quantity no accepted offer
 * covers yet: what the market still asks of the startup.
 */
export function matchedOpenDemand(db: Queryable) {
	const accepted = db
		.select({
			demandId: offers.demandId,
			quantity: sql<number>`sum(${offers.quantity})::float8`.as('accepted_quantity')
		})
		.from(offers)
		.where(eq(offers.status, 'accepted'))
		.groupBy(offers.demandId)
		.as('accepted');
	const remaining = sql<number>`(${demands.quantity} - coalesce(${accepted.quantity}, 0))::float8`;
	return db
		.select({
			startupId: demandMatches.startupId,
			quantity: remaining,
			unit: demands.unit,
			recurrence: demands.recurrence,
			neededBy: demands.neededBy,
			priceThbMax: demands.priceThbMax
		})
		.from(demandMatches)
		.innerJoin(demands, eq(demands.id, demandMatches.demandId))
		.innerJoin(startups, eq(startups.id, demandMatches.startupId))
		.leftJoin(accepted, eq(accepted.demandId, demands.id))
		.where(and(eq(demands.status, 'open'), publicStartup, sql`${remaining} > 0`));
}

/**
 * Standing space referrals that hold a new one back: live ones (offered or requested), and ones the startup
 * dismissed in the last DISMISSED_QUIET_DAYS.
 */
export function standingReferrals(db: Queryable, now = new Date()) {
	const quietSince = new Date(now.getTime() - DISMISSED_QUIET_DAYS * 24 * 60 * 60 * 1000);
	return db
		.select({
			id: referrals.id,
			startupId: referrals.startupId,
			status: referrals.status,
			unit: referrals.unit,
			quantity: referrals.quantity,
			monthlyCapacity: referrals.monthlyCapacity,
			valueThb: referrals.valueThb
		})
		.from(referrals)
		.where(
			and(
				isNull(referrals.offerId),
				eq(referrals.agencyId, LAND_AGENCY),
				eq(referrals.reason, 'matched_demand_exceeds_capacity'),
				or(ne(referrals.status, 'dismissed'), gt(referrals.decidedAt, quietSince))
			)
		);
}
