// The staff CSV downloads on a real migrated database, through the route handlers with real sessions: an office
// gets its own province's startups, demands, deals and gap figures; admins get every province's.
import { isHttpError } from '@sveltejs/kit';
import { count, eq, or } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession, generateSessionToken, validateSessionToken } from '$lib/server/auth/session';
import { setRuntime } from '$lib/server/context';
import * as schema from '$lib/server/db/schema';
import { csvDownload } from '$lib/server/exports/files';
import type { Runtime } from '$lib/server/runtime';
import { GET as adminExport } from '../../src/routes/(app)/admin/export/[file]/+server';
import { GET as officeExport } from '../../src/routes/(app)/office/[province=province]/export/[file]/+server';
import { GET as publicGapCsv } from '../../src/routes/(public)/market/gap.csv/+server';
import {
	buildDeal,
	buildDemand,
	buildOffer,
	buildOrganisation,
	buildProduct,
	buildStartup,
	buildUser,
	daysFromToday
} from '../factories';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

let database: TestDatabase;
const ids: Record<string, string> = {};
const users: Record<'officerHere' | 'officerElsewhere' | 'admin', string> = {
	officerHere: '',
	officerElsewhere: '',
	admin: ''
};
/** The first demand's needed-by, a year from the day the test runs: an open demand's date is in the future. */
const NEEDED_BY = daysFromToday(365);
const FORMULA = '=HYPERLINK("http://evil.example","ดูรายละเอียด")';

async function offer(
	key: string,
	demand: string,
	startup: string,
	quantity: number,
	status: 'pending' | 'accepted'
) {
	const terms = { quantity, decidedAt: null };
	ids[key] =
		status === 'accepted'
			? (await buildDeal(database.db, demand, startup, terms)).offer.id
			: (await buildOffer(database.db, demand, startup, terms)).id;
}

beforeAll(async () => {
	database = await createTestDatabase();
	const { db } = database;
	setRuntime({ db, database } as unknown as Runtime);
	users.officerHere = (await buildUser(db, { role: 'officer', provinceCode: 'TH-50' })).id;
	users.officerElsewhere = (await buildUser(db, { role: 'officer', provinceCode: 'TH-52' })).id;
	users.admin = (await buildUser(db, { role: 'admin' })).id;

	// Chiang Mai (TH-50): a weaver with a formula for an English name, and a draft; Lampang (TH-52): a miller.
	const weaver = await buildStartup(db, {
		provinceCode: 'TH-50',
		ref: 'cm-weaver',
		nameTh: 'ผ้าทอเชียงใหม่',
		nameEn: FORMULA,
		contactEmail: 'weaver@example.org',
		submittedAt: new Date('2026-01-05T03:00:00Z'),
		approvedAt: new Date('2026-01-10T03:00:00Z')
	});
	await buildProduct(db, weaver.id, { unit: 'kg', monthlyCapacity: 300, priceThbMin: 30, priceThbMax: 50 });
	await buildProduct(db, weaver.id, { unit: 'kg', monthlyCapacity: 200.5 });
	await buildProduct(db, weaver.id, { unit: 'tonne', monthlyCapacity: 2 });
	await db.insert(schema.startupDivisions).values([
		{ startupId: weaver.id, divisionCode: '13' },
		{ startupId: weaver.id, divisionCode: '01' }
	]);
	await db.insert(schema.startupCertifications).values([
		{ startupId: weaver.id, certificationId: 'otop-star' },
		{ startupId: weaver.id, certificationId: 'gap' }
	]);
	ids.weaver = weaver.id;
	ids.draft = (await buildStartup(db, { provinceCode: 'TH-50', status: 'draft', nameEn: null })).id;
	const miller = await buildStartup(db, {
		provinceCode: 'TH-52',
		nameTh: 'โรงสีลำปาง',
		approvedAt: new Date()
	});
	await buildProduct(db, miller.id, { unit: 'tonne', monthlyCapacity: 10, divisionCode: '01' });
	ids.miller = miller.id;

	// Demand delivered to each province and one to be delivered anywhere; a buyer whose name looks like a formula.
	const formulaBuyer = await buildOrganisation(db, { kind: 'buyer', name: '@SUM(1+1)' });
	ids.here = (
		await buildDemand(db, {
			deliveryProvinceCode: 'TH-50',
			titleTh: 'ข้าวหอมมะลิ, บรรจุถุง',
			priceThbMax: 45,
			neededBy: NEEDED_BY,
			buyerOrganisationId: formulaBuyer.id
		})
	).id;
	ids.there = (await buildDemand(db, { deliveryProvinceCode: 'TH-52', titleTh: 'ข้าวเหนียว' })).id;
	ids.anywhere = (await buildDemand(db, { deliveryProvinceCode: null, titleTh: 'ผ้าไหม' })).id;

	// Deals: Lampang's miller on Chiang Mai's demand, Chiang Mai's weaver on Lampang's, and one all in Lampang.
	await offer('millerHere', ids.here, ids.miller, 1.5, 'accepted');
	await offer('weaverHere', ids.here, ids.weaver, 0.5, 'pending');
	await offer('weaverThere', ids.there, ids.weaver, 1, 'accepted');
	await offer('millerThere', ids.there, ids.miller, 0.75, 'accepted');
}, 60_000);

