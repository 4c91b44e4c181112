// Loads the reference data into the database. Idempotent: rows are upserted by their natural keys, so a
// second run changes nothing and a corrected name in the JSON reaches the database.
import { getTableColumns, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Queryable } from '../db';
import { certifications, provinces, sCurveIndustries, tsicDivisions, tsicSections } from '../db/schema';
import { categoryData, certificationData, provinceCentroids, provinceData, provinceSlug } from './index';

export interface SeedCounts {
	provinces: number;
	tsicSections: number;
	tsicDivisions: number;
	sCurveIndustries: number;
	certifications: number;
}

/** On conflict, every non-key column takes the incoming value. */
function replaceAll(table: PgTable) {
	return Object.fromEntries(
		Object.entries(getTableColumns(table))
			.filter(([, column]) => !column.primary)
			.map(([key, column]) => [key, sql.raw(`excluded."${column.name}"`)])
	);
}

export async function seedReferenceData(db: Queryable): Promise<SeedCounts> {
	const centroids = provinceCentroids();
	await db
		.insert(provinces)
		.values(
			provinceData.map((p) => ({
				code: p.code,
				dopaCode: p.dopa_code,
				slug: provinceSlug(p.name_en),
				nameTh: p.name_th,
				nameEn: p.name_en,
				nameEnAlt: p.name_en_alt,
				region: p.region,
				hasIndustryOffice: p.has_provincial_industry_office,
				centroidLon: centroids.get(p.code)?.[0] ?? null,
				centroidLat: centroids.get(p.code)?.[1] ?? null
			}))
		)
		.onConflictDoUpdate({
			target: provinces.code,
			set: replaceAll(provinces)
		});

	await db
		.insert(tsicSections)
		.values(
			categoryData.tsic_sections.map((s) => ({
				code: s.code,
				divisionRange: s.divisions,
				nameTh: s.name_th,
				nameEn: s.name_en
			}))
		)
		.onConflictDoUpdate({
			target: tsicSections.code,
			set: replaceAll(tsicSections)
		});

	await db
		.insert(tsicDivisions)
		.values(
			categoryData.tsic_divisions.map((d) => ({
				code: d.code,
				sectionCode: d.section,
				nameTh: d.name_th,
				nameEn: d.name_en
			}))
		)
		.onConflictDoUpdate({
			target: tsicDivisions.code,
			set: replaceAll(tsicDivisions)
		});

	await db
		.insert(sCurveIndustries)
		.values(
			categoryData.s_curve_industries.map((s) => ({
				id: s.id,
				wave: s.wave,
				nameTh: s.name_th,
				nameEn: s.name_en,
				suggestedTsic: s.suggested_tsic
			}))
		)
		.onConflictDoUpdate({
			target: sCurveIndustries.id,
			set: replaceAll(sCurveIndustries)
		});

	await db
		.insert(certifications)
		.values(
			certificationData.map((c) => ({
				id: c.id,
				abbrTh: c.abbr_th,
				abbrEn: c.abbr_en,
				nameTh: c.name_th,
				nameEn: c.name_en,
				issuerTh: c.issuer_th,
				issuerEn: c.issuer_en,
				mandatory: String(c.mandatory)
			}))
		)
		.onConflictDoUpdate({
			target: certifications.id,
			set: replaceAll(certifications)
		});

	return {
		provinces: provinceData.length,
		tsicSections: categoryData.tsic_sections.length,
		tsicDivisions: categoryData.tsic_divisions.length,
		sCurveIndustries: categoryData.s_curve_industries.length,
		certifications: certificationData.length
	};
}
