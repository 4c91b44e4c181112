// Builders for test rows with sensible defaults; each call makes distinct rows. A startup comes with its products,
// divisions and certificates, a demand with its required certificates, an offer and a deal with the rows they
// need; `indexed: true` queues the row for the search index as the services do. By-product lots and material wants
// are made through their services, which audit them and queue them for the index.
import crypto from 'node:crypto';
import { eq } from 'drizzle-orm';
import { decideApplication } from '$lib/server/curation/service';
import type { Db, Queryable } from '$lib/server/db';
import { one } from '$lib/server/db/rows';
import {
	deals,
	demandCertifications,
	demands,
	offers,
	organisations,
	products,
	startupCertifications,
	startupDivisions,
	startups,
	users
} from '$lib/server/db/schema';
import { enqueueSearchSync } from '$lib/server/search/outbox';
import { saveProduct, saveProfile, submitForReview } from '$lib/server/startups/service';
import { lotById } from '$lib/server/waste/queries';
import { createLot, createWant, reviewLot, type WasteActor } from '$lib/server/waste/service';
import { materialWantSchema, wasteLotSchema } from '$lib/schemas/waste';
import { reviewSchema } from '$lib/schemas/curation';
import { daysFromToday } from '../helpers/dates';
import { productSchema, profileSchema } from '$lib/schemas/startup';

const unique = () => crypto.randomBytes(4).toString('hex');

