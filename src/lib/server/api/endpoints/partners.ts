// What partner agencies send and fetch with their tokens: exchange documents, demand for the buyers they
// manage, and the startups referred to them.
import { z } from 'zod';
import { upsertAgencyDemand } from '../../demands/agency';
import { importDocument } from '../../exchange/service';
import { referralsForAgency } from '../../referrals/queries';
import { env } from '../../env';
import { ApiError } from '../errors';
import { defineEndpoint } from '../endpoint';
import { paged, publicDemandByKey } from '../queries';
import {
	agencyDemandResultSchema,
	encodeCursor,
	importReportSchema,
	page,
	pageQuery,
	referralSchema
} from '../schemas';
import type { ApiCaller } from '../tokens';
import { exchangeDemandSchema, exchangeDocumentSchema } from '$lib/schemas/exchange';

const actorOf = (caller: ApiCaller) => `api:${caller.agency.id}:${caller.token.prefix}`;

export const importEndpoint = defineEndpoint({
	method: 'POST',
	path: '/api/v1/import',
	tag: 'Partners',
	summary:
		'Import a document in the exchange format: checked whole, stored all or nothing, idempotent by ref',
	description:
		"Startups become candidates of their province, waiting for the provincial office's review (approved at once " +
		'only when the token has the `import:publish` scope), and so do by-products; demands and material wants open at ' +
		'once. A ref belongs to the agency that ' +
		'created it: a ref another agency or an account created is refused. Buyers are the organisations the agency ' +
		'manages, found by `buyer_name` among them or created. A demand that has closed, or that startups have ' +
		'offered on, cannot be changed; a selected startup cannot change province. A record already holding the ' +
		'same data is `unchanged`. With `dry_run=true` everything is checked and reported, and nothing is stored. ' +
		"Every problem is reported with its JSON path, in the language of Accept-Language. (The operator's " +
		'`cli import` acts as the administrator: it may correct any record and publishes startups at once.)',
	access: 'import',
	query: z.strictObject({ dry_run: z.enum(['true', 'false']).default('false') }),
	body: exchangeDocumentSchema,
	maxBodyBytes: () => env().API_IMPORT_MAX_BYTES,
	responses: { 200: { description: 'What happened to each record', schema: importReportSchema } },
	errors: ['invalid_body', 'payload_too_large', 'unsupported_media_type', 'invalid_json'],
	async handle({ db, body, query, caller, locale }) {
		const dryRun = query.dry_run === 'true';
		const report = await importDocument(db, body, {
			actor: actorOf(caller!),
			importer: {
				kind: 'agency',
				agencyId: caller!.agency.id,
				tokenId: caller!.token.id,
				publish: caller!.token.scopes.includes('import:publish')
			},
			locale,
			records: true,
			dryRun
		});
		return {
			body: {
				dry_run: dryRun,
				startups: report.startups,
				demands: report.demands,
				byproducts: report.byproducts,
				material_wants: report.material_wants,
				records: report.records ?? []
			}
		};
	}
});

export const postDemandEndpoint = defineEndpoint({
	method: 'POST',
	path: '/api/v1/demands',
	tag: 'Partners',
	summary: 'Post (or update) a demand for a buyer organisation the agency manages',
	description:
		'The body is one demand record of the exchange format. The buyer organisation is found by `buyer_name` ' +
		'among those the agency manages, or created. Posting the same `ref` again updates the demand while no ' +
		'startup has offered on it; a ref that belongs to another agency or buyer is refused (409).',
	access: 'demands:write',
	body: exchangeDemandSchema,
	responses: {
		201: { description: 'Created', schema: agencyDemandResultSchema },
		200: { description: 'Updated, or unchanged', schema: agencyDemandResultSchema }
	},
	errors: ['invalid_body', 'conflict'],
	async handle({ db, body, caller }) {
		const { outcome, id } = await upsertAgencyDemand(
			db,
			{ agencyId: caller!.agency.id, label: actorOf(caller!) },
			body
		);
		const demand = await publicDemandByKey(db, id);
		return {
			status: outcome === 'created' ? 201 : 200,
			body: { outcome, demand: demand! },
			headers: { Location: `/api/v1/demands/${id}` }
		};
	}
});

export const listReferralsEndpoint = defineEndpoint({
	method: 'GET',
	path: '/api/v1/referrals',
	tag: 'Partners',
	summary: "Startups referred to the token's agency, with the figures that led to each referral",
	description:
		'A startup that has asked to be referred (`status=requested`) comes with its contact address; one that ' +
		'has not yet, without.',
	access: 'read',
	query: z.strictObject({
		...pageQuery,
		status: z.enum(['offered', 'requested', 'dismissed']).optional()
	}),
	responses: { 200: { description: 'A page of referrals', schema: page(referralSchema) } },
	async handle({ db, query, caller }) {
		if (!caller) throw new ApiError('token_missing');
		const rows = await referralsForAgency(db, caller.agency.id, {
			after: query.cursor,
			limit: query.limit + 1,
			status: query.status
		});
		const { data, next_cursor } = paged(rows, query.limit, encodeCursor);
		return {
			body: {
				next_cursor,
				data: data.map(({ agency_id, contact_email, startup, created_at, decided_at, ...figures }) => ({
					...figures,
					agency: agency_id,
					created_at: created_at.toISOString(),
					decided_at: decided_at?.toISOString() ?? null,
					startup: {
						id: startup.id,
						ref: startup.ref,
						slug: startup.slug,
						name_th: startup.name_th,
						name_en: startup.name_en,
						province: startup.province_code,
						contact_email
					}
				}))
			}
		};
	}
});
