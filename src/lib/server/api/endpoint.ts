// One definition per API endpoint — method, path, who may call it, its zod schemas and its handler — from which
// both the request handling and the OpenAPI document are made, so the two cannot disagree. Every call goes
// through the same steps: token, rate limit, usage count, parameters, body, handler, ETag, errors.
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase64urlNoPadding } from '@oslojs/encoding';
import type { RequestEvent, RequestHandler } from '@sveltejs/kit';
import type { Meilisearch } from 'meilisearch';
import { en as zodEn, th as zodTh } from 'zod/locales';
import { z } from 'zod';
import type { Db } from '../db';
import { DatabaseUnavailableError } from '../db';
import { db as contextDb, searchClient } from '../context';
import { env } from '../env';
import { UserError } from '../errors';
import { ImportRejected } from '../exchange/service';
import { hitRateLimit } from '../rate-limit';
import { log } from '../log';
import { requestIdOf } from '../request-id';
import { jsonPath } from '$lib/schemas/exchange';
import { apiLocale, ApiError, errorResponse, type ApiLocale } from './errors';
import { checkApiToken, recordTokenUse, type ApiCaller, type ApiScope } from './tokens';
import { messageOf } from '../system-errors';

/** Anyone may call a `public` endpoint (with or without a token); the others need a token with that scope. */
export type Access = 'public' | ApiScope;

type AnyObject = z.ZodType<Record<string, unknown>>;

export interface EndpointContext<P, Q, B> {
	db: Db;
	search: Meilisearch | null;
	params: P;
	query: Q;
	body: B;
	caller: ApiCaller | null;
	locale: ApiLocale;
	url: URL;
}

export interface EndpointResult<R> {
	status?: number;
	body: R;
	headers?: Record<string, string>;
}

export interface Endpoint<P = unknown, Q = unknown, B = unknown, R = unknown> {
	method: 'GET' | 'POST';
	/** The OpenAPI path template, e.g. /api/v1/startups/{id}. */
	path: string;
	summary: string;
	description?: string;
	tag: string;
	access: Access;
	params?: z.ZodType<P>;
	query?: z.ZodType<Q>;
	body?: z.ZodType<B>;
	/** The largest body taken, in bytes (1 MB unless said). */
	maxBodyBytes?: () => number;
	/** Status code → response schema. */
	responses: Record<number, { description: string; schema: z.ZodType<R> }>;
	/** Error codes this endpoint answers with, besides the ones every endpoint may give. */
	errors?: string[];
	handle(context: EndpointContext<P, Q, B>): Promise<EndpointResult<R>>;
}

export function defineEndpoint<P extends object, Q extends object, B, R>(
	endpoint: Endpoint<P, Q, B, R>
): Endpoint<P, Q, B, R> {
	return endpoint;
}

const DEFAULT_MAX_BODY = 1024 * 1024;
const emptyQuery = z.strictObject({}) as unknown as AnyObject;
const RATE_WINDOW_MS = 60_000;

/** The zod issues as {path, message} in the caller's language; `$` is the whole input. */
function issuesOf(error: z.ZodError, root: string) {
	return error.issues.map((issue) => ({
		path: jsonPath(issue.path).replace(/^\$/, root),
		message: issue.message
	}));
}

function parseWith<T>(schema: z.ZodType<T>, input: unknown, locale: ApiLocale) {
	return schema.safeParse(input, { error: (locale === 'th' ? zodTh() : zodEn()).localeError });
}

/** Query string as an object: a repeated name becomes an array. */
function queryObject(params: URLSearchParams): Record<string, string | string[]> {
	const out: Record<string, string | string[]> = {};
	for (const key of new Set(params.keys())) {
		const values = params.getAll(key);
		out[key] = values.length === 1 ? values[0]! : values;
	}
	return out;
}

/** Reads the body, stopping at `limit` bytes so an oversized upload never sits in memory whole. */
async function readBody(request: Request, limit: number): Promise<string> {
	const declared = Number(request.headers.get('content-length') ?? NaN);
	if (declared > limit) throw new ApiError('payload_too_large', { limit_bytes: limit });
	if (!request.body) return '';
	const reader = request.body.getReader();
	const chunks: Uint8Array[] = [];
	let size = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		size += value.byteLength;
		if (size > limit) {
			await reader.cancel();
			throw new ApiError('payload_too_large', { limit_bytes: limit });
		}
		chunks.push(value);
	}
	return Buffer.concat(chunks).toString('utf8');
}

async function authenticate(request: Request, database: Db): Promise<ApiCaller | null> {
	const header = request.headers.get('authorization');
	if (header === null) return null;
	const match = /^Bearer ([^\s]+)$/i.exec(header.trim());
	if (!match) throw new ApiError('token_invalid', { reason: 'malformed' }, BEARER_CHALLENGE);
	const checked = await checkApiToken(database, match[1]!);
	if ('refused' in checked)
		throw new ApiError('token_invalid', { reason: checked.refused }, BEARER_CHALLENGE);
	return checked.caller;
}

const BEARER_CHALLENGE = { 'WWW-Authenticate': 'Bearer realm="api"' };

function etagOf(text: string): string {
	return `W/"${encodeBase64urlNoPadding(sha256(new TextEncoder().encode(text))).slice(0, 27)}"`;
}

