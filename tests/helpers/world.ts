// A small populated portal for the fuzz and security tests: two startups and two buyers in different
// organisations, each with their own records (products, demands, offers, messages, reports, referrals,
// notifications), an officer of Chiang Mai (TH-50), an admin, the exchange fixture imported with refs, and an API
// token with every scope. Ids of one organisation's records are what another organisation tries to guess.
import fs from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { signUp } from '$lib/server/accounts/service';
import { issueApiToken } from '$lib/server/api/tokens';
import { setRuntime } from '$lib/server/context';
import type { Db } from '$lib/server/db';
import * as schema from '$lib/server/db/schema';
import { createDemand } from '$lib/server/demands/service';
import { importDocument } from '$lib/server/exchange/service';
import { makeOffer, postMessage, reportSubject } from '$lib/server/offers/service';
import type { Runtime } from '$lib/server/runtime';
import { createSearchClient, type Meilisearch } from '$lib/server/search/client';
import { applyIndexSettings } from '$lib/server/search/indexes';
import { drainOutboxOnce } from '$lib/server/search/outbox';
import { demandSchema, offerSchema } from '$lib/schemas/demand';
import { approveStartupMember, buildUser, daysFromToday } from '../factories';
import { createTestDatabase, type TestDatabase } from './database';
import { startTestMeili } from './meili';

const ORIGIN = 'http://portal.test';
export const WORLD_PASSWORD = 'market leads production';

type UserRow = typeof schema.users.$inferSelect;
export type Member = 'startup' | 'otherStartup' | 'buyer' | 'otherBuyer';
export type Role = Member | 'officer' | 'admin';

export interface World {
	users: Record<Role, UserRow>;
	/** Records by owner: `startup` is the signed-in startup's, `otherStartup` another organisation's. */
	ids: {
		startup: string;
		otherStartup: string;
		product: string;
		otherProduct: string;
		demand: string;
		draftDemand: string;
		otherDemand: string;
		offer: string;
		otherOffer: string;
		message: string;
		otherMessage: string;
		report: string;
		referral: string;
		otherReferral: string;
		notification: string;
		otherNotification: string;
		apiToken: string;
		/** The buyer's organisation, for the office's verification decisions. */
		buyerOrganisation: string;
	};
	/** A token with every scope and a generous rate. */
	token: string;
	/** The refs of the imported exchange fixture. */
	refs: { startup: string; demand: string };
}

/** Every id in the world: its records' and its users'. */
export const worldIds = (w: World): string[] => [
	...Object.values(w.ids),
	...Object.values(w.users).map((u) => u.id)
];

let counter = 0;

async function member(db: Db, accountType: 'startup' | 'buyer', name: string): Promise<UserRow> {
	const user = await signUp(
		db,
		{
			accountType,
			organisationName: name,
			provinceCode: accountType === 'startup' ? 'TH-50' : null,
			email: `${name.toLowerCase().replace(/\W+/g, '-')}-${++counter}@world.test`,
			password: WORLD_PASSWORD,
			locale: 'th'
		},
		{ origin: ORIGIN, address: `10.9.${counter}.1` }
	);
	const [verified] = await db
		.update(schema.users)
		.set({ emailVerifiedAt: new Date() })
		.where(eq(schema.users.id, user.id))
		.returning();
	return verified!;
}

async function approvedStartup(db: Db, user: UserRow, officer: UserRow) {
	const startup = await approveStartupMember(db, user, officer, ORIGIN);
	const [product] = await db
		.select({ id: schema.products.id })
		.from(schema.products)
		.where(eq(schema.products.startupId, startup.id));
	return { startupId: startup.id, productId: product!.id };
}

/** A demand as the buyer's form posts it: open in Chiang Mai, rice (TSIC 01), 2 tonnes a month. */
export const DEMAND_FORM = {
	titleTh: 'ข้าวหอมมะลิ',
	titleEn: 'Jasmine rice',
	detailsTh: '',
	detailsEn: '',
	divisionCode: '01',
	quantity: '2',
	unit: 'tonne',
	recurrence: 'monthly',
	priceThbMax: '45,000',
	deliveryProvinceCode: 'TH-50',
	neededBy: daysFromToday(365),
	maxOffers: ''
};

const demandInput = (title: string) =>
	demandSchema.parse({ ...DEMAND_FORM, titleTh: title, titleEn: '', certifications: [] });

const offerInput = offerSchema.parse({
	quantity: '1',
	unitPriceThb: '40000',
	leadTimeDays: '14',
	message: ''
});

