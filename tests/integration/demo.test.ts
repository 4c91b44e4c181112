// The demo loader on a freshly migrated database: every province gets approved startups, open demand delivered
// there and, for two thirds of them, this year's selection; a second run finds everything in place and writes
// nothing; once matched, part of the open demand is unmet and part is not.
import { and, eq, inArray, isNotNull, like, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as schema from '$lib/server/db/schema';
import { DEMO_CURATOR_EMAIL, seedDemo, type DemoReport } from '$lib/server/demo/seed';
import { refreshAllCoverage } from '$lib/server/gap/coverage';
import { monthlyTrend, provinceTotals } from '$lib/server/gap/queries';
import { todayInThailand } from '$lib/schemas/demand';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

/** Every table the loader writes to (or must leave alone). */
const TABLES = {
	organisations: schema.organisations,
	users: schema.users,
	startups: schema.startups,
	products: schema.products,
	startupDivisions: schema.startupDivisions,
	startupCertifications: schema.startupCertifications,
	demands: schema.demands,
	demandCertifications: schema.demandCertifications,
	offers: schema.offers,
	deals: schema.deals,
	provinceSelections: schema.provinceSelections,
	auditEvents: schema.auditEvents,
	searchOutbox: schema.searchOutbox,
	notifications: schema.notifications,
	emailOutbox: schema.emailOutbox
};
type Counts = Record<keyof typeof TABLES, number>;

let database: TestDatabase;
let first: DemoReport;
let before: Counts;
const year = Number(todayInThailand().slice(0, 4));
const origin = 'http://localhost';

async function counts(): Promise<Counts> {
	const result = {} as Counts;
	for (const name of Object.keys(TABLES) as (keyof typeof TABLES)[])
		result[name] = await database.db.$count(TABLES[name]);
	return result;
}

beforeAll(async () => {
	database = await createTestDatabase();
	first = await seedDemo(database.db, { origin });
	before = await counts();
}, 120_000);

afterAll(async () => {
	await database?.dispose();
});

describe('seedDemo', () => {
	it('gives every province approved startups and open demand delivered there', async () => {
		const { db } = database;
		const provinces = (await db.select({ code: schema.provinces.code }).from(schema.provinces)).map(
			(p) => p.code
		);
		expect(provinces).toHaveLength(77);
		const startupRows = await db
			.select({ province: schema.startups.provinceCode, n: sql<number>`count(*)::int` })
			.from(schema.startups)
			.where(and(eq(schema.startups.status, 'approved'), isNotNull(schema.startups.approvedAt)))
			.groupBy(schema.startups.provinceCode);
		const demandRows = await db
			.select({ province: schema.demands.deliveryProvinceCode, n: sql<number>`count(*)::int` })
			.from(schema.demands)
			.where(eq(schema.demands.status, 'open'))
			.groupBy(schema.demands.deliveryProvinceCode);
		const startupsIn = new Map(startupRows.map((r) => [r.province, r.n]));
		const demandsIn = new Map(demandRows.map((r) => [r.province, r.n]));
		for (const code of provinces) {
			expect(startupsIn.get(code) ?? 0, code).toBeGreaterThanOrEqual(1);
			expect(demandsIn.get(code) ?? 0, code).toBeGreaterThanOrEqual(1);
		}
		expect(startupsIn.get('TH-10')).toBeGreaterThanOrEqual(2);
		expect(first.startups.created).toBe(before.startups);
		expect(first.openDemands.created + first.pastDemands.created).toBe(before.demands);
		expect(first.deals).toBe(before.deals);
		// Every new startup and demand went to the search outbox in the transaction that wrote it.
		const queued = await db
			.selectDistinct({ entity: schema.searchOutbox.entity, id: schema.searchOutbox.entityId })
			.from(schema.searchOutbox);
		expect(queued.filter((q) => q.entity === 'startup')).toHaveLength(before.startups);
		expect(queued.filter((q) => q.entity === 'demand')).toHaveLength(before.demands);
	});

	it("selects one of the province's own startups for this year in about two thirds of the provinces", async () => {
		const { db } = database;
		const rows = await db
			.select({
				province: schema.provinceSelections.provinceCode,
				startupProvince: schema.startups.provinceCode,
				ref: schema.startups.ref,
				selectedBy: schema.provinceSelections.selectedBy
			})
			.from(schema.provinceSelections)
			.innerJoin(schema.startups, eq(schema.startups.id, schema.provinceSelections.startupId))
			.where(eq(schema.provinceSelections.year, year));
		expect(rows).toHaveLength(first.selections.created);
		expect(rows.length).toBeGreaterThanOrEqual(45);
		expect(rows.length).toBeLessThanOrEqual(57);
		const [curator] = await db.select().from(schema.users).where(eq(schema.users.email, DEMO_CURATOR_EMAIL));
		// The actor exists for the record only: nobody can sign in as it.
		expect(curator).toMatchObject({ role: 'admin', status: 'suspended', passwordHash: null });
		for (const row of rows) {
			expect(row.startupProvince).toBe(row.province);
			expect(row.ref).toMatch(/^demo-s-/);
			expect(row.selectedBy).toBe(curator!.id);
		}
		const audited = await db.$count(schema.auditEvents, eq(schema.auditEvents.action, 'selection.create'));
		expect(audited).toBe(rows.length);
	});

	it('marks every demo organisation as demo in both languages', async () => {
		const { db } = database;
		const startups = await db.select().from(schema.startups).where(like(schema.startups.ref, 'demo-%'));
		expect(startups).toHaveLength(before.startups);
		for (const s of startups) {
			expect(s.nameTh).toMatch(/^\[ตัวอย่าง\] /);
			expect(s.nameEn).toMatch(/^\[Demo\] /);
		}
		const buyers = await db
			.selectDistinct({ name: schema.organisations.name })
			.from(schema.organisations)
			.innerJoin(schema.demands, eq(schema.demands.buyerOrganisationId, schema.organisations.id));
		expect(buyers.length).toBeGreaterThan(77);
		for (const b of buyers) expect(b.name).toMatch(/^\[ตัวอย่าง\] .+ \/ \[Demo\] .+/);
	});

	it('gives the monthly trend a year of posted demand and deals', async () => {
		const trend = await monthlyTrend(database.db, 12);
		expect(trend.filter((m) => m.postedDemands > 0).length).toBeGreaterThanOrEqual(10);
		expect(trend.filter((m) => m.deals > 0).length).toBeGreaterThanOrEqual(6);
		// No month holds most of it: open demand is spread over the last four months, not posted all today.
		const posted = trend.reduce((sum, m) => sum + m.postedDemands, 0);
		expect(Math.max(...trend.map((m) => m.postedDemands))).toBeLessThan(posted / 2);
		const ended = await database.db
			.select({ status: schema.demands.status, n: sql<number>`count(*)::int` })
			.from(schema.demands)
			.where(inArray(schema.demands.status, ['fulfilled', 'closed', 'expired']))
			.groupBy(schema.demands.status);
		expect(ended.map((r) => r.status).sort()).toEqual(['closed', 'expired', 'fulfilled']);
	});

	it('changes nothing when run again', async () => {
		const second = await seedDemo(database.db, { origin });
		expect(second).toEqual({
			year,
			startups: { created: 0, updated: 0, unchanged: first.startups.created },
			openDemands: { created: 0, updated: 0, unchanged: first.openDemands.created },
			pastDemands: { created: 0, unchanged: first.pastDemands.created },
			deals: 0,
			selections: { created: 0, unchanged: first.selections.created, skipped: 0 }
		});
		expect(await counts()).toEqual(before);
	}, 120_000);

	it('leaves part of the open demand unmet, not all of it, once the matching engine has looked', async () => {
		const { db } = database;
		// Meilisearch is not running here: the Postgres fallback applies the same constraints and score.
		await refreshAllCoverage(db, null);
		const totals = Object.values(await provinceTotals(db, year));
		const open = totals.reduce((sum, t) => sum + t.openDemands, 0);
		const unmet = totals.reduce((sum, t) => sum + t.unmetDemands, 0);
		expect(totals.reduce((sum, t) => sum + t.pendingDemands, 0)).toBe(0);
		expect(unmet).toBeGreaterThan(open * 0.1);
		expect(unmet).toBeLessThan(open * 0.6);
		expect(totals.filter((t) => t.selected)).toHaveLength(first.selections.created);
	}, 180_000);
});
