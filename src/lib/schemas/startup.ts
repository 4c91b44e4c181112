// A startup's profile and products, as forms, the API and the import read them. Messages are error codes.
import { z } from 'zod';
import { calendarDate, dateRangeProblem } from './calendar-date';
import { MIN_QUANTITY, PRICE, QUANTITY, typedNumberFor, UNITS } from './units';

const optionalText = (max: number) =>
	z
		.string()
		.trim()
		.max(max, { error: 'too_long' })
		.transform((value) => value || null);

export { UNITS };

/** Run a name check even when other fields are wrong, so every problem shows at once. */
const isObject = ({ value }: { value: unknown }) => typeof value === 'object' && value !== null;

/** A certificate's expiry date as typed: empty for none, else a calendar date within ten years of today. */
const expiryDate = z
	.string()
	.trim()
	.refine((value) => value === '' || calendarDate().safeParse(value).success, {
		error: 'date_invalid'
	})
	.superRefine((value, ctx) => {
		const problem = value === '' ? undefined : dateRangeProblem(value);
		if (problem) ctx.addIssue({ code: 'custom', message: problem });
	})
	.transform((value) => value || null);

const requiredText = (max: number) =>
	z.string().trim().min(1, { error: 'required' }).max(max, { error: 'too_long' });

/** The evidence a startup attaches for one certificate (the file is read apart, by the upload rules). */
export const certificateEvidenceSchema = z.object({
	number: requiredText(100),
	issuer: requiredText(200),
	expiresOn: expiryDate
});

export type CertificateEvidenceInput = z.output<typeof certificateEvidenceSchema>;

export const profileSchema = z
	.object({
		nameTh: optionalText(200),
		nameEn: optionalText(200),
		summaryTh: optionalText(5000),
		summaryEn: optionalText(5000),
		contactEmail: z
			.string()
			.trim()
			.toLowerCase()
			.max(254, { error: 'email_invalid' })
			.refine((value) => value === '' || z.email().safeParse(value).success, { error: 'email_invalid' })
			.transform((value) => value || null),
		phone: optionalText(40).refine((value) => value === null || /^[0-9+\-() ]{6,40}$/.test(value), {
			error: 'phone_invalid'
		}),
		website: optionalText(300).refine(
			(value) => value === null || /^https?:\/\/[^\s]+\.[^\s]+$/.test(value),
			{
				error: 'website_invalid'
			}
		),
		divisions: z
			.array(z.string().regex(/^\d{2}$/, { error: 'invalid_value' }))
			.min(1, { error: 'divisions_required' })
			.max(5, { error: 'divisions_too_many' })
			.transform((codes) => [...new Set(codes)].sort()),
		certifications: z
			.array(
				z.object({
					id: z.string().regex(/^[a-z0-9_-]{1,40}$/, { error: 'invalid_value' }),
					number: optionalText(100),
					expiresOn: expiryDate
				})
			)
			.max(30)
	})
	.refine((profile) => profile.nameTh || profile.nameEn, {
		path: ['nameTh'],
		error: 'name_required',
		when: isObject
	});

export type ProfileInput = z.output<typeof profileSchema>;

export const productSchema = z
	.object({
		nameTh: optionalText(200),
		nameEn: optionalText(200),
		unit: z.enum(UNITS, { error: 'unit_required' }),
		monthlyCapacity: typedNumberFor(QUANTITY).refine((value) => value !== null && value >= MIN_QUANTITY, {
			error: 'capacity_required'
		}),
		priceThbMin: typedNumberFor(PRICE),
		priceThbMax: typedNumberFor(PRICE)
	})
	.refine((product) => product.nameTh || product.nameEn, {
		path: ['nameTh'],
		error: 'name_required',
		when: isObject
	})
	.refine(
		(product) =>
			product.priceThbMin === null ||
			product.priceThbMax === null ||
			product.priceThbMin <= product.priceThbMax,
		{ path: ['priceThbMax'], error: 'price_band_reversed' }
	)
	.transform((product) => ({ ...product, monthlyCapacity: product.monthlyCapacity! }));

export type ProductInput = z.output<typeof productSchema>;
