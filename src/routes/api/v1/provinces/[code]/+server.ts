// One province with its figures and selections.
import { apiHandler } from '$lib/server/api/endpoint';
import { getProvinceEndpoint } from '$lib/server/api/endpoints/reference';

export const GET = apiHandler(getProvinceEndpoint);
