// LINE notifications end to end against a real database and a local LINE Messaging API over HTTP
// (tests/helpers/line-server.ts): what notify() queues for whom, the worker's pushes through @line/bot-sdk, the
// signed webhook's follow and unfollow, an outage and the recovery after it, and the consent records.
import crypto from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { setRuntime } from '$lib/server/context';
import { unlinkIdentity } from '$lib/server/identity/service';
import * as schema from '$lib/server/db/schema';
import { messagingApiPush } from '$lib/server/line/client';
import { MAX_LINE_ATTEMPTS } from '$lib/server/line/attempts';
import { drainLineOutboxOnce, lineChannelHealth, lineRetryDelayMs } from '$lib/server/line/outbox';
import { lineAccount, lineConsentHistory, saveLineTopics } from '$lib/server/line/service';
import { currentConsents } from '$lib/server/privacy/consents';
import { listSavedSearches } from '$lib/server/alerts/service';
import { notify, type Recipient } from '$lib/server/notifications/service';
import type { Runtime } from '$lib/server/runtime';
import { LINE_CONSENT_NOTICE_VERSION, type LineTopic } from '$lib/line';
import { notificationText } from '$lib/notifications';
import { buildUser } from '../factories';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { sendLineWebhook, startLineServer, type LocalLineServer } from '../helpers/line-server';
import { routeEvent, routeModule, settle, signedInLocals } from '../helpers/route-event';

const origin = 'http://portal.test';
const accessToken = `line-token-${crypto.randomBytes(16).toString('hex')}`;
const channelSecret = crypto.randomBytes(16).toString('hex');
let database: TestDatabase;
let line: LocalLineServer;
let webhook: (request: Request) => Promise<Response>;

beforeAll(async () => {
	line = await startLineServer({ accessToken });
	// Read once by env() in this test file's module graph.
	process.env.LINE_CHANNEL_ACCESS_TOKEN = accessToken;
	process.env.LINE_CHANNEL_SECRET = channelSecret;
	process.env.LINE_API_BASE_URL = line.baseUrl;
	database = await createTestDatabase();
	setRuntime({ db: database.db, database } as unknown as Runtime);
	const module = await routeModule('api/line/webhook/+server.ts');
	const post = module.POST as (event: unknown) => Promise<Response>;
	webhook = async (request) => {
		try {
			return await post({ request, url: new URL(request.url), locals: { user: null, session: null } });
		} catch (error) {
			// SvelteKit answers a thrown error(status) with that status.
			const status = (error as { status?: number }).status;
			if (typeof status === 'number') return new Response(null, { status });
			throw error;
		}
	};
});
afterAll(async () => {
	setRuntime(undefined);
	await database?.dispose();
	await line?.close();
});
beforeEach(async () => {
	line.pushed.length = 0;
	line.failWith = null;
	await database.db.delete(schema.lineOutbox);
});

const push = () => messagingApiPush({ accessToken, baseUrl: line.baseUrl });

/** A person with a linked LINE account (the subject LINE Login gave) and the topics they chose. */
async function personOnLine(locale: 'th' | 'en', topics: LineTopic[]) {
	const user = await buildUser(database.db, { locale });
	const lineUserId = `U${crypto.randomBytes(16).toString('hex')}`;
	await database.db
		.insert(schema.userIdentities)
		.values({ userId: user.id, provider: 'line', subject: lineUserId });
	await saveLineTopics(database.db, user.id, topics);
	const recipient: Recipient = { id: user.id, email: user.email, locale };
	return { user, lineUserId, recipient };
}

const accepted = { link: '/startup/offers', demandTitle: 'ข้าวหอมมะลิ', demandTitleEn: 'Jasmine rice' };

