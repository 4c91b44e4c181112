// The bugs the fuzz tests found, each as the smallest request that showed it: every one answered 500 (or, for
// the last, stored what it should have refused). Now each is refused with a localized code, or stored cleanly,
// and nothing else changes.
process.env.API_PUBLIC_REQUESTS_PER_MINUTE = '1000000';

import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasErrorText } from '$lib/form-errors';
import * as schema from '$lib/server/db/schema';
import { daysFromToday } from '../factories';
import { callApi } from '../helpers/api';
import { changedTables, tableFingerprint } from '../helpers/malformed';
import { routeEvent, routeModule, settle, signedInLocals, type Settled } from '../helpers/route-event';
import { startWorld, type Role, type RunningWorld, type World } from '../helpers/world';

let running: RunningWorld;
let database: RunningWorld['database'];
let world: World;

beforeAll(async () => {
	// No search engine: the public search answers from PostgreSQL, where a NUL used to reach the query.
	running = await startWorld({ search: false });
	({ database, world } = running);
}, 180_000);

afterAll(async () => {
	await running?.stop();
});

/** A call of a route's load or action, ready to run: the session is made first, so it is not a change. */
async function prepare(
	who: Role | 'visitor',
	file: string,
	handler: string,
	input: { params?: Record<string, string>; body?: Record<string, string> | FormData; search?: string } = {}
): Promise<() => Promise<Settled>> {
	const locals = await signedInLocals(database.db, who === 'visitor' ? null : world.users[who].id);
	const module = await routeModule(file);
	const fn = (handler === 'load' ? module.load : (module.actions as Record<string, unknown>)[handler]) as (
		event: unknown
	) => unknown;
	const method = handler === 'load' ? 'GET' : 'POST';
	return () => settle(() => fn(routeEvent({ locals, method, ...input })));
}

const call = async (...args: Parameters<typeof prepare>) => (await prepare(...args))();

/** The action refused the form with these field codes (each with a message), and changed nothing. */
async function expectRefused(prepared: Promise<() => Promise<Settled>>, codes: Record<string, string>) {
	const run = await prepared;
	const before = await tableFingerprint(database.db);
	const settled = await run();
	expect(settled.kind, JSON.stringify(settled).slice(0, 300)).toBe('failure');
	const errors = (settled as { data: { errors: Record<string, string> } }).data.errors;
	expect(errors).toMatchObject(codes);
	for (const code of Object.values(errors)) expect(hasErrorText(code), code).toBe(true);
	expect(changedTables(before, await tableFingerprint(database.db))).toEqual([]);
}

const PRODUCT = { nameTh: 'ข้าวกล้อง', unit: 'kg', monthlyCapacity: '5', priceThbMin: '', priceThbMax: '' };
const DEMAND = {
	titleTh: 'ข้าวหอมมะลิ',
	divisionCode: '01',
	quantity: '2',
	unit: 'tonne',
	recurrence: 'monthly',
	priceThbMax: '',
	deliveryProvinceCode: 'TH-50',
	neededBy: daysFromToday(365),
	maxOffers: ''
};

