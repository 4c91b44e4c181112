// Decisions on an approved startup that must hold on every surface (issue 20 items 1–2), through the one definition
// of a public startup (startups/public.ts). The rule for a rejected re-review: the refused changes are dropped, the
// startup stays public as it was approved and is told why. A suspended or revoked startup leaves every surface, its
// pending offers are withdrawn and their buyers told; reinstating brings it back. Real PostgreSQL and Meilisearch.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideApplication, selectProvinceStartup } from '$lib/server/curation/service';
import { decideStanding } from '$lib/server/curation/standing';
import * as schema from '$lib/server/db/schema';
import { UserError } from '$lib/server/errors';
import { exportDocument } from '$lib/server/exchange/service';
import { invalidateFigures } from '$lib/server/gap/cache';
import { gapRows } from '$lib/server/gap/queries';
import { startupPage } from '$lib/server/api/queries';
import { createDemand } from '$lib/server/demands/service';
import { makeOffer } from '$lib/server/offers/service';
import { selectionHistory } from '$lib/server/offices/queries';
import { createSearchClient } from '$lib/server/search/client';
import { drainOutboxOnce } from '$lib/server/search/outbox';
import { searchPortal } from '$lib/server/search/query';
import { sitemapEntries } from '$lib/server/sitemap/queries';
import { loadProfile, publicStartupBySlug, startupById } from '$lib/server/startups/queries';
import { saveProduct } from '$lib/server/startups/service';
import { reviewSchema, standingSchema } from '$lib/schemas/curation';
import { demandSchema, offerSchema } from '$lib/schemas/demand';
import { productSchema } from '$lib/schemas/startup';
import { yearInThailand } from '../helpers/dates';
import { signedInLocals } from '../helpers/route-event';
import { DEMAND_FORM, startWorld, type RunningWorld } from '../helpers/world';

const origin = 'http://portal.test';
/** Nothing listens on port 9: the Postgres fallback answers. */
const down = createSearchClient('http://127.0.0.1:9', 'x'.repeat(16));
const REFUSED = 'Riceberry crackers';

let running: RunningWorld;
beforeAll(async () => {
	running = await startWorld({ search: true });
}, 120_000);
afterAll(async () => {
	await running?.stop();
});

const drain = async () => {
	while ((await drainOutboxOnce(running.database.db, running.client!)).processed > 0);
	invalidateFigures();
};

/** What one surface shows of the startup: whether it is there (or may act), and the text it shows of it. */
type Seen = { present: boolean; text: string };

/** Every surface the one definition governs, each read the way the portal reads it. */
const SURFACES: Record<string, (startupId: string) => Promise<Seen>> = {
	async search(id) {
		const result = await searchPortal(running.database.db, running.client, 'hom mali', { type: 'startup' });
		const hit = result.hits.find((h) => h.id === id);
		const refused = await searchPortal(running.database.db, running.client, 'riceberry', {
			type: 'startup'
		});
		return { present: hit !== undefined, text: JSON.stringify([hit, refused.hits.find((h) => h.id === id)]) };
	},
	async fallback(id) {
		const result = await searchPortal(running.database.db, down, 'hom mali', { type: 'startup' });
		expect(result.engine).toBe('fallback');
		const hit = result.hits.find((h) => h.id === id);
		return { present: hit !== undefined, text: JSON.stringify(hit) };
	},
	async 'capacity and gap'() {
		const row = (await gapRows(running.database.db)).find(
			(r) => r.province === 'TH-50' && r.division === '01'
		);
		// Two approved startups of 5 tonnes a month each make the Chiang Mai rice capacity; ours is one of them.
		const tonnes = row?.capacityQuantities.find((q) => q.unit === 'tonne')?.quantity ?? 0;
		return { present: tonnes === 10, text: `capacity ${tonnes} tonnes` };
	},
	async offers() {
		const { db } = running.database;
		const { users } = running.world;
		const demand = await createDemand(
			db,
			users.buyer,
			demandSchema.parse({ ...DEMAND_FORM, titleTh: 'ข้าวทดสอบ', certifications: [] }),
			{ publish: true }
		);
		const offer = offerSchema.parse({ quantity: '1', unitPriceThb: '40000', leadTimeDays: '7', message: '' });
		try {
			await makeOffer(db, users.startup, demand.id, offer, origin);
			return { present: true, text: 'offered' };
		} catch (error) {
			if (error instanceof UserError && error.code === 'offer_needs_approval')
				return { present: false, text: '' };
			throw error;
		}
	},
	async selection(id) {
		try {
			await selectProvinceStartup(
				running.database.db,
				running.world.users.officer,
				'TH-50',
				{ startupId: id, year: yearInThailand() + 1, reason: 'ทดสอบ' },
				origin
			);
			return { present: true, text: 'selectable' };
		} catch (error) {
			if (error instanceof UserError && error.code === 'startup_not_approved')
				return { present: false, text: '' };
			throw error;
		}
	},
	async API(id) {
		const page = await startupPage(running.database.db, { province: 'TH-50' }, undefined, 100);
		const record = page.find((r) => r.id === id);
		return { present: record !== undefined, text: JSON.stringify(record) };
	},
	async exports(id) {
		const document = await exportDocument(running.database.db, { province: 'TH-50' });
		const record = document.startups.find((s) => s.ref === id);
		return { present: record !== undefined, text: JSON.stringify(record) };
	},
	async 'public page and sitemap'(id) {
		const startup = (await startupById(running.database.db, id))!;
		const [entries] = await sitemapEntries(running.database.db, 1000);
		const page = await publicStartupBySlug(running.database.db, startup.slug);
		expect(entries.some((e) => e.slug === startup.slug)).toBe(page !== null);
		return { present: page !== null, text: JSON.stringify(page?.startup.approvedSnapshot) };
	}
};

