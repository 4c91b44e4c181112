// The open demands a startup can serve.
import { apiHandler } from '$lib/server/api/endpoint';
import { startupMatchesEndpoint } from '$lib/server/api/endpoints/matching';

export const GET = apiHandler(startupMatchesEndpoint);
