// Saved searches and their alerts on a real PostgreSQL and a real Meilisearch: listings enter searches as the
// search outbox indexes them, alerts go out at once or as digests, and only the owner or the signed link changes one.
import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as schema from '$lib/server/db/schema';
import { createSearchClient, type Meilisearch } from '$lib/server/search/client';
import { applyIndexSettings } from '$lib/server/search/indexes';
import { drainOutboxOnce, enqueueSearchSync } from '$lib/server/search/outbox';
import type { MeiliProcess } from '$lib/server/search/process';
import { demandDocument } from '$lib/server/search/documents';
import { loadDemandSources } from '$lib/server/search/sources';
import { anchorsOf, criteriaSchema, type SearchCriteria } from '$lib/server/alerts/criteria';
import {
	createSavedSearch,
	deleteSavedSearch,
	deliverAlerts,
	listSavedSearches,
	MAX_SAVED_SEARCHES,
	periodStart,
	recordMatches,
	stopAlerts,
	updateSavedSearch,
	type SavedSearchSettings
} from '$lib/server/alerts/service';
import { unsubscribeToken, verifyUnsubscribeToken } from '$lib/server/alerts/unsubscribe';
import { lineOffer } from '$lib/server/line/service';
import { setLotAvailability } from '$lib/server/waste/service';
import { parseWasteSearch, searchPublicLots, wasteSaveCriteria } from '$lib/server/waste/public-search';
import { drainEmailOutboxOnce } from '$lib/server/email/outbox';
import { smtpTransport } from '$lib/server/email/transport';
import { setRuntime } from '$lib/server/context';
import type { Runtime } from '$lib/server/runtime';
import { buildDemand, buildLot, buildOrganisation, buildUser, buildWasteActor } from '../factories';
import { routeEvent, routeModule, settle } from '../helpers/route-event';
import { startSmtpServer } from '../helpers/smtp';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startTestMeili } from '../helpers/meili';

let database: TestDatabase;
let meili: MeiliProcess;
let client: Meilisearch;
const ORIGIN = 'http://portal.test';

beforeAll(async () => {
	[database, meili] = await Promise.all([createTestDatabase(), startTestMeili()]);
	client = createSearchClient(meili.url, meili.masterKey);
	await applyIndexSettings(client);
	setRuntime({ db: database.db, database } as unknown as Runtime);
});
afterAll(async () => {
	setRuntime(undefined);
	await Promise.all([database?.dispose(), meili?.stop()]);
});

const criteria = (input: Partial<SearchCriteria>) => criteriaSchema.parse({ type: 'demand', ...input });
const settings = (input: Partial<SavedSearchSettings> = {}): SavedSearchSettings => ({
	name: 'ทดสอบ',
	frequency: 'instant',
	byEmail: true,
	byLine: false,
	...input
});

/** A demand written with its outbox row, as the services write them, then indexed. */
async function publish(overrides: Partial<typeof schema.demands.$inferInsert>) {
	const { db } = database;
	const demand = await db.transaction(async (tx) => {
		const row = await buildDemand(tx, overrides);
		await enqueueSearchSync(tx, 'demand', [row.id]);
		return row;
	});
	expect(await drainOutboxOnce(database.db, client)).toMatchObject({ failed: 0 });
	return demand;
}

/** A member of a new organisation of its kind (startups and buyers belong to one). */
async function member(role: 'startup' | 'buyer', locale: 'th' | 'en' = 'th') {
	const organisation = await buildOrganisation(database.db, { kind: role });
	return buildUser(database.db, { role, locale, organisationId: organisation.id });
}

/** A by-product lot of a new organisation in `provinceCode`, sent for review, approved by its office and indexed. */
async function approvedLot(provinceCode: string, form: Record<string, string>, availableNow = true) {
	const { db } = database;
	const actor = await buildWasteActor(db, 'buyer', provinceCode);
	const lot = await buildLot(db, actor, { availableNow: availableNow ? 'yes' : 'no', ...form });
	expect(await drainOutboxOnce(db, client)).toMatchObject({ failed: 0 });
	return { lot, actor };
}

async function alertsFor(userId: string) {
	return database.db
		.select()
		.from(schema.notifications)
		.where(and(eq(schema.notifications.userId, userId), eq(schema.notifications.kind, 'saved_search_alert')));
}

