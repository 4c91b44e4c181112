// A startup's certificates as the office and the buyer see them: valid on a day or expired, checked by the
// province's office or only declared, and the evidence waiting for a check.
import { and, asc, eq, inArray, isNotNull, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../db';
import { organisations, startupCertifications, startups } from '../db/schema';
import { todayInThailand } from '$lib/schemas/calendar-date';

/** A startup_certifications row valid on `day` (today in Thailand): no expiry date, or one on or after the day. */
export const validOn = (day = todayInThailand()): SQL =>
	or(isNull(startupCertifications.expiresOn), sql`${startupCertifications.expiresOn} >= ${day}`)!;

export type CertificateRow = typeof startupCertifications.$inferSelect;

/** The startup's certificates, each with its evidence and how the office answered. */
export function certificatesOfStartup(db: Queryable, startupId: string): Promise<CertificateRow[]> {
	return db
		.select()
		.from(startupCertifications)
		.where(eq(startupCertifications.startupId, startupId))
		.orderBy(asc(startupCertifications.certificationId));
}

/** Which certificates each startup holds valid on the day, and which of those the office checked. */
export async function validCertificatesOf(
	db: Queryable,
	startupIds: string[],
	day = todayInThailand()
): Promise<Map<string, { held: Set<string>; checked: Set<string> }>> {
	const byStartup = new Map<string, { held: Set<string>; checked: Set<string> }>();
	if (startupIds.length === 0) return byStartup;
	const rows = await db
		.select({
			startupId: startupCertifications.startupId,
			id: startupCertifications.certificationId,
			checked: sql<boolean>`${startupCertifications.checkedAt} is not null`
		})
		.from(startupCertifications)
		.where(and(inArray(startupCertifications.startupId, startupIds), validOn(day)));
	for (const row of rows) {
		const entry = byStartup.get(row.startupId) ?? { held: new Set(), checked: new Set() };
		entry.held.add(row.id);
		if (row.checked) entry.checked.add(row.id);
		byStartup.set(row.startupId, entry);
	}
	return byStartup;
}

/** The office's queue: certificates of the province's startups with evidence attached, neither checked nor refused. */
export function certificatesWaitingForCheck(db: Queryable, provinceCode: string) {
	return db
		.select({
			startupId: startups.id,
			startupNameTh: startups.nameTh,
			startupNameEn: startups.nameEn,
			organisationName: organisations.name,
			certificationId: startupCertifications.certificationId,
			number: startupCertifications.certificateNumber,
			issuer: startupCertifications.issuer,
			expiresOn: startupCertifications.expiresOn,
			evidencePath: startupCertifications.evidencePath
		})
		.from(startupCertifications)
		.innerJoin(startups, eq(startups.id, startupCertifications.startupId))
		.innerJoin(organisations, eq(organisations.id, startups.organisationId))
		.where(
			and(
				eq(startups.provinceCode, provinceCode),
				isNotNull(startupCertifications.evidencePath),
				isNull(startupCertifications.checkedAt),
				isNull(startupCertifications.refusalReason)
			)
		)
		.orderBy(asc(startups.nameTh), asc(startupCertifications.certificationId))
		.limit(200);
}

/**
 * A certificate's evidence file, for a reader who may see it: the startup's own members, its province's officers
 * and the administrators. Null for anyone else, as for evidence that does not exist.
 */
export async function evidenceForReader(
	db: Queryable,
	reader: { role: string; provinceCode: string | null; organisationId: string | null },
	startupId: string,
	certificationId: string
): Promise<string | null> {
	const [row] = await db
		.select({
			path: startupCertifications.evidencePath,
			organisationId: startups.organisationId,
			provinceCode: startups.provinceCode
		})
		.from(startupCertifications)
		.innerJoin(startups, eq(startups.id, startupCertifications.startupId))
		.where(
			and(
				eq(startupCertifications.startupId, startupId),
				eq(startupCertifications.certificationId, certificationId)
			)
		);
	if (!row?.path) return null;
	const allowed =
		reader.role === 'admin' ||
		(reader.role === 'officer' && reader.provinceCode === row.provinceCode) ||
		(reader.organisationId !== null && reader.organisationId === row.organisationId);
	return allowed ? row.path : null;
}
