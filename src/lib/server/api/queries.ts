// Reads for the API: public startups as last approved, public demands with their coverage, selections; each
// list keyset-paged by id so a partner can walk 100,000 records without offsets getting slower or skipping.
import { and, asc, eq, exists, gt, inArray, sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../db';
import {
	demandCertifications,
	demandCoverage,
	demands,
	organisations,
	provinceSelections,
	startupCertifications,
	startups
} from '../db/schema';
import { organisationIsVerified } from '../organisations/queries';
import { todayInThailand } from '$lib/schemas/calendar-date';
import { coverageOf } from '../provinces/public';
import { loadDemandSources } from '../search/sources';
import { approvedProfile } from '../startups/profile';
import type { Coverage } from '$lib/gap';
import type { Unit } from '$lib/schemas/units';
import { publicStartup } from '../startups/public';
import { isUuid } from '../text';

/** A record named by its id or by the `ref` it was imported with. */
const byIdOrRef = (table: typeof startups | typeof demands, key: string) =>
	isUuid(key) ? eq(table.id, key) : eq(table.ref, key);

export interface StartupFilter {
	province?: string;
	tsic?: string;
	certification?: string;
	selectedYear?: number;
}

async function startupRecords(db: Queryable, where: SQL, limit: number) {
	const rows = await db
		.select({
			id: startups.id,
			ref: startups.ref,
			slug: startups.slug,
			province: startups.provinceCode,
			snapshot: startups.approvedSnapshot,
			approvedAt: startups.approvedAt,
			verified: organisationIsVerified
		})
		.from(startups)
		.innerJoin(organisations, eq(organisations.id, startups.organisationId))
		.where(where)
		.orderBy(asc(startups.id))
		.limit(limit);
	const ids = rows.map((r) => r.id);
	const [years, checks] = ids.length
		? await Promise.all([
				db
					.select({ startupId: provinceSelections.startupId, year: provinceSelections.year })
					.from(provinceSelections)
					.where(inArray(provinceSelections.startupId, ids)),
				// Whether each certificate's evidence was checked is today's answer, not the snapshot's.
				db
					.select({
						startupId: startupCertifications.startupId,
						id: startupCertifications.certificationId,
						number: startupCertifications.certificateNumber,
						expiresOn: startupCertifications.expiresOn
					})
					.from(startupCertifications)
					.where(
						and(
							inArray(startupCertifications.startupId, ids),
							sql`${startupCertifications.checkedAt} is not null`
						)
					)
			])
		: [[], []];
	// The office's check holds for the certificate it checked: the same number and expiry as the approved profile
	// shows (as in search/sources.ts).
	const checked = new Set(checks.map((c) => `${c.startupId}/${c.id}/${c.number}/${c.expiresOn}`));
	const today = todayInThailand();
	return rows.map((row) => {
		const profile = approvedProfile({ id: row.id, approvedSnapshot: row.snapshot });
		return {
			id: row.id,
			ref: row.ref,
			slug: row.slug,
			url: `/startups/${row.slug}`,
			province: row.province,
			name_th: profile.nameTh,
			name_en: profile.nameEn,
			summary_th: profile.summaryTh,
			summary_en: profile.summaryEn,
			tsic: profile.divisions,
			certifications: profile.certifications.map((c) => c.id),
			certificates: profile.certifications.map((c) => ({
				id: c.id,
				evidence_status: checked.has(`${row.id}/${c.id}/${c.number}/${c.expiresOn}`)
					? ('checked' as const)
					: ('declared' as const),
				expires_on: c.expiresOn,
				valid: c.expiresOn === null || c.expiresOn >= today
			})),
			organisation_verified: row.verified,
			products: profile.products.map((p) => ({
				name_th: p.nameTh,
				name_en: p.nameEn,
				unit: p.unit,
				monthly_capacity: p.monthlyCapacity,
				price_thb_min: p.priceThbMin,
				price_thb_max: p.priceThbMax
			})),
			website: profile.website,
			selected_years: years
				.filter((y) => y.startupId === row.id)
				.map((y) => y.year)
				.sort(),
			approved_at: row.approvedAt?.toISOString() ?? null
		};
	});
}

export function startupPage(db: Queryable, filter: StartupFilter, after: string | undefined, limit: number) {
	const where: SQL[] = [publicStartup];
	if (after) where.push(gt(startups.id, after));
	if (filter.province) where.push(eq(startups.provinceCode, filter.province));
	if (filter.tsic)
		where.push(sql`${startups.approvedSnapshot}->'divisions' @> ${JSON.stringify([filter.tsic])}::jsonb`);
	if (filter.certification)
		where.push(
			sql`${startups.approvedSnapshot}->'certifications' @> ${JSON.stringify([{ id: filter.certification }])}::jsonb`
		);
	if (filter.selectedYear !== undefined)
		where.push(
			exists(
				db
					.select({ one: sql`1` })
					.from(provinceSelections)
					.where(
						and(
							eq(provinceSelections.startupId, startups.id),
							eq(provinceSelections.year, filter.selectedYear)
						)
					)
			)
		);
	return startupRecords(db, and(...where)!, limit);
}

export async function publicStartupByKey(db: Queryable, key: string) {
	const [record] = await startupRecords(db, and(publicStartup, byIdOrRef(startups, key))!, 1);
	return record ?? null;
}

export interface DemandFilter {
	province?: string;
	tsic?: string;
	certification?: string;
	unit?: Unit;
	coverage?: Coverage;
}

/** Demands anyone may see: open ones and those that ended in public (drafts and hidden ones never). */
const publicDemand = inArray(demands.status, ['open', 'closed', 'fulfilled', 'expired']);

async function demandRecords(db: Queryable, where: SQL, limit: number) {
	const rows = await db
		.select({ id: demands.id, coverage: coverageOf, verified: organisationIsVerified })
		.from(demands)
		.innerJoin(organisations, eq(organisations.id, demands.buyerOrganisationId))
		.leftJoin(demandCoverage, eq(demandCoverage.demandId, demands.id))
		.where(where)
		.orderBy(asc(demands.id))
		.limit(limit);
	const sources = await loadDemandSources(
		db,
		rows.map((r) => r.id)
	);
	const coverage = new Map(rows.map((r) => [r.id, r.coverage]));
	const verified = new Set(rows.filter((r) => r.verified).map((r) => r.id));
	const published = new Map<string, Date | null>(sources.map((s) => [s.id, s.publishedAt]));
	return sources.map((d) => ({
		id: d.id,
		ref: d.ref,
		url: `/demand/${d.id}`,
		status: d.status as 'open',
		buyer_name: d.buyerName,
		organisation_verified: verified.has(d.id),
		title_th: d.titleTh,
		title_en: d.titleEn,
		details_th: d.detailsTh,
		details_en: d.detailsEn,
		tsic: d.division,
		quantity: d.quantity,
		unit: d.unit,
		recurrence: d.recurrence,
		price_thb_max: d.priceThbMax,
		delivery_province: d.deliveryProvince?.code ?? null,
		needed_by: d.neededBy,
		required_certifications: d.requiredCertifications,
		published_at: published.get(d.id)?.toISOString() ?? null,
		// A demand that is no longer open needs no match: its coverage is what it was last computed as.
		coverage: coverage.get(d.id)!
	}));
}

export function demandPage(db: Queryable, filter: DemandFilter, after: string | undefined, limit: number) {
	const where: SQL[] = [eq(demands.status, 'open')];
	if (after) where.push(gt(demands.id, after));
	if (filter.province) where.push(eq(demands.deliveryProvinceCode, filter.province));
	if (filter.tsic) where.push(eq(demands.divisionCode, filter.tsic));
	if (filter.unit) where.push(eq(demands.unit, filter.unit));
	if (filter.certification)
		where.push(
			exists(
				db
					.select({ one: sql`1` })
					.from(demandCertifications)
					.where(
						and(
							eq(demandCertifications.demandId, demands.id),
							eq(demandCertifications.certificationId, filter.certification)
						)
					)
			)
		);
	if (filter.coverage) where.push(sql`(${coverageOf}) = ${filter.coverage}`);
	return demandRecords(db, and(...where)!, limit);
}

export async function publicDemandByKey(db: Queryable, key: string) {
	const [record] = await demandRecords(db, and(publicDemand, byIdOrRef(demands, key))!, 1);
	return record ?? null;
}

export function selectionsOf(db: Queryable, filter: { year?: number; province?: string }) {
	const where: SQL[] = [];
	if (filter.year !== undefined) where.push(eq(provinceSelections.year, filter.year));
	if (filter.province) where.push(eq(provinceSelections.provinceCode, filter.province));
	return db
		.select({
			year: provinceSelections.year,
			province: provinceSelections.provinceCode,
			startup_id: provinceSelections.startupId,
			startup_slug: startups.slug,
			startup_name_th: startups.nameTh,
			startup_name_en: startups.nameEn,
			reason: provinceSelections.reason
		})
		.from(provinceSelections)
		.innerJoin(startups, eq(startups.id, provinceSelections.startupId))
		.where(where.length ? and(...where) : undefined)
		.orderBy(asc(provinceSelections.provinceCode), asc(provinceSelections.year));
}

/** A page fetched with one row more than asked: that row says whether there is a next page. */
export function paged<T extends { id: string }>(rows: T[], limit: number, encode: (id: string) => string) {
	const data = rows.slice(0, limit);
	return { data, next_cursor: rows.length > limit ? encode(data.at(-1)!.id) : null };
}
