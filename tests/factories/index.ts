// Builders for test rows with sensible defaults; each call makes distinct rows.
import crypto from 'node:crypto';
import { eq } from 'drizzle-orm';
import { decideApplication } from '$lib/server/curation/service';
import type { Db, Queryable } from '$lib/server/db';
import {
	demandCertifications,
	demands,
	organisations,
	products,
	startups,
	users
} from '$lib/server/db/schema';
import { saveProduct, saveProfile, submitForReview } from '$lib/server/startups/service';
import { reviewSchema } from '$lib/schemas/curation';
import { daysFromToday } from '../helpers/dates';
import { productSchema, profileSchema } from '$lib/schemas/startup';

const unique = () => crypto.randomBytes(4).toString('hex');

export async function buildOrganisation(
	db: Queryable,
	overrides: Partial<typeof organisations.$inferInsert> = {}
) {
	const [row] = await db
		.insert(organisations)
		.values({ kind: 'startup', name: `Org ${unique()}`, ...overrides })
		.returning();
	return row!;
}

/** A valid 13-digit juristic person number: twelve random digits and their check digit. */
export function juristicNumber(): string {
	const twelve = Array.from({ length: 12 }, (_, i) => (i === 0 ? 0 : crypto.randomInt(10)));
	const sum = twelve.reduce((total, digit, i) => total + digit * (13 - i), 0);
	return [...twelve, (11 - (sum % 11)) % 10].join('');
}

/** Marks an organisation verified as its office would, with a juristic number of its own. */
export async function markVerified(db: Queryable, organisationId: string) {
	await db
		.update(organisations)
		.set({ verification: 'verified', verifiedAt: new Date(), registrationNumber: juristicNumber() })
		.where(eq(organisations.id, organisationId));
}

export async function buildStartup(
	db: Queryable,
	overrides: Partial<typeof startups.$inferInsert> & { provinceCode?: string } = {}
) {
	const organisation = await buildOrganisation(db, { provinceCode: overrides.provinceCode ?? 'TH-50' });
	const suffix = unique();
	const [row] = await db
		.insert(startups)
		.values({
			organisationId: organisation.id,
			provinceCode: 'TH-50',
			slug: `startup-${suffix}`,
			nameTh: `สตาร์ทอัพ ${suffix}`,
			nameEn: `Startup ${suffix}`,
			status: 'approved',
			...overrides
		})
		.returning();
	return row!;
}

export async function buildProduct(
	db: Queryable,
	startupId: string,
	overrides: Partial<typeof products.$inferInsert> = {}
) {
	const [row] = await db
		.insert(products)
		.values({
			startupId,
			nameTh: 'กาแฟคั่ว',
			nameEn: 'Roasted coffee',
			unit: 'kg',
			monthlyCapacity: 500,
			...overrides
		})
		.returning();
	return row!;
}

export { daysFromToday };

export async function buildUser(db: Queryable, overrides: Partial<typeof users.$inferInsert> = {}) {
	const [row] = await db
		.insert(users)
		.values({ email: `user-${unique()}@example.org`, role: 'admin', ...overrides })
		.returning();
	return row!;
}

/** An open, published demand from a new buyer organisation, with its required certifications. */
export async function buildDemand(
	db: Queryable,
	overrides: Partial<typeof demands.$inferInsert> = {},
	certifications: string[] = []
) {
	const buyer = await buildOrganisation(db, { kind: 'buyer', name: `Buyer ${unique()}` });
	const [row] = await db
		.insert(demands)
		.values({
			buyerOrganisationId: buyer.id,
			titleTh: 'ข้าวหอมมะลิ',
			divisionCode: '01',
			quantity: 2,
			unit: 'tonne',
			recurrence: 'monthly',
			neededBy: daysFromToday(365),
			status: 'open',
			publishedAt: new Date(),
			...overrides
		})
		.returning();
	if (certifications.length)
		await db
			.insert(demandCertifications)
			.values(certifications.map((certificationId) => ({ demandId: row!.id, certificationId })));
	return row!;
}

/**
 * Takes a signed-up startup member through the real steps to approval: a profile (jasmine rice, TSIC 01, organic
 * certificate), one product (5 tonnes a month), submission, and the approval of an officer of its province.
 */
export async function approveStartupMember(
	db: Db,
	member: typeof users.$inferSelect,
	officer: typeof users.$inferSelect,
	origin = 'http://portal.test'
) {
	await saveProfile(
		db,
		member,
		profileSchema.parse({
			nameTh: 'ข้าวหอมมะลิทุ่งกุลา',
			nameEn: 'Thung Kula Hom Mali',
			summaryTh: 'ข้าวหอมมะลิอินทรีย์',
			summaryEn: '',
			contactEmail: '',
			phone: '',
			website: '',
			divisions: ['01'],
			certifications: [{ id: 'organic-thailand', number: '', expiresOn: '' }]
		})
	);
	await saveProduct(
		db,
		member,
		productSchema.parse({
			nameTh: 'ข้าวหอมมะลิ',
			nameEn: 'Hom Mali rice',
			unit: 'tonne',
			monthlyCapacity: '5',
			priceThbMin: '',
			priceThbMax: ''
		})
	);
	const startup = await submitForReview(db, member, origin);
	await decideApplication(
		db,
		officer,
		officer.provinceCode!,
		startup.id,
		reviewSchema.parse({
			marketScore: '4',
			innovationScore: '3',
			readinessScore: '4',
			complianceScore: '5',
			marketComment: '',
			innovationComment: '',
			readinessComment: '',
			complianceComment: '',
			decision: 'approve',
			reasonCode: '',
			note: ''
		}),
		origin
	);
	return startup;
}
