// Reading a startup's whole profile: the editor shows it, an approval freezes it as the public snapshot.
import { asc, eq } from 'drizzle-orm';
import type { Queryable } from '../db';
import { keptReference } from '../reference/kept';
import {
	certifications,
	products,
	startupCertifications,
	startupDivisions,
	startups,
	tsicDivisions
} from '../db/schema';

export type StartupRow = typeof startups.$inferSelect;
export type ProductRow = typeof products.$inferSelect;

export interface Profile {
	nameTh: string | null;
	nameEn: string | null;
	summaryTh: string | null;
	summaryEn: string | null;
	provinceCode: string;
	contactEmail: string | null;
	phone: string | null;
	website: string | null;
	logoPath: string | null;
	divisions: string[];
	certifications: { id: string; number: string | null; expiresOn: string | null }[];
	products: {
		id: string;
		nameTh: string | null;
		nameEn: string | null;
		unit: string;
		monthlyCapacity: number;
		priceThbMin: number | null;
		priceThbMax: number | null;
		photoPath: string | null;
	}[];
}

export async function startupOfOrganisation(db: Queryable, organisationId: string) {
	const [row] = await db.select().from(startups).where(eq(startups.organisationId, organisationId));
	return row ?? null;
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
	return keptReference(db, 'profile choices', async () => {
		const [divisions, certificationList] = await Promise.all([
			db.select().from(tsicDivisions).orderBy(asc(tsicDivisions.code)),
			db.select().from(certifications).orderBy(asc(certifications.id))
		]);
		return { divisions, certifications: certificationList };
	});
}
