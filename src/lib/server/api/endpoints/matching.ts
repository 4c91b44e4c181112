// Public startups and open demands, and the matches between them with the reasons for each.
import { z } from 'zod';
import type { Meilisearch } from 'meilisearch';
import type { Db } from '../../db';
import {
	matchDemandsForStartup,
	matchStartupsForDemand,
	type Match,
	type MatchResult
} from '../../matching/service';
import { withDemandTitles, withStartupNames } from '../../matching/display';
import { GOOD_MATCH_SCORE, type MatchReasons } from '../../matching/score';
import { orNotFound } from '../errors';
import { defineEndpoint } from '../endpoint';
import { demandPage, paged, publicDemandByKey, publicStartupByKey, startupPage } from '../queries';
import {
	certificationId,
	coverageSchema,
	demandSchema,
	divisionCode,
	encodeCursor,
	matchesSchema,
	page,
	pageQuery,
	provinceCode,
	startupSchema
} from '../schemas';
import { UNITS } from '$lib/schemas/units';

/** A startup or demand is named by its id or by the `ref` it was imported with. */
const keyParam = z.object({ key: z.string().regex(/^[A-Za-z0-9._-]{1,64}$|^[0-9a-f-]{36}$/) });

const reasonsOut = (r: MatchReasons) => ({
	matched_terms: r.matchedTerms,
	relevance: r.relevance,
	category: r.category,
	certifications_required: r.certificationsRequired,
	capacity_coverage_percent: r.capacityCoveragePercent,
	distance_band: r.distanceBand,
	price_fit: r.priceFit,
	freshness_days: r.freshnessDays
});

type NamedMatch = Match & { nameTh: string | null; nameEn: string | null };

const matchOut = (m: NamedMatch) => ({
	id: m.id,
	ref: m.ref,
	name_th: m.nameTh,
	name_en: m.nameEn,
	score: m.score,
	good: m.score >= GOOD_MATCH_SCORE,
	reasons: reasonsOut(m.reasons)
});

const matchLimit = z.strictObject({ limit: z.coerce.number().int().min(1).max(50).default(10) });

/**
 * The matches of one public startup or demand, named by its id or ref, in either direction: the same route, the
 * same answer (the engine that found them, each match named, scored and explained); `find` says which.
 */
function matchesEndpoint(
	path: string,
	summary: string,
	find: (
		db: Db,
		search: Meilisearch | null,
		key: string,
		limit: number
	) => Promise<MatchResult & { named: NamedMatch[] }>
) {
	return defineEndpoint({
		method: 'GET',
		path,
		tag: 'Matching',
		summary,
		access: 'public',
		params: keyParam,
		query: matchLimit,
		responses: { 200: { description: 'Matches', schema: matchesSchema } },
		errors: ['not_found'],
		async handle({ db, search, params, query }) {
			const { engine, degraded, named } = await find(db, search, params.key, query.limit);
			return { body: { engine, degraded, data: named.map(matchOut) } };
		}
	});
}

export const listStartupsEndpoint = defineEndpoint({
	method: 'GET',
	path: '/api/v1/startups',
	tag: 'Startups',
	summary: 'Approved startups as last approved, with products, certifications and selection years',
	description: 'Filters mirror the province page and search facets. Pages are walked with `cursor`.',
	access: 'public',
	query: z.strictObject({
		...pageQuery,
		province: provinceCode.optional(),
		tsic: divisionCode.optional(),
		certification: certificationId.optional(),
		selected_year: z.coerce.number().int().min(2020).max(2100).optional()
	}),
	responses: { 200: { description: 'A page of startups', schema: page(startupSchema) } },
	async handle({ db, query }) {
		const rows = await startupPage(
			db,
			{
				province: query.province,
				tsic: query.tsic,
				certification: query.certification,
				selectedYear: query.selected_year
			},
			query.cursor,
			query.limit + 1
		);
		return { body: paged(rows, query.limit, encodeCursor) };
	}
});

export const getStartupEndpoint = defineEndpoint({
	method: 'GET',
	path: '/api/v1/startups/{key}',
	tag: 'Startups',
	summary: 'One approved startup, by id or by ref',
	access: 'public',
	params: keyParam,
	responses: { 200: { description: 'The startup', schema: startupSchema } },
	errors: ['not_found'],
	async handle({ db, params }) {
		const startup = orNotFound(await publicStartupByKey(db, params.key));
		return { body: startup };
	}
});

export const startupMatchesEndpoint = matchesEndpoint(
	'/api/v1/startups/{key}/matches',
	'Open demands this startup can serve, best first, with the reasons for each score',
	async (db, search, key, limit) => {
		const startup = orNotFound(await publicStartupByKey(db, key));
		const result = await matchDemandsForStartup(db, search, startup.id, { limit });
		const named = await withDemandTitles(db, result.matches);
		return { ...result, named: named.map((m) => ({ ...m, nameTh: m.titleTh, nameEn: m.titleEn })) };
	}
);

export const listDemandsEndpoint = defineEndpoint({
	method: 'GET',
	path: '/api/v1/demands',
	tag: 'Demand',
	summary: 'Open demands, with whether the matching engine found a good supplier (coverage)',
	description:
		'Filters mirror the demand board; `coverage=unmet` lists the demand no startup can yet serve well.',
	access: 'public',
	query: z.strictObject({
		...pageQuery,
		province: provinceCode.optional(),
		tsic: divisionCode.optional(),
		certification: certificationId.optional(),
		unit: z.enum(UNITS).optional(),
		coverage: coverageSchema.optional()
	}),
	responses: { 200: { description: 'A page of demands', schema: page(demandSchema) } },
	async handle({ db, query }) {
		const { cursor, limit, ...filter } = query;
		const rows = await demandPage(db, filter, cursor, limit + 1);
		return { body: paged(rows, limit, encodeCursor) };
	}
});

export const getDemandEndpoint = defineEndpoint({
	method: 'GET',
	path: '/api/v1/demands/{key}',
	tag: 'Demand',
	summary: 'One public demand, by id or by ref',
	access: 'public',
	params: keyParam,
	responses: { 200: { description: 'The demand', schema: demandSchema } },
	errors: ['not_found'],
	async handle({ db, params }) {
		const demand = orNotFound(await publicDemandByKey(db, params.key));
		return { body: demand };
	}
});

export const demandMatchesEndpoint = matchesEndpoint(
	'/api/v1/demands/{key}/matches',
	'Startups that can supply this demand, best first, with the reasons for each score',
	async (db, search, key, limit) => {
		const demand = orNotFound(await publicDemandByKey(db, key));
		const result = await matchStartupsForDemand(db, search, demand.id, { limit });
		return { ...result, named: await withStartupNames(db, result.matches) };
	}
);
