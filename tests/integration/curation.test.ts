// A startup's application through its province's office, against a real database: profile, products,
// submission, scored review, re-review after material edits, and the one-startup-per-province-year rule
// under concurrent requests.
import { and, eq } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '$lib/server/accounts/service';
import {
	decideApplication,
	previewSelection,
	selectProvinceStartup,
	setApprovalThreshold
} from '$lib/server/curation/service';
import * as schema from '$lib/server/db/schema';
import { UserError } from '$lib/server/errors';
import {
	approvalThreshold,
	approvedCandidates,
	medianResponseDays,
	reviewQueue
} from '$lib/server/offices/queries';
import { isStartupSearchable } from '$lib/server/search/documents';
import { loadStartupSources } from '$lib/server/search/sources';
import { startupOfOrganisation } from '$lib/server/startups/queries';
import {
	deleteProduct,
	moveStartup,
	saveProduct,
	saveProfile,
	submitForReview,
	type Member
} from '$lib/server/startups/service';
import { productSchema, profileSchema } from '$lib/schemas/startup';
import { yearInThailand } from '$lib/schemas/calendar-date';
import { DEFAULT_APPROVAL_THRESHOLD, reviewSchema, thresholdSchema } from '$lib/schemas/curation';
import { buildUser, daysFromToday } from '../factories';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { codeOf } from '../helpers/errors';

let database: TestDatabase;
let officer: { id: string; email: string };
beforeAll(async () => {
	database = await createTestDatabase();
	officer = await buildUser(database.db, { role: 'officer', provinceCode: 'TH-40', passwordHash: 'x' });
});
afterAll(async () => {
	await database?.dispose();
});

const origin = 'http://portal.test';
let counter = 0;

async function startupMember(province = 'TH-40'): Promise<Member> {
	const user = await signUp(
		database.db,
		{
			accountType: 'startup',
			organisationName: `ผ้าไหมขอนแก่น ${++counter}`,
			provinceCode: province,
			email: `silk-${counter}@example.org`,
			password: 'silk weaving passphrase',
			locale: 'th'
		},
		{ origin, address: `10.9.0.${counter}` }
	);
	await database.db
		.update(schema.users)
		.set({ emailVerifiedAt: new Date() })
		.where(eq(schema.users.id, user.id));
	return user;
}

const profile = (overrides: Record<string, unknown> = {}) =>
	profileSchema.parse({
		nameTh: 'ผ้าไหมมัดหมี่บ้านเขวา',
		nameEn: 'Ban Khwao Mudmee Silk',
		summaryTh: 'ทอผ้าไหมมัดหมี่ด้วยมือ',
		summaryEn: '',
		contactEmail: '',
		phone: '043 123 456',
		website: '',
		divisions: ['13'],
		certifications: [{ id: 'otop-star', number: 'OTOP-4001', expiresOn: daysFromToday(365) }],
		...overrides
	});
const product = (overrides: Record<string, string> = {}) =>
	productSchema.parse({
		nameTh: 'ผ้าไหมมัดหมี่',
		nameEn: 'Mudmee silk',
		unit: 'metre',
		monthlyCapacity: '1,200',
		priceThbMin: '800',
		priceThbMax: '2,500',
		...overrides
	});
const review = (decision: 'approve' | 'reject' | 'revise', overrides: Record<string, string> = {}) =>
	reviewSchema.parse({
		marketScore: '4',
		innovationScore: '3',
		readinessScore: '4',
		complianceScore: '5',
		marketComment: 'ตลาดโรงแรมต้องการ',
		innovationComment: '',
		readinessComment: '',
		complianceComment: '',
		decision,
		reasonCode: decision === 'reject' ? 'capacity_unproven' : '',
		note: decision === 'reject' ? 'แนบหลักฐานกำลังการผลิต' : '',
		...overrides
	});

async function statusOf(member: Member) {
	return (await startupOfOrganisation(database.db, member.organisationId!))!;
}

