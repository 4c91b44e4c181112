// The calling agency declines an offer on its demand.
import { apiHandler } from '$lib/server/api/endpoint';
import { declineAgencyOfferEndpoint } from '$lib/server/api/endpoints/offers';

export const POST = apiHandler(declineAgencyOfferEndpoint);
