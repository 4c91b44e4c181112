// The by-product exchange through the API (issue 23): approved lots and open material wants to read, and lots and
// wants an agency posts for the organisations it manages (scope `waste:write`), by ref, with the exchange import's
// rules: one record is a one-record exchange document.
import { z } from 'zod';
import type { Db } from '../../db';
import { importDocument, ImportRejected, type ImportOutcome } from '../../exchange/service';
import { lotForCaller, publicLotPage, publicWantPage, wantForCaller } from '../../waste/exchange';
import type { materialWants, wasteLots } from '../../db/schema';
import { ApiError, orNotFound } from '../errors';
import { defineEndpoint } from '../endpoint';
import { paged } from '../queries';
import { encodeCursor, page, pageQuery, provinceCode } from '../schemas';
import type { ApiCaller } from '../tokens';
import { exchangeByproductSchema, exchangeMaterialWantSchema } from '$lib/schemas/exchange';
import { WASTE_HANDLINGS, WASTE_UNITS } from '$lib/schemas/waste';

const keyParam = z.object({ key: z.string().regex(/^[A-Za-z0-9._-]{1,64}$|^[0-9a-f-]{36}$/) });
const codePrefix = z
	.string()
	.regex(/^(\d{2}|\d{4}|\d{6})$/, { error: 'must be a chapter (2 digits), sub-chapter (4) or code (6)' });
const outcomeSchema = z.enum(['created', 'updated', 'unchanged']);

export const byproductSchema = z.object({
	id: z.uuid(),
	ref: z.string().nullable(),
	province: provinceCode,
	name_th: z.string().nullable(),
	name_en: z.string().nullable(),
	waste_code: z.string(),
	hazardous: z.boolean(),
	quantity_per_month: z.number(),
	unit: z.enum(WASTE_UNITS),
	handling: z.enum(WASTE_HANDLINGS),
	price_thb: z.number().nullable(),
	available_now: z.boolean(),
	available_until: z.string().nullable(),
	status: z.enum(['draft', 'submitted', 'approved', 'rejected', 'withdrawn'])
});

export const materialWantSchema = z.object({
	id: z.uuid(),
	ref: z.string().nullable(),
	province: provinceCode,
	name_th: z.string().nullable(),
	name_en: z.string().nullable(),
	waste_codes: z.array(z.string()),
	quantity_per_month: z.number(),
	unit: z.enum(WASTE_UNITS),
	max_distance_km: z.number().int(),
	price_thb: z.number().nullable(),
	licence_class: z.string().nullable(),
	status: z.enum(['open', 'closed'])
});

const lotOut = (lot: typeof wasteLots.$inferSelect): z.output<typeof byproductSchema> => ({
	id: lot.id,
	ref: lot.ref,
	province: lot.provinceCode,
	name_th: lot.nameTh,
	name_en: lot.nameEn,
	waste_code: lot.wasteCode,
	hazardous: lot.hazardous,
	quantity_per_month: lot.quantityPerMonth,
	unit: lot.unit,
	handling: lot.handling,
	price_thb: lot.priceThb,
	available_now: lot.availableNow,
	available_until: lot.availableUntil,
	status: lot.status
});

const wantOut = (want: typeof materialWants.$inferSelect): z.output<typeof materialWantSchema> => ({
	id: want.id,
	ref: want.ref,
	province: want.provinceCode,
	name_th: want.nameTh,
	name_en: want.nameEn,
	waste_codes: want.wasteCodes,
	quantity_per_month: want.quantityPerMonth,
	unit: want.unit,
	max_distance_km: want.maxDistanceKm,
	price_thb: want.priceThb,
	licence_class: want.licenceClass,
	status: want.status
});

const actorOf = (caller: ApiCaller) => `api:${caller.agency.id}:${caller.token.prefix}`;

/**
 * One record through the exchange import as the caller's agency. A refusal about a stored record (another
 * owner's ref, a closed want) is a conflict (409); anything else wrong with the record is 422, with paths from
 * the record itself ($.waste_code, not $.byproducts[0].waste_code).
 */
async function postOne(
	db: Db,
	caller: ApiCaller,
	list: 'byproducts' | 'material_wants',
	record: unknown,
	locale: 'th' | 'en'
): Promise<ImportOutcome> {
	try {
		const report = await importDocument(
			db,
			{ format: 'provincial-matchmaking/v1', [list]: [record] },
			{
				actor: actorOf(caller),
				importer: {
					kind: 'agency',
					agencyId: caller.agency.id,
					tokenId: caller.token.id,
					publish: caller.token.scopes.includes('import:publish')
				},
				locale,
				records: true
			}
		);
		return report.records![0]!.outcome;
	} catch (error) {
		if (!(error instanceof ImportRejected)) throw error;
		const prefix = new RegExp(`^\\$\\.${list}\\[0\\]`);
		const problems = error.problems.map((p) => ({ ...p, path: p.path.replace(prefix, '$') }));
		const conflict = problems.some((p) => p.path === '$.ref' || p.path === '$.organisation_name');
		throw new ApiError(conflict ? 'conflict' : 'invalid_body', { problems });
	}
}

const statusOf = (outcome: ImportOutcome) => (outcome === 'created' ? 201 : 200);

