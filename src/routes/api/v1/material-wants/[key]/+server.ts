// One material want.
import { apiHandler } from '$lib/server/api/endpoint';
import { getMaterialWantEndpoint } from '$lib/server/api/endpoints/waste';

export const GET = apiHandler(getMaterialWantEndpoint);
