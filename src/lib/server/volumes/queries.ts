// Reads behind the volume figures: capacity of public startups, the deals that hold it, the prices deals were
// accepted at, open demands with what is already dealt on them, and their stored good matches.
import { and, eq, gte, inArray, or, sql } from 'drizzle-orm';
import type { Queryable } from '../db';
import { deals, demandCoverage, demandMatches, demands, offers, products, startups } from '../db/schema';
import { publicStartup } from '../startups/public';

/** Monthly capacity per product of the public startups, or of the given ones only. */
export function productCapacities(db: Queryable, startupIds?: string[]) {
	return db
		.select({ startupId: products.startupId, unit: products.unit, monthlyCapacity: products.monthlyCapacity })
		.from(products)
		.innerJoin(startups, eq(startups.id, products.startupId))
		.where(and(publicStartup, startupIds ? inArray(products.startupId, startupIds) : undefined));
}

/**
 * Deals that may still hold capacity: made within the last `monthsBack` months or needed-by today or later
 * (committedPerMonth decides exactly); of the given startups only, when given.
 */
export function possiblyRunningDeals(db: Queryable, since: Date, today: string, startupIds?: string[]) {
	return db
		.select({
			startupId: offers.startupId,
			quantity: deals.quantity,
			unit: demands.unit,
			recurrence: demands.recurrence,
			neededBy: demands.neededBy,
			dealtAt: deals.createdAt
		})
		.from(deals)
		.innerJoin(offers, eq(offers.id, deals.offerId))
		.innerJoin(demands, eq(demands.id, deals.demandId))
		.where(
			and(
				or(gte(deals.createdAt, since), gte(demands.neededBy, today)),
				startupIds ? inArray(offers.startupId, startupIds) : undefined
			)
		);
}

/** Every accepted price with what it was for: valuation groups them by product. */
export function acceptedPriceRows(db: Queryable) {
	return db
		.select({
			divisionCode: demands.divisionCode,
			titleTh: demands.titleTh,
			titleEn: demands.titleEn,
			unit: demands.unit,
			unitPriceThb: offers.unitPriceThb
		})
		.from(deals)
		.innerJoin(offers, eq(offers.id, deals.offerId))
		.innerJoin(demands, eq(demands.id, deals.demandId));
}

const dealtQuantity = sql<number>`coalesce((select sum(${deals.quantity}) from ${deals} where ${deals.demandId} = ${demands.id}), 0)::float8`;

const demandColumns = {
	id: demands.id,
	province: demands.deliveryProvinceCode,
	divisionCode: demands.divisionCode,
	titleTh: demands.titleTh,
	titleEn: demands.titleEn,
	quantity: demands.quantity,
	unit: demands.unit,
	recurrence: demands.recurrence,
	neededBy: demands.neededBy,
	priceThbMax: demands.priceThbMax,
	acceptedQuantity: dealtQuantity
};

/** Open demands with the quantity already under deals and whether their coverage is current. */
export function openDemandVolumes(db: Queryable) {
	return db
		.select({
			...demandColumns,
			// The coverage row is current when computed after the demand's last edit.
			current: sql<boolean>`coalesce(${demandCoverage.computedAt} >= ${demands.updatedAt}, false)`
		})
		.from(demands)
		.leftJoin(demandCoverage, eq(demandCoverage.demandId, demands.id))
		.where(eq(demands.status, 'open'));
}

/** One demand with the quantity already under deals. */
export async function demandVolumeSource(db: Queryable, demandId: string) {
	const [row] = await db.select(demandColumns).from(demands).where(eq(demands.id, demandId));
	return row ?? null;
}

/** The stored good matches of open demands whose coverage is current. */
export function currentMatches(db: Queryable) {
	return db
		.select({
			demandId: demandMatches.demandId,
			startupId: demandMatches.startupId,
			score: demandMatches.score
		})
		.from(demandMatches)
		.innerJoin(demands, eq(demands.id, demandMatches.demandId))
		.innerJoin(demandCoverage, eq(demandCoverage.demandId, demands.id))
		.where(and(eq(demands.status, 'open'), sql`${demandCoverage.computedAt} >= ${demands.updatedAt}`));
}

/** Where each of the given startups is. */
export function startupProvinces(db: Queryable, startupIds: string[]) {
	if (startupIds.length === 0) return Promise.resolve([]);
	return db
		.select({ id: startups.id, provinceCode: startups.provinceCode })
		.from(startups)
		.where(inArray(startups.id, startupIds));
}