function matchesEtag(header: string | null, etag: string): boolean {
	if (!header) return false;
	const bare = (tag: string) => tag.trim().replace(/^W\//, '');
	return header.split(',').some((tag) => tag.trim() === '*' || bare(tag) === bare(etag));
}

/** Runs one call of an endpoint; every outcome, failures included, is a JSON response. */
export async function runEndpoint<P, Q, B, R>(
	endpoint: Endpoint<P, Q, B, R>,
	event: Pick<RequestEvent, 'request' | 'url' | 'params' | 'getClientAddress'>
): Promise<Response> {
	const locale = apiLocale(event.request.headers.get('accept-language'));
	const rateHeaders: Record<string, string> = {};
	try {
		const database = contextDb();
		const caller = await authenticate(event.request, database);
		if (endpoint.access !== 'public') {
			if (!caller) throw new ApiError('token_missing', null, BEARER_CHALLENGE);
		}
		const route = `${endpoint.method} ${endpoint.path}`;
		const limit = caller ? caller.token.requestsPerMinute : env().API_PUBLIC_REQUESTS_PER_MINUTE;
		const [rate] = await Promise.all([
			hitRateLimit(
				database,
				caller ? `api:token:${caller.token.id}` : `api:address:${event.getClientAddress()}`,
				{ limit, windowMs: RATE_WINDOW_MS }
			),
			caller ? recordTokenUse(database, caller.token.id, route) : undefined
		]);
		rateHeaders['X-RateLimit-Limit'] = String(limit);
		rateHeaders['X-RateLimit-Remaining'] = String(rate.remaining);
		if (!rate.allowed)
			throw new ApiError(
				'rate_limited',
				{ limit_per_minute: limit },
				{ 'Retry-After': String(rate.retryAfterSeconds) }
			);
		if (endpoint.access !== 'public' && !caller!.token.scopes.includes(endpoint.access))
			throw new ApiError('scope_missing', { required: endpoint.access, granted: caller!.token.scopes });

		const params = endpoint.params ? parseWith(endpoint.params, event.params, locale) : undefined;
		if (params && !params.success)
			throw new ApiError('not_found', { problems: issuesOf(params.error, 'path') });
		const query = parseWith(
			(endpoint.query ?? emptyQuery) as z.ZodType<Q>,
			queryObject(event.url.searchParams),
			locale
		);
		if (!query.success)
			throw new ApiError('invalid_parameters', { problems: issuesOf(query.error, 'query') });

		let body: B = undefined as B;
		if (endpoint.body) {
			const type = event.request.headers.get('content-type') ?? '';
			if (!/^application\/json\b/i.test(type)) throw new ApiError('unsupported_media_type');
			const text = await readBody(event.request, endpoint.maxBodyBytes?.() ?? DEFAULT_MAX_BODY);
			let raw: unknown;
			try {
				raw = JSON.parse(text);
			} catch (error) {
				throw new ApiError('invalid_json', { reason: messageOf(error) });
			}
			const parsed = parseWith(endpoint.body, raw, locale);
			if (!parsed.success) throw new ApiError('invalid_body', { problems: issuesOf(parsed.error, '$') });
			body = parsed.data;
		}

		const result = await endpoint.handle({
			db: database,
			search: searchClient(),
			params: params?.data as P,
			query: query.data,
			body,
			caller,
			locale,
			url: event.url
		});
		const text = JSON.stringify(result.body);
		const status = result.status ?? 200;
		const headers: Record<string, string> = {
			'Content-Type': 'application/json; charset=utf-8',
			Vary: 'Authorization, Accept-Language',
			...rateHeaders,
			...result.headers
		};
		if (endpoint.method !== 'GET') {
			headers['Cache-Control'] = 'no-store';
			return new Response(text, { status, headers });
		}
		const etag = etagOf(text);
		headers.ETag = etag;
		// Public data may sit in shared caches for a minute; what a token reads is for that caller only.
		headers['Cache-Control'] =
			endpoint.access === 'public' && !caller ? 'public, max-age=60' : 'private, no-cache';
		if (endpoint.access === 'public') headers['Access-Control-Allow-Origin'] = '*';
		if (matchesEtag(event.request.headers.get('if-none-match'), etag))
			return new Response(null, { status: 304, headers });
		return new Response(text, { status, headers });
	} catch (error) {
		return failure(error, event, locale, rateHeaders);
	}
}

function failure(
	error: unknown,
	event: Pick<RequestEvent, 'request' | 'url'>,
	locale: ApiLocale,
	rateHeaders: Record<string, string>
): Response {
	if (error instanceof ApiError)
		return errorResponse(error.code, locale, error.details, { ...rateHeaders, ...error.headers });
	if (error instanceof ImportRejected)
		return errorResponse('invalid_body', locale, { problems: error.problems }, rateHeaders);
	if (error instanceof UserError) {
		const code =
			error.status === 404
				? 'not_found'
				: error.status === 409
					? 'conflict'
					: error.status === 429
						? 'rate_limited'
						: 'invalid_body';
		const retry: Record<string, string> = error.retryAfterSeconds
			? { 'Retry-After': String(error.retryAfterSeconds) }
			: {};
		return errorResponse(
			code,
			locale,
			{ reason: error.code, field: error.field ?? null },
			{
				...rateHeaders,
				...retry
			}
		);
	}
	if (error instanceof DatabaseUnavailableError)
		return errorResponse('unavailable', locale, null, rateHeaders);
	const id = requestIdOf(event);
	log().error({ requestId: id, path: event.url.pathname, err: error }, 'API error');
	return errorResponse('server_error', locale, { id }, rateHeaders);
}

/** The route handler for an endpoint: `export const GET = apiHandler(listStartups)`. */
export function apiHandler<P, Q, B, R>(endpoint: Endpoint<P, Q, B, R>): RequestHandler {
	return (event) => runEndpoint(endpoint, event);
}
