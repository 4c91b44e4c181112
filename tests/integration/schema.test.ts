// The schema's rules, proven on the database itself: they must hold whatever code path writes the rows.
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgErrorOf, PG } from '$lib/server/db/errors';
import * as schema from '$lib/server/db/schema';
import { seedReferenceData } from '$lib/server/reference/seed';
import { buildOrganisation, buildProduct, buildStartup, buildUser, daysFromToday } from '../factories';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { yearInThailand } from '../helpers/dates';

const thisYear = yearInThailand();

let database: TestDatabase;

beforeAll(async () => {
	database = await createTestDatabase();
});
afterAll(async () => {
	await database?.dispose();
});

async function violation(run: () => Promise<unknown>) {
	try {
		await run();
	} catch (error) {
		const pg = pgErrorOf(error);
		if (!pg) throw error;
		return pg;
	}
	throw new Error('expected the database to refuse the write');
}

describe('reference data', () => {
	it('holds 77 provinces, 33 TSIC divisions and 16 certifications, and Bangkok has no office', async () => {
		const { db } = database;
		const [provinces] = await db.select({ n: sql<number>`count(*)::int` }).from(schema.provinces);
		const [divisions] = await db.select({ n: sql<number>`count(*)::int` }).from(schema.tsicDivisions);
		const [certifications] = await db.select({ n: sql<number>`count(*)::int` }).from(schema.certifications);
		expect([provinces?.n, divisions?.n, certifications?.n]).toEqual([77, 33, 16]);
		const offices = await db
			.select({ code: schema.provinces.code })
			.from(schema.provinces)
			.where(eq(schema.provinces.hasIndustryOffice, false));
		expect(offices.map((o) => o.code)).toEqual(['TH-10']);
	});

	it('gives every province a centroid inside Thailand and a readable slug', async () => {
		const [chiangMai] = await database.db
			.select()
			.from(schema.provinces)
			.where(eq(schema.provinces.code, 'TH-50'));
		expect(chiangMai?.slug).toBe('chiang-mai');
		expect(chiangMai?.centroidLat).toBeGreaterThan(18);
		expect(chiangMai?.centroidLat).toBeLessThan(20);
		const all = await database.db.select().from(schema.provinces);
		for (const p of all) {
			expect(p.centroidLat, p.code).toBeGreaterThan(5);
			expect(p.centroidLat, p.code).toBeLessThan(21);
			expect(p.centroidLon, p.code).toBeGreaterThan(97);
			expect(p.centroidLon, p.code).toBeLessThan(106);
		}
	});

	it('seeds idempotently and repairs an edited row', async () => {
		const { db } = database;
		await db.update(schema.provinces).set({ nameEn: 'Wrong' }).where(eq(schema.provinces.code, 'TH-50'));
		await seedReferenceData(db);
		await seedReferenceData(db);
		const [provinces] = await db.select({ n: sql<number>`count(*)::int` }).from(schema.provinces);
		const [chiangMai] = await db.select().from(schema.provinces).where(eq(schema.provinces.code, 'TH-50'));
		expect(provinces?.n).toBe(77);
		expect(chiangMai?.nameEn).toBe('Chiang Mai');
	});
});

