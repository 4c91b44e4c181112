// The supply–demand gap per province and TSIC division.
import { apiHandler } from '$lib/server/api/endpoint';
import { gapEndpoint } from '$lib/server/api/endpoints/gap';

export const GET = apiHandler(gapEndpoint);
