// One by-product lot.
import { apiHandler } from '$lib/server/api/endpoint';
import { getByproductEndpoint } from '$lib/server/api/endpoints/waste';

export const GET = apiHandler(getByproductEndpoint);
