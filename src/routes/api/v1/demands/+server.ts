// Open demands (read), and demand posted by partner agencies (write).
import { apiHandler } from '$lib/server/api/endpoint';
import { listDemandsEndpoint } from '$lib/server/api/endpoints/matching';
import { postDemandEndpoint } from '$lib/server/api/endpoints/partners';

export const GET = apiHandler(listDemandsEndpoint);
export const POST = apiHandler(postDemandEndpoint);
