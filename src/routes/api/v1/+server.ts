// The API's index: what it offers and where its documentation is.
import { apiHandler } from '$lib/server/api/endpoint';
import { indexEndpoint } from '$lib/server/api/registry';

export const GET = apiHandler(indexEndpoint);