describe('province selections', () => {
	it('refuses a second startup for the same province and year', async () => {
		const { db } = database;
		const first = await buildStartup(db, { provinceCode: 'TH-50' });
		const second = await buildStartup(db, { provinceCode: 'TH-50' });
		await db
			.insert(schema.provinceSelections)
			.values({ provinceCode: 'TH-50', year: thisYear, startupId: first.id });
		const error = await violation(() =>
			db
				.insert(schema.provinceSelections)
				.values({ provinceCode: 'TH-50', year: thisYear, startupId: second.id })
		);
		expect(error.code).toBe(PG.uniqueViolation);
		expect(error.constraint).toBe('province_selections_province_year_key');
		// Another year is a new selection.
		await db
			.insert(schema.provinceSelections)
			.values({ provinceCode: 'TH-50', year: thisYear + 1, startupId: second.id });
	});

	it('refuses a startup from another province', async () => {
		const { db } = database;
		const lampang = await buildStartup(db, { provinceCode: 'TH-52' });
		const error = await violation(() =>
			db
				.insert(schema.provinceSelections)
				.values({ provinceCode: 'TH-50', year: thisYear + 2, startupId: lampang.id })
		);
		expect(error.code).toBe(PG.foreignKeyViolation);
		expect(error.constraint).toBe('province_selections_startup_in_province_fk');
	});

	it('refuses to move a selected startup to another province', async () => {
		const { db } = database;
		const startup = await buildStartup(db, { provinceCode: 'TH-40' });
		await db
			.insert(schema.provinceSelections)
			.values({ provinceCode: 'TH-40', year: thisYear, startupId: startup.id });
		const error = await violation(() =>
			db.update(schema.startups).set({ provinceCode: 'TH-41' }).where(eq(schema.startups.id, startup.id))
		);
		expect(error.code).toBe(PG.foreignKeyViolation);
	});
});

describe('users', () => {
	it('treats email addresses as unique whatever their case', async () => {
		const { db } = database;
		await buildUser(db, { email: 'Somchai@Example.org' });
		const error = await violation(() => buildUser(db, { email: 'somchai@example.ORG' }));
		expect(error.code).toBe(PG.uniqueViolation);
		expect(error.constraint).toBe('users_email_lower_key');
	});

	it('requires a province for an officer and forbids one for anyone else', async () => {
		const { db } = database;
		expect((await violation(() => buildUser(db, { role: 'officer' }))).code).toBe(PG.checkViolation);
		expect((await violation(() => buildUser(db, { role: 'admin', provinceCode: 'TH-50' }))).code).toBe(
			PG.checkViolation
		);
		const officer = await buildUser(db, { role: 'officer', provinceCode: 'TH-50' });
		expect(officer.provinceCode).toBe('TH-50');
	});

	it('requires an organisation for startup and buyer accounts', async () => {
		const { db } = database;
		expect((await violation(() => buildUser(db, { role: 'buyer' }))).constraint).toBe(
			'users_member_has_organisation'
		);
	});
});

describe('cascade and restrict', () => {
	it('deletes a startup’s products, divisions and certifications with it', async () => {
		const { db } = database;
		const startup = await buildStartup(db);
		await buildProduct(db, startup.id);
		await db.insert(schema.startupDivisions).values({ startupId: startup.id, divisionCode: '10' });
		await db.insert(schema.startupCertifications).values({ startupId: startup.id, certificationId: 'gmp' });
		await db.delete(schema.startups).where(eq(schema.startups.id, startup.id));
		const left = await Promise.all([
			db.select().from(schema.products).where(eq(schema.products.startupId, startup.id)),
			db.select().from(schema.startupDivisions).where(eq(schema.startupDivisions.startupId, startup.id)),
			db
				.select()
				.from(schema.startupCertifications)
				.where(eq(schema.startupCertifications.startupId, startup.id))
		]);
		expect(left.map((rows) => rows.length)).toEqual([0, 0, 0]);
	});

	it('refuses to delete a selected startup, an organisation with a startup, or a province in use', async () => {
		const { db } = database;
		const refusedByReference = [PG.foreignKeyViolation, PG.restrictViolation];
		const startup = await buildStartup(db, { provinceCode: 'TH-34' });
		await db
			.insert(schema.provinceSelections)
			.values({ provinceCode: 'TH-34', year: thisYear, startupId: startup.id });
		const deleteStartup = await violation(() =>
			db.delete(schema.startups).where(eq(schema.startups.id, startup.id))
		);
		const deleteOrganisation = await violation(() =>
			db.delete(schema.organisations).where(eq(schema.organisations.id, startup.organisationId))
		);
		const deleteProvince = await violation(() =>
			db.delete(schema.provinces).where(eq(schema.provinces.code, 'TH-34'))
		);
		for (const error of [deleteStartup, deleteOrganisation, deleteProvince]) {
			expect(refusedByReference).toContain(error.code);
		}
		const [still] = await db.select().from(schema.startups).where(eq(schema.startups.id, startup.id));
		expect(still?.id).toBe(startup.id);
	});

	it('ends a user’s sessions when the user is deleted, and keeps the audit record', async () => {
		const { db } = database;
		const user = await buildUser(db);
		await db
			.insert(schema.sessions)
			.values({ id: `s-${user.id}`, userId: user.id, expiresAt: new Date(Date.now() + 1e6) });
		const [event] = await db
			.insert(schema.auditEvents)
			.values({
				actorId: user.id,
				actorLabel: user.email,
				action: 'test',
				subjectType: 'user',
				subjectId: user.id
			})
			.returning();
		await db.delete(schema.users).where(eq(schema.users.id, user.id));
		expect(await db.select().from(schema.sessions).where(eq(schema.sessions.userId, user.id))).toHaveLength(
			0
		);
		const [kept] = await db.select().from(schema.auditEvents).where(eq(schema.auditEvents.id, event!.id));
		expect(kept?.actorId).toBeNull();
		expect(kept?.actorLabel).toBe(user.email);
	});
});

