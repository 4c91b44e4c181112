// One public demand.
import { apiHandler } from '$lib/server/api/endpoint';
import { getDemandEndpoint } from '$lib/server/api/endpoints/matching';

export const GET = apiHandler(getDemandEndpoint);
