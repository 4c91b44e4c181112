// What a saved search looks for, and the pure rules that decide whether a listing enters it: the words by the
// same rule as the search's Postgres path and the demand board (every word inside one of the listing's texts), the
// filters as the search applies them. `anchorsOf` and `listingKeys` are the percolation index: a listing is checked
// only against searches that share a key with it, and every search it matches shares one.
import { z } from 'zod';
import { categoryData, certificationData, provinceData, REGIONS } from '../reference';
import { withoutNul } from '../text';
import type { DemandDocument, StartupDocument } from '../search/documents';
import { SEARCH_TYPES } from '../search/filters';
import { wasteData } from '../waste/codes';
import type { LotDocument } from '../waste/search';
import { epochDay } from '$lib/certificates';
import { todayInThailand } from '$lib/schemas/calendar-date';

const MAX_VALUES = 20;
const list = <T extends string>(values: readonly T[]) =>
	z.array(z.enum(values)).max(MAX_VALUES, { message: 'invalid_value' }).default([]);
const quantity = z
	.union([z.literal('').transform(() => null), z.coerce.number().min(0).max(1e12)])
	.nullable()
	.default(null);

export const criteriaSchema = z.object({
	q: z
		.string()
		.transform((q) => withoutNul(q).trim())
		.pipe(z.string().max(200, { message: 'too_long' }))
		.default(''),
	// `waste`: the public by-product search (/waste), which finds lots only.
	type: z
		.union([z.literal('').transform(() => null), z.enum([...SEARCH_TYPES, 'waste'])])
		.nullable()
		.default(null),
	province: list(provinceData.map((p) => p.code)),
	region: list(REGIONS),
	tsic: list(categoryData.tsic_divisions.map((d) => d.code)),
	cert: list(certificationData.map((c) => c.id)),
	/** By-product searches: the lot's waste code is one of these. */
	code: list(wasteData.codes.map((c) => c.code)),
	minQuantity: quantity,
	maxQuantity: quantity
});
export type SearchCriteria = z.infer<typeof criteriaSchema>;

export type AlertEntity = 'startup' | 'demand' | 'waste_lot';

/**
 * Which listings a search can find: the demand board finds demands, the by-product search lots; /search what its
 * type says, or startups and demands.
 */
export function entitiesOf(criteria: SearchCriteria): AlertEntity[] {
	if (criteria.type === 'waste') return ['waste_lot'];
	if (criteria.type === 'demand') return ['demand'];
	if (criteria.type === 'startup' || criteria.type === 'product') return ['startup'];
	return ['startup', 'demand'];
}

/** The words as the search takes them: lower-cased, split on white space, at most eight. */
export const wordsOf = (q: string) => q.toLowerCase().split(/\s+/).filter(Boolean).slice(0, 8);

/** Keys are pieces of at most this many characters: a word inside a text has all its pieces in the text. */
const GRAM = 3;

/** Every piece of 1 to 3 characters of a text (lower-cased): what a listing offers the lookup. */
export function gramsOf(text: string): Set<string> {
	const chars = [...text.toLowerCase()];
	const grams = new Set<string>();
	for (let i = 0; i < chars.length; i++)
		for (let n = 1; n <= GRAM && i + n <= chars.length; n++) grams.add(chars.slice(i, i + n).join(''));
	return grams;
}

/**
 * The piece a word is found by: one of its 3-character pieces (from its middle, where Thai words share least), or
 * the whole word when it is shorter. Matching is "the word appears inside one of the texts" (as the demand board
 * and the search's Postgres path do), so a listing that holds the word holds this piece: the lookup never misses.
 */
function wordAnchor(word: string): string {
	const chars = [...word];
	if (chars.length <= GRAM) return word;
	const start = Math.floor((chars.length - GRAM) / 2);
	return chars.slice(start, start + GRAM).join('');
}

/**
 * The keys a search is found by. With words: a piece of its longest word; else the values of its most selective
 * filter; else `*` (every new listing of the kind is a candidate, and each one is also an alert, so the work still
 * follows what is delivered).
 */
export function anchorsOf(criteria: SearchCriteria): string[] {
	const words = wordsOf(criteria.q);
	const keys: string[] = [];
	for (const entity of entitiesOf(criteria)) {
		if (words.length > 0) {
			const longest = words.reduce((a, b) => ([...b].length > [...a].length ? b : a));
			keys.push(`${entity}|w:${wordAnchor(longest)}`);
			continue;
		}
		const facet = (['code', 'tsic', 'province', 'cert', 'region'] as const).find(
			(f) => criteria[f].length > 0
		);
		if (facet) for (const value of criteria[facet]) keys.push(`${entity}|${facet}:${value}`);
		else keys.push(`${entity}|*`);
	}
	return [...new Set(keys)];
}

export type Listing =
	| { entity: 'demand'; document: DemandDocument }
	| { entity: 'startup'; document: StartupDocument }
	| { entity: 'waste_lot'; document: LotDocument };

const regionOf = new Map(provinceData.map((p) => [p.code, p.region]));

