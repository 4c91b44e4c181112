// Every endpoint of /api/v1, in the order the documentation lists them, and the two that describe the list itself
// (kept here so that nothing imports this module back). A route file serves each one; a test checks that the two
// lists agree.
import { z } from 'zod';
import { defineEndpoint, type Endpoint } from './endpoint';
import { gapEndpoint } from './endpoints/gap';
import {
	demandMatchesEndpoint,
	getDemandEndpoint,
	getStartupEndpoint,
	listDemandsEndpoint,
	listStartupsEndpoint,
	startupMatchesEndpoint
} from './endpoints/matching';
import {
	acceptAgencyOfferEndpoint,
	declineAgencyOfferEndpoint,
	listAgencyOffersEndpoint
} from './endpoints/offers';
import { importEndpoint, listReferralsEndpoint, postDemandEndpoint } from './endpoints/partners';
import { getProvinceEndpoint, listProvincesEndpoint, listSelectionsEndpoint } from './endpoints/reference';
import {
	getByproductEndpoint,
	getMaterialWantEndpoint,
	listByproductsEndpoint,
	listMaterialWantsEndpoint,
	postByproductEndpoint,
	postMaterialWantEndpoint
} from './endpoints/waste';
import { openApiDocument } from './openapi';

export const indexEndpoint = defineEndpoint({
	method: 'GET',
	path: '/api/v1',
	tag: 'About',
	summary: 'What this API offers, with links to its documentation',
	access: 'public',
	responses: {
		200: {
			description: 'The index',
			schema: z.object({
				name: z.string(),
				version: z.string(),
				documentation: z.string(),
				openapi: z.string(),
				endpoints: z.array(
					z.object({ method: z.string(), path: z.string(), summary: z.string(), access: z.string() })
				)
			})
		}
	},
	async handle() {
		return {
			body: {
				name: 'ตลาดนำการผลิต I-Connect API',
				version: '1',
				documentation: '/api/docs',
				openapi: '/api/v1/openapi.json',
				endpoints: ENDPOINTS.map((e) => ({
					method: e.method,
					path: e.path,
					summary: e.summary,
					access: e.access
				}))
			}
		};
	}
});

export const openApiEndpoint = defineEndpoint({
	method: 'GET',
	path: '/api/v1/openapi.json',
	tag: 'About',
	summary: 'This API as an OpenAPI 3.1 document',
	access: 'public',
	responses: {
		200: { description: 'The OpenAPI document', schema: z.object({ openapi: z.literal('3.1.0') }).loose() }
	},
	async handle({ url }) {
		return { body: openApiDocument(ENDPOINTS, url.origin) };
	}
});

export const ENDPOINTS: Endpoint[] = [
	indexEndpoint,
	openApiEndpoint,
	listProvincesEndpoint,
	getProvinceEndpoint,
	listSelectionsEndpoint,
	listStartupsEndpoint,
	getStartupEndpoint,
	startupMatchesEndpoint,
	listDemandsEndpoint,
	getDemandEndpoint,
	demandMatchesEndpoint,
	gapEndpoint,
	importEndpoint,
	postDemandEndpoint,
	listAgencyOffersEndpoint,
	acceptAgencyOfferEndpoint,
	declineAgencyOfferEndpoint,
	listReferralsEndpoint,
	listByproductsEndpoint,
	getByproductEndpoint,
	postByproductEndpoint,
	listMaterialWantsEndpoint,
	getMaterialWantEndpoint,
	postMaterialWantEndpoint
] as Endpoint[];