export const listByproductsEndpoint = defineEndpoint({
	method: 'GET',
	path: '/api/v1/byproducts',
	tag: 'By-products',
	summary: 'Approved by-product lots: industrial by-products and waste other factories may take',
	description:
		'Filter by `province`, by `code` (a chapter of the waste list such as `02`, a sub-chapter `0203` or a ' +
		'six-digit code) and by `available` (available now or not). Pages are walked with `cursor`.',
	access: 'public',
	query: z.strictObject({
		...pageQuery,
		province: provinceCode.optional(),
		code: codePrefix.optional(),
		available: z.enum(['true', 'false']).optional()
	}),
	responses: { 200: { description: 'A page of lots', schema: page(byproductSchema) } },
	async handle({ db, query }) {
		const rows = await publicLotPage(
			db,
			{
				province: query.province,
				code: query.code,
				available: query.available === undefined ? undefined : query.available === 'true'
			},
			query.cursor,
			query.limit + 1
		);
		const { data, next_cursor } = paged(rows, query.limit, encodeCursor);
		return { body: { data: data.map(lotOut), next_cursor } };
	}
});

export const getByproductEndpoint = defineEndpoint({
	method: 'GET',
	path: '/api/v1/byproducts/{key}',
	tag: 'By-products',
	summary: 'One by-product lot, by id or by ref',
	description:
		'An approved lot for anyone; a lot still waiting for review (or turned down) only for the agency that ' +
		'posted it, with its token.',
	access: 'public',
	params: keyParam,
	responses: { 200: { description: 'The lot', schema: byproductSchema } },
	errors: ['not_found'],
	async handle({ db, params, caller }) {
		const lot = orNotFound(await lotForCaller(db, params.key, caller?.agency.id ?? null));
		return { body: lotOut(lot) };
	}
});

export const postByproductEndpoint = defineEndpoint({
	method: 'POST',
	path: '/api/v1/byproducts',
	tag: 'By-products',
	summary: 'List (or update) a by-product lot for an organisation the agency manages',
	description:
		'The body is one `byproducts` record of the exchange format. The organisation is found by ' +
		'`organisation_name` among those the agency manages, or created; a lot lies in its organisation’s ' +
		'province. A new lot, or a change to what the office reviews (names, code, unit, handling), waits for the ' +
		"province office's review unless the token has `import:publish`; quantity, price and availability change at " +
		'once. Posting the same `ref` again with the same data changes nothing; a ref another agency or an account ' +
		'created is refused (409).',
	access: 'waste:write',
	body: exchangeByproductSchema,
	responses: {
		201: { description: 'Created', schema: z.object({ outcome: outcomeSchema, byproduct: byproductSchema }) },
		200: {
			description: 'Updated, or unchanged',
			schema: z.object({ outcome: outcomeSchema, byproduct: byproductSchema })
		}
	},
	errors: ['invalid_body', 'conflict'],
	async handle({ db, body, caller, locale }) {
		const outcome = await postOne(db, caller!, 'byproducts', body, locale);
		const lot = (await lotForCaller(db, body.ref, caller!.agency.id))!;
		return {
			status: statusOf(outcome),
			body: { outcome, byproduct: lotOut(lot) },
			headers: { Location: `/api/v1/byproducts/${lot.id}` }
		};
	}
});

export const listMaterialWantsEndpoint = defineEndpoint({
	method: 'GET',
	path: '/api/v1/material-wants',
	tag: 'By-products',
	summary: 'Open material wants: the secondary materials factories and recyclers take',
	description:
		'Filter by delivery `province` and by `code`: wants accepting a code of that chapter (2 digits), ' +
		'sub-chapter (4) or that code (6). Pages are walked with `cursor`.',
	access: 'public',
	query: z.strictObject({
		...pageQuery,
		province: provinceCode.optional(),
		code: codePrefix.optional()
	}),
	responses: { 200: { description: 'A page of wants', schema: page(materialWantSchema) } },
	async handle({ db, query }) {
		const rows = await publicWantPage(
			db,
			{ province: query.province, code: query.code },
			query.cursor,
			query.limit + 1
		);
		const { data, next_cursor } = paged(rows, query.limit, encodeCursor);
		return { body: { data: data.map(wantOut), next_cursor } };
	}
});

export const getMaterialWantEndpoint = defineEndpoint({
	method: 'GET',
	path: '/api/v1/material-wants/{key}',
	tag: 'By-products',
	summary: 'One material want, by id or by ref',
	description: 'An open want for anyone; a closed one only for the agency that posted it, with its token.',
	access: 'public',
	params: keyParam,
	responses: { 200: { description: 'The want', schema: materialWantSchema } },
	errors: ['not_found'],
	async handle({ db, params, caller }) {
		const want = orNotFound(await wantForCaller(db, params.key, caller?.agency.id ?? null));
		return { body: wantOut(want) };
	}
});

export const postMaterialWantEndpoint = defineEndpoint({
	method: 'POST',
	path: '/api/v1/material-wants',
	tag: 'By-products',
	summary: 'Post (or update) a material want for an organisation the agency manages',
	description:
		'The body is one `material_wants` record of the exchange format; it is open at once. The organisation is ' +
		'found by `organisation_name` among those the agency manages, or created. Every waste code and the ' +
		'licence class must be on the reference lists. Posting the same `ref` again updates the want while it is ' +
		'open; a ref another agency or an account created, or a closed want, is refused (409).',
	access: 'waste:write',
	body: exchangeMaterialWantSchema,
	responses: {
		201: {
			description: 'Created',
			schema: z.object({ outcome: outcomeSchema, material_want: materialWantSchema })
		},
		200: {
			description: 'Updated, or unchanged',
			schema: z.object({ outcome: outcomeSchema, material_want: materialWantSchema })
		}
	},
	errors: ['invalid_body', 'conflict'],
	async handle({ db, body, caller, locale }) {
		const outcome = await postOne(db, caller!, 'material_wants', body, locale);
		const want = (await wantForCaller(db, body.ref, caller!.agency.id))!;
		return {
			status: statusOf(outcome),
			body: { outcome, material_want: wantOut(want) },
			headers: { Location: `/api/v1/material-wants/${want.id}` }
		};
	}
});
