// The calling agency accepts an offer on its demand.
import { apiHandler } from '$lib/server/api/endpoint';
import { acceptAgencyOfferEndpoint } from '$lib/server/api/endpoints/offers';

export const POST = apiHandler(acceptAgencyOfferEndpoint);