describe('checks on values', () => {
	it('refuses a product with no name, zero capacity or an inverted price band', async () => {
		const { db } = database;
		const startup = await buildStartup(db);
		expect(
			(await violation(() => buildProduct(db, startup.id, { nameTh: null, nameEn: null }))).constraint
		).toBe('products_has_name');
		expect((await violation(() => buildProduct(db, startup.id, { monthlyCapacity: 0 }))).constraint).toBe(
			'products_capacity_positive'
		);
		expect(
			(await violation(() => buildProduct(db, startup.id, { priceThbMin: 600, priceThbMax: 450 }))).constraint
		).toBe('products_price_band');
	});

	it('refuses a reject without a reason and scores outside 0–5', async () => {
		const { db } = database;
		const startup = await buildStartup(db);
		const review = {
			startupId: startup.id,
			marketScore: 3,
			innovationScore: 3,
			readinessScore: 3,
			complianceScore: 3
		};
		expect(
			(await violation(() => db.insert(schema.reviews).values({ ...review, decision: 'reject' }))).constraint
		).toBe('reviews_reject_has_reason');
		expect(
			(
				await violation(() =>
					db.insert(schema.reviews).values({ ...review, marketScore: 6, decision: 'approve' })
				)
			).constraint
		).toBe('reviews_scores_range');
	});

	it('refuses a malformed exchange ref and allows one live offer per startup per demand', async () => {
		const { db } = database;
		expect((await violation(() => buildStartup(db, { ref: 'has space' }))).constraint).toBe(
			'startups_ref_format'
		);
		const startup = await buildStartup(db);
		const buyer = await buildOrganisation(db, { kind: 'buyer' });
		const [demand] = await db
			.insert(schema.demands)
			.values({
				buyerOrganisationId: buyer.id,
				titleEn: 'Jasmine rice',
				divisionCode: '10',
				quantity: 2,
				unit: 'tonne',
				recurrence: 'monthly',
				neededBy: daysFromToday(120),
				status: 'open'
			})
			.returning();
		const offer = {
			demandId: demand!.id,
			startupId: startup.id,
			quantity: 1,
			unitPriceThb: 30,
			leadTimeDays: 7
		};
		const [first] = await db.insert(schema.offers).values(offer).returning();
		expect((await violation(() => db.insert(schema.offers).values(offer))).constraint).toBe(
			'offers_one_live_per_startup_key'
		);
		await db.update(schema.offers).set({ status: 'withdrawn' }).where(eq(schema.offers.id, first!.id));
		await db.insert(schema.offers).values(offer);
	});
});
