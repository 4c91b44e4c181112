// One approved startup.
import { apiHandler } from '$lib/server/api/endpoint';
import { getStartupEndpoint } from '$lib/server/api/endpoints/matching';

export const GET = apiHandler(getStartupEndpoint);