afterAll(async () => {
	setRuntime(undefined);
	await database?.dispose();
});

/** Locals as the auth hook builds them, from a real session. */
async function localsFor(who: keyof typeof users | 'visitor'): Promise<App.Locals> {
	if (who === 'visitor') return { user: null, session: null };
	const token = generateSessionToken();
	await createSession(database.db, token, users[who]);
	return validateSessionToken(database.db, token);
}

const officeGet = async (who: keyof typeof users, file: string, province = 'TH-50') =>
	officeExport({ locals: await localsFor(who), params: { province, file } } as never);
const adminGet = async (who: keyof typeof users | 'visitor', file: string) =>
	adminExport({ locals: await localsFor(who), params: { file } } as never);

async function statusOf(run: () => Promise<unknown>): Promise<number | 'ok'> {
	try {
		await run();
		return 'ok';
	} catch (error) {
		if (isHttpError(error)) return error.status;
		throw error;
	}
}

/** RFC 4180, as a spreadsheet reads it: quoted cells may hold commas, doubled quotes and line breaks. */
function parseCsv(text: string): string[][] {
	const rows: string[][] = [];
	let row: string[] = [];
	let cell = '';
	let quoted = false;
	for (let i = 0; i < text.length; i++) {
		const c = text[i]!;
		if (quoted && c === '"' && text[i + 1] === '"') {
			cell += '"';
			i++;
		} else if (c === '"') {
			quoted = !quoted;
		} else if (!quoted && c === ',') {
			row.push(cell);
			cell = '';
		} else if (!quoted && c === '\r' && text[i + 1] === '\n') {
			row.push(cell);
			rows.push(row);
			row = [];
			cell = '';
			i++;
		} else {
			cell += c;
		}
	}
	expect(row.length + cell.length, 'the file ends with CRLF').toBe(0);
	return rows;
}

interface Csv {
	bytes: Uint8Array;
	header: string[];
	/** Data rows as objects keyed by the header. */
	rows: Record<string, string>[];
	text: string;
}

async function read(response: Response): Promise<Csv> {
	const bytes = new Uint8Array(await response.arrayBuffer());
	const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
	const [header, ...lines] = parseCsv(text.replace(/^\uFEFF/, ''));
	for (const line of lines) expect(line).toHaveLength(header!.length);
	const rows = lines.map((line) => Object.fromEntries(header!.map((name, i) => [name, line[i]!])));
	return { bytes, header: header!, rows, text };
}

const column = (csv: Csv, name: string) => csv.rows.map((row) => row[name]);

