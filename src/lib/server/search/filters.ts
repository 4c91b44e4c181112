// The public search's filters: read from the URL with every value checked against the reference lists, and
// turned into Meilisearch filter expressions in which every value is quoted, so no value can change the logic.
import { z } from 'zod';
import { categoryData, certificationData, provinceData, REGIONS } from '../reference';
import { withoutNul } from '../text';
import { epochDay } from '$lib/certificates';
import { todayInThailand } from '$lib/schemas/calendar-date';

export const SEARCH_TYPES = ['startup', 'product', 'demand'] as const;
export type SearchType = (typeof SEARCH_TYPES)[number];

/** The facets a search can be narrowed by; the URL parameter of each has the same name. */
export const FACETS = ['province', 'region', 'tsic', 'cert'] as const;
export type Facet = (typeof FACETS)[number];

/** The values ticked in each facet: several values of one facet widen (OR), facets narrow each other (AND). */
export type FacetSelection = Record<Facet, string[]>;

export interface SearchRequest {
	/** As typed (so the search box keeps it while someone types), at most 200 characters. */
	q: string;
	type: SearchType | null;
	facets: FacetSelection;
	page: number;
}

/** Meilisearch counts at most 1,000 hits (its default maxTotalHits), so later pages could not be reached. */
export const MAX_PAGE = 50;
const MAX_VALUES_PER_FACET = 20;

const facetValueSchemas: Record<Facet, z.ZodType<string>> = {
	province: z.enum(provinceData.map((p) => p.code)),
	region: z.enum(REGIONS),
	tsic: z.enum(categoryData.tsic_divisions.map((d) => d.code)),
	cert: z.enum(certificationData.map((c) => c.id))
};
const querySchema = z.string().transform((q) => [...withoutNul(q)].slice(0, 200).join(''));
const typeSchema = z.enum(SEARCH_TYPES);
const pageSchema = z.coerce.number().int().min(1).max(MAX_PAGE);

export const emptyFacets = (): FacetSelection => ({ province: [], region: [], tsic: [], cert: [] });

/**
 * The search the URL asks for. A value that is not on the reference list (or a type or page that does not exist)
 * is left out and its parameter named in `ignored`, so the page can say so instead of failing.
 */
export function parseSearchParams(params: URLSearchParams): { request: SearchRequest; ignored: string[] } {
	const ignored = new Set<string>();
	const given = (name: string) => params.getAll(name).filter((value) => value !== '');
	const one = <T>(name: string, schema: z.ZodType<T>, fallback: T): T => {
		const [value] = given(name);
		if (value === undefined) return fallback;
		const parsed = schema.safeParse(value);
		if (parsed.success) return parsed.data;
		ignored.add(name);
		return fallback;
	};
	const facets = emptyFacets();
	for (const facet of FACETS) {
		for (const value of given(facet)) {
			const parsed = facetValueSchemas[facet].safeParse(value);
			if (!parsed.success || facets[facet].length >= MAX_VALUES_PER_FACET) ignored.add(facet);
			else if (!facets[facet].includes(parsed.data)) facets[facet].push(parsed.data);
		}
	}
	return {
		request: {
			q: one('q', querySchema, ''),
			type: one<SearchType | null>('type', typeSchema, null),
			facets,
			page: one('page', pageSchema, 1)
		},
		ignored: [...ignored]
	};
}

export const hasFacets = (facets: FacetSelection) => FACETS.some((facet) => facets[facet].length > 0);

/** A string literal of Meilisearch's filter syntax: quotes and backslashes inside it are escaped. */
export const quote = (value: string) => `"${value.replace(/["\\]/g, '\\$&')}"`;

/**
 * A startup document that holds certificate `id` valid on `day` (YYYY-MM-DD): held, and with no expiry date or one
 * on or after the day. Compared with the day asked, so a certificate stops counting the day after it expires
 * without its startup being indexed again.
 */
export const holdsValidCertificate = (id: string, day: string) => {
	const expiry = quote(`certificate_expiry.${id}`);
	return `(certifications = ${quote(id)} AND (${expiry} NOT EXISTS OR ${expiry} >= ${epochDay(day)}))`;
};

export type IndexKind = 'startups' | 'demands';

/** Which attribute of each index a facet filters and counts. */
export const FACET_ATTRIBUTES = {
	startups: { province: 'province', region: 'region', tsic: 'tsic', cert: 'certifications' },
	demands: {
		province: 'delivery_province',
		region: 'delivery_region',
		tsic: 'tsic',
		cert: 'required_certifications'
	}
} as const satisfies Record<IndexKind, Record<Facet, string>>;

/**
 * The filter of one index: only what the public may see, and each ticked facet, leaving out `except` (a facet's own
 * counts are taken without its own selection, so ticking a second province shows what it would add).
 */
export function meiliFilter(
	index: IndexKind,
	facets: FacetSelection,
	except?: Facet,
	day = todayInThailand()
): string[] {
	const visible = index === 'startups' ? 'status = "approved"' : 'status = "open"';
	return [
		visible,
		...FACETS.filter((facet) => facet !== except && facets[facet].length > 0).map((facet) =>
			// A startup found by a certificate holds it today; an expired one no longer counts.
			index === 'startups' && facet === 'cert'
				? `(${facets.cert.map((id) => holdsValidCertificate(id, day)).join(' OR ')})`
				: `${FACET_ATTRIBUTES[index][facet]} IN [${facets[facet].map(quote).join(', ')}]`
		)
	];
}