export async function buildWorld(db: Db): Promise<World> {
	const officer = await buildUser(db, { role: 'officer', provinceCode: 'TH-50', passwordHash: 'x' });
	const admin = await buildUser(db, { role: 'admin' });
	const users = {
		startup: await member(db, 'startup', 'Fuzz Startup'),
		otherStartup: await member(db, 'startup', 'Other Startup'),
		buyer: await member(db, 'buyer', 'Fuzz Buyer'),
		otherBuyer: await member(db, 'buyer', 'Other Buyer'),
		officer,
		admin
	};
	const mine = await approvedStartup(db, users.startup, officer);
	const theirs = await approvedStartup(db, users.otherStartup, officer);
	const demand = await createDemand(db, users.buyer, demandInput('ข้าวสำหรับโรงแรม'), { publish: true });
	const draftDemand = await createDemand(db, users.buyer, demandInput('ร่างความต้องการ'), { publish: false });
	const otherDemand = await createDemand(db, users.otherBuyer, demandInput('ข้าวสำหรับร้านอาหาร'), {
		publish: true
	});
	const offer = await makeOffer(db, users.startup, demand.id, offerInput, ORIGIN);
	const otherOffer = await makeOffer(db, users.otherStartup, otherDemand.id, offerInput, ORIGIN);
	await postMessage(db, users.startup, offer.id, 'สวัสดีครับ', ORIGIN);
	await postMessage(db, users.otherStartup, otherOffer.id, 'สวัสดีค่ะ', ORIGIN);
	await reportSubject(db, users.otherBuyer, { type: 'demand', id: demand.id }, 'ซ้ำ', ORIGIN);
	const [message] = await db
		.select({ id: schema.offerMessages.id })
		.from(schema.offerMessages)
		.where(eq(schema.offerMessages.offerId, offer.id));
	const [otherMessage] = await db
		.select({ id: schema.offerMessages.id })
		.from(schema.offerMessages)
		.where(eq(schema.offerMessages.offerId, otherOffer.id));
	const [report] = await db.select({ id: schema.reports.id }).from(schema.reports);
	const referral = (startupId: string) => ({
		startupId,
		agencyId: 'sme-d-bank',
		reason: 'offer_exceeds_capacity' as const,
		unit: 'tonne' as const,
		quantity: 12,
		monthlyCapacity: 5
	});
	const [myReferral, otherReferral] = await db
		.insert(schema.referrals)
		.values([referral(mine.startupId), referral(theirs.startupId)])
		.returning();
	const notificationOf = async (userId: string) => {
		const [row] = await db
			.select({ id: schema.notifications.id })
			.from(schema.notifications)
			.where(eq(schema.notifications.userId, userId));
		if (row) return row.id;
		const [created] = await db
			.insert(schema.notifications)
			.values({ userId, kind: 'demand_matches_you' })
			.returning();
		return created!.id;
	};
	const fixture: unknown = JSON.parse(
		fs.readFileSync(path.resolve('tests/fixtures/exchange-small.json'), 'utf8')
	);
	await importDocument(db, fixture, { actor: 'world' });
	const { secret, token } = await issueApiToken(db, admin, {
		agencyId: 'sme-d-bank',
		label: 'world',
		scopes: ['read', 'import', 'demands:write', 'waste:write'],
		requestsPerMinute: 100_000,
		expiresAt: new Date(Date.now() + 86_400_000)
	});
	return {
		users,
		ids: {
			startup: mine.startupId,
			otherStartup: theirs.startupId,
			product: mine.productId,
			otherProduct: theirs.productId,
			demand: demand.id,
			draftDemand: draftDemand.id,
			otherDemand: otherDemand.id,
			offer: offer.id,
			otherOffer: otherOffer.id,
			message: message!.id,
			otherMessage: otherMessage!.id,
			report: report!.id,
			referral: myReferral!.id,
			otherReferral: otherReferral!.id,
			notification: await notificationOf(users.startup.id),
			otherNotification: await notificationOf(users.otherStartup.id),
			apiToken: token.id,
			buyerOrganisation: users.buyer.organisationId!
		},
		token: secret,
		refs: { startup: 's-001', demand: 'd-001' }
	};
}

export interface RunningWorld {
	database: TestDatabase;
	world: World;
	/** The search engine's client, when the world was started with one. */
	client: Meilisearch | null;
	stop(): Promise<void>;
}

/**
 * A fresh database with the world in it, set as the portal's runtime; with `search`, a Meilisearch of its own
 * whose indexes hold the world. Without, the pages and matching answer from PostgreSQL.
 */
export async function startWorld(options: { search: boolean }): Promise<RunningWorld> {
	const [database, meili] = await Promise.all([
		createTestDatabase(),
		options.search ? startTestMeili() : undefined
	]);
	const client = meili ? createSearchClient(meili.url, meili.masterKey) : null;
	if (client) await applyIndexSettings(client);
	setRuntime({ db: database.db, database, search: client ? { client } : undefined } as unknown as Runtime);
	const world = await buildWorld(database.db);
	if (client) while ((await drainOutboxOnce(database.db, client)).processed > 0);
	return {
		database,
		world,
		client,
		async stop() {
			setRuntime(undefined);
			await Promise.all([database.dispose(), meili?.stop()]);
		}
	};
}