describe('U+0000 (NUL), which PostgreSQL text cannot hold', () => {
	it('in a form field is dropped: the product is saved, not a 500', async () => {
		const settled = await call('startup', '(app)/startup/products/+page.server.ts', 'add', {
			body: { ...PRODUCT, nameTh: 'ข้าว\u0000กล้อง' }
		});
		expect(settled.kind).toBe('data');
		const [product] = await database.db
			.select({ nameTh: schema.products.nameTh })
			.from(schema.products)
			.where(eq(schema.products.nameTh, 'ข้าวกล้อง'));
		expect(product).toBeDefined();
	});

	it('in a session id to end is a session not found', async () => {
		await expectRefused(
			prepare('buyer', '(app)/account/+page.server.ts', 'endSession', { body: { sessionId: '\u0000' } }),
			{ form: 'session_not_found' }
		);
	});

	it('in a province page URL is a 404', async () => {
		const settled = await call('visitor', '(public)/provinces/[province]/+page.server.ts', 'load', {
			params: { province: 'TH-50\u0000' }
		});
		expect(settled).toMatchObject({ kind: 'http', status: 404 });
	});

	it('in the search box, the audit filter and the admin lists is ignored', async () => {
		const search = '?q=%E0%B8%82%E0%B9%89%E0%B8%B2%E0%B8%A7%00&subject=a%00';
		for (const [who, file, params] of [
			['visitor', '(public)/search/+page.server.ts', {}],
			['officer', '(app)/office/[province=province]/audit/+page.server.ts', { province: 'TH-50' }],
			['admin', '(app)/admin/users/+page.server.ts', {}],
			['admin', '(app)/admin/startups/+page.server.ts', {}]
		] as const) {
			const settled = await call(who, file, 'load', { search, params });
			expect(settled.kind, `${file}: ${JSON.stringify(settled).slice(0, 200)}`).toBe('data');
		}
	});

	it('in an exchange document or a posted demand is a 422 naming the field', async () => {
		const before = await tableFingerprint(database.db);
		const demand = {
			ref: 'nul-1',
			buyer_name: 'Buyer\u0000',
			title_th: 'ข้าว',
			tsic: '01',
			quantity: 5,
			unit: 'kg',
			recurrence: 'once',
			needed_by: daysFromToday(365)
		};
		const imported = await callApi('POST', '/api/v1/import', {
			token: world.token,
			body: { format: 'provincial-matchmaking/v1', demands: [demand] }
		});
		const posted = await callApi('POST', '/api/v1/demands', { token: world.token, body: demand });
		for (const [response, path] of [
			[imported, '$.demands[0].buyer_name'],
			[posted, '$.buyer_name']
		] as const) {
			expect(response.status).toBe(422);
			const body = (await response.json()) as { error: { details: { problems: { path: string }[] } } };
			expect(body.error.details.problems.map((p) => p.path)).toContain(path);
		}
		expect(changedTables(before, await tableFingerprint(database.db))).toEqual([]);
	});
});

describe('dates the calendar does not have', () => {
	it('a demand needed by 30 February is date_invalid', async () => {
		await expectRefused(
			prepare('buyer', '(app)/buyer/demands/new/+page.server.ts', 'publish', {
				body: { ...DEMAND, neededBy: '2099-02-30' }
			}),
			{ neededBy: 'date_invalid' }
		);
	});

	it('a certificate expiring on 31 April is date_invalid beside that certificate', async () => {
		const form = new FormData();
		for (const [name, value] of Object.entries({
			nameTh: 'ฟาร์ม',
			divisions: '01',
			cert: 'gmp',
			'certNumber-gmp': '1',
			'certExpires-gmp': '2099-04-31'
		}))
			form.append(name, value);
		await expectRefused(prepare('startup', '(app)/startup/profile/+page.server.ts', 'save', { body: form }), {
			'certExpires-gmp': 'date_invalid'
		});
	});

	it('an exchange demand needed by 2099-02-29 or in year 0 is refused with its path', async () => {
		for (const neededBy of ['2099-02-29', '0000-01-01']) {
			const response = await callApi('POST', '/api/v1/import?dry_run=true', {
				token: world.token,
				body: {
					format: 'provincial-matchmaking/v1',
					demands: [
						{
							ref: 'date-1',
							buyer_name: 'B',
							title_th: 'ข้าว',
							tsic: '01',
							quantity: 5,
							unit: 'kg',
							recurrence: 'once',
							needed_by: neededBy
						}
					]
				}
			});
			expect(response.status, neededBy).toBe(422);
		}
	});
});

describe('an offer re-priced while the buyer looks at it', () => {
	it("the buyer's accept of the offer it saw does not take it re-priced: 409 with the new terms, nothing changed", async () => {
		const [seen] = await database.db
			.select()
			.from(schema.offers)
			.where(eq(schema.offers.id, world.ids.otherOffer));
		const repriced = await call('otherStartup', '(public)/demand/[id]/+page.server.ts', 'offer', {
			params: { id: world.ids.otherDemand },
			body: { quantity: '1', unitPriceThb: '44,999', leadTimeDays: '14', message: '' }
		});
		expect(repriced.kind, JSON.stringify(repriced).slice(0, 300)).toBe('data');
		const run = await prepare('otherBuyer', '(app)/buyer/demands/[id]/+page.server.ts', 'accept', {
			params: { id: world.ids.otherDemand },
			body: { offerId: seen!.id, version: String(seen!.version) }
		});
		const before = await tableFingerprint(database.db);
		const refused = await run();
		expect(changedTables(before, await tableFingerprint(database.db))).toEqual([]);
		expect(refused).toMatchObject({
			kind: 'failure',
			status: 409,
			data: {
				errors: { form: 'offer_changed' },
				changed: { version: seen!.version + 1, unitPriceThb: 44_999, quantity: 1 }
			}
		});
		expect(hasErrorText('offer_changed')).toBe(true);
		// An accept that names no version never takes the offer either.
		const unnamed = await call('otherBuyer', '(app)/buyer/demands/[id]/+page.server.ts', 'accept', {
			params: { id: world.ids.otherDemand },
			body: { offerId: seen!.id }
		});
		expect(unnamed).toMatchObject({ kind: 'failure', status: 409 });
		// The startup's offer form warns before an offer outside the terms is sent, and keeps what was typed.
		const outside = await call('otherStartup', '(public)/demand/[id]/+page.server.ts', 'offer', {
			params: { id: world.ids.otherDemand },
			body: { quantity: '1', unitPriceThb: '9,999,999', leadTimeDays: '14', message: '' }
		});
		expect(outside).toMatchObject({
			kind: 'failure',
			status: 400,
			data: {
				errors: { confirmTerms: 'offer_outside_terms' },
				termsFlags: ['over_price'],
				values: { unitPriceThb: '9,999,999' }
			}
		});
		expect(hasErrorText('offer_outside_terms')).toBe(true);
	});
});

