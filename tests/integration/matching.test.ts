// Matching against the real Meilisearch and the database, both directions, and the Postgres fallback when
// Meilisearch is stopped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as schema from '$lib/server/db/schema';
import { eq } from 'drizzle-orm';
import { computeCoverage, refreshAllCoverage, refreshCoverage } from '$lib/server/gap/coverage';
import { matchDemandsForStartup, matchStartupsForDemand } from '$lib/server/matching/service';
import { searchPortal } from '$lib/server/search/query';
import { createSearchClient, type Meilisearch } from '$lib/server/search/client';
import { applyIndexSettings } from '$lib/server/search/indexes';
import { drainOutboxOnce, enqueueSearchSync } from '$lib/server/search/outbox';
import type { MeiliProcess } from '$lib/server/search/process';
import { buildDemand, buildStartup } from '../factories';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startTestMeili } from '../helpers/meili';

let database: TestDatabase;
let meili: MeiliProcess;
let client: Meilisearch;
const ids: Record<string, string> = {};

beforeAll(async () => {
	[database, meili] = await Promise.all([createTestDatabase(), startTestMeili()]);
	client = createSearchClient(meili.url, meili.masterKey);
	await applyIndexSettings(client);
	// Organic jasmine rice near Bangkok; the same without the certificate; rice far away; coffee; fish sauce.
	ids.organicNear = (
		await buildStartup(
			database.db,
			{ provinceCode: 'TH-12', nameTh: 'organicNear ฟาร์ม', nameEn: null },
			{
				products: [{ nameTh: 'ข้าวหอมมะลิอินทรีย์', nameEn: null, monthlyCapacity: 3000, priceThbMin: 40 }],
				divisions: ['01'],
				certifications: ['organic-thailand'],
				indexed: true
			}
		)
	).id;
	ids.plainNear = (
		await buildStartup(
			database.db,
			{ provinceCode: 'TH-12', nameTh: 'plainNear ฟาร์ม', nameEn: null },
			{
				products: [{ nameTh: 'ข้าวหอมมะลิ', nameEn: null, monthlyCapacity: 5000, priceThbMin: 30 }],
				divisions: ['01'],
				indexed: true
			}
		)
	).id;
	ids.organicFar = (
		await buildStartup(
			database.db,
			{ provinceCode: 'TH-45', nameTh: 'organicFar ฟาร์ม', nameEn: null },
			{
				products: [
					{ nameTh: 'ข้าวหอมมะลิ', nameEn: 'Thung Kula jasmine rice', monthlyCapacity: 1000, priceThbMin: 42 }
				],
				divisions: ['01'],
				certifications: ['organic-thailand'],
				indexed: true
			}
		)
	).id;
	ids.coffee = (
		await buildStartup(
			database.db,
			{ provinceCode: 'TH-57', nameTh: 'coffee ฟาร์ม', nameEn: null },
			{
				products: [{ nameTh: 'กาแฟคั่ว', nameEn: null, monthlyCapacity: 500, priceThbMin: 400 }],
				divisions: ['10'],
				certifications: ['organic-thailand'],
				indexed: true
			}
		)
	).id;
	ids.fishSauce = (
		await buildStartup(
			database.db,
			{ provinceCode: 'TH-22', nameTh: 'fishSauce ฟาร์ม', nameEn: null },
			{
				products: [{ nameTh: 'น้ำปลา', nameEn: null, unit: 'litre', monthlyCapacity: 8000 }],
				divisions: ['10'],
				certifications: ['organic-thailand'],
				indexed: true
			}
		)
	).id;
	ids.rice = (
		await buildDemand(
			database.db,
			{ titleTh: null, titleEn: 'Organic jasmine rice', deliveryProvinceCode: 'TH-10', priceThbMax: 45000 },
			['organic-thailand'],
			{ indexed: true }
		)
	).id;
	ids.coffeeDemand = (
		await buildDemand(
			database.db,
			{ titleTh: 'กาแฟคั่วกลาง', titleEn: null, divisionCode: '10', unit: 'kg', quantity: 300 },
			[],
			{ indexed: true }
		)
	).id;
	ids.needsHalal = (
		await buildDemand(
			database.db,
			{ titleTh: null, titleEn: 'Jasmine rice, halal', deliveryProvinceCode: 'TH-12' },
			['halal'],
			{ indexed: true }
		)
	).id;
	while ((await drainOutboxOnce(database.db, client)).processed > 0);
}, 120_000);