async function everySurface(id: string): Promise<Record<string, Seen>> {
	await drain();
	const seen: Record<string, Seen> = {};
	for (const [name, read] of Object.entries(SURFACES)) seen[name] = await read(id);
	return seen;
}

const presence = (seen: Record<string, Seen>) =>
	Object.fromEntries(Object.entries(seen).map(([name, s]) => [name, s.present]));
const everywhere = (present: boolean) =>
	Object.fromEntries(Object.keys(SURFACES).map((name) => [name, present]));

const standing = (decision: string, reason: string) =>
	standingSchema.parse({ startupId: running.world.ids.startup, decision, reason });

describe('a rejected re-review: the refused changes are dropped, the approved profile stays public', () => {
	it('holds on every surface, and the startup is told why', async () => {
		const { db } = running.database;
		const { users, ids } = running.world;
		expect(presence(await everySurface(ids.startup))).toEqual(everywhere(true));
		// A material edit: a new product of 900 tonnes a month sends the profile back for review.
		await saveProduct(
			db,
			users.startup,
			productSchema.parse({
				nameTh: 'ข้าวไรซ์เบอร์รี่อบกรอบ',
				nameEn: REFUSED,
				unit: 'tonne',
				monthlyCapacity: '900',
				priceThbMin: '',
				priceThbMax: ''
			})
		);
		expect((await startupById(db, ids.startup))!.status).toBe('submitted');
		await decideApplication(
			db,
			users.officer,
			'TH-50',
			ids.startup,
			reviewSchema.parse({
				marketScore: '2',
				innovationScore: '2',
				readinessScore: '1',
				complianceScore: '2',
				marketComment: '',
				innovationComment: '',
				readinessComment: '',
				complianceComment: '',
				decision: 'reject',
				reasonCode: 'capacity_unproven',
				note: ''
			}),
			origin
		);
		const startup = (await startupById(db, ids.startup))!;
		expect(startup.status).toBe('approved');
		const live = await loadProfile(db, startup);
		expect(live.products.map((p) => p.nameEn)).toEqual(['Hom Mali rice']);
		const seen = await everySurface(ids.startup);
		expect(presence(seen)).toEqual(everywhere(true));
		for (const [name, s] of Object.entries(seen)) expect(s.text, name).not.toContain(REFUSED);
		const [told] = await db
			.select()
			.from(schema.notifications)
			.where(
				and(
					eq(schema.notifications.userId, users.startup.id),
					eq(schema.notifications.kind, 'changes_rejected')
				)
			);
		expect(told!.payload).toMatchObject({ reason: 'capacity_unproven' });
		const [audit] = await db
			.select()
			.from(schema.auditEvents)
			.where(
				and(
					eq(schema.auditEvents.subjectId, ids.startup),
					eq(schema.auditEvents.action, 'startup.reject_changes')
				)
			);
		expect(audit).toBeDefined();
		// The startup's home says its changes were dropped, and why, though it stays approved.
		const home = (await import('../../src/routes/(app)/startup/+page.server')).load as (
			event: unknown
		) => Promise<{
			startup: { status: string } | null;
			lastReview?: { decision: string; reason: string | null };
		}>;
		const page = await home({
			locals: await signedInLocals(db, users.startup.id),
			url: new URL('http://localhost/startup')
		});
		expect(page.startup?.status).toBe('approved');
		expect(page.lastReview).toMatchObject({ decision: 'reject', reason: 'capacity_unproven' });
	});
});

