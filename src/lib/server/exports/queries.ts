// What the staff CSV exports read: startups, demands and deals, all of them or one province's, a page at a time
// in id order (keyset pagination), so a national export never holds the whole table.
import { and, asc, count, eq, gt, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Queryable } from '../db';
import {
	deals,
	demands,
	offers,
	organisations,
	products,
	startupCertifications,
	startupDivisions,
	startups
} from '../db/schema';

export interface PageRequest {
	/** Null: every province. */
	province: string | null;
	/** The last id of the previous page; null for the first. */
	after: string | null;
	limit: number;
}

/** The rows of one page: in the province when one is asked for, and after the previous page's last id. */
function inPage(id: PgColumn, after: string | null, inProvince: SQL | undefined) {
	return and(inProvince, after ? gt(id, after) : undefined);
}

/** Startups with their TSIC divisions, certifications, product count and monthly capacity per unit. */
export async function startupPage(db: Queryable, { province, after, limit }: PageRequest) {
	const rows = await db
		.select({
			id: startups.id,
			ref: startups.ref,
			nameTh: startups.nameTh,
			nameEn: startups.nameEn,
			status: startups.status,
			province: startups.provinceCode,
			submittedAt: startups.submittedAt,
			approvedAt: startups.approvedAt,
			contactEmail: startups.contactEmail,
			phone: startups.phone,
			website: startups.website
		})
		.from(startups)
		.where(inPage(startups.id, after, province ? eq(startups.provinceCode, province) : undefined))
		.orderBy(asc(startups.id))
		.limit(limit);
	const ids = rows.map((row) => row.id);
	const [divisions, certifications, capacities] = ids.length
		? await Promise.all([
				db
					.select({ startupId: startupDivisions.startupId, code: startupDivisions.divisionCode })
					.from(startupDivisions)
					.where(inArray(startupDivisions.startupId, ids))
					.orderBy(asc(startupDivisions.divisionCode)),
				db
					.select({ startupId: startupCertifications.startupId, id: startupCertifications.certificationId })
					.from(startupCertifications)
					.where(inArray(startupCertifications.startupId, ids))
					.orderBy(asc(startupCertifications.certificationId)),
				db
					.select({
						startupId: products.startupId,
						unit: products.unit,
						products: count(),
						quantity: sql<number>`sum(${products.monthlyCapacity})::float8`
					})
					.from(products)
					.where(inArray(products.startupId, ids))
					.groupBy(products.startupId, products.unit)
					.orderBy(asc(products.unit))
			])
		: [[], [], []];
	const byStartup = <T extends { startupId: string }>(list: T[]) => {
		const groups = Map.groupBy(list, (item) => item.startupId);
		return (id: string) => groups.get(id) ?? [];
	};
	const divisionsOf = byStartup(divisions);
	const certificationsOf = byStartup(certifications);
	const capacityOf = byStartup(capacities);
	return rows.map((row) => ({
		...row,
		divisions: divisionsOf(row.id).map((d) => d.code),
		certifications: certificationsOf(row.id).map((c) => c.id),
		products: capacityOf(row.id).reduce((sum, c) => sum + c.products, 0),
		monthlyCapacity: capacityOf(row.id).map(({ unit, quantity }) => ({ unit, quantity }))
	}));
}

/** Demands delivered to the province; for every province, also those to be delivered anywhere. */
export async function demandPage(db: Queryable, { province, after, limit }: PageRequest) {
	const rows = await db
		.select({
			id: demands.id,
			ref: demands.ref,
			buyer: organisations.name,
			titleTh: demands.titleTh,
			titleEn: demands.titleEn,
			division: demands.divisionCode,
			quantity: demands.quantity,
			unit: demands.unit,
			recurrence: demands.recurrence,
			priceThbMax: demands.priceThbMax,
			deliveryProvince: demands.deliveryProvinceCode,
			neededBy: demands.neededBy,
			status: demands.status,
			publishedAt: demands.publishedAt,
			closedAt: demands.closedAt
		})
		.from(demands)
		.innerJoin(organisations, eq(organisations.id, demands.buyerOrganisationId))
		.where(inPage(demands.id, after, province ? eq(demands.deliveryProvinceCode, province) : undefined))
		.orderBy(asc(demands.id))
		.limit(limit);
	// Offers have no index by demand alone: one grouped pass per page rather than one lookup per demand.
	const tallies = rows.length
		? await db
				.select({
					demandId: offers.demandId,
					offers: count(),
					accepted: sql<number>`coalesce(sum(${offers.quantity}) filter (where ${offers.status} = 'accepted'), 0)::float8`
				})
				.from(offers)
				.where(
					inArray(
						offers.demandId,
						rows.map((row) => row.id)
					)
				)
				.groupBy(offers.demandId)
		: [];
	const byDemand = new Map(tallies.map((tally) => [tally.demandId, tally]));
	return rows.map((row) => ({
		...row,
		offers: byDemand.get(row.id)?.offers ?? 0,
		acceptedQuantity: byDemand.get(row.id)?.accepted ?? 0
	}));
}

/** Deals whose demand is delivered to the province or whose startup is in it. */
export function dealPage(db: Queryable, { province, after, limit }: PageRequest) {
	return db
		.select({
			id: deals.id,
			createdAt: deals.createdAt,
			demandId: deals.demandId,
			demandTitleTh: demands.titleTh,
			demandTitleEn: demands.titleEn,
			buyer: organisations.name,
			startupId: startups.id,
			startupNameTh: startups.nameTh,
			startupNameEn: startups.nameEn,
			startupProvince: startups.provinceCode,
			deliveryProvince: demands.deliveryProvinceCode,
			quantity: deals.quantity,
			unit: demands.unit,
			valueThb: deals.valueThb
		})
		.from(deals)
		.innerJoin(demands, eq(demands.id, deals.demandId))
		.innerJoin(organisations, eq(organisations.id, demands.buyerOrganisationId))
		.innerJoin(offers, eq(offers.id, deals.offerId))
		.innerJoin(startups, eq(startups.id, offers.startupId))
		.where(
			inPage(
				deals.id,
				after,
				province
					? or(eq(demands.deliveryProvinceCode, province), eq(startups.provinceCode, province))
					: undefined
			)
		)
		.orderBy(asc(deals.id))
		.limit(limit);
}