afterAll(async () => {
	await Promise.all([database?.dispose(), meili?.stop()]);
});

describe('matching on Meilisearch', () => {
	it('finds the startups that can supply a demand, across languages, certified, best first, with reasons', async () => {
		const result = await matchStartupsForDemand(database.db, client, ids.rice!);
		expect(result).toMatchObject({ engine: 'meili', degraded: false });
		const order = result.matches.map((m) => m.id);
		// The uncertified farm, the coffee roaster and the fish sauce maker cannot supply it.
		expect(order).toEqual([ids.organicNear, ids.organicFar]);
		const [best] = result.matches;
		expect(best!.reasons).toMatchObject({
			category: 'same',
			certificationsRequired: ['organic-thailand'],
			capacityCoveragePercent: 100,
			distanceBand: 'same_region',
			priceFit: 'within'
		});
		expect(best!.reasons.matchedTerms.length).toBeGreaterThan(0);
		expect(result.matches[1]!.reasons.capacityCoveragePercent).toBe(50);
	});

	it('finds the demands a startup can serve, leaving out those needing a certificate it lacks', async () => {
		// Without organic or halal certificates the plain rice farm can serve neither rice demand, and coffee is
		// only a related category with no words in common.
		const plain = await matchDemandsForStartup(database.db, client, ids.plainNear!);
		expect(plain.matches).toEqual([]);
		const organic = await matchDemandsForStartup(database.db, client, ids.organicNear!);
		expect(organic.matches.map((m) => m.id)).toEqual([ids.rice]);
		const coffee = await matchDemandsForStartup(database.db, client, ids.coffee!);
		expect(coffee.matches.map((m) => m.id)).toEqual([ids.coffeeDemand]);
		expect(coffee.matches[0]!.reasons.matchedTerms.join(' ')).toContain('กาแฟ');
	});
});

describe('fallback on Postgres', () => {
	it('gives the same answers with the same constraints and score', async () => {
		const meiliRice = await matchStartupsForDemand(database.db, client, ids.rice!);
		const fallbackRice = await matchStartupsForDemand(database.db, client, ids.rice!, { engine: 'fallback' });
		expect(fallbackRice).toMatchObject({ engine: 'fallback', degraded: false });
		expect(fallbackRice.matches.map((m) => m.id)).toEqual(meiliRice.matches.map((m) => m.id));
		const fallbackCoffee = await matchDemandsForStartup(database.db, client, ids.coffee!, {
			engine: 'fallback'
		});
		expect(fallbackCoffee.matches.map((m) => m.id)).toEqual([ids.coffeeDemand]);
	});

	it('answers from Postgres while the index is behind, then from Meilisearch once the outbox drains', async () => {
		const { db } = database;
		await enqueueSearchSync(db, 'startup', [ids.organicNear!]);
		await db.update(schema.searchOutbox).set({ enqueuedAt: new Date(Date.now() - 60_000) });
		// The tests before this one found the index up to date, an answer matching keeps for a second.
		await new Promise((resolve) => setTimeout(resolve, 1_100));
		expect(await matchStartupsForDemand(db, client, ids.rice!)).toMatchObject({
			engine: 'fallback',
			degraded: true
		});
		while ((await drainOutboxOnce(db, client)).processed > 0);
		expect(await matchStartupsForDemand(db, client, ids.rice!)).toMatchObject({
			engine: 'meili',
			degraded: false
		});
	});

	it('answers, marked degraded, when Meilisearch is stopped', async () => {
		const down = createSearchClient('http://127.0.0.1:9', 'x'.repeat(16));
		const result = await matchStartupsForDemand(database.db, down, ids.rice!);
		expect(result).toMatchObject({ engine: 'fallback', degraded: true });
		expect(result.matches.map((m) => m.id)).toEqual([ids.organicNear, ids.organicFar]);
	});
});