async function mailTo(email: string) {
	return database.db.select().from(schema.emailOutbox).where(eq(schema.emailOutbox.toAddress, email));
}

describe('saved search alerts', () => {
	it('sends exactly one alert at once for a new public demand that matches, with a working unsubscribe link', async () => {
		const { db } = database;
		const user = await member('startup', 'th');
		const id = await createSavedSearch(
			db,
			user.id,
			'demand',
			criteria({ q: 'ทุเรียน', tsic: ['01'] }),
			settings()
		);
		const demand = await publish({ titleTh: 'ทุเรียนหมอนทองส่งออก', divisionCode: '01' });

		expect(await deliverAlerts(db, ORIGIN)).toMatchObject({ alerts: 1, listings: 1 });
		const alerts = await alertsFor(user.id);
		expect(alerts).toHaveLength(1);
		expect(alerts[0]!.payload).toMatchObject({ count: 1, items: [{ link: `/demand/${demand.id}` }] });
		const mail = await mailTo(user.email);
		expect(mail).toHaveLength(1);
		expect(mail[0]!.bodyText).toContain('ทุเรียนหมอนทองส่งออก');

		// The demand changes and is indexed again: it already entered the search, so no second alert.
		await db.transaction(async (tx) => {
			await tx
				.update(schema.demands)
				.set({ detailsTh: 'ทุเรียนเกรดเอ' })
				.where(eq(schema.demands.id, demand.id));
			await enqueueSearchSync(tx, 'demand', [demand.id]);
		});
		await drainOutboxOnce(db, client);
		expect(await deliverAlerts(db, ORIGIN)).toMatchObject({ alerts: 0 });
		expect(await alertsFor(user.id)).toHaveLength(1);

		// The link in the mail stops the alerts; a forged one names nothing.
		const url = /\/alerts\/unsubscribe\/(\S+)/.exec(mail[0]!.bodyText)![1]!;
		expect(await verifyUnsubscribeToken(db, url)).toBe(id);
		expect(await verifyUnsubscribeToken(db, `${url.slice(0, -2)}xx`)).toBeUndefined();
		const other = await createSavedSearch(db, user.id, 'demand', criteria({ q: 'มังคุด' }), settings());
		// Another search's id with this search's signature is refused: the signature is bound to the id.
		expect(await verifyUnsubscribeToken(db, `${other}.${url.split('.')[1]}`)).toBeUndefined();
		expect(await verifyUnsubscribeToken(db, 'not-a-token')).toBeUndefined();
		expect(await stopAlerts(db, id)).toEqual({ name: 'ทดสอบ' });
		await publish({ titleTh: 'ทุเรียนก้านยาว', divisionCode: '01' });
		expect(await deliverAlerts(db, ORIGIN)).toMatchObject({ alerts: 0 });
		expect(await alertsFor(user.id)).toHaveLength(1);
	});

	it('does not alert for a demand that does not match, or one that is not public', async () => {
		const { db } = database;
		const user = await member('startup');
		await createSavedSearch(
			db,
			user.id,
			'demand',
			criteria({ q: 'มะพร้าวน้ำหอม', province: ['TH-70'] }),
			settings()
		);
		await publish({ titleTh: 'มะพร้าวน้ำหอมอบ', deliveryProvinceCode: 'TH-10' }); // another province
		await publish({ titleTh: 'มะม่วงน้ำดอกไม้', deliveryProvinceCode: 'TH-70' }); // other words
		await publish({ titleTh: 'มะพร้าวน้ำหอมสด', deliveryProvinceCode: 'TH-70', status: 'draft' }); // not public
		await publish({
			titleTh: 'มะพร้าวน้ำหอมแช่เย็น',
			deliveryProvinceCode: 'TH-70',
			status: 'hidden',
			hiddenReason: 'spam'
		});
		expect(await deliverAlerts(db, ORIGIN)).toMatchObject({ alerts: 0 });
		expect(await alertsFor(user.id)).toHaveLength(0);

		await publish({ titleTh: 'มะพร้าวน้ำหอมราชบุรี', deliveryProvinceCode: 'TH-70' });
		await deliverAlerts(db, ORIGIN);
		expect(await alertsFor(user.id)).toHaveLength(1);
	});

	it('groups a day’s listings into one digest after the day has turned, and one a period at most', async () => {
		const { db } = database;
		const user = await member('startup', 'en');
		await createSavedSearch(
			db,
			user.id,
			'demand',
			criteria({ q: 'cashew' }),
			settings({ frequency: 'daily', byEmail: false })
		);
		await publish({ titleTh: null, titleEn: 'Roasted cashew nuts' });
		await publish({ titleTh: null, titleEn: 'Cashew butter' });
		const now = new Date();
		// The day has not turned: nothing yet.
		expect(await deliverAlerts(db, ORIGIN, now)).toMatchObject({ alerts: 0 });
		const tomorrow = new Date(periodStart('daily', now).getTime() + 24 * 3600_000 + 60_000);
		expect(await deliverAlerts(db, ORIGIN, tomorrow)).toMatchObject({ alerts: 1, listings: 2 });
		const alerts = await alertsFor(user.id);
		expect(alerts).toHaveLength(1);
		expect(alerts[0]!.payload).toMatchObject({ count: 2, frequency: 'daily' });
		// Email was turned off for this search: the in-app alert only (no LINE channel is configured here).
		expect(await mailTo(user.email)).toHaveLength(0);

		// A listing entering later that day waits for the next day's digest.
		await publish({ titleTh: null, titleEn: 'Cashew flour' });
		const later = new Date(tomorrow.getTime() + 3600_000);
		await db
			.update(schema.savedSearchHits)
			.set({ matchedAt: later })
			.where(isNull(schema.savedSearchHits.alertedAt));
		expect(await deliverAlerts(db, ORIGIN, later)).toMatchObject({ alerts: 0 });
		expect(await deliverAlerts(db, ORIGIN, new Date(later.getTime() + 24 * 3600_000))).toMatchObject({
			alerts: 1,
			listings: 1
		});
	});

	it('checks only the searches a listing shares a key with, not every search', async () => {
		// Sixty distinct three-letter words (z, then two of ten letters each).
		const word = (i: number) => `z${'bcdfghjkmp'[i % 10]}${'qrstvw'[Math.floor(i / 10)]}`;
		const { db } = database;
		const user = await member('startup');
		for (let i = 0; i < 60; i++)
			await db.insert(schema.savedSearches).values({
				userId: user.id,
				name: `s${i}`,
				source: 'demand',
				criteria: criteria({ q: word(i) }),
				anchors: anchorsOf(criteria({ q: word(i) }))
			});
		const demand = await buildDemand(db, { titleTh: null, titleEn: `${word(7)} lentils` });
		const [source] = await loadDemandSources(db, [demand.id]);
		const result = await recordMatches(db, [{ entity: 'demand', document: demandDocument(source!) }]);
		expect(result.hits).toBe(1);
		expect(result.candidateChecks).toBeLessThan(5);
	});

	it('lets only the owner rename, re-time or delete a search', async () => {
		const { db } = database;
		const owner = await member('buyer');
		const stranger = await member('buyer');
		const id = await createSavedSearch(
			db,
			owner.id,
			'search',
			criteria({ type: null, q: 'กาแฟ' }),
			settings()
		);
		await expect(updateSavedSearch(db, stranger.id, id, settings({ name: 'ของฉัน' }))).rejects.toMatchObject({
			code: 'not_found'
		});
		await expect(deleteSavedSearch(db, stranger.id, id)).rejects.toMatchObject({ code: 'not_found' });
		expect(await listSavedSearches(db, stranger.id)).toEqual([]);
		await updateSavedSearch(db, owner.id, id, settings({ name: 'กาแฟคั่ว', frequency: 'weekly' }));
		const [mine] = await listSavedSearches(db, owner.id);
		expect(mine).toMatchObject({
			name: 'กาแฟคั่ว',
			frequency: 'weekly',
			link: '/search?q=%E0%B8%81%E0%B8%B2%E0%B9%81%E0%B8%9F'
		});
		await deleteSavedSearch(db, owner.id, id);
		expect(await listSavedSearches(db, owner.id)).toEqual([]);
	});

	it('mails an alert with one-click List-Unsubscribe (RFC 8058) that a bare POST from a mail program honours', async () => {
		const { db } = database;
		const user = await member('buyer', 'en');
		const id = await createSavedSearch(db, user.id, 'demand', criteria({ q: 'tamarind' }), settings());
		await publish({ titleTh: null, titleEn: 'Sweet tamarind paste' });
		await deliverAlerts(db, ORIGIN);
		const [queued] = await mailTo(user.email);
		const url = /\/alerts\/unsubscribe\/(\S+)/.exec(queued!.bodyText)![0];
		expect(queued!.headers).toEqual({
			'List-Unsubscribe': `<${ORIGIN}${url}>`,
			'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click'
		});

		// Through the real transport to the local SMTP server: the header fields arrive as set.
		const smtp = await startSmtpServer();
		const transport = smtpTransport(`smtp://127.0.0.1:${smtp.port}`, 'Portal <no-reply@portal.test>');
		try {
			while ((await drainEmailOutboxOnce(db, transport, { limit: 100 })).sent > 0);
		} finally {
			transport.close?.();
			await smtp.close();
		}
		const mail = smtp.received.find((received) => received.to.includes(user.email));
		// Unfolded (RFC 5322 2.2.3): a long field may continue on lines that start with white space.
		const fields = mail!.data
			.split(/\n\n/)[0]!
			.replace(/\n[ \t]+/g, ' ')
			.split('\n');
		expect(fields).toContain(`List-Unsubscribe: <${ORIGIN}${url}>`);
		expect(fields).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');

		// The mail program's POST: the RFC's body, no form token, no session; the link's token is enough.
		const page = await routeModule('(public)/alerts/unsubscribe/[token]/+page.server.ts');
		const action = (page.actions as Record<string, (event: unknown) => unknown>).default!;
		const token = url.split('/').at(-1)!;
		const done = await settle(async () =>
			action(
				routeEvent({
					locals: { user: null, session: null },
					method: 'POST',
					params: { token },
					body: { 'List-Unsubscribe': 'One-Click' }
				})
			)
		);
		expect(done).toMatchObject({ kind: 'data', value: { done: true } });
		expect((await listSavedSearches(db, user.id)).find((s) => s.id === id)).toMatchObject({
			frequency: 'off'
		});
		const forged = await settle(async () =>
			action(
				routeEvent({
					locals: { user: null, session: null },
					method: 'POST',
					params: { token: `${token.slice(0, -2)}zz` },
					body: { 'List-Unsubscribe': 'One-Click' }
				})
			)
		);
		expect(forged).toMatchObject({ kind: 'failure', status: 400 });
	});

	it('refuses LINE alerts where no LINE channel is configured, saving nothing', async () => {
		const { db } = database;
		const user = await member('startup');
		await expect(
			createSavedSearch(db, user.id, 'demand', criteria({ q: 'ลำไย' }), settings({ byLine: true }))
		).rejects.toMatchObject({ code: 'saved_search_line_unavailable', field: 'line' });
		expect(await listSavedSearches(db, user.id)).toEqual([]);
		const id = await createSavedSearch(db, user.id, 'demand', criteria({ q: 'ลำไย' }), settings());
		await expect(
			updateSavedSearch(db, user.id, id, settings({ name: 'ใหม่', byLine: true }))
		).rejects.toMatchObject({
			code: 'saved_search_line_unavailable'
		});
		expect(await listSavedSearches(db, user.id)).toMatchObject([{ name: 'ทดสอบ', byLine: false }]);
		expect(await lineOffer(db, user.id)).toBeNull();
	});

	it('refuses a save past the limit', async () => {
		const { db } = database;
		const user = await member('startup');
		for (let i = 0; i < MAX_SAVED_SEARCHES; i++)
			await createSavedSearch(db, user.id, 'demand', criteria({ q: `limit${i}` }), settings());
		await expect(
			createSavedSearch(db, user.id, 'demand', criteria({ q: 'one more' }), settings())
		).rejects.toMatchObject({ code: 'saved_search_limit' });
	});

	it('alerts a saved by-product search when a public lot enters it, linking to the lot, in the reader’s language', async () => {
		const { db } = database;
		const th = await member('startup', 'th');
		const en = await member('buyer', 'en');
		// Saved from /waste as its load shapes it: words, province and waste code.
		const search = parseWasteSearch(new URLSearchParams('q=เปลือกมะม่วง&province=TH-70&code=020304'));
		const saved = wasteSaveCriteria(search);
		const id = await createSavedSearch(db, th.id, 'waste', saved, settings({ name: 'เปลือกมะม่วงราชบุรี' }));
		await createSavedSearch(
			db,
			en.id,
			'waste',
			wasteSaveCriteria(parseWasteSearch(new URLSearchParams('q=mango'))),
			settings({ name: 'Mango peel' })
		);
		// Same words on the demand board, and a by-product search elsewhere: neither finds the lot.
		const demandSearcher = await member('startup');
		await createSavedSearch(db, demandSearcher.id, 'demand', criteria({ q: 'เปลือกมะม่วง' }), settings());
		const elsewhere = await member('startup');
		const far = parseWasteSearch(new URLSearchParams('q=เปลือกมะม่วง&province=TH-50'));
		await createSavedSearch(db, elsewhere.id, 'waste', wasteSaveCriteria(far), settings());
		// Words of a by-product search cannot be saved as another page's search.
		await expect(
			createSavedSearch(db, th.id, 'demand', { ...saved, type: 'demand' }, settings())
		).rejects.toMatchObject({ code: 'invalid_value' });

		const { lot } = await approvedLot('TH-70', {
			nameTh: 'เปลือกมะม่วงจากโรงงานแปรรูป',
			nameEn: 'Mango peel from a cannery'
		});
		// A lot with other words, and one approved but not available now: not public in the search, no alert.
		await approvedLot('TH-70', { nameTh: 'กากกาแฟ' });
		const { lot: later, actor } = await approvedLot('TH-70', { nameTh: 'เปลือกมะม่วงสุก' }, false);

		// Delivery is for everyone (earlier tests' listings may still wait): each reader is checked by their alerts.
		await deliverAlerts(db, ORIGIN);
		expect(await alertsFor(en.id)).toHaveLength(1);
		const [alert, ...more] = await alertsFor(th.id);
		expect(more).toHaveLength(0);
		expect(alert!.payload).toMatchObject({
			count: 1,
			link: '/waste?q=%E0%B9%80%E0%B8%9B%E0%B8%A5%E0%B8%B7%E0%B8%AD%E0%B8%81%E0%B8%A1%E0%B8%B0%E0%B8%A1%E0%B9%88%E0%B8%A7%E0%B8%87&province=TH-70&code=020304',
			items: [{ link: `/waste?lot=${lot.id}` }]
		});
		const [thai] = await mailTo(th.email);
		expect(thai!.bodyText).toContain('เปลือกมะม่วงจากโรงงานแปรรูป');
		expect(thai!.bodyText).toContain(`${ORIGIN}/waste?lot=${lot.id}`);
		const [english] = await mailTo(en.email);
		expect(english!.bodyText).toContain('Mango peel from a cannery');
		expect(english!.bodyText).not.toContain('เปลือกมะม่วงจากโรงงานแปรรูป');
		expect(await alertsFor(demandSearcher.id)).toHaveLength(0);
		expect(await alertsFor(elsewhere.id)).toHaveLength(0);

		// The lot the alert links to is what the page shows for its link; the page's search finds it by the same rules.
		expect(
			(await searchPublicLots(db, parseWasteSearch(new URLSearchParams(`lot=${lot.id}`)))).map((l) => l.id)
		).toEqual([lot.id]);
		const found = (await searchPublicLots(db, search)).map((l) => l.id);
		expect(found).toContain(lot.id);
		expect(found).toHaveLength(2); // and the lot not available now, which the page lists too

		// The lot that was not available becomes available: it changes, is indexed, and enters the search.
		await setLotAvailability(db, actor, later.id, true);
		expect(await drainOutboxOnce(db, client)).toMatchObject({ failed: 0 });
		await deliverAlerts(db, ORIGIN);
		expect(await alertsFor(en.id)).toHaveLength(1);
		const alerts = await alertsFor(th.id);
		expect(alerts).toHaveLength(2);
		expect(
			alerts.map((a) => (a.payload as unknown as { items: { link: string }[] }).items[0]!.link)
		).toContain(`/waste?lot=${later.id}`);
		expect((await listSavedSearches(db, th.id)).find((s) => s.id === id)).toMatchObject({ source: 'waste' });
	});

	it('signs tokens for one search only', async () => {
		const { db } = database;
		const user = await member('startup');
		const id = await createSavedSearch(db, user.id, 'demand', criteria({ q: 'ไข่ไก่' }), settings());
		const token = await unsubscribeToken(db, id);
		expect(await verifyUnsubscribeToken(db, token)).toBe(id);
		expect(await verifyUnsubscribeToken(db, `${token}.extra`)).toBeUndefined();
	});
});
