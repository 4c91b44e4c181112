// The 77 provinces.
import { apiHandler } from '$lib/server/api/endpoint';
import { listProvincesEndpoint } from '$lib/server/api/endpoints/reference';

export const GET = apiHandler(listProvincesEndpoint);
