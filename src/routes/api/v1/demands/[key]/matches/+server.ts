// The startups that can supply a demand.
import { apiHandler } from '$lib/server/api/endpoint';
import { demandMatchesEndpoint } from '$lib/server/api/endpoints/matching';

export const GET = apiHandler(demandMatchesEndpoint);