function textsOf(listing: Listing): string[] {
	const texts =
		listing.entity === 'waste_lot'
			? [listing.document.name_th, listing.document.name_en]
			: listing.entity === 'demand'
				? [
						listing.document.title_th,
						listing.document.title_en,
						listing.document.details_th,
						listing.document.details_en
					]
				: [
						listing.document.name_th,
						listing.document.name_en,
						listing.document.summary_th,
						listing.document.summary_en,
						...listing.document.product_names_th,
						...listing.document.product_names_en
					];
	return texts.filter((t): t is string => !!t).map((t) => t.toLowerCase());
}

/** The keys a listing offers the percolation lookup. */
export function listingKeys(listing: Listing): string[] {
	const e = listing.entity;
	const keys = new Set<string>([`${e}|*`]);
	for (const text of textsOf(listing)) for (const gram of gramsOf(text)) keys.add(`${e}|w:${gram}`);
	if (listing.entity === 'waste_lot') {
		const lot = listing.document;
		keys.add(`${e}|code:${lot.waste_code}`);
		keys.add(`${e}|province:${lot.province}`);
		const region = regionOf.get(lot.province);
		if (region) keys.add(`${e}|region:${region}`);
	} else if (listing.entity === 'demand') {
		const d = listing.document;
		keys.add(`${e}|tsic:${d.tsic}`);
		if (d.delivery_province) keys.add(`${e}|province:${d.delivery_province}`);
		if (d.delivery_region) keys.add(`${e}|region:${d.delivery_region}`);
		for (const cert of d.required_certifications) keys.add(`${e}|cert:${cert}`);
	} else {
		const s = listing.document;
		for (const tsic of s.tsic) keys.add(`${e}|tsic:${tsic}`);
		keys.add(`${e}|province:${s.province}`);
		keys.add(`${e}|region:${s.region}`);
		for (const cert of s.certifications) keys.add(`${e}|cert:${cert}`);
	}
	return [...keys];
}

const anyOf = (wanted: string[], value: string | null | undefined) =>
	wanted.length === 0 || (value != null && wanted.includes(value));
const anyIn = (wanted: string[], values: string[]) =>
	wanted.length === 0 || wanted.some((value) => values.includes(value));

/** Whether a public listing is one the search finds (the exact check after the lookup). */
export function matches(criteria: SearchCriteria, listing: Listing, day = todayInThailand()): boolean {
	if (!entitiesOf(criteria).includes(listing.entity)) return false;
	const words = wordsOf(criteria.q);
	if (listing.entity === 'waste_lot') {
		const lot = listing.document;
		const texts = textsOf(listing);
		return (
			words.every((word) => texts.some((text) => text.includes(word))) &&
			anyOf(criteria.province, lot.province) &&
			anyOf(criteria.region, regionOf.get(lot.province)) &&
			anyOf(criteria.code, lot.waste_code)
		);
	}
	if (listing.entity === 'demand') {
		const d = listing.document;
		const texts = textsOf(listing);
		return (
			words.every((word) => texts.some((text) => text.includes(word))) &&
			anyOf(criteria.province, d.delivery_province) &&
			anyOf(criteria.region, d.delivery_region) &&
			anyOf(criteria.tsic, d.tsic) &&
			anyIn(criteria.cert, d.required_certifications) &&
			(criteria.minQuantity === null || d.quantity >= criteria.minQuantity) &&
			(criteria.maxQuantity === null || d.quantity <= criteria.maxQuantity)
		);
	}
	const s = listing.document;
	// A product search reads product names only, and needs a product.
	const texts =
		criteria.type === 'product'
			? [...s.product_names_th, ...s.product_names_en].map((t) => t.toLowerCase())
			: textsOf(listing);
	if (criteria.type === 'product' && s.units.length === 0) return false;
	const today = epochDay(day);
	const validCerts = s.certifications.filter((id) => {
		const expiry = s.certificate_expiry[id];
		return expiry === undefined || expiry >= today;
	});
	return (
		words.every((word) => texts.some((text) => text.includes(word))) &&
		anyOf(criteria.province, s.province) &&
		anyOf(criteria.region, s.region) &&
		anyIn(criteria.tsic, s.tsic) &&
		anyIn(criteria.cert, validCerts)
	);
}

/** The page that shows the search again, with its words and filters. */
export function searchPath(source: 'search' | 'demand' | 'waste', criteria: SearchCriteria): string {
	const params = new URLSearchParams();
	if (criteria.q) params.set('q', criteria.q);
	if (source === 'waste') {
		for (const facet of ['province', 'region', 'code'] as const)
			for (const value of criteria[facet]) params.append(facet, value);
	} else if (source === 'search') {
		if (criteria.type) params.set('type', criteria.type);
		for (const facet of ['province', 'region', 'tsic', 'cert'] as const)
			for (const value of criteria[facet]) params.append(facet, value);
	} else {
		if (criteria.province[0]) params.set('province', criteria.province[0]);
		if (criteria.region[0]) params.set('region', criteria.region[0]);
		if (criteria.tsic[0]) params.set('division', criteria.tsic[0]);
		if (criteria.cert[0]) params.set('certification', criteria.cert[0]);
		if (criteria.minQuantity !== null) params.set('minQuantity', String(criteria.minQuantity));
		if (criteria.maxQuantity !== null) params.set('maxQuantity', String(criteria.maxQuantity));
	}
	const query = params.toString();
	return `/${source}${query ? `?${query}` : ''}`;
}