describe('announcing a new demand', () => {
	it('tells the members of the best-matching startups once, when its coverage is computed after publishing', async () => {
		const { db } = database;
		const member = await db
			.insert(schema.users)
			.values({
				email: 'owner-near@example.org',
				role: 'startup',
				organisationId: (
					await db.select().from(schema.startups).where(eq(schema.startups.id, ids.organicNear!))
				)[0]!.organisationId
			})
			.returning();
		const notes = () =>
			db.select().from(schema.notifications).where(eq(schema.notifications.userId, member[0]!.id));
		const pending = async () =>
			(
				await db
					.select({ pending: schema.demands.announcePending })
					.from(schema.demands)
					.where(eq(schema.demands.id, ids.rice!))
			)[0]!.pending;
		const origin = 'http://portal.test';

		// An open demand nobody asked to announce (imported, or announced before) is not announced.
		await computeCoverage(db, client, ids.rice!, { origin });
		expect(await notes()).toEqual([]);

		// Published by its buyer: pending. Coverage computed without the portal's address (the CLI) leaves it
		// pending.
		await db.update(schema.demands).set({ announcePending: true }).where(eq(schema.demands.id, ids.rice!));
		await refreshAllCoverage(db, client);
		expect(await notes()).toEqual([]);
		expect(await pending()).toBe(true);
		// Only a verified buyer's demand is announced: while its buyer is unverified it waits, and the worker does
		// not compute it again and again.
		expect((await refreshCoverage(db, client, 200, { origin })).computed).toBe(0);
		expect(await notes()).toEqual([]);
		expect(await pending()).toBe(true);
		const [rice] = await db.select().from(schema.demands).where(eq(schema.demands.id, ids.rice!));
		await db
			.update(schema.organisations)
			.set({ verification: 'verified', registrationNumber: '0105555012348', verifiedAt: new Date() })
			.where(eq(schema.organisations.id, rice!.buyerOrganisationId));
		// Verified: the worker's next pass computes it again because it is pending, and announces it.
		expect((await refreshCoverage(db, client, 200, { origin })).computed).toBe(1);
		expect((await notes()).map((n) => n.kind)).toEqual(['demand_matches_you']);
		expect(await pending()).toBe(false);
		const [mail] = await db
			.select()
			.from(schema.emailOutbox)
			.where(eq(schema.emailOutbox.toAddress, 'owner-near@example.org'));
		expect(mail!.bodyText).toContain(`${origin}/demand/${ids.rice}`);

		// Announcing is not an edit: the coverage just computed stays current.
		expect((await refreshCoverage(db, client, 200, { origin })).computed).toBe(0);
		// Computed again (the demand edited, a startup changed): not announced twice.
		await computeCoverage(db, client, ids.rice!, { origin });
		expect(await notes()).toHaveLength(1);
	});
});

describe('Meilisearch stopped mid-test', () => {
	it('keeps writes working, degrades matching, and converges after a restart', async () => {
		const { db } = database;
		await meili.stop();
		// A new certified rice farm is written while search is down: the write and its outbox row succeed.
		ids.lateFarm = (
			await buildStartup(
				database.db,
				{ provinceCode: 'TH-10', nameTh: 'lateFarm ฟาร์ม', nameEn: null },
				{
					products: [{ nameTh: 'ข้าวหอมมะลิ', nameEn: null, monthlyCapacity: 4000, priceThbMin: 39 }],
					divisions: ['01'],
					certifications: ['organic-thailand'],
					indexed: true
				}
			)
		).id;
		const degraded = await matchStartupsForDemand(db, client, ids.rice!);
		expect(degraded).toMatchObject({ engine: 'fallback', degraded: true });
		expect(degraded.matches.map((m) => m.id)).toContain(ids.lateFarm);
		await meili.start();
		while ((await drainOutboxOnce(db, client)).processed > 0);
		const recovered = await matchStartupsForDemand(db, client, ids.rice!);
		expect(recovered.engine).toBe('meili');
		// The same startups as Postgres gives (the index has converged; text ranking may order them differently).
		const truth = await matchStartupsForDemand(db, client, ids.rice!, { engine: 'fallback' });
		expect(recovered.matches.map((m) => m.id).sort()).toEqual(truth.matches.map((m) => m.id).sort());
		expect(recovered.matches.map((m) => m.id)).toContain(ids.lateFarm);
	}, 60_000);
});