describe('office exports', () => {
	it('answers a download: CSV type, attachment named for the province and day, not cached', async () => {
		const response = await officeGet('officerHere', 'startups.csv');
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
		expect(response.headers.get('cache-control')).toBe('no-store');
		expect(response.headers.get('content-disposition')).toMatch(
			/^attachment; filename="startups-TH-50-\d{4}-\d{2}-\d{2}\.csv"$/
		);
		await response.body?.cancel();
		// The day is Thailand's: 01:30 on 1 April in Bangkok is still 31 March in UTC.
		const late = await csvDownload(database.db, 'deals.csv', null, { now: new Date('2026-03-31T18:30:00Z') });
		expect(late!.headers.get('content-disposition')).toBe('attachment; filename="deals-all-2026-04-01.csv"');
		await late!.body?.cancel();
	});

	it("startups.csv: the province's startups only, with BOM, header, Thai text and neutralised formulas", async () => {
		const csv = await read(await officeGet('officerHere', 'startups.csv'));
		expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		expect(csv.header.join(',')).toBe(
			'id,ref,name_th,name_en,status,province_code,tsic_divisions,certifications,products,monthly_capacity,submitted_at,approved_at,contact_email,phone,website'
		);
		expect(column(csv, 'id').sort()).toEqual([ids.weaver, ids.draft].sort());
		expect(column(csv, 'province_code')).toEqual(['TH-50', 'TH-50']);
		const weaver = csv.rows.find((row) => row.id === ids.weaver)!;
		expect(weaver).toMatchObject({
			ref: 'cm-weaver',
			name_th: 'ผ้าทอเชียงใหม่',
			name_en: `'${FORMULA}`,
			status: 'approved',
			tsic_divisions: '01; 13',
			certifications: 'gap; otop-star',
			products: '3',
			monthly_capacity: '500.5 kg; 2 tonne',
			submitted_at: '2026-01-05T03:00:00.000Z',
			approved_at: '2026-01-10T03:00:00.000Z',
			contact_email: 'weaver@example.org',
			phone: ''
		});
		expect(csv.rows.find((row) => row.id === ids.draft)).toMatchObject({
			name_en: '',
			products: '0',
			monthly_capacity: '',
			approved_at: ''
		});
		expect(csv.text).not.toContain(ids.miller);
	});

	it('demands.csv: demand delivered to the province, with offers and the accepted quantity', async () => {
		const csv = await read(await officeGet('officerHere', 'demands.csv'));
		expect(csv.header.join(',')).toBe(
			'id,ref,buyer_organisation,title_th,title_en,tsic_division,quantity,unit,recurrence,price_thb_max,delivery_province_code,needed_by,status,offers,accepted_quantity,published_at,closed_at'
		);
		// Neither Lampang's demand nor the one to be delivered anywhere.
		expect(column(csv, 'id')).toEqual([ids.here]);
		expect(csv.rows[0]).toMatchObject({
			buyer_organisation: "'@SUM(1+1)",
			title_th: 'ข้าวหอมมะลิ, บรรจุถุง',
			tsic_division: '01',
			quantity: '2',
			unit: 'tonne',
			recurrence: 'monthly',
			price_thb_max: '45',
			delivery_province_code: 'TH-50',
			needed_by: NEEDED_BY,
			status: 'open',
			offers: '2',
			accepted_quantity: '1.5',
			closed_at: ''
		});
		expect(csv.rows[0]!.published_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
	});

	it("deals.csv: deals delivered to the province or made by the province's startups, not others", async () => {
		const csv = await read(await officeGet('officerHere', 'deals.csv'));
		expect(csv.header.join(',')).toBe(
			'deal_id,created_at,demand_id,demand_title_th,demand_title_en,buyer_organisation,startup_id,startup_name_th,startup_name_en,startup_province_code,delivery_province_code,quantity,unit,value_thb'
		);
		const dealOf = async (offerId: string) =>
			(await database.db.select().from(schema.deals).where(eq(schema.deals.offerId, offerId)))[0]!.id;
		expect(column(csv, 'deal_id').sort()).toEqual(
			[await dealOf(ids.millerHere!), await dealOf(ids.weaverThere!)].sort()
		);
		expect(column(csv, 'deal_id')).not.toContain(await dealOf(ids.millerThere!));
		const byMiller = csv.rows.find((row) => row.startup_id === ids.miller)!;
		expect(byMiller).toMatchObject({
			demand_id: ids.here,
			demand_title_th: 'ข้าวหอมมะลิ, บรรจุถุง',
			buyer_organisation: "'@SUM(1+1)",
			startup_name_th: 'โรงสีลำปาง',
			startup_province_code: 'TH-52',
			delivery_province_code: 'TH-50',
			quantity: '1.5',
			unit: 'tonne',
			value_thb: '60'
		});
		expect(csv.rows.find((row) => row.startup_id === ids.weaver)).toMatchObject({
			startup_province_code: 'TH-50',
			delivery_province_code: 'TH-52'
		});
	});

	it("gap.csv: the public gap figures, the province's rows only", async () => {
		const response = await officeGet('officerHere', 'gap.csv');
		expect(response.headers.get('content-disposition')).toMatch(/filename="gap-TH-50-/);
		const csv = await read(response);
		expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		expect(csv.header.slice(0, 4)).toEqual([
			'province_code',
			'province',
			'tsic_division',
			'tsic_division_name'
		]);
		expect(csv.rows.length).toBeGreaterThan(0);
		expect(new Set(column(csv, 'province_code'))).toEqual(new Set(['TH-50']));
		expect(csv.rows.find((row) => row.tsic_division === '01')).toMatchObject({
			province: 'เชียงใหม่',
			open_demands: '1'
		});
		const published = await publicGapCsv({
			url: new URL('http://portal.test/market/gap.csv?province=TH-50')
		} as never);
		expect(csv.bytes).toEqual(new Uint8Array(await published.arrayBuffer()));
	});

	it('reviews.csv still works for the office', async () => {
		const [review] = await database.db
			.insert(schema.reviews)
			.values({
				startupId: ids.weaver!,
				reviewerId: users.officerHere,
				marketScore: 4,
				innovationScore: 3,
				readinessScore: 5,
				complianceScore: 4,
				decision: 'approve'
			})
			.returning();
		const csv = await read(await officeGet('officerHere', 'reviews.csv'));
		expect(csv.header[0]).toBe('startup_id');
		expect(csv.rows).toHaveLength(1);
		expect(csv.rows[0]).toMatchObject({
			startup_id: ids.weaver,
			name_th: 'ผ้าทอเชียงใหม่',
			decision: 'approve',
			readiness: '5',
			decided_at: review!.createdAt.toISOString()
		});
	});

	it('counts match the database', async () => {
		const { db } = database;
		const [startups] = await db
			.select({ n: count() })
			.from(schema.startups)
			.where(eq(schema.startups.provinceCode, 'TH-50'));
		const [demands] = await db
			.select({ n: count() })
			.from(schema.demands)
			.where(eq(schema.demands.deliveryProvinceCode, 'TH-50'));
		const [deals] = await db
			.select({ n: count() })
			.from(schema.deals)
			.innerJoin(schema.demands, eq(schema.demands.id, schema.deals.demandId))
			.innerJoin(schema.offers, eq(schema.offers.id, schema.deals.offerId))
			.innerJoin(schema.startups, eq(schema.startups.id, schema.offers.startupId))
			.where(or(eq(schema.demands.deliveryProvinceCode, 'TH-50'), eq(schema.startups.provinceCode, 'TH-50')));
		expect((await read(await officeGet('officerHere', 'startups.csv'))).rows).toHaveLength(startups!.n);
		expect((await read(await officeGet('officerHere', 'demands.csv'))).rows).toHaveLength(demands!.n);
		expect((await read(await officeGet('officerHere', 'deals.csv'))).rows).toHaveLength(deals!.n);
	});

	it('refuses an officer of another province (403) and answers 404 for an unknown file', async () => {
		expect(await statusOf(() => officeGet('officerElsewhere', 'startups.csv'))).toBe(403);
		expect(await statusOf(() => officeGet('officerElsewhere', 'deals.csv'))).toBe(403);
		expect(await statusOf(() => officeGet('officerHere', 'users.csv'))).toBe(404);
		expect(await statusOf(() => officeGet('officerHere', 'startups'))).toBe(404);
		// The officer of Lampang gets Lampang's: the deal all in Lampang, not the weaver's startup.
		const lampang = await read(await officeGet('officerElsewhere', 'deals.csv', 'TH-52'));
		expect(lampang.rows).toHaveLength(3);
		const startups = await read(await officeGet('officerElsewhere', 'startups.csv', 'TH-52'));
		expect(column(startups, 'id')).toEqual([ids.miller]);
	});
});

describe('admin exports', () => {
	it('has every province and the demand to be delivered anywhere (empty province)', async () => {
		const startups = await read(await adminGet('admin', 'startups.csv'));
		expect(column(startups, 'id').sort()).toEqual([ids.weaver, ids.draft, ids.miller].sort());
		const demands = await read(await adminGet('admin', 'demands.csv'));
		expect(column(demands, 'id').sort()).toEqual([ids.here, ids.there, ids.anywhere].sort());
		expect(demands.rows.find((row) => row.id === ids.anywhere)!.delivery_province_code).toBe('');
		expect(demands.rows.find((row) => row.id === ids.there)).toMatchObject({
			offers: '2',
			accepted_quantity: '1.75'
		});
		const deals = await read(await adminGet('admin', 'deals.csv'));
		const [all] = await database.db.select({ n: count() }).from(schema.deals);
		expect(deals.rows).toHaveLength(all!.n);
		expect(deals.rows).toHaveLength(3);
		const gap = await read(await adminGet('admin', 'gap.csv'));
		expect(new Set(column(gap, 'province_code'))).toEqual(new Set(['TH-50', 'TH-52', '']));
	});

	it('names the file "all" with the day, and matches the database counts', async () => {
		const response = await adminGet('admin', 'demands.csv');
		expect(response.headers.get('content-disposition')).toMatch(
			/^attachment; filename="demands-all-\d{4}-\d{2}-\d{2}\.csv"$/
		);
		const [demands] = await database.db.select({ n: count() }).from(schema.demands);
		expect((await read(response)).rows).toHaveLength(demands!.n);
	});

	it('serves the four files and nothing else; only admins', async () => {
		expect(await statusOf(() => adminGet('admin', 'reviews.csv'))).toBe(404);
		expect(await statusOf(() => adminGet('admin', 'nope.csv'))).toBe(404);
		expect(await statusOf(() => adminGet('officerHere', 'startups.csv'))).toBe(403);
		expect(await statusOf(() => adminGet('visitor', 'startups.csv'))).toBe(401);
	});

	it('pages through every row once, whatever the page size', async () => {
		for (const file of ['startups.csv', 'demands.csv', 'deals.csv']) {
			const whole = await read((await csvDownload(database.db, file, null))!);
			for (const pageSize of [1, 2, 3]) {
				const paged = await read((await csvDownload(database.db, file, null, { pageSize }))!);
				expect(paged.text, `${file} in pages of ${pageSize}`).toBe(whole.text);
			}
			expect(new Set(whole.rows.map((row) => row.id ?? row.deal_id)).size).toBe(whole.rows.length);
		}
	});

	it('a database that fails on the first page is an error, not a file cut short after its header', async () => {
		const broken = {
			select: () => {
				throw new Error('database down');
			}
		} as never;
		await expect(csvDownload(broken, 'startups.csv', 'TH-50')).rejects.toThrow('database down');
	});
});
