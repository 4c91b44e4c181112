// Approved by-product lots (read), and lots partner agencies list (write).
import { apiHandler } from '$lib/server/api/endpoint';
import { listByproductsEndpoint, postByproductEndpoint } from '$lib/server/api/endpoints/waste';

export const GET = apiHandler(listByproductsEndpoint);
export const POST = apiHandler(postByproductEndpoint);
