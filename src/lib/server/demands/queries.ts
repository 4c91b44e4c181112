// Reads for the demand board, a buyer's dashboard, the offers compared side by side, and moderation.
import { yearInThailand } from '$lib/schemas/calendar-date';
import { and, asc, count, desc, eq, gte, ilike, inArray, lte, ne, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Queryable } from '../db';
import {
	demandCertifications,
	demands,
	offerMessages,
	offers,
	organisations,
	provinceSelections,
	provinces,
	reports,
	startups
} from '../db/schema';
import { provinceDistanceKm } from '../provinces/distance';
import { termsFlags } from '../offers/terms';
import { validCertificatesOf } from '../certificates/queries';
import { organisationIsVerified } from '../organisations/queries';
import type { Region } from '../reference';
import { containing } from '../db/like';

export const BOARD_PAGE_SIZE = 20;

export interface BoardFilter {
	/** Words that must each appear in a title or the details (Thai and English). */
	q?: string;
	province?: string;
	region?: Region;
	division?: string;
	certification?: string;
	minQuantity?: number;
	maxQuantity?: number;
	sort?: 'newest' | 'closing';
	page?: number;
}

const demandColumns = {
	id: demands.id,
	titleTh: demands.titleTh,
	titleEn: demands.titleEn,
	divisionCode: demands.divisionCode,
	quantity: demands.quantity,
	unit: demands.unit,
	recurrence: demands.recurrence,
	priceThbMax: demands.priceThbMax,
	deliveryProvinceCode: demands.deliveryProvinceCode,
	neededBy: demands.neededBy,
	publishedAt: demands.publishedAt,
	status: demands.status
};

/** Open demands for the public board, filtered and paged. */
export async function listOpenDemands(db: Queryable, filter: BoardFilter) {
	const conditions: SQL[] = [eq(demands.status, 'open')];
	for (const word of (filter.q ?? '').toLowerCase().split(/\s+/).filter(Boolean).slice(0, 8)) {
		const pattern = containing(word);
		conditions.push(
			or(
				ilike(demands.titleTh, pattern),
				ilike(demands.titleEn, pattern),
				ilike(demands.detailsTh, pattern),
				ilike(demands.detailsEn, pattern)
			)!
		);
	}
	if (filter.province) conditions.push(eq(demands.deliveryProvinceCode, filter.province));
	if (filter.region)
		conditions.push(
			inArray(
				demands.deliveryProvinceCode,
				db.select({ code: provinces.code }).from(provinces).where(eq(provinces.region, filter.region))
			)
		);
	if (filter.division) conditions.push(eq(demands.divisionCode, filter.division));
	if (filter.certification)
		conditions.push(
			inArray(
				demands.id,
				db
					.select({ id: demandCertifications.demandId })
					.from(demandCertifications)
					.where(eq(demandCertifications.certificationId, filter.certification))
			)
		);
	if (filter.minQuantity !== undefined) conditions.push(gte(demands.quantity, filter.minQuantity));
	if (filter.maxQuantity !== undefined) conditions.push(lte(demands.quantity, filter.maxQuantity));
	const page = Math.max(1, filter.page ?? 1);
	const where = and(...conditions);
	const [rows, [total]] = await Promise.all([
		db
			.select({ ...demandColumns, buyerName: organisations.name, buyerVerified: organisationIsVerified })
			.from(demands)
			.innerJoin(organisations, eq(organisations.id, demands.buyerOrganisationId))
			.where(where)
			.orderBy(
				...(filter.sort === 'closing'
					? [asc(demands.neededBy), desc(demands.publishedAt)]
					: [desc(demands.publishedAt), asc(demands.id)])
			)
			.limit(BOARD_PAGE_SIZE)
			.offset((page - 1) * BOARD_PAGE_SIZE),
		db.select({ n: count() }).from(demands).where(where)
	]);
	return { demands: rows, total: total!.n, page };
}

/** What the market wants now from some TSIC divisions: the count and value of open demand, and the latest few. */
export async function openDemandInDivisions(db: Queryable, divisions: string[], limit = 5) {
	if (divisions.length === 0) return { count: 0, value: 0, latest: [] };
	const where = and(eq(demands.status, 'open'), inArray(demands.divisionCode, divisions));
	const [[total], latest] = await Promise.all([
		db
			.select({
				n: sql<number>`count(*)::int`,
				value: sql<string>`coalesce(sum(${demands.quantity} * ${demands.priceThbMax}), 0)`
			})
			.from(demands)
			.where(where),
		db.select(demandColumns).from(demands).where(where).orderBy(desc(demands.publishedAt)).limit(limit)
	]);
	return { count: total!.n, value: Number(total!.value), latest };
}

