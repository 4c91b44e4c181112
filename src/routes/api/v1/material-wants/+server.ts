// Open material wants (read), and wants partner agencies post (write).
import { apiHandler } from '$lib/server/api/endpoint';
import { listMaterialWantsEndpoint, postMaterialWantEndpoint } from '$lib/server/api/endpoints/waste';

export const GET = apiHandler(listMaterialWantsEndpoint);
export const POST = apiHandler(postMaterialWantEndpoint);