export async function buildOrganisation(
	db: Queryable,
	overrides: Partial<typeof organisations.$inferInsert> = {}
) {
	return one(
		await db
			.insert(organisations)
			.values({ kind: 'startup', name: `Org ${unique()}`, ...overrides })
			.returning()
	);
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

/** What a startup is built with beside its own row. */
export interface StartupParts {
	/** TSIC division codes it works in. */
	divisions?: string[];
	/** Certification ids it holds (declared, not checked). */
	certifications?: string[];
	/** Its products, in this order; each defaults to roasted coffee, 500 kg a month. */
	products?: Partial<Omit<typeof products.$inferInsert, 'startupId'>>[];
	/** Queue the startup for the search index. */
	indexed?: boolean;
}

/** An approved startup in Chiang Mai unless told otherwise, with its own organisation and the parts asked for. */
export async function buildStartup(
	db: Queryable,
	overrides: Partial<typeof startups.$inferInsert> & { provinceCode?: string } = {},
	{ divisions = [], certifications = [], products: productRows = [], indexed = false }: StartupParts = {}
) {
	const organisation = await buildOrganisation(db, { provinceCode: overrides.provinceCode ?? 'TH-50' });
	const suffix = unique();
	const row = one(
		await db
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
			.returning()
	);
	for (const [position, product] of productRows.entries())
		await buildProduct(db, row.id, { position, ...product });
	if (divisions.length)
		await db
			.insert(startupDivisions)
			.values(divisions.map((divisionCode) => ({ startupId: row.id, divisionCode })));
	if (certifications.length)
		await db
			.insert(startupCertifications)
			.values(certifications.map((certificationId) => ({ startupId: row.id, certificationId })));
	if (indexed) await enqueueSearchSync(db, 'startup', [row.id]);
	return row;
}

export async function buildProduct(
	db: Queryable,
	startupId: string,
	overrides: Partial<typeof products.$inferInsert> = {}
) {
	return one(
		await db
			.insert(products)
			.values({
				startupId,
				nameTh: 'กาแฟคั่ว',
				nameEn: 'Roasted coffee',
				unit: 'kg',
				monthlyCapacity: 500,
				...overrides
			})
			.returning()
	);
}

export { daysFromToday };

export async function buildUser(db: Queryable, overrides: Partial<typeof users.$inferInsert> = {}) {
	return one(
		await db
			.insert(users)
			.values({ email: `user-${unique()}@example.org`, role: 'admin', ...overrides })
			.returning()
	);
}

/**
 * An open, published demand for jasmine rice (TSIC 01, 2 tonnes a month, needed a year from today) from a new buyer
 * organisation, with its required certifications; `indexed` queues it for the search index.
 */
export async function buildDemand(
	db: Queryable,
	overrides: Partial<typeof demands.$inferInsert> = {},
	certifications: string[] = [],
	{ indexed = false }: { indexed?: boolean } = {}
) {
	const buyer = await buildOrganisation(db, { kind: 'buyer', name: `Buyer ${unique()}` });
	const row = one(
		await db
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
			.returning()
	);
	if (certifications.length)
		await db
			.insert(demandCertifications)
			.values(certifications.map((certificationId) => ({ demandId: row.id, certificationId })));
	if (indexed) await enqueueSearchSync(db, 'demand', [row.id]);
	return row;
}

/** A startup's offer on a demand: pending, 40 baht a unit, delivered in a week, unless told otherwise. */
export async function buildOffer(
	db: Queryable,
	demandId: string,
	startupId: string,
	overrides: Partial<Omit<typeof offers.$inferInsert, 'demandId' | 'startupId'>> = {}
) {
	return one(
		await db
			.insert(offers)
			.values({
				demandId,
				startupId,
				quantity: 1,
				unitPriceThb: 40,
				leadTimeDays: 7,
				...overrides
			})
			.returning()
	);
}

/**
 * An accepted offer and its deal, as acceptOffer records them: the deal's quantity is the offer's and its value
 * the quantity times the unit price.
 */
export async function buildDeal(
	db: Queryable,
	demandId: string,
	startupId: string,
	overrides: Partial<Omit<typeof offers.$inferInsert, 'demandId' | 'startupId' | 'status'>> = {}
) {
	const offer = await buildOffer(db, demandId, startupId, {
		decidedAt: new Date(),
		...overrides,
		status: 'accepted'
	});
	const deal = one(
		await db
			.insert(deals)
			.values({
				offerId: offer.id,
				demandId,
				quantity: offer.quantity,
				valueThb: offer.quantity * offer.unitPriceThb
			})
			.returning()
	);
	return { offer, deal };
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
	if (!officer.provinceCode) throw new Error('An application is decided by an officer of a province');
	await decideApplication(
		db,
		officer,
		officer.provinceCode,
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

/** A member of a new organisation of its kind in `provinceCode`, as the by-product services take one. */
export async function buildWasteActor(
	db: Queryable,
	kind: 'startup' | 'buyer',
	provinceCode: string | null,
	overrides: Partial<typeof users.$inferInsert> = {}
): Promise<WasteActor> {
	const organisation = await buildOrganisation(db, { kind, provinceCode });
	const user = await buildUser(db, { role: kind, organisationId: organisation.id, ...overrides });
	return { id: user.id, email: user.email, organisationId: organisation.id };
}

/**
 * A by-product lot's form as submitted: mango peel from a cannery (EWC 02 03 04), 20 tonnes a month, landfilled at
 * 150 baht a tonne, available now, in its organisation's province.
 */
export const lotInput = (overrides: Record<string, string> = {}) =>
	wasteLotSchema.parse({
		nameTh: 'เปลือกมะม่วงจากโรงงานแปรรูป',
		nameEn: '',
		wasteCode: '020304',
		quantityPerMonth: '20',
		unit: 'tonne',
		provinceCode: '',
		handling: 'landfill',
		priceThb: '-150',
		availableNow: 'yes',
		...overrides
	});

/**
 * A material want's form as submitted: mango peel for compost (EWC 02 03 01), 30 tonnes a month, collected up to
 * 150 km from Nakhon Pathom, at no price, no licence.
 */
export const wantInput = (overrides: Record<string, unknown> = {}) =>
	materialWantSchema.parse({
		nameTh: 'รับเปลือกมะม่วงทำปุ๋ย',
		nameEn: '',
		wasteCodes: ['020301'],
		quantityPerMonth: '30',
		unit: 'tonne',
		provinceCode: 'TH-73',
		maxDistanceKm: '150',
		priceThb: '0',
		licenceClass: '',
		licenceNumber: '',
		...overrides
	});

/**
 * A by-product lot of `owner`, made as its owner makes one (lotInput with `form`): approved by an officer of its
 * province unless `status` says it stays a draft or waits for review.
 */
export async function buildLot(
	db: Db,
	owner: WasteActor,
	form: Record<string, string> = {},
	{ status = 'approved' }: { status?: 'draft' | 'submitted' | 'approved' } = {}
) {
	const lot = await createLot(db, owner, lotInput(form), { submit: status !== 'draft' });
	if (status !== 'approved') return lot;
	const officer = await buildUser(db, { role: 'officer', provinceCode: lot.provinceCode });
	await reviewLot(
		db,
		{ id: officer.id, email: officer.email, organisationId: null },
		lot.provinceCode,
		lot.id,
		{ decision: 'approve', reason: null }
	);
	const approved = await lotById(db, lot.id);
	if (!approved) throw new Error(`The lot ${lot.id} was not stored`);
	return approved;
}

/** A material want of `owner`, made as its owner makes one (wantInput with `form`): open at once. */
export async function buildWant(db: Db, owner: WasteActor, form: Record<string, unknown> = {}) {
	return createWant(db, owner, wantInput(form));
}
