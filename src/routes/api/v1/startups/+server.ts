// Approved startups, paged.
import { apiHandler } from '$lib/server/api/endpoint';
import { listStartupsEndpoint } from '$lib/server/api/endpoints/matching';

export const GET = apiHandler(listStartupsEndpoint);