describe('suspend, reinstate and revoke', () => {
	it('a suspended startup leaves every surface, its pending offer is withdrawn and the buyer told', async () => {
		const { db } = running.database;
		const { users, ids } = running.world;
		await selectProvinceStartup(
			db,
			users.officer,
			'TH-50',
			{ startupId: ids.startup, year: yearInThailand(), reason: null },
			origin
		);
		await decideStanding(db, users.officer, 'TH-50', ids.startup, standing('suspend', 'ใบรับรองปลอม'), origin);
		expect(presence(await everySurface(ids.startup))).toEqual(everywhere(false));
		const [offer] = await db.select().from(schema.offers).where(eq(schema.offers.id, ids.offer));
		expect(offer!.status).toBe('withdrawn');
		const buyerTold = await db
			.select()
			.from(schema.notifications)
			.where(
				and(
					eq(schema.notifications.userId, users.buyer.id),
					eq(schema.notifications.kind, 'offer_withdrawn_suspended')
				)
			);
		expect(buyerTold.length).toBeGreaterThan(0);
		const mail = await db
			.select()
			.from(schema.emailOutbox)
			.where(eq(schema.emailOutbox.toAddress, users.buyer.email));
		expect(mail.some((m) => m.subject.includes('ถูกถอน'))).toBe(true);
		const [audit] = await db
			.select()
			.from(schema.auditEvents)
			.where(
				and(eq(schema.auditEvents.subjectId, ids.startup), eq(schema.auditEvents.action, 'startup.suspend'))
			);
		expect(audit!.after).toMatchObject({
			reason: 'ใบรับรองปลอม',
			withdrawnOffers: expect.arrayContaining([ids.offer]) as unknown
		});
		// This year's selection must be replaced: the office page flags it.
		const current = (await selectionHistory(db, 'TH-50')).find((s) => s.year === yearInThailand());
		expect(current).toMatchObject({ startupId: ids.startup, isPublic: false });
		// Suspending twice is refused: there is nothing public left to suspend.
		await expect(
			decideStanding(db, users.officer, 'TH-50', ids.startup, standing('suspend', 'ซ้ำ'), origin)
		).rejects.toMatchObject({ code: 'standing_not_allowed' });
	});

	it('another province’s office cannot touch it', async () => {
		const { db } = running.database;
		await expect(
			decideStanding(
				db,
				running.world.users.officer,
				'TH-10',
				running.world.ids.startup,
				standing('reinstate', 'x'),
				origin
			)
		).rejects.toMatchObject({ status: 404 });
	});

	it('reinstating brings it back everywhere, with a reason on the record', async () => {
		const { db } = running.database;
		const { users, ids } = running.world;
		const result = await decideStanding(
			db,
			users.admin,
			'TH-50',
			ids.startup,
			standing('reinstate', 'ตรวจแล้วถูกต้อง'),
			origin
		);
		expect(result.status).toBe('approved');
		expect(presence(await everySurface(ids.startup))).toEqual(everywhere(true));
		const [told] = await db
			.select()
			.from(schema.notifications)
			.where(
				and(
					eq(schema.notifications.userId, users.startup.id),
					eq(schema.notifications.kind, 'startup_reinstated')
				)
			);
		expect(told!.payload).toMatchObject({ reason: 'ตรวจแล้วถูกต้อง' });
	});

	it('a revoked startup leaves every surface and must apply again', async () => {
		const { db } = running.database;
		const { users, ids } = running.world;
		await decideStanding(
			db,
			users.officer,
			'TH-50',
			ids.startup,
			standing('revoke', 'ไม่ได้ผลิตในจังหวัด'),
			origin
		);
		expect(presence(await everySurface(ids.startup))).toEqual(everywhere(false));
		const startup = (await startupById(db, ids.startup))!;
		expect(startup).toMatchObject({ status: 'rejected', approvedSnapshot: null });
		await expect(
			decideStanding(db, users.officer, 'TH-50', ids.startup, standing('reinstate', 'x'), origin)
		).rejects.toMatchObject({ code: 'standing_not_allowed' });
	});
});