describe('application workflow', () => {
	it('saves a draft, refuses an incomplete submission, and queues a complete one with notifications', async () => {
		const { db } = database;
		const member = await startupMember();
		await saveProfile(db, member, profile());
		expect(await codeOf(submitForReview(db, member, origin))).toBe('submit_products_missing');
		await saveProduct(db, member, product());
		const submitted = await submitForReview(db, member, origin);
		expect(submitted.status).toBe('submitted');
		expect(submitted.slug).toMatch(/^ban-khwao-mudmee-silk-/);
		const queue = await reviewQueue(db, 'TH-40');
		expect(queue.map((row) => row.id)).toContain(submitted.id);
		const officerNotes = await db
			.select()
			.from(schema.notifications)
			.where(eq(schema.notifications.userId, officer.id));
		expect(officerNotes.map((n) => n.kind)).toContain('application_waiting');
		const outbox = await db
			.select()
			.from(schema.searchOutbox)
			.where(eq(schema.searchOutbox.entityId, submitted.id));
		expect(outbox.length).toBeGreaterThanOrEqual(3);
	});

	it('rejects with a reason the startup is told, then approves the corrected resubmission', async () => {
		const { db } = database;
		const member = await startupMember();
		await saveProfile(db, member, profile());
		await saveProduct(db, member, product());
		const { id } = await submitForReview(db, member, origin);
		expect(() => review('reject', { reasonCode: '' })).toThrow();
		await decideApplication(db, officer, 'TH-40', id, review('reject'), origin);
		expect((await statusOf(member)).status).toBe('rejected');
		const [notice] = await db
			.select()
			.from(schema.notifications)
			.where(
				and(eq(schema.notifications.userId, member.id), eq(schema.notifications.kind, 'application_rejected'))
			);
		expect(notice!.payload).toMatchObject({ reason: 'capacity_unproven', note: 'แนบหลักฐานกำลังการผลิต' });
		// Deciding twice is refused: the application is no longer in the queue.
		expect(await codeOf(decideApplication(db, officer, 'TH-40', id, review('approve'), origin))).toBe(
			'not_in_queue'
		);
		await saveProduct(db, member, product({ monthlyCapacity: '2000' }));
		await submitForReview(db, member, origin);
		await decideApplication(db, officer, 'TH-40', id, review('approve'), origin);
		const approved = await statusOf(member);
		expect(approved.status).toBe('approved');
		expect((approved.approvedSnapshot as { products: unknown[] }).products).toHaveLength(2);
		const actions = (
			await db.select().from(schema.auditEvents).where(eq(schema.auditEvents.subjectId, id))
		).map((e) => e.action);
		expect(actions).toEqual(
			expect.arrayContaining(['startup.submit', 'startup.reject', 'startup.approve', 'startup.add_product'])
		);
		expect(await medianResponseDays(db, 'TH-40')).not.toBeNull();
	});

	it('sends an approved startup back for review when a product changes, keeping the approved version public', async () => {
		const { db } = database;
		const member = await startupMember();
		await saveProfile(db, member, profile());
		await saveProduct(db, member, product());
		const { id } = await submitForReview(db, member, origin);
		await decideApplication(db, officer, 'TH-40', id, review('approve'), origin);
		// Wording is published at once and stays approved.
		await saveProfile(db, member, profile({ summaryTh: 'ทอมือ ย้อมสีธรรมชาติ' }));
		let startup = await statusOf(member);
		expect(startup.status).toBe('approved');
		expect((startup.approvedSnapshot as { summaryTh: string }).summaryTh).toBe('ทอมือ ย้อมสีธรรมชาติ');
		// A product is material: back to the queue, the snapshot unchanged.
		const [first] = await db.select().from(schema.products).where(eq(schema.products.startupId, id));
		await deleteProduct(db, member, first!.id);
		startup = await statusOf(member);
		expect(startup.status).toBe('submitted');
		expect((startup.approvedSnapshot as { products: unknown[] }).products).toHaveLength(1);
		// Search keeps finding the approved version, not the edit waiting for review.
		const [source] = await loadStartupSources(db, [id]);
		expect(isStartupSearchable(source!)).toBe(true);
		expect(source!.products.map((p) => p.nameTh)).toEqual(['ผ้าไหมมัดหมี่']);
		expect(source!.summaryTh).toBe('ทอมือ ย้อมสีธรรมชาติ');
	});

	it("treats another startup's product and another province's application as missing", async () => {
		const { db } = database;
		const owner = await startupMember();
		const stranger = await startupMember();
		await saveProfile(db, owner, profile());
		await saveProduct(db, owner, product());
		const [theirs] = await db
			.select()
			.from(schema.products)
			.innerJoin(schema.startups, eq(schema.startups.id, schema.products.startupId))
			.where(eq(schema.startups.organisationId, owner.organisationId!));
		await saveProfile(db, stranger, profile());
		expect(await codeOf(deleteProduct(db, stranger, theirs!.products.id))).toBe('not_found');
		expect(await codeOf(saveProduct(db, stranger, product(), theirs!.products.id))).toBe('not_found');
		const { id } = await submitForReview(db, owner, origin);
		expect(await codeOf(decideApplication(db, officer, 'TH-50', id, review('approve'), origin))).toBe(
			'not_found'
		);
	});
});

