// Exchange-format import for partner agencies.
import { apiHandler } from '$lib/server/api/endpoint';
import { importEndpoint } from '$lib/server/api/endpoints/partners';

export const POST = apiHandler(importEndpoint);