describe('the search box', () => {
	it('finds startups and demands across languages on Meilisearch, and on Postgres when it is down', async () => {
		const found = await searchPortal(database.db, client, 'jasmine rice');
		expect(found.engine).toBe('meili');
		const startupIds = found.hits.filter((h) => h.type === 'startup').map((h) => h.id);
		expect(startupIds).toEqual(expect.arrayContaining([ids.organicNear, ids.plainNear, ids.organicFar]));
		expect(found.hits.filter((h) => h.type === 'demand').map((h) => h.id)).toContain(ids.rice);
		const down = createSearchClient('http://127.0.0.1:9', 'x'.repeat(16));
		const fallback = await searchPortal(database.db, down, 'coffee ฟาร์ม');
		expect(fallback.engine).toBe('fallback');
		expect(fallback.hits.map((h) => h.id)).toEqual([ids.coffee]);
	});
});

describe('relevance is about the product and one pair has one score (issue 19)', () => {
	beforeAll(async () => {
		// A food maker that shares only the category with the roasted-coffee demand, and beats the roaster on
		// everything else: every certificate, the roaster's own province, a thousand times the capacity, cheap.
		ids.breadDecoy = (
			await buildStartup(
				database.db,
				{ provinceCode: 'TH-57', nameTh: 'breadDecoy ฟาร์ม', nameEn: null },
				{
					products: [{ nameTh: 'ขนมปัง', nameEn: 'Bread', monthlyCapacity: 1_000_000, priceThbMin: 1 }],
					divisions: ['10'],
					certifications: ['organic-thailand', 'halal', 'gmp'],
					indexed: true
				}
			)
		).id;
		// A Thai-only arabica roaster spelt without the tone mark, for an English-only demand.
		ids.arabica = (
			await buildStartup(
				database.db,
				{ provinceCode: 'TH-50', nameTh: 'arabica ฟาร์ม', nameEn: null },
				{
					products: [{ nameTh: 'กาแฟอาราบิกา', nameEn: null, monthlyCapacity: 800, priceThbMin: 350 }],
					divisions: ['10'],
					indexed: true
				}
			)
		).id;
		ids.arabicaDemand = (
			await buildDemand(
				database.db,
				{
					titleTh: null,
					titleEn: 'Arabica coffee beans, medium roast',
					divisionCode: '10',
					unit: 'kg',
					quantity: 300
				},
				[],
				{ indexed: true }
			)
		).id;
		while ((await drainOutboxOnce(database.db, client)).processed > 0);
	});

	it('ranks a category-only candidate after every product match, marked and scored below a good match', async () => {
		for (const engine of ['meili', 'fallback'] as const) {
			const result = await matchStartupsForDemand(database.db, client, ids.coffeeDemand!, { engine });
			expect(result.engine).toBe(engine);
			const kinds = result.matches.map((m) => m.reasons.relevance);
			expect(kinds.indexOf('category')).toBeGreaterThan(kinds.lastIndexOf('product'));
			expect(result.matches[0]!.id).toBe(ids.coffee);
			const decoy = result.matches.find((m) => m.id === ids.breadDecoy)!;
			expect(decoy.reasons).toMatchObject({ relevance: 'category', matchedTerms: [] });
			expect(decoy.score).toBeLessThan(0.5);
		}
	});

	it('finds a Thai-only variant spelling from English on Meilisearch, with the words as the startup wrote them', async () => {
		const result = await matchStartupsForDemand(database.db, client, ids.arabicaDemand!);
		expect(result.engine).toBe('meili');
		const arabica = result.matches.find((m) => m.id === ids.arabica)!;
		expect(arabica.reasons.relevance).toBe('product');
		expect(arabica.reasons.matchedTerms).toEqual(['อาราบิกา']);
		expect(result.matches[0]!.id).toBe(ids.arabica);
	});

	it('gives one pair the same score and reasons from either engine, with whole words only', async () => {
		for (const [key, direction] of [
			['coffeeDemand', matchStartupsForDemand],
			['arabicaDemand', matchStartupsForDemand],
			['coffee', matchDemandsForStartup],
			['organicNear', matchDemandsForStartup]
		] as const) {
			const fromMeili = await direction(database.db, client, ids[key]!);
			const fromPostgres = await direction(database.db, client, ids[key]!, { engine: 'fallback' });
			expect(fromMeili.engine).toBe('meili');
			expect(fromMeili.matches.length).toBeGreaterThan(0);
			expect(fromMeili.matches).toEqual(fromPostgres.matches);
		}
		const coffee = await matchStartupsForDemand(database.db, client, ids.coffeeDemand!);
		expect(coffee.matches[0]!.reasons.matchedTerms).toEqual(['กาแฟคั่ว']);
	});
});
