// Reads the rows that documents.ts turns into search documents, in pages by id so a reindex of
// 100,000 rows never holds them all in memory.
import { and, asc, eq, gt, inArray, sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../db';
import {
	demandCertifications,
	demands,
	organisations,
	products,
	provinceSelections,
	provinces,
	startupCertifications,
	startupDivisions,
	startups
} from '../db/schema';
import { publicStartup } from '../startups/public';
import type { DemandSource, StartupSource } from './documents';

/** The expiry dates of the certificates that have one, by certificate. */
const expiryOf = (rows: { certificationId: string; expiresOn: string | null }[]): Record<string, string> =>
	Object.fromEntries(rows.flatMap((c) => (c.expiresOn ? [[c.certificationId, c.expiresOn]] : [])));

async function startupSources(
	db: Queryable,
	where: SQL | undefined,
	limit?: number
): Promise<StartupSource[]> {
	const query = db
		.select({ startup: startups, province: provinces })
		.from(startups)
		.innerJoin(provinces, eq(provinces.code, startups.provinceCode))
		.where(where)
		.orderBy(asc(startups.id));
	const rows = limit ? await query.limit(limit) : await query;
	if (rows.length === 0) return [];
	const ids = rows.map((r) => r.startup.id);
	const [divisionRows, certificationRows, productRows, selectionRows] = await Promise.all([
		db.select().from(startupDivisions).where(inArray(startupDivisions.startupId, ids)),
		db.select().from(startupCertifications).where(inArray(startupCertifications.startupId, ids)),
		db
			.select()
			.from(products)
			.where(inArray(products.startupId, ids))
			.orderBy(asc(products.position), asc(products.createdAt)),
		db.select().from(provinceSelections).where(inArray(provinceSelections.startupId, ids))
	]);
	const divisionsBy = Map.groupBy(divisionRows, (r) => r.startupId);
	const certificationsBy = Map.groupBy(certificationRows, (r) => r.startupId);
	const productsBy = Map.groupBy(productRows, (r) => r.startupId);
	const selectionsBy = Map.groupBy(selectionRows, (r) => r.startupId);
	const certificationRowsOf = (id: string) => certificationsBy.get(id) ?? [];
	return rows.map(({ startup, province }) => {
		const source: StartupSource = {
			id: startup.id,
			ref: startup.ref,
			slug: startup.slug,
			status: startup.status,
			nameTh: startup.nameTh,
			nameEn: startup.nameEn,
			summaryTh: startup.summaryTh,
			summaryEn: startup.summaryEn,
			province: {
				code: province.code,
				nameTh: province.nameTh,
				nameEn: province.nameEn,
				region: province.region
			},
			divisions: (divisionsBy.get(startup.id) ?? []).map((d) => d.divisionCode),
			certifications: certificationRowsOf(startup.id).map((c) => c.certificationId),
			certificateExpiry: expiryOf(certificationRowsOf(startup.id)),
			checkedCertifications: certificationRowsOf(startup.id)
				.filter((c) => c.checkedAt)
				.map((c) => c.certificationId),
			products: (productsBy.get(startup.id) ?? []).map((p) => ({
				nameTh: p.nameTh,
				nameEn: p.nameEn,
				unit: p.unit,
				monthlyCapacity: p.monthlyCapacity,
				priceThbMin: p.priceThbMin,
				priceThbMax: p.priceThbMax
			})),
			selectedYears: (selectionsBy.get(startup.id) ?? []).map((s) => s.year),
			updatedAt: startup.updatedAt
		};
		// An approved startup whose edits wait for re-review stays findable as it was approved.
		const snapshot = startup.approvedSnapshot;
		if (startup.status !== 'submitted' || !snapshot) return source;
		return {
			...source,
			status: 'approved',
			nameTh: snapshot.nameTh,
			nameEn: snapshot.nameEn,
			summaryTh: snapshot.summaryTh,
			summaryEn: snapshot.summaryEn,
			divisions: snapshot.divisions,
			certifications: snapshot.certifications.map((c) => c.id),
			certificateExpiry: expiryOf(
				snapshot.certifications.map((c) => ({ certificationId: c.id, expiresOn: c.expiresOn }))
			),
			// The office's check holds for the certificate it checked: the same number and expiry as approved.
			checkedCertifications: snapshot.certifications
				.filter((c) =>
					certificationRowsOf(startup.id).some(
						(row) =>
							row.checkedAt &&
							row.certificationId === c.id &&
							row.certificateNumber === c.number &&
							row.expiresOn === c.expiresOn
					)
				)
				.map((c) => c.id),
			products: snapshot.products.map(
				({ nameTh, nameEn, unit, monthlyCapacity, priceThbMin, priceThbMax }) => ({
					nameTh,
					nameEn,
					unit,
					monthlyCapacity,
					priceThbMin,
					priceThbMax
				})
			)
		};
	});
}

/**
 * Demands as documents.ts reads them, in one round trip: only the columns it uses, the required certificates as an
 * array. Matching reads one demand this way before every search, so its cost is part of every match.
 */
async function demandSources(db: Queryable, where: SQL | undefined, limit?: number): Promise<DemandSource[]> {
	const query = db
		.select({
			id: demands.id,
			ref: demands.ref,
			status: demands.status,
			titleTh: demands.titleTh,
			titleEn: demands.titleEn,
			detailsTh: demands.detailsTh,
			detailsEn: demands.detailsEn,
			buyerName: organisations.name,
			division: demands.divisionCode,
			quantity: demands.quantity,
			unit: demands.unit,
			recurrence: demands.recurrence,
			priceThbMax: demands.priceThbMax,
			deliveryProvinceCode: provinces.code,
			deliveryRegion: provinces.region,
			neededBy: demands.neededBy,
			requiredCertifications: sql<
				string[]
			>`array(select ${demandCertifications.certificationId} from ${demandCertifications} where ${demandCertifications.demandId} = ${demands.id} order by 1)`,
			publishedAt: demands.publishedAt
		})
		.from(demands)
		.innerJoin(organisations, eq(organisations.id, demands.buyerOrganisationId))
		.leftJoin(provinces, eq(provinces.code, demands.deliveryProvinceCode))
		.where(where)
		.orderBy(asc(demands.id));
	const rows = limit ? await query.limit(limit) : await query;
	return rows.map(({ deliveryProvinceCode, deliveryRegion, ...demand }) => ({
		...demand,
		deliveryProvince:
			deliveryProvinceCode && deliveryRegion ? { code: deliveryProvinceCode, region: deliveryRegion } : null
	}));
}

export function loadStartupSources(db: Queryable, ids: string[]): Promise<StartupSource[]> {
	return ids.length === 0 ? Promise.resolve([]) : startupSources(db, inArray(startups.id, ids));
}

export function loadDemandSources(db: Queryable, ids: string[]): Promise<DemandSource[]> {
	return ids.length === 0 ? Promise.resolve([]) : demandSources(db, inArray(demands.id, ids));
}

/** Walks a keyset-paged query: `load(after)` returns the rows after that id, in id order. */
async function* keysetPages<T extends { id: string }>(
	load: (after: string | undefined) => Promise<T[]>
): AsyncGenerator<T[]> {
	for (let after: string | undefined; ;) {
		const page = await load(after);
		if (page.length === 0) return;
		yield page;
		after = page.at(-1)!.id;
	}
}

/** Every searchable startup (those waiting for re-review as approved), `pageSize` at a time, in id order. */
export function pageStartupSources(db: Queryable, pageSize: number): AsyncGenerator<StartupSource[]> {
	return keysetPages((after) =>
		startupSources(db, and(publicStartup, after ? gt(startups.id, after) : undefined), pageSize)
	);
}

/** Every open demand, `pageSize` at a time, in id order. */
export function pageDemandSources(db: Queryable, pageSize: number): AsyncGenerator<DemandSource[]> {
	return keysetPages((after) =>
		demandSources(db, and(eq(demands.status, 'open'), after ? gt(demands.id, after) : undefined), pageSize)
	);
}
