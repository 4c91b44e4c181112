// Public: the API's reference, read from the same OpenAPI document /api/v1/openapi.json serves.
import type { PageServerLoad } from './$types';
import { API_ERRORS, errorMessage } from '$lib/server/api/errors';
import { openApiDocument } from '$lib/server/api/openapi';
import { ENDPOINTS } from '$lib/server/api/registry';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';

export const csr = false;

interface Parameter {
	name: string;
	in: string;
	required: boolean;
	schema: Record<string, unknown>;
}

/** A parameter's type as a reader wants it: "string, TH-\d{2}" or "one of covered, unmet, pending". */
function describeSchema(schema: Record<string, unknown>): string {
	if (Array.isArray(schema.enum)) return schema.enum.join(' | ');
	const type = schema.type;
	const parts = [typeof type === 'string' ? type : Array.isArray(type) ? type.join(',') : 'string'];
	if (typeof schema.pattern === 'string') parts.push(schema.pattern);
	const bound = (value: unknown) => (typeof value === 'number' ? String(value) : '');
	if (typeof schema.minimum === 'number' || typeof schema.maximum === 'number')
		parts.push(`${bound(schema.minimum)}–${bound(schema.maximum)}`);
	if (schema.default !== undefined) parts.push(`default ${JSON.stringify(schema.default)}`);
	return parts.join(', ');
}

// The OpenAPI document stays in English; the page reads each operation's text from the message catalogue, keyed by
// its operationId, so a Thai reader gets it in Thai (a test keeps the English ones equal to the document's).
const catalogue = m as unknown as Record<string, (() => string) | undefined>;
const operationText = (kind: 'summary' | 'description', id: string, english: string | undefined) =>
	catalogue[`api_docs_${kind}_${id}`]?.() ?? english ?? null;

export const load: PageServerLoad = async ({ url }) => {
	const document = openApiDocument(ENDPOINTS, url.origin);
	const locale = getLocale() === 'en' ? 'en' : 'th';
	const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
		Object.entries(methods).map(([method, raw]) => {
			const operation = raw as {
				operationId: string;
				tags: string[];
				summary: string;
				description?: string;
				'x-scope': string;
				parameters: (Parameter | { $ref: string })[];
				requestBody?: unknown;
				responses: Record<string, { description: string }>;
			};
			return {
				id: operation.operationId,
				tag: operation.tags[0]!,
				method: method.toUpperCase(),
				path,
				summary: operationText('summary', operation.operationId, operation.summary)!,
				description: operationText('description', operation.operationId, operation.description),
				scope: operation['x-scope'],
				body: operation.requestBody !== undefined,
				parameters: operation.parameters
					.filter((p): p is Parameter => 'name' in p)
					.map((p) => ({ name: p.name, in: p.in, required: p.required, type: describeSchema(p.schema) })),
				responses: Object.entries(operation.responses).map(([status, r]) => ({
					status,
					description: r.description
				}))
			};
		})
	);
	return {
		origin: url.origin,
		tags: document.tags.map((t) => t.name),
		operations,
		errors: Object.entries(API_ERRORS).map(([code, status]) => ({
			code,
			status,
			message: errorMessage(code as keyof typeof API_ERRORS, locale)
		}))
	};
};