/** Open demands by id, as a list shows them (search results name them; their figures come from here). */
export async function openDemandCards(db: Queryable, ids: string[]) {
	if (ids.length === 0) return [];
	return db
		.select({ ...demandColumns, buyerVerified: organisationIsVerified })
		.from(demands)
		.innerJoin(organisations, eq(organisations.id, demands.buyerOrganisationId))
		.where(and(inArray(demands.id, ids), eq(demands.status, 'open')));
}

export async function demandDetail(db: Queryable, demandId: string) {
	const [row] = await db
		.select({ demand: demands, buyer: organisations })
		.from(demands)
		.innerJoin(organisations, eq(organisations.id, demands.buyerOrganisationId))
		.where(eq(demands.id, demandId));
	if (!row) return null;
	const [certs, offerCount] = await Promise.all([
		db
			.select({ id: demandCertifications.certificationId })
			.from(demandCertifications)
			.where(eq(demandCertifications.demandId, demandId)),
		// Counted as on the buyer's list: every offer made and not withdrawn.
		db.$count(offers, and(eq(offers.demandId, demandId), ne(offers.status, 'withdrawn')))
	]);
	return { ...row, certifications: certs.map((c) => c.id).sort(), offerCount };
}

/** A buyer organisation's demands with their offer counts and the value of their deals. */
export async function buyerDemands(db: Queryable, organisationId: string) {
	return db
		.select({
			...demandColumns,
			// Written out in full: drizzle drops table names from a one-table select, which would make these
			// correlated subqueries compare the inner table with itself.
			offerCount: sql<number>`(select count(*)::int from offers o where o.demand_id = demands.id and o.status <> 'withdrawn')`,
			dealValue: sql<number>`(select coalesce(sum(d.value_thb), 0)::float8 from deals d where d.demand_id = demands.id)`
		})
		.from(demands)
		.where(eq(demands.buyerOrganisationId, organisationId))
		.orderBy(desc(demands.createdAt));
}

/**
 * The offers on one demand, ready to compare: price, coverage of the quantity, lead time, the startup's province
 * and its distance to the delivery province, certificates held against those required, and the badge.
 */
export async function offersForComparison(
	db: Queryable,
	demand: { id: string; quantity: number; priceThbMax: number | null; deliveryProvinceCode: string | null },
	required: string[],
	year = yearInThailand()
) {
	const rows = await db
		.select({
			offer: offers,
			startupName: startups.nameTh,
			startupNameEn: startups.nameEn,
			startupSlug: startups.slug,
			startupProvince: startups.provinceCode,
			provinceNameTh: provinces.nameTh,
			provinceNameEn: provinces.nameEn,
			startupVerified: sql<boolean>`${organisations.verification} = 'verified'`
		})
		.from(offers)
		.innerJoin(startups, eq(startups.id, offers.startupId))
		.innerJoin(organisations, eq(organisations.id, startups.organisationId))
		.innerJoin(provinces, eq(provinces.code, startups.provinceCode))
		.where(and(eq(offers.demandId, demand.id), sql`${offers.status} <> 'withdrawn'`))
		.orderBy(asc(offers.unitPriceThb), asc(offers.createdAt));
	if (rows.length === 0) return [];
	const startupIds = rows.map((r) => r.offer.startupId);
	const [held, selected, messageCounts] = await Promise.all([
		validCertificatesOf(db, startupIds),
		db
			.select({ startupId: provinceSelections.startupId })
			.from(provinceSelections)
			.where(and(inArray(provinceSelections.startupId, startupIds), eq(provinceSelections.year, year))),
		db
			.select({ offerId: offerMessages.offerId, n: count() })
			.from(offerMessages)
			.where(
				inArray(
					offerMessages.offerId,
					rows.map((r) => r.offer.id)
				)
			)
			.groupBy(offerMessages.offerId)
	]);
	return rows.map((row) => {
		// Only the certificates valid today: an expired one reads as missing.
		const holds = held.get(row.offer.startupId) ?? { held: new Set<string>(), checked: new Set<string>() };
		const missing = required.filter((id) => !holds.held.has(id));
		return {
			...row,
			coveragePercent: Math.round((row.offer.quantity / demand.quantity) * 1000) / 10,
			distanceKm: demand.deliveryProvinceCode
				? provinceDistanceKm(row.startupProvince, demand.deliveryProvinceCode)
				: null,
			certificationsHeld: required.filter((id) => holds.held.has(id)),
			/** Of those held, the ones the province's office checked; the others are declared by the startup. */
			certificationsChecked: required.filter((id) => holds.checked.has(id)),
			certificationsMissing: missing,
			termsFlags: termsFlags(row.offer, demand, missing),
			selectedThisYear: selected.some((s) => s.startupId === row.offer.startupId),
			messageCount: messageCounts.find((m) => m.offerId === row.offer.id)?.n ?? 0
		};
	});
}

