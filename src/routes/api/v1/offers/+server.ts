// Offers on the calling agency's demand.
import { apiHandler } from '$lib/server/api/endpoint';
import { listAgencyOffersEndpoint } from '$lib/server/api/endpoints/offers';

export const GET = apiHandler(listAgencyOffersEndpoint);