describe('LINE notifications', () => {
	it('pushes an opted-in kind in each recipient’s language, with the link, once', async () => {
		const thai = await personOnLine('th', ['offer_decided']);
		const english = await personOnLine('en', ['offer_decided', 'closing_soon']);
		await notify(database.db, [thai.recipient, english.recipient], 'offer_accepted', accepted, origin);
		expect(await drainLineOutboxOnce(database.db, push())).toEqual({ sent: 2, failed: 0 });
		expect(await drainLineOutboxOnce(database.db, push())).toEqual({ sent: 0, failed: 0 });
		const to = (id: string) => line.pushed.filter((message) => message.to === id);
		expect(to(thai.lineUserId)).toHaveLength(1);
		expect(to(english.lineUserId)).toHaveLength(1);
		const thaiText = to(thai.lineUserId)[0]!.text;
		const englishText = to(english.lineUserId)[0]!.text;
		expect(thaiText).toContain(notificationText('offer_accepted', accepted, 'th').title);
		expect(thaiText).toContain('ข้าวหอมมะลิ');
		expect(englishText).toContain(notificationText('offer_accepted', accepted, 'en').title);
		expect(englishText).toContain('Jasmine rice');
		expect(englishText).not.toMatch(/[\u0E00-\u0E7F]/);
		for (const text of [thaiText, englishText]) expect(text.endsWith(`${origin}/startup/offers`)).toBe(true);
		// The outbox row's id is LINE's retry key, so a push whose answer was lost is not delivered twice.
		expect(line.pushed.every((message) => message.retryKey !== null)).toBe(true);
		expect(line.unauthorised).toBe(0);
		// Email still goes as before.
		const mail = await database.db
			.select()
			.from(schema.emailOutbox)
			.where(eq(schema.emailOutbox.toAddress, english.user.email));
		expect(mail).toHaveLength(1);
	});

	it('sends nothing on LINE for a kind not chosen, nor to anyone without LINE; channels override per call', async () => {
		const closing = await personOnLine('th', ['closing_soon']);
		const noLine = await buildUser(database.db, { locale: 'th' });
		const plain: Recipient = { id: noLine.id, email: noLine.email, locale: 'th' };
		const offer = { link: '/buyer/demands/x', demandTitle: 'ผักสลัด' };
		await notify(database.db, [closing.recipient, plain], 'offer_received', offer, origin);
		expect(await database.db.$count(schema.lineOutbox)).toBe(0);
		await notify(database.db, [closing.recipient, plain], 'demand_closing', offer, origin);
		expect(await database.db.$count(schema.lineOutbox)).toBe(1);
		// channels.line true sends whatever was chosen (still only to a linked account); false withholds.
		await notify(database.db, [closing.recipient, plain], 'offer_received', offer, origin, {
			channels: { line: true, email: false }
		});
		expect(await database.db.$count(schema.lineOutbox)).toBe(2);
		await notify(database.db, [closing.recipient], 'demand_closing', offer, origin, {
			channels: { line: false }
		});
		expect(await database.db.$count(schema.lineOutbox)).toBe(2);
		const mails = await database.db
			.select()
			.from(schema.emailOutbox)
			.where(eq(schema.emailOutbox.toAddress, closing.user.email));
		// offer_received, demand_closing and the last demand_closing: the call with email: false sent none.
		expect(mails).toHaveLength(3);
		await drainLineOutboxOnce(database.db, push());
		expect(line.pushed.map((message) => message.to)).toEqual([closing.lineUserId, closing.lineUserId]);
	});

	it('stops sending after an unfollow (or block) from LINE’s signed webhook, and starts again on follow', async () => {
		const person = await personOnLine('th', ['offer_decided']);
		const response = await sendLineWebhook(webhook, channelSecret, [
			{ type: 'unfollow', userId: person.lineUserId }
		]);
		expect(response.status).toBe(200);
		expect((await lineAccount(database.db, person.user.id)).following).toBe(false);
		await notify(database.db, [person.recipient], 'offer_accepted', accepted, origin);
		await notify(database.db, [person.recipient], 'offer_accepted', accepted, origin, {
			channels: { line: true }
		});
		expect(await database.db.$count(schema.lineOutbox)).toBe(0);
		// A follow LINE timed before the unfollow (a late redelivery) does not undo it.
		const earlier = Date.now() - 60_000;
		await sendLineWebhook(webhook, channelSecret, [
			{ type: 'follow', userId: person.lineUserId, timestamp: earlier }
		]);
		expect((await lineAccount(database.db, person.user.id)).following).toBe(false);
		await sendLineWebhook(webhook, channelSecret, [{ type: 'follow', userId: person.lineUserId }]);
		expect((await lineAccount(database.db, person.user.id)).following).toBe(true);
		await notify(database.db, [person.recipient], 'offer_accepted', accepted, origin);
		expect(await database.db.$count(schema.lineOutbox)).toBe(1);
	});

	it('ignores a LINE user nobody linked, and other events, answering 200', async () => {
		const stranger = `U${crypto.randomBytes(16).toString('hex')}`;
		const response = await sendLineWebhook(webhook, channelSecret, [
			{ type: 'follow', userId: stranger },
			{ type: 'message', userId: stranger }
		]);
		expect(response.status).toBe(200);
		expect(
			await database.db.$count(schema.lineFollowers, eq(schema.lineFollowers.lineUserId, stranger))
		).toBe(0);
	});

	it('refuses a webhook with a bad signature with 401 and changes nothing', async () => {
		const person = await personOnLine('en', ['new_offer']);
		const forged = await sendLineWebhook(webhook, 'not the channel secret at all', [
			{ type: 'unfollow', userId: person.lineUserId }
		]);
		expect(forged.status).toBe(401);
		const unsigned = await webhook(
			new Request('http://portal.test/api/line/webhook', {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({
					events: [{ type: 'unfollow', timestamp: Date.now(), source: { userId: person.lineUserId } }]
				})
			})
		);
		expect(unsigned.status).toBe(401);
		expect((await lineAccount(database.db, person.user.id)).following).toBeNull();
	});

	it('keeps every message while LINE is down or failing and sends them when it is back', async () => {
		const person = await personOnLine('th', ['matching_demand']);
		const match = { link: '/startup/matches', demandTitle: 'มะม่วงอบแห้ง' };
		await line.down();
		try {
			await notify(database.db, [person.recipient], 'demand_matches_you', match, origin);
			const start = new Date();
			expect(await drainLineOutboxOnce(database.db, push(), { now: () => start })).toEqual({
				sent: 0,
				failed: 1
			});
			const [row] = await database.db.select().from(schema.lineOutbox);
			expect(row!.attempts).toBe(1);
			expect(row!.sentAt).toBeNull();
			expect(row!.nextAttemptAt.getTime()).toBe(start.getTime() + lineRetryDelayMs(1));
			// Not due yet: left alone.
			expect(await drainLineOutboxOnce(database.db, push(), { now: () => start })).toEqual({
				sent: 0,
				failed: 0
			});
			const health = await lineChannelHealth(database.db);
			expect(health.queued).toBe(1);
			expect(health.failedLastDay).toBe(1);
			expect(health.lastError).toBeTruthy();
			expect(health.lastError).not.toContain(accessToken);
		} finally {
			await line.up();
		}
		// Back, but answering 500: still kept, with a longer wait.
		line.failWith = 500;
		const later = new Date(Date.now() + lineRetryDelayMs(1) + 1000);
		expect(await drainLineOutboxOnce(database.db, push(), { now: () => later })).toEqual({
			sent: 0,
			failed: 1
		});
		const [again] = await database.db.select().from(schema.lineOutbox);
		expect(again!.attempts).toBe(2);
		expect(again!.nextAttemptAt.getTime()).toBe(later.getTime() + lineRetryDelayMs(2));
		line.failWith = null;
		const recovered = new Date(later.getTime() + lineRetryDelayMs(2) + 1000);
		expect(await drainLineOutboxOnce(database.db, push(), { now: () => recovered })).toEqual({
			sent: 1,
			failed: 0
		});
		expect(line.pushed).toHaveLength(1);
		expect(line.pushed[0]!.to).toBe(person.lineUserId);
		expect(line.pushed[0]!.text).toContain('มะม่วงอบแห้ง');
		const health = await lineChannelHealth(database.db);
		expect(health.queued).toBe(0);
		expect(health.lastSuccessAt).not.toBeNull();
	});

	it('gives up at once on a push LINE refuses as bad, and after MAX_LINE_ATTEMPTS otherwise', async () => {
		const person = await personOnLine('en', ['closing_soon']);
		await notify(
			database.db,
			[person.recipient],
			'demand_closing',
			{ link: '/buyer', demandTitle: 'x' },
			origin
		);
		line.failWith = 400;
		expect(await drainLineOutboxOnce(database.db, push())).toEqual({ sent: 0, failed: 1 });
		const [row] = await database.db.select().from(schema.lineOutbox);
		expect(row!.attempts).toBe(MAX_LINE_ATTEMPTS);
		const health = await lineChannelHealth(database.db);
		expect(health.queued).toBe(0);
		expect(health.givenUp).toBe(1);
	});

	it('records consent with the notice version when given, and when withdrawn', async () => {
		const person = await personOnLine('th', []);
		expect(await lineConsentHistory(database.db, person.user.id)).toEqual([]);
		const given = new Date(Date.now() - 60_000);
		await saveLineTopics(database.db, person.user.id, ['new_offer', 'report'], given);
		await saveLineTopics(database.db, person.user.id, ['report'], new Date(given.getTime() + 1000));
		const withdrawn = new Date(given.getTime() + 2000);
		await saveLineTopics(database.db, person.user.id, [], withdrawn);
		expect(await lineConsentHistory(database.db, person.user.id)).toEqual([
			{ noticeVersion: LINE_CONSENT_NOTICE_VERSION, givenAt: given, withdrawnAt: withdrawn }
		]);
		await notify(
			database.db,
			[person.recipient],
			'demand_hidden',
			{ link: '/buyer', demandTitle: 'x' },
			origin
		);
		expect(await database.db.$count(schema.lineOutbox)).toBe(0);
		// Without a linked LINE account nothing can be chosen.
		const unlinked = await buildUser(database.db);
		await expect(saveLineTopics(database.db, unlinked.id, ['report'])).rejects.toMatchObject({
			code: 'line_not_linked'
		});
		expect(await database.db.$count(schema.consents, and(eq(schema.consents.userId, unlinked.id)))).toBe(0);
		// The history is PDPA's one record of consent, where the privacy page reads it.
		expect(await currentConsents(database.db, person.user.id)).toEqual([]);
		await saveLineTopics(database.db, person.user.id, ['report']);
		expect(await currentConsents(database.db, person.user.id)).toMatchObject([
			{ purpose: 'line_notifications', noticeVersion: LINE_CONSENT_NOTICE_VERSION, stale: false }
		]);
		expect(await lineConsentHistory(database.db, person.user.id)).toHaveLength(2);
	});

	it('lets a person choose on the account page only with the consent box ticked, and stop again', async () => {
		const person = await personOnLine('en', []);
		const account = await routeModule('(app)/account/+page.server.ts');
		const actions = account.actions as Record<string, (event: unknown) => unknown>;
		const post = async (action: string, body: Record<string, string> | FormData) =>
			settle(async () =>
				actions[action]!(
					routeEvent({ locals: await signedInLocals(database.db, person.user.id), method: 'POST', body })
				)
			);
		const form = (topics: string[], consent?: string) => {
			const data = new FormData();
			for (const topic of topics) data.append('topic', topic);
			if (consent !== undefined) data.set('consent', consent);
			return data;
		};
		const unticked = await post('lineTopics', form(['new_offer']));
		expect(unticked).toMatchObject({
			kind: 'failure',
			status: 400,
			data: { errors: { consent: 'line_consent_required' } }
		});
		const unknown = await post('lineTopics', form(['everything'], 'yes'));
		expect(unknown).toMatchObject({ kind: 'failure', status: 400 });
		expect((await lineAccount(database.db, person.user.id)).topics).toEqual([]);
		expect(await lineConsentHistory(database.db, person.user.id)).toEqual([]);
		expect(await post('lineTopics', form(['new_offer', 'closing_soon', 'new_offer'], 'yes'))).toMatchObject({
			kind: 'data',
			value: { saved: 'line' }
		});
		const chosen = await lineAccount(database.db, person.user.id);
		expect(chosen.topics).toEqual(['new_offer', 'closing_soon']);
		expect(chosen.consent?.noticeVersion).toBe(LINE_CONSENT_NOTICE_VERSION);
		const page = (await settle(async () =>
			(account.load as (event: unknown) => unknown)(
				routeEvent({ locals: await signedInLocals(database.db, person.user.id), method: 'GET' })
			)
		)) as { kind: 'data'; value: { line: { linked: boolean; topics: string[] } | null } };
		expect(page.value.line).toMatchObject({ linked: true, topics: ['new_offer', 'closing_soon'] });
		expect(await post('lineStop', {})).toMatchObject({ kind: 'data', value: { saved: 'lineStopped' } });
		const history = await lineConsentHistory(database.db, person.user.id);
		expect(history).toHaveLength(1);
		expect(history[0]!.withdrawnAt).not.toBeNull();
		expect((await lineAccount(database.db, person.user.id)).topics).toEqual([]);
	});

	it('offers LINE alerts on the save-search form to a person who linked LINE, and saves the choice', async () => {
		const person = await personOnLine('th', []);
		const unlinked = await buildUser(database.db, { locale: 'th' });
		const board = await routeModule('(public)/demand/+page.server.ts');
		const load = async (userId: string | null) =>
			(await settle(async () =>
				(board.load as (event: unknown) => unknown)(
					routeEvent({ locals: await signedInLocals(database.db, userId), method: 'GET', search: '?q=ข้าว' })
				)
			)) as { kind: 'data'; value: { lineOffer: { linked: boolean } | null } };
		expect((await load(person.user.id)).value.lineOffer).toEqual({ linked: true });
		// Not linked: the form says so and links to the account page instead of a box that does nothing.
		expect((await load(unlinked.id)).value.lineOffer).toEqual({ linked: false });
		const searches = await routeModule('(app)/account/searches/+page.server.ts');
		const create = (searches.actions as Record<string, (event: unknown) => unknown>).create!;
		const saved = await settle(async () =>
			create(
				routeEvent({
					locals: await signedInLocals(database.db, person.user.id),
					method: 'POST',
					body: {
						source: 'demand',
						criteria: JSON.stringify({ q: 'ข้าว', type: 'demand' }),
						name: 'ข้าว',
						frequency: 'instant',
						email: '',
						line: 'on'
					}
				})
			)
		);
		expect(saved).toMatchObject({ kind: 'redirect', location: '/account/searches?saved=1' });
		expect(await listSavedSearches(database.db, person.user.id)).toMatchObject([
			{ name: 'ข้าว', byEmail: false, byLine: true }
		]);
	});

	it('withdraws the consent when the person unlinks their LINE account', async () => {
		const person = await personOnLine('th', ['report']);
		await database.db
			.update(schema.users)
			.set({ passwordHash: 'x' })
			.where(eq(schema.users.id, person.user.id));
		const [identity] = await database.db
			.select()
			.from(schema.userIdentities)
			.where(eq(schema.userIdentities.userId, person.user.id));
		await unlinkIdentity(database.db, person.user.id, identity!.id);
		const after = await lineAccount(database.db, person.user.id);
		expect(after).toMatchObject({ lineUserId: null, topics: [], consent: null });
		const [history] = await lineConsentHistory(database.db, person.user.id);
		expect(history!.withdrawnAt).not.toBeNull();
	});
});