/** A startup organisation's offers with their demands. */
export async function startupOffers(db: Queryable, organisationId: string) {
	return db
		.select({
			offer: offers,
			demandTitleTh: demands.titleTh,
			demandTitleEn: demands.titleEn,
			demandStatus: demands.status,
			unit: demands.unit
		})
		.from(offers)
		.innerJoin(startups, eq(startups.id, offers.startupId))
		.innerJoin(demands, eq(demands.id, offers.demandId))
		.where(eq(startups.organisationId, organisationId))
		.orderBy(desc(offers.createdAt));
}

/** The startup's own offer on a demand (its latest), if any. */
export async function ownOfferOn(db: Queryable, organisationId: string, demandId: string) {
	const [row] = await db
		.select({ offer: offers })
		.from(offers)
		.innerJoin(startups, eq(startups.id, offers.startupId))
		.where(and(eq(offers.demandId, demandId), eq(startups.organisationId, organisationId)))
		.orderBy(desc(offers.createdAt))
		.limit(1);
	return row?.offer ?? null;
}

/**
 * A province's open reports, oldest first, each with what was reported: a demand (its title and buyer), an offer
 * (its demand's title, the startup that made it and whether it is still pending) or a startup profile (its name and
 * organisation), and the reporter's reason.
 */
export async function openReports(db: Queryable, provinceCode: string) {
	const buyer = alias(organisations, 'buyer');
	const owner = alias(organisations, 'owner');
	const rows = await db
		.select({
			report: reports,
			demandId: demands.id,
			demandTh: demands.titleTh,
			demandEn: demands.titleEn,
			buyerName: buyer.name,
			offerStatus: offers.status,
			startupId: startups.id,
			startupSlug: startups.slug,
			startupProvince: startups.provinceCode,
			startupNameTh: startups.nameTh,
			startupNameEn: startups.nameEn,
			ownerName: owner.name
		})
		.from(reports)
		.leftJoin(offers, and(eq(reports.subjectType, 'offer'), eq(offers.id, reports.subjectId)))
		.leftJoin(
			demands,
			eq(
				demands.id,
				sql`coalesce(${offers.demandId}, case when ${reports.subjectType} = 'demand' then ${reports.subjectId} end)`
			)
		)
		.leftJoin(buyer, eq(buyer.id, demands.buyerOrganisationId))
		.leftJoin(
			startups,
			eq(
				startups.id,
				sql`coalesce(${offers.startupId}, case when ${reports.subjectType} = 'startup' then ${reports.subjectId} end)`
			)
		)
		.leftJoin(owner, eq(owner.id, startups.organisationId))
		.where(and(eq(reports.provinceCode, provinceCode), eq(reports.status, 'open')))
		.orderBy(asc(reports.createdAt));
	return rows.map((row) => {
		const startupName = row.startupNameTh ?? row.startupNameEn ?? '';
		const onStartup = row.report.subjectType === 'startup';
		return {
			report: row.report,
			demandId: row.demandId,
			offerStatus: row.offerStatus,
			// What the card is titled and links to: the demand (for a demand or an offer on it), or the startup.
			titleTh: onStartup ? row.startupNameTh : row.demandTh,
			titleEn: onStartup ? row.startupNameEn : row.demandEn,
			link: onStartup ? `/startups/${row.startupSlug}` : `/demand/${row.demandId}`,
			// Who posted what was reported: the buyer for a demand, the startup for an offer, its organisation for a
			// profile.
			postedBy: onStartup ? (row.ownerName ?? '') : row.startupId ? startupName : (row.buyerName ?? ''),
			// The startup whose standing the office may decide here (its own province's only).
			standingStartupId: row.startupId && row.startupProvince === provinceCode ? row.startupId : null,
			// The startup reported (or that made the reported offer), for its verified badge.
			startupId: row.startupId,
			startupName
		};
	});
}

export function openReportCount(db: Queryable, provinceCode: string): Promise<number> {
	return db.$count(reports, and(eq(reports.provinceCode, provinceCode), eq(reports.status, 'open')));
}