describe('numbers the database columns cannot hold', () => {
	it('a capacity or quantity that would round to zero is refused', async () => {
		await expectRefused(
			prepare('startup', '(app)/startup/products/+page.server.ts', 'add', {
				body: { ...PRODUCT, monthlyCapacity: '0.0004' }
			}),
			{ monthlyCapacity: 'decimals_3' }
		);
		await expectRefused(
			prepare('startup', '(app)/startup/products/+page.server.ts', 'add', {
				body: { ...PRODUCT, monthlyCapacity: '0.000' }
			}),
			{ monthlyCapacity: 'capacity_required' }
		);
		await expectRefused(
			prepare('buyer', '(app)/buyer/demands/new/+page.server.ts', 'draft', {
				body: { ...DEMAND, quantity: '0.0001' }
			}),
			{ quantity: 'decimals_3' }
		);
		const response = await callApi('POST', '/api/v1/import', {
			token: world.token,
			body: {
				format: 'provincial-matchmaking/v1',
				startups: [
					{
						ref: 'tiny-1',
						province: 'TH-50',
						name_th: 'เล็ก',
						tsic: ['01'],
						products: [{ name_th: 'ข้าว', unit: 'kg', monthly_capacity: 2.4e-247 }]
					}
				]
			}
		});
		expect(response.status).toBe(422);
	});

	it('a price of a trillion baht is too large (numeric(14,2) holds less)', async () => {
		await expectRefused(
			prepare('startup', '(app)/startup/products/+page.server.ts', 'add', {
				body: { ...PRODUCT, priceThbMax: '1,000,000,000,000' }
			}),
			{ priceThbMax: 'price_too_large' }
		);
	});

	it('an offer worth more than a deal can record is refused when it is made, not when it is accepted', async () => {
		await expectRefused(
			prepare('startup', '(public)/demand/[id]/+page.server.ts', 'offer', {
				params: { id: world.ids.otherDemand },
				body: { quantity: '10.001', unitPriceThb: '999,999,999,999.99', leadTimeDays: '7', message: '' }
			}),
			{ unitPriceThb: 'offer_value_too_large' }
		);
		// The largest offer that is taken is accepted, and its deal recorded exactly (a larger one overflowed value_thb).
		const made = await call('startup', '(public)/demand/[id]/+page.server.ts', 'offer', {
			params: { id: world.ids.otherDemand },
			body: {
				quantity: '10',
				unitPriceThb: '999,999,999,999.99',
				leadTimeDays: '7',
				message: '',
				// Far above the demand's quantity and price ceiling: sent knowingly.
				confirmTerms: 'yes'
			}
		});
		expect(made.kind, JSON.stringify(made).slice(0, 300)).toBe('data');
		const [offer] = await database.db
			.select({ id: schema.offers.id, version: schema.offers.version })
			.from(schema.offers)
			.where(eq(schema.offers.unitPriceThb, 999_999_999_999.99));
		const accepted = await call('otherBuyer', '(app)/buyer/demands/[id]/+page.server.ts', 'accept', {
			params: { id: world.ids.otherDemand },
			body: { offerId: offer!.id, version: String(offer!.version) }
		});
		expect(accepted.kind, JSON.stringify(accepted).slice(0, 300)).toBe('data');
		const [deal] = await database.db.select().from(schema.deals).where(eq(schema.deals.offerId, offer!.id));
		expect(deal!.valueThb).toBe(9_999_999_999_999.9);
		const raw = (await database.db.execute(
			sql`select value_thb::text as value from deals where offer_id = ${offer!.id}`
		)) as unknown as { value: string }[] | { rows: { value: string }[] };
		expect((Array.isArray(raw) ? raw : raw.rows)[0]!.value).toBe('9999999999999.90');
	});
});

