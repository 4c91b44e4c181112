// The OpenAPI 3.1 document, made from the endpoint definitions and their zod schemas (JSON Schema 2020-12,
// which OpenAPI 3.1 uses as is): nothing about the API is written down twice.
import { z } from 'zod';
import { API_ERRORS } from './errors';
import type { Endpoint } from './endpoint';
import { errorSchema } from './schemas';

type JsonSchema = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
	const converted = z.toJSONSchema(schema, {
		target: 'draft-2020-12',
		io,
		unrepresentable: 'any'
	}) as JsonSchema;
	// The document declares its dialect once; a $schema in every embedded schema would only repeat it.
	delete converted.$schema;
	return converted;
}

/** The properties of an object schema, each as a parameter. */
function parameters(schema: z.ZodType | undefined, where: 'path' | 'query') {
	if (!schema) return [];
	const object = jsonSchema(schema, 'input') as {
		properties?: Record<string, JsonSchema>;
		required?: string[];
	};
	return Object.entries(object.properties ?? {}).map(([name, property]) => ({
		name,
		in: where,
		required: where === 'path' || (object.required ?? []).includes(name),
		description: typeof property.description === 'string' ? property.description : undefined,
		schema: property
	}));
}

/** Errors any endpoint may answer with, by its access. */
function commonErrors(endpoint: Endpoint): string[] {
	const codes = ['rate_limited', 'server_error', 'unavailable', 'token_invalid'];
	if (endpoint.query) codes.push('invalid_parameters');
	if (endpoint.access !== 'public') codes.push('token_missing', 'scope_missing');
	return codes;
}

const operationId = (endpoint: Endpoint) =>
	endpoint.method.toLowerCase() +
	endpoint.path
		.replace('/api/v1', '')
		.split('/')
		.filter(Boolean)
		.map((part) => part.replace(/[{}]/g, '').replace(/(^|[-_.])(\w)/g, (_, __, c: string) => c.toUpperCase()))
		.join('');

export function openApiDocument(endpoints: Endpoint[], origin: string) {
	const paths: Record<string, Record<string, unknown>> = {};
	for (const endpoint of endpoints) {
		const responses: Record<string, unknown> = {};
		for (const [status, response] of Object.entries(endpoint.responses))
			responses[status] = {
				description: response.description,
				content: { 'application/json': { schema: jsonSchema(response.schema, 'output') } }
			};
		if (endpoint.method === 'GET') responses['304'] = { description: 'Not modified (If-None-Match)' };
		const byStatus = new Map<number, string[]>();
		for (const code of [...commonErrors(endpoint), ...(endpoint.errors ?? [])]) {
			const status = API_ERRORS[code as keyof typeof API_ERRORS];
			byStatus.set(status, [...new Set([...(byStatus.get(status) ?? []), code])]);
		}
		for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b))
			responses[String(status)] = {
				description: `Error: ${codes.join(', ')}`,
				content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } }
			};
		paths[endpoint.path] ??= {};
		paths[endpoint.path]![endpoint.method.toLowerCase()] = {
			operationId: operationId(endpoint),
			tags: [endpoint.tag],
			summary: endpoint.summary,
			description: endpoint.description,
			security: endpoint.access === 'public' ? [{}, { bearer: [] }] : [{ bearer: [endpoint.access] }],
			'x-scope': endpoint.access,
			parameters: [
				...parameters(endpoint.params, 'path'),
				...parameters(endpoint.query, 'query'),
				{ $ref: '#/components/parameters/AcceptLanguage' }
			],
			requestBody: endpoint.body
				? { required: true, content: { 'application/json': { schema: jsonSchema(endpoint.body, 'input') } } }
				: undefined,
			responses
		};
	}
	return {
		openapi: '3.1.0' as const,
		info: {
			title: 'ตลาดนำการผลิต — I-Connect API',
			version: '1.0.0',
			description:
				'Open data of the provincial startup matchmaking portal (Ministry of Industry, Thailand): provinces, ' +
				'approved startups and their production, open demand, matches with their reasons, and the ' +
				'supply–demand gap; plus import and demand posting for partner agencies. Public reads need no token ' +
				'(at a lower rate limit). Errors are `{"error": {"code", "message", "details"}}`, the message in the ' +
				'language of Accept-Language (th or en; Thai by default).'
		},
		servers: [{ url: origin }],
		tags: [...new Set(endpoints.map((e) => e.tag))].map((name) => ({ name })),
		paths,
		components: {
			securitySchemes: {
				bearer: {
					type: 'http',
					scheme: 'bearer',
					description:
						'A token an administrator issued to your agency, with scopes `read`, `import`, ' +
						'`import:publish` (imported startups are published without waiting for the provincial ' +
						"office's review), `demands:write` and `waste:write` (by-products and material wants). Keep it " +
						'secret; it is shown only once.'
				}
			},
			parameters: {
				AcceptLanguage: {
					name: 'Accept-Language',
					in: 'header',
					required: false,
					description: 'th or en: the language of error messages',
					schema: { type: 'string', examples: ['th', 'en'] }
				}
			},
			schemas: {
				Error: jsonSchema(errorSchema, 'output')
			}
		}
	};
}

export type OpenApiDocument = ReturnType<typeof openApiDocument>;