describe('the rubric, the threshold and returning for revision', () => {
	async function submitted(province: string) {
		const member = await startupMember(province);
		await saveProfile(database.db, member, profile());
		await saveProduct(database.db, member, product());
		const { id } = await submitForReview(database.db, member, origin);
		return { member, id };
	}

	it('keeps a threshold per office, refuses one outside 0–20, and audits the change', async () => {
		const { db } = database;
		expect(await approvalThreshold(db, 'TH-42')).toBe(DEFAULT_APPROVAL_THRESHOLD);
		expect(thresholdSchema.safeParse({ approvalThreshold: '21' }).success).toBe(false);
		expect(thresholdSchema.safeParse({ approvalThreshold: '-1' }).success).toBe(false);
		expect(thresholdSchema.safeParse({ approvalThreshold: 'สิบ' }).success).toBe(false);
		await setApprovalThreshold(db, officer, 'TH-42', thresholdSchema.parse({ approvalThreshold: ' 18 ' }));
		expect(await approvalThreshold(db, 'TH-42')).toBe(18);
		// Another office keeps its own.
		expect(await approvalThreshold(db, 'TH-43')).toBe(DEFAULT_APPROVAL_THRESHOLD);
		const [event] = await db
			.select()
			.from(schema.auditEvents)
			.where(eq(schema.auditEvents.action, 'office.set_threshold'));
		expect(event).toMatchObject({
			provinceCode: 'TH-42',
			before: { approvalThreshold: DEFAULT_APPROVAL_THRESHOLD },
			after: { approvalThreshold: 18 }
		});
	});

	it('asks for a reason to approve below the threshold and records it with the total', async () => {
		const { db } = database;
		await setApprovalThreshold(db, officer, 'TH-42', { approvalThreshold: 17 });
		const { member, id } = await submitted('TH-42');
		// 4 + 3 + 4 + 5 = 16, one below the office's 17.
		expect(await codeOf(decideApplication(db, officer, 'TH-42', id, review('approve'), origin))).toBe(
			'threshold_reason_required'
		);
		expect((await statusOf(member)).status).toBe('submitted');
		// Rejecting below the threshold needs no such reason; approving at or above it neither.
		const decided = await decideApplication(
			db,
			officer,
			'TH-42',
			id,
			review('approve', { thresholdReason: 'ผู้ซื้อในจังหวัดต้องการสินค้านี้มาก' }),
			origin
		);
		expect(decided.comments).toMatchObject({ thresholdReason: 'ผู้ซื้อในจังหวัดต้องการสินค้านี้มาก' });
		expect((await statusOf(member)).status).toBe('approved');
		const [event] = await db
			.select()
			.from(schema.auditEvents)
			.where(and(eq(schema.auditEvents.subjectId, id), eq(schema.auditEvents.action, 'startup.approve')));
		expect(event!.after).toMatchObject({ total: 16, threshold: 17 });
		const atThreshold = await submitted('TH-42');
		await decideApplication(
			db,
			officer,
			'TH-42',
			atThreshold.id,
			review('approve', { complianceScore: '5', readinessScore: '5' }),
			origin
		);
		expect((await statusOf(atThreshold.member)).status).toBe('approved');
	});

	it('returns an application for revision with notes the startup sees, and takes it back when resubmitted', async () => {
		const { db } = database;
		// Returning needs notes: the schema refuses it without, and so does the database.
		const withoutNote = reviewSchema.safeParse({
			...Object.fromEntries(
				['market', 'innovation', 'readiness', 'compliance'].map((k) => [`${k}Score`, '3'])
			),
			...Object.fromEntries(
				['market', 'innovation', 'readiness', 'compliance'].map((k) => [`${k}Comment`, ''])
			),
			decision: 'revise',
			reasonCode: '',
			note: '  '
		});
		expect(withoutNote.success).toBe(false);
		expect(withoutNote.error?.issues[0]).toMatchObject({ path: ['note'], message: 'revise_note_required' });
		const { member, id } = await submitted('TH-40');
		const notes = 'เพิ่มรูปสินค้าและหลักฐานกำลังการผลิต';
		await decideApplication(db, officer, 'TH-40', id, review('revise', { note: notes }), origin);
		expect((await statusOf(member)).status).toBe('draft');
		expect((await reviewQueue(db, 'TH-40')).map((row) => row.id)).not.toContain(id);
		const [notice] = await db
			.select()
			.from(schema.notifications)
			.where(
				and(eq(schema.notifications.userId, member.id), eq(schema.notifications.kind, 'application_returned'))
			);
		expect(notice!.payload).toMatchObject({ note: notes });
		const [event] = await db
			.select()
			.from(schema.auditEvents)
			.where(and(eq(schema.auditEvents.subjectId, id), eq(schema.auditEvents.action, 'startup.return')));
		expect(event!.after).toMatchObject({ status: 'draft', comments: { note: notes } });
		await expect(
			db.insert(schema.reviews).values({
				startupId: id,
				marketScore: 3,
				innovationScore: 3,
				readinessScore: 3,
				complianceScore: 3,
				decision: 'revise'
			})
		).rejects.toThrow();
		// The startup revises and applies again; the office sees it in its queue.
		await saveProduct(db, member, product({ monthlyCapacity: '3000' }));
		await submitForReview(db, member, origin);
		expect((await reviewQueue(db, 'TH-40')).map((row) => row.id)).toContain(id);
	});
});

