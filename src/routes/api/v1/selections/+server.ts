// Each province's selected startup by year.
import { apiHandler } from '$lib/server/api/endpoint';
import { listSelectionsEndpoint } from '$lib/server/api/endpoints/reference';

export const GET = apiHandler(listSelectionsEndpoint);
