// The exchange format provincial-matchmaking/v1 (docs/EXCHANGE-FORMAT.md): startups and demands, by-products and
// material wants, as partner agencies and offices send them. Strict: an unknown field is an error, so a typo is never silently dropped.
import { z } from 'zod';
import { calendarDate } from './calendar-date';
import { jsonNumberFor, MIN_QUANTITY, PRICE, QUANTITY, UNITS, VALUE, valueFits } from './units';
import { WASTE_HANDLINGS, WASTE_UNITS } from './waste';

const ref = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, { error: 'ref must be 1–64 of A-Z a-z 0-9 . _ -' });
/** Free text: anything but U+0000, which PostgreSQL text cannot hold (the write would fail with a 500). */
const text = z.string().regex(/^[^\0]*$/, { error: 'must not contain the NUL character (U+0000)' });
const name = text.trim().min(1).max(200).optional();
const long = text.max(5000).optional();
const province = z.string().regex(/^TH-\d{2}$/, { error: 'must be an ISO 3166-2:TH code like TH-50' });
const division = z.string().regex(/^\d{2}$/, { error: 'must be a two-digit TSIC division' });
const certification = z.string().regex(/^[a-z0-9_-]{1,40}$/);
const price = jsonNumberFor(PRICE).optional();
const quantity = jsonNumberFor(QUANTITY).pipe(z.number().min(MIN_QUANTITY));
const bilingual = (
	value: { name_th?: string; name_en?: string } | { title_th?: string; title_en?: string }
) => Object.values(value).some((v) => typeof v === 'string' && v.length > 0);

export const exchangeProductSchema = z
	.strictObject({
		name_th: name,
		name_en: name,
		unit: z.enum(UNITS),
		monthly_capacity: quantity,
		price_thb_min: price,
		price_thb_max: price
	})
	.refine((p) => bilingual({ name_th: p.name_th, name_en: p.name_en }), {
		error: 'name_th or name_en is required'
	})
	.refine(
		(p) =>
			p.price_thb_min === undefined || p.price_thb_max === undefined || p.price_thb_min <= p.price_thb_max,
		{
			error: 'price_thb_min must not exceed price_thb_max',
			path: ['price_thb_max']
		}
	);

export const exchangeStartupSchema = z
	.strictObject({
		ref,
		province,
		name_th: name,
		name_en: name,
		summary_th: long,
		summary_en: long,
		tsic: z.array(division).min(1).max(5),
		certifications: z.array(certification).max(30).default([]),
		products: z.array(exchangeProductSchema).max(500).default([]),
		contact_email: z.email().optional()
	})
	.refine((s) => bilingual({ name_th: s.name_th, name_en: s.name_en }), {
		error: 'name_th or name_en is required'
	});

export const exchangeDemandSchema = z
	.strictObject({
		ref,
		buyer_name: text.trim().min(1).max(200),
		title_th: name,
		title_en: name,
		details_th: long,
		details_en: long,
		tsic: division,
		quantity,
		unit: z.enum(UNITS),
		recurrence: z.enum(['once', 'monthly']),
		price_thb_max: price,
		delivery_province: province.nullable().optional(),
		needed_by: calendarDate(),
		required_certifications: z.array(certification).max(16).default([])
	})
	.refine((d) => bilingual({ title_th: d.title_th, title_en: d.title_en }), {
		error: 'title_th or title_en is required'
	})
	.refine((d) => d.price_thb_max === undefined || valueFits(d.quantity, d.price_thb_max), {
		error: `quantity × price_thb_max must be at most ${VALUE.max}`,
		path: ['price_thb_max']
	});

/** A six-digit code of the waste list, as a string (leading zeros matter); whether it is listed is checked on import. */
const wasteCode = z.string().regex(/^\d{6}$/, { error: 'must be a six-digit waste code like "020304"' });
/** Baht per unit, negative when the sender pays to have it taken (a lot) or the receiver charges (a want). */
const signedPrice = z
	.number()
	.min(-PRICE.max, { error: `must be at least -${PRICE.max}`, abort: true })
	.max(PRICE.max, { error: `must be at most ${PRICE.max}`, abort: true })
	.refine((value) => Number(value.toFixed(PRICE.scale)) === value, {
		error: `must have at most ${PRICE.scale} decimal places`
	})
	.optional();
const organisationName = text.trim().min(1).max(200);

export const exchangeByproductSchema = z
	.strictObject({
		ref,
		organisation_name: organisationName,
		province,
		name_th: name,
		name_en: name,
		waste_code: wasteCode,
		quantity_per_month: quantity,
		unit: z.enum(WASTE_UNITS),
		handling: z.enum(WASTE_HANDLINGS),
		price_thb: signedPrice,
		available_now: z.boolean().default(true),
		available_until: calendarDate().nullable().optional()
	})
	.refine((b) => bilingual({ name_th: b.name_th, name_en: b.name_en }), {
		error: 'name_th or name_en is required'
	});

export const exchangeMaterialWantSchema = z
	.strictObject({
		ref,
		organisation_name: organisationName,
		province,
		name_th: name,
		name_en: name,
		waste_codes: z.array(wasteCode).min(1).max(30),
		quantity_per_month: quantity,
		unit: z.enum(WASTE_UNITS),
		max_distance_km: z.number().int().min(1).max(2000),
		price_thb: signedPrice,
		licence_class: z
			.string()
			.regex(/^\d{3}$/, { error: 'must be a three-digit factory class like "105"' })
			.nullable()
			.optional(),
		licence_number: text.trim().min(1).max(100).nullable().optional()
	})
	.refine((w) => bilingual({ name_th: w.name_th, name_en: w.name_en }), {
		error: 'name_th or name_en is required'
	});

const LISTS = ['startups', 'demands', 'byproducts', 'material_wants'] as const;

export const exchangeDocumentSchema = z
	.strictObject({
		format: z.literal('provincial-matchmaking/v1'),
		startups: z.array(exchangeStartupSchema).default([]),
		demands: z.array(exchangeDemandSchema).default([]),
		byproducts: z.array(exchangeByproductSchema).default([]),
		material_wants: z.array(exchangeMaterialWantSchema).default([])
	})
	.superRefine((doc, ctx) => {
		for (const key of LISTS) {
			const seen = new Map<string, number>();
			doc[key].forEach((record, index) => {
				if (seen.has(record.ref))
					ctx.addIssue({
						code: 'custom',
						path: [key, index, 'ref'],
						message: `duplicate ref (also at ${key}[${seen.get(record.ref)}])`
					});
				seen.set(record.ref, index);
			});
		}
	});

export type ExchangeDocument = z.output<typeof exchangeDocumentSchema>;
export type ExchangeStartup = z.output<typeof exchangeStartupSchema>;
export type ExchangeDemand = z.output<typeof exchangeDemandSchema>;
export type ExchangeByproduct = z.output<typeof exchangeByproductSchema>;
export type ExchangeMaterialWant = z.output<typeof exchangeMaterialWantSchema>;

/** A zod issue path as JSON path: $.startups[3].products[0].unit */
export function jsonPath(path: PropertyKey[]): string {
	return path.reduce<string>(
		(acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : `${acc}.${String(key)}`),
		'$'
	);
}