describe("the province's startup", () => {
	async function approvedStartup(province = 'TH-40') {
		const member = await startupMember(province);
		await saveProfile(database.db, member, profile());
		await saveProduct(database.db, member, product());
		const { id } = await submitForReview(database.db, member, origin);
		await decideApplication(database.db, officer, province, id, review('approve'), origin);
		return id;
	}

	it('selects one per year, needs a reason to replace it, and refuses another province’s startup', async () => {
		const { db } = database;
		// This year in Thailand, as the office page offers it; the next two are other years.
		const year = yearInThailand();
		const first = await approvedStartup();
		const second = await approvedStartup();
		await selectProvinceStartup(db, officer, 'TH-40', { startupId: first, year, reason: null }, origin);
		expect(
			await codeOf(
				selectProvinceStartup(db, officer, 'TH-40', { startupId: second, year, reason: null }, origin)
			)
		).toBe('replace_reason_required');
		await selectProvinceStartup(
			db,
			officer,
			'TH-40',
			{ startupId: second, year, reason: 'กำลังการผลิตสูงกว่า' },
			origin
		);
		const rows = await db
			.select()
			.from(schema.provinceSelections)
			.where(eq(schema.provinceSelections.provinceCode, 'TH-40'));
		expect(rows.filter((r) => r.year === year).map((r) => r.startupId)).toEqual([second]);
		const elsewhere = await approvedStartup('TH-50');
		expect(
			await codeOf(
				selectProvinceStartup(
					db,
					officer,
					'TH-40',
					{ startupId: elsewhere, year: year + 1, reason: null },
					origin
				)
			)
		).toBe('startup_not_approved');
		// And the database itself refuses it, whatever the code above does.
		await expect(
			db
				.insert(schema.provinceSelections)
				.values({ provinceCode: 'TH-40', year: year + 2, startupId: elsewhere })
		).rejects.toThrow();
	});

	it('asks to confirm a choice by name and year, refusing at that step what the selection would refuse', async () => {
		const { db } = database;
		const year = yearInThailand() + 5;
		const first = await approvedStartup('TH-45');
		const second = await approvedStartup('TH-45');
		const preview = await previewSelection(db, 'TH-45', { startupId: first, year, reason: null });
		expect(preview).toMatchObject({ startupId: first, nameTh: 'ผ้าไหมมัดหมี่บ้านเขวา', year, replaces: null });
		// Confirming writes nothing.
		const none = await db
			.select()
			.from(schema.provinceSelections)
			.where(eq(schema.provinceSelections.provinceCode, 'TH-45'));
		expect(none).toHaveLength(0);
		await selectProvinceStartup(db, officer, 'TH-45', { startupId: first, year, reason: null }, origin);
		expect(await codeOf(previewSelection(db, 'TH-45', { startupId: second, year, reason: null }))).toBe(
			'replace_reason_required'
		);
		expect(
			await previewSelection(db, 'TH-45', { startupId: second, year, reason: 'ส่งมอบได้มากกว่า' })
		).toMatchObject({ replaces: first });
		const elsewhere = await approvedStartup('TH-46');
		expect(await codeOf(previewSelection(db, 'TH-45', { startupId: elsewhere, year, reason: null }))).toBe(
			'startup_not_approved'
		);
	});

	it('lists each candidate with its review total, capacity per unit, matched demand and deals', async () => {
		const { db } = database;
		const id = await approvedStartup('TH-47');
		const candidates = await approvedCandidates(db, 'TH-47');
		const candidate = candidates.find((c) => c.id === id)!;
		// 4 + 3 + 4 + 5 from the approving review; the product's 1,200 metres a month.
		expect(candidate).toMatchObject({
			rubricTotal: 16,
			capacity: [{ unit: 'metre', monthly: 1200 }],
			matchedDemands: 0,
			deals: 0
		});
	});

	it('lets exactly one of two simultaneous selections for a province-year win', async () => {
		const { db } = database;
		const [a, b] = [await approvedStartup(), await approvedStartup()];
		const attempts = await Promise.allSettled([
			selectProvinceStartup(
				db,
				officer,
				'TH-40',
				{ startupId: a, year: yearInThailand() + 1, reason: null },
				origin
			),
			selectProvinceStartup(
				db,
				officer,
				'TH-40',
				{ startupId: b, year: yearInThailand() + 1, reason: null },
				origin
			)
		]);
		expect(attempts.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
		const loser = attempts.find((r) => r.status === 'rejected') as PromiseRejectedResult;
		expect(['selection_taken', 'replace_reason_required']).toContain((loser.reason as UserError).code);
		expect(
			await db.$count(
				schema.provinceSelections,
				and(
					eq(schema.provinceSelections.provinceCode, 'TH-40'),
					eq(schema.provinceSelections.year, yearInThailand() + 1)
				)
			)
		).toBe(1);
	});

	it('on the server, two raw transactions inserting at once: the unique key lets one commit', async () => {
		const [a, b] = [await approvedStartup(), await approvedStartup()];
		const first = postgres(database.url, { max: 1, onnotice: () => {} });
		const second = postgres(database.url, { max: 1, onnotice: () => {} });
		try {
			const insert = (sql: postgres.Sql, startupId: string) =>
				sql.begin(async (tx) => {
					await tx`insert into province_selections (province_code, year, startup_id) values ('TH-40', ${yearInThailand() + 2}, ${startupId})`;
					await tx`select pg_sleep(0.2)`;
				});
			const results = await Promise.allSettled([insert(first, a), insert(second, b)]);
			expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
			expect(String((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason)).toMatch(
				/province_selections_province_year_key/
			);
		} finally {
			await first.end();
			await second.end();
		}
	});
});

describe('moving a startup between provinces', () => {
	it('lets a never-approved draft change province, and only an admin move it later, never while selected', async () => {
		const { db } = database;
		const member = await startupMember('TH-40');
		await saveProfile(db, member, { ...profile(), provinceCode: 'TH-41' });
		expect((await statusOf(member)).provinceCode).toBe('TH-41');
		await saveProduct(db, member, product());
		const { id } = await submitForReview(db, member, origin);
		expect(await codeOf(saveProfile(db, member, { ...profile(), provinceCode: 'TH-40' }))).toBe(
			'province_fixed'
		);
		const udon = await buildUser(db, { role: 'officer', provinceCode: 'TH-41', passwordHash: 'x' });
		await decideApplication(db, udon, 'TH-41', id, review('approve'), origin);
		await selectProvinceStartup(
			db,
			udon,
			'TH-41',
			{ startupId: id, year: yearInThailand(), reason: null },
			origin
		);
		const admin = { id: null as unknown as string, email: 'admin@test' };
		expect(await codeOf(moveStartup(db, admin, id, 'TH-40', 'moved factory'))).toBe(
			'startup_selected_cannot_move'
		);
		await db.delete(schema.provinceSelections).where(eq(schema.provinceSelections.startupId, id));
		await moveStartup(db, admin, id, 'TH-40', 'moved factory');
		const moved = await statusOf(member);
		expect(moved).toMatchObject({ provinceCode: 'TH-40', status: 'submitted' });
		expect((await reviewQueue(db, 'TH-40')).map((row) => row.id)).toContain(id);
	});
});
