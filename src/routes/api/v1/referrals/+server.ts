// Startups referred to the calling agency.
import { apiHandler } from '$lib/server/api/endpoint';
import { listReferralsEndpoint } from '$lib/server/api/endpoints/partners';

export const GET = apiHandler(listReferralsEndpoint);
