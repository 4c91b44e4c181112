// Loads the reference data into the database. Idempotent: rows are upserted by their natural keys, so a
// second run changes nothing and a corrected name in the JSON reaches the database.
import { getTableColumns, sql } from 'drizzle-orm';
import type { PgColumn, PgInsertValue, PgTable, PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type { Queryable } from '../db';
import {
	agencies,
	certifications,
	provinces,
	publicHolidays,
	sCurveIndustries,
	tsicDivisions,
	tsicSections
} from '../db/schema';
import {
	agencyData,
	categoryData,
	certificationData,
	provinceCentroids,
	provinceData,
	provinceSlug,
	publicHolidayData
} from './index';
import { forgetReference } from './cache';

export interface SeedCounts {
	provinces: number;
	tsicSections: number;
	tsicDivisions: number;
	sCurveIndustries: number;
	certifications: number;
	agencies: number;
	publicHolidays: number;
}

/** Inserts the rows; where the key exists, every non-key column takes the incoming value. */
async function upsert<T extends PgTable>(
	db: Queryable,
	table: T,
	target: PgColumn,
	rows: PgInsertValue<T>[]
) {
	await db
		.insert(table)
		.values(rows)
		.onConflictDoUpdate({ target, set: replaceAll(table) });
}

/** `excluded.<column>` for every non-key column: the incoming row replaces the stored one. */
function replaceAll<T extends PgTable>(table: T): PgUpdateSetSource<T> {
	return Object.fromEntries(
		Object.entries(getTableColumns(table))
			.filter(([, column]) => !column.primary)
			.map(([key, column]) => [key, sql.raw(`excluded."${column.name}"`)])
	) as PgUpdateSetSource<T>;
}

export async function seedReferenceData(db: Queryable): Promise<SeedCounts> {
	forgetReference(db);
	const centroids = provinceCentroids();
	await upsert(
		db,
		provinces,
		provinces.code,
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
	);

	await upsert(
		db,
		tsicSections,
		tsicSections.code,
		categoryData.tsic_sections.map((s) => ({
			code: s.code,
			divisionRange: s.divisions,
			nameTh: s.name_th,
			nameEn: s.name_en
		}))
	);

	await upsert(
		db,
		tsicDivisions,
		tsicDivisions.code,
		categoryData.tsic_divisions.map((d) => ({
			code: d.code,
			sectionCode: d.section,
			nameTh: d.name_th,
			nameEn: d.name_en
		}))
	);

	await upsert(
		db,
		sCurveIndustries,
		sCurveIndustries.id,
		categoryData.s_curve_industries.map((s) => ({
			id: s.id,
			wave: s.wave,
			nameTh: s.name_th,
			nameEn: s.name_en,
			suggestedTsic: s.suggested_tsic
		}))
	);

	await upsert(
		db,
		certifications,
		certifications.id,
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
	);

	await upsert(
		db,
		agencies,
		agencies.id,
		agencyData.map((a) => ({
			id: a.id,
			nameTh: a.name_th,
			nameEn: a.name_en,
			kind: a.kind,
			website: a.website
		}))
	);

	// Holidays are the administrators' to keep once loaded: a day they renamed or removed stays as they left it.
	await db
		.insert(publicHolidays)
		.values(publicHolidayData.map((h) => ({ day: h.date, nameTh: h.name_th, nameEn: h.name_en })))
		.onConflictDoNothing({ target: publicHolidays.day });

	return {
		provinces: provinceData.length,
		tsicSections: categoryData.tsic_sections.length,
		tsicDivisions: categoryData.tsic_divisions.length,
		sCurveIndustries: categoryData.s_curve_industries.length,
		certifications: certificationData.length,
		agencies: agencyData.length,
		publicHolidays: publicHolidayData.length
	};
}