/**
 * Each numeric column at its edge, through a form, the API and the import's dry run: the largest value that fits
 * is taken and stored digit for digit; one more unit in the last place, or one more decimal, is refused with the
 * field's code (422 with the path from the API), never a 500.
 */
describe('numeric columns at their edges', () => {
	const stored = async (table: string, column: string, where: ReturnType<typeof sql>) => {
		const result = (await database.db.execute(
			sql`select ${sql.raw(column)}::text as value from ${sql.raw(table)} where ${where}`
		)) as unknown as { value: string }[] | { rows: { value: string }[] };
		return (Array.isArray(result) ? result : result.rows).map((r) => r.value);
	};

	it('a product form takes 999,999,999,999.999 of capacity and a price of 999,999,999,999.99, no more', async () => {
		const settled = await call('startup', '(app)/startup/products/+page.server.ts', 'add', {
			body: {
				...PRODUCT,
				nameTh: 'ขอบบน',
				monthlyCapacity: '999,999,999,999.999',
				priceThbMin: '999,999,999,999.99',
				priceThbMax: '999,999,999,999.99'
			}
		});
		expect(settled.kind, JSON.stringify(settled).slice(0, 300)).toBe('data');
		expect(await stored('products', 'monthly_capacity', sql`name_th = 'ขอบบน'`)).toEqual([
			'999999999999.999'
		]);
		expect(await stored('products', 'price_thb_max', sql`name_th = 'ขอบบน'`)).toEqual(['999999999999.99']);
		for (const [field, value, code] of [
			['monthlyCapacity', '1,000,000,000,000', 'quantity_too_large'],
			['monthlyCapacity', '1.0005', 'decimals_3'],
			['priceThbMax', '1,000,000,000,000', 'price_too_large'],
			// The value the review sent: it passed "below a trillion", then rounded up past numeric(14,2).
			['priceThbMax', '999999999999.999', 'decimals_2'],
			['priceThbMin', '0.001', 'decimals_2']
		] as const)
			await expectRefused(
				prepare('startup', '(app)/startup/products/+page.server.ts', 'add', {
					body: { ...PRODUCT, [field]: value }
				}),
				{ [field]: code }
			);
	});

	it('a demand form takes the largest quantity, price ceiling and value at the ceiling, no more', async () => {
		for (const [title, quantity, priceThbMax] of [
			['ขอบบนจำนวน', '999999999999.999', ''],
			// 10 × 999,999,999,999.99 = 9,999,999,999,999.9: the deal column's edge.
			['ขอบบนราคา', '10', '999999999999.99']
		]) {
			const settled = await call('buyer', '(app)/buyer/demands/new/+page.server.ts', 'draft', {
				body: { ...DEMAND, titleTh: title!, quantity: quantity!, priceThbMax: priceThbMax! }
			});
			expect(settled.kind, JSON.stringify(settled).slice(0, 300)).not.toBe('failure');
		}
		expect(await stored('demands', 'quantity', sql`title_th = 'ขอบบนจำนวน'`)).toEqual(['999999999999.999']);
		expect(await stored('demands', 'price_thb_max', sql`title_th = 'ขอบบนราคา'`)).toEqual([
			'999999999999.99'
		]);
		for (const [fields, code] of [
			[{ quantity: '1000000000000' }, 'quantity_too_large'],
			[{ quantity: '2.0001' }, 'decimals_3'],
			[{ priceThbMax: '999999999999.999' }, 'decimals_2'],
			[{ quantity: '10.001', priceThbMax: '999999999999.99' }, 'demand_value_too_large'],
			[{ maxOffers: '2.5' }, 'decimals_0']
		] as const) {
			const field = Object.keys(fields).at(-1)!;
			await expectRefused(
				prepare('buyer', '(app)/buyer/demands/new/+page.server.ts', 'draft', {
					body: { ...DEMAND, ...fields }
				}),
				{ [field]: code }
			);
		}
	});

	const importStartup = (ref: string, product: Record<string, unknown>) => ({
		format: 'provincial-matchmaking/v1',
		startups: [
			{
				ref,
				province: 'TH-50',
				name_th: 'ขอบ',
				tsic: ['01'],
				products: [{ name_th: 'ข้าว', unit: 'kg', monthly_capacity: 5, ...product }]
			}
		]
	});
	const apiDemand = (ref: string, fields: Record<string, unknown>) => ({
		ref,
		buyer_name: 'ผู้ซื้อขอบ',
		title_th: 'ขอบ',
		tsic: '01',
		quantity: 5,
		unit: 'kg',
		recurrence: 'once',
		needed_by: daysFromToday(365),
		...fields
	});
	const problemPaths = async (response: Response) =>
		(
			(await response.json()) as { error: { details: { problems: { path: string }[] } } }
		).error.details.problems.map((p) => p.path);

	it('the import (dry run and real) and the demand API take the largest values and store them exactly', async () => {
		const largest = {
			monthly_capacity: 999999999999.999,
			price_thb_min: 999999999999.99,
			price_thb_max: 999999999999.99
		};
		const dry = await callApi('POST', '/api/v1/import?dry_run=true', {
			token: world.token,
			body: importStartup('edge-dry', largest)
		});
		expect(dry.status).toBe(200);
		const real = await callApi('POST', '/api/v1/import', {
			token: world.token,
			body: importStartup('edge-real', largest)
		});
		expect(real.status).toBe(200);
		expect(
			await stored(
				'products',
				'monthly_capacity::text || price_thb_max',
				sql`monthly_capacity > 1e11 and name_th = 'ข้าว'`
			)
		).toEqual(['999999999999.999999999999999.99']);
		for (const [ref, fields] of [
			['edge-quantity', { quantity: 999999999999.999 }],
			['edge-price', { quantity: 10, price_thb_max: 999999999999.99 }]
		] as const) {
			const posted = await callApi('POST', '/api/v1/demands', {
				token: world.token,
				body: apiDemand(ref, fields)
			});
			expect(posted.status, await posted.clone().text()).toBeLessThan(300);
		}
		expect(
			await stored(
				'demands',
				`quantity::text || ' ' || coalesce(price_thb_max::text, '-')`,
				sql`ref like 'edge-%'`
			)
		).toEqual(expect.arrayContaining(['999999999999.999 -', '10.000 999999999999.99']));
	});

	it('the import (even a dry run) and the demand API refuse a value one past the edge with its path, not a 500', async () => {
		for (const [product, field] of [
			[{ price_thb_max: 999999999999.999 }, 'price_thb_max'],
			[{ price_thb_max: 1e12 }, 'price_thb_max'],
			[{ price_thb_min: 0.001 }, 'price_thb_min'],
			[{ monthly_capacity: 1e12 }, 'monthly_capacity'],
			[{ monthly_capacity: 1.0005 }, 'monthly_capacity']
		] as const) {
			for (const target of ['/api/v1/import?dry_run=true', '/api/v1/import']) {
				const before = await tableFingerprint(database.db);
				const response = await callApi('POST', target, {
					token: world.token,
					body: importStartup('edge-over', product)
				});
				expect(response.status, `${target} ${JSON.stringify(product)}`).toBe(422);
				expect(await problemPaths(response)).toEqual([`$.startups[0].products[0].${field}`]);
				expect(changedTables(before, await tableFingerprint(database.db))).toEqual([]);
			}
		}
		for (const [fields, path] of [
			[{ quantity: 1e12 }, '$.quantity'],
			[{ quantity: 0.0015 }, '$.quantity'],
			[{ price_thb_max: 999999999999.999 }, '$.price_thb_max'],
			[{ quantity: 10.001, price_thb_max: 999999999999.99 }, '$.price_thb_max']
		] as const) {
			const response = await callApi('POST', '/api/v1/demands', {
				token: world.token,
				body: apiDemand('edge-over', fields)
			});
			expect(response.status, JSON.stringify(fields)).toBe(422);
			expect(await problemPaths(response)).toEqual([path]);
		}
	});
});

describe('reports', () => {
	it("a buyer cannot report an offer made on another buyer's demand (it looks missing)", async () => {
		const run = await prepare('buyer', '(app)/buyer/demands/[id]/+page.server.ts', 'report', {
			params: { id: world.ids.demand },
			body: { offerId: world.ids.otherOffer, reason: 'สแปม' }
		});
		const before = await tableFingerprint(database.db);
		expect(await run()).toMatchObject({ kind: 'failure', status: 404 });
		expect(changedTables(before, await tableFingerprint(database.db))).toEqual([]);
	});
});
