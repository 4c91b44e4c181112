// Reading a startup's whole profile: the editor shows it, an approval freezes it as the public snapshot.
import { and, asc, desc, eq, ilike, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../db';
import { cachedReference } from '../reference/cache';
import {
	certifications,
	organisations,
	products,
	provinces,
	provinceSelections,
	startupCertifications,
	startupDivisions,
	startups,
	startupStatusEnum,
	tsicDivisions
} from '../db/schema';
import { publicStartup } from './public';

export type StartupRow = typeof startups.$inferSelect;
export type ProductRow = typeof products.$inferSelect;

import type { Profile } from './profile';
import { containing } from '../db/like';

export type { Profile };

export async function startupOfOrganisation(db: Queryable, organisationId: string) {
	const [row] = await db.select().from(startups).where(eq(startups.organisationId, organisationId));
	return row ?? null;
}

export async function startupById(db: Queryable, id: string) {
	const [row] = await db.select().from(startups).where(eq(startups.id, id));
	return row ?? null;
}

/** A startup of the province, or null: another province's startup reads as missing. */
export async function startupOfProvince(db: Queryable, id: string, provinceCode: string) {
	const [row] = await db
		.select()
		.from(startups)
		.where(and(eq(startups.id, id), eq(startups.provinceCode, provinceCode)));
	return row ?? null;
}

/** One of the organisation's own products, or null for anyone else's. */
export async function ownProduct(db: Queryable, organisationId: string, productId: string) {
	const [row] = await db
		.select({ product: products })
		.from(products)
		.innerJoin(startups, eq(startups.id, products.startupId))
		.where(and(eq(products.id, productId), eq(startups.organisationId, organisationId)));
	return row?.product ?? null;
}

/** A public startup by slug (approved once, not suspended) with its province, and the years it was selected. */
export async function publicStartupBySlug(db: Queryable, slug: string) {
	const [row] = await db
		.select({
			startup: startups,
			province: provinces,
			verified: sql<boolean>`${organisations.verification} = 'verified'`
		})
		.from(startups)
		.innerJoin(provinces, eq(provinces.code, startups.provinceCode))
		.innerJoin(organisations, eq(organisations.id, startups.organisationId))
		.where(and(eq(startups.slug, slug), publicStartup));
	if (!row) return null;
	const selections = await db
		.select({ year: provinceSelections.year })
		.from(provinceSelections)
		.where(eq(provinceSelections.startupId, row.startup.id))
		.orderBy(desc(provinceSelections.year));
	return { ...row, selectedYears: selections.map((s) => s.year) };
}

/** A public startup's product photo for a result card: the first of its products, as last approved, that has one. */
export interface ProductPhotoCard {
	photoPath: string;
	nameTh: string | null;
	nameEn: string | null;
}

export async function publicProductPhotos(
	db: Queryable,
	startupIds: string[]
): Promise<Record<string, ProductPhotoCard>> {
	if (startupIds.length === 0) return {};
	const rows = await db
		.select({ id: startups.id, snapshot: startups.approvedSnapshot })
		.from(startups)
		.where(and(inArray(startups.id, startupIds), publicStartup));
	const photos: Record<string, ProductPhotoCard> = {};
	for (const row of rows) {
		const product = row.snapshot?.products.find((p) => p.photoPath);
		if (product?.photoPath) {
			photos[row.id] = { photoPath: product.photoPath, nameTh: product.nameTh, nameEn: product.nameEn };
		}
	}
	return photos;
}

export const STARTUP_STATUSES = startupStatusEnum.enumValues;
export const ADMIN_STARTUPS_PAGE_SIZE = 50;

export interface AdminStartupFilter {
	q?: string;
	province?: string;
	status?: StartupRow['status'];
	page?: number;
}

/** Startups for the administrators' list: by name (either language), province and status, a page at a time. */
export async function startupsForAdmin(db: Queryable, filter: AdminStartupFilter) {
	const conditions: SQL[] = [];
	if (filter.q) {
		const pattern = containing(filter.q);
		conditions.push(or(ilike(startups.nameTh, pattern), ilike(startups.nameEn, pattern))!);
	}
	if (filter.province) conditions.push(eq(startups.provinceCode, filter.province));
	if (filter.status) conditions.push(eq(startups.status, filter.status));
	const where = conditions.length ? and(...conditions) : undefined;
	const page = Math.max(1, filter.page ?? 1);
	const [rows, total] = await Promise.all([
		db
			.select({
				id: startups.id,
				nameTh: startups.nameTh,
				nameEn: startups.nameEn,
				status: startups.status,
				provinceNameTh: provinces.nameTh,
				provinceNameEn: provinces.nameEn
			})
			.from(startups)
			.innerJoin(provinces, eq(provinces.code, startups.provinceCode))
			.where(where)
			.orderBy(asc(startups.nameTh), asc(startups.id))
			.limit(ADMIN_STARTUPS_PAGE_SIZE)
			.offset((page - 1) * ADMIN_STARTUPS_PAGE_SIZE),
		db.$count(startups, where)
	]);
	return { startups: rows, total, page };
}

export async function loadProfile(db: Queryable, startup: StartupRow): Promise<Profile> {
	const [divisionRows, certificationRows, productRows] = await Promise.all([
		db
			.select({ code: startupDivisions.divisionCode })
			.from(startupDivisions)
			.where(eq(startupDivisions.startupId, startup.id)),
		db
			.select({
				id: startupCertifications.certificationId,
				number: startupCertifications.certificateNumber,
				expiresOn: startupCertifications.expiresOn
			})
			.from(startupCertifications)
			.where(eq(startupCertifications.startupId, startup.id)),
		db
			.select()
			.from(products)
			.where(eq(products.startupId, startup.id))
			.orderBy(asc(products.position), asc(products.createdAt))
	]);
	return {
		nameTh: startup.nameTh,
		nameEn: startup.nameEn,
		summaryTh: startup.summaryTh,
		summaryEn: startup.summaryEn,
		provinceCode: startup.provinceCode,
		contactEmail: startup.contactEmail,
		phone: startup.phone,
		website: startup.website,
		logoPath: startup.logoPath,
		divisions: divisionRows.map((row) => row.code).sort(),
		certifications: certificationRows.sort((a, b) => a.id.localeCompare(b.id)),
		products: productRows.map((p) => ({
			id: p.id,
			nameTh: p.nameTh,
			nameEn: p.nameEn,
			unit: p.unit,
			monthlyCapacity: p.monthlyCapacity,
			priceThbMin: p.priceThbMin,
			priceThbMax: p.priceThbMax,
			photoPath: p.photoPath
		}))
	};
}

/** Reference lists the editor offers, named in both languages. */
export function profileChoices(db: Queryable) {
	return cachedReference(db, 'profile choices', async () => {
		const [divisions, certificationList] = await Promise.all([
			db.select().from(tsicDivisions).orderBy(asc(tsicDivisions.code)),
			db.select().from(certifications).orderBy(asc(certifications.id))
		]);
		return { divisions, certifications: certificationList };
	});
}
