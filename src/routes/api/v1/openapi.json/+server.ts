// The API as an OpenAPI 3.1 document, made from the endpoint definitions.
import { apiHandler } from '$lib/server/api/endpoint';
import { openApiEndpoint } from '$lib/server/api/registry';

export const GET = apiHandler(openApiEndpoint);
