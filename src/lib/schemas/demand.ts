// A buyer's demand and a startup's offer, as forms, the API and the import read them. Messages are error codes.
import { z } from 'zod';
import { nearDate, todayInThailand } from './calendar-date';
import { MIN_QUANTITY, PRICE, QUANTITY, typedNumberFor, UNITS, valueFits } from './units';

const optionalText = (max: number) =>
	z
		.string()
		.trim()
		.max(max, { error: 'too_long' })
		.transform((value) => value || null);

/** A count as people type it (lead time, offers wanted); its range is checked by the field. */
const typedCount = typedNumberFor({ scale: 0, max: Number.MAX_SAFE_INTEGER, tooLarge: 'number_too_large' });

const positive = (code: string) =>
	typedNumberFor(QUANTITY)
		.refine((value) => value !== null && value >= MIN_QUANTITY, { error: code })
		.transform((value) => value!);

export { todayInThailand };

export const demandSchema = z
	.object({
		titleTh: optionalText(200),
		titleEn: optionalText(200),
		detailsTh: optionalText(5000),
		detailsEn: optionalText(5000),
		divisionCode: z.string().regex(/^\d{2}$/, { error: 'division_required' }),
		quantity: positive('quantity_required'),
		unit: z.enum(UNITS, { error: 'unit_required' }),
		recurrence: z.enum(['once', 'monthly'], { error: 'recurrence_required' }),
		priceThbMax: typedNumberFor(PRICE),
		// Empty means anywhere in Thailand.
		deliveryProvinceCode: z
			.string()
			.transform((value) => value || null)
			.pipe(
				z
					.string()
					.regex(/^TH-\d{2}$/, { error: 'province_unknown' })
					.nullable()
			),
		neededBy: nearDate('date_invalid').refine((value) => value > todayInThailand(), {
			error: 'needed_by_future'
		}),
		certifications: z
			.array(z.string().regex(/^[a-z0-9_-]{1,40}$/, { error: 'invalid_value' }))
			.max(16)
			.transform((ids) => [...new Set(ids)].sort()),
		// A checkbox: ticked, only startups whose organisation the office verified may offer.
		verifiedOffersOnly: z
			.string()
			.optional()
			.transform((value) => value === 'on'),
		maxOffers: typedCount
			.transform((value) => value ?? 10)
			.refine((value) => Number.isInteger(value) && value >= 1 && value <= 100, { error: 'max_offers_range' })
	})
	.refine((demand) => demand.titleTh || demand.titleEn, {
		path: ['titleTh'],
		error: 'title_required',
		// Checked even when other fields are wrong, so every problem shows at once.
		when: ({ value }) => typeof value === 'object' && value !== null
	})
	// The whole quantity at the ceiling is the largest deal the demand invites; the referral figures add it up.
	.refine((demand) => demand.priceThbMax === null || valueFits(demand.quantity, demand.priceThbMax), {
		path: ['priceThbMax'],
		error: 'demand_value_too_large'
	});

export type DemandInput = z.output<typeof demandSchema>;

export const offerSchema = z
	.object({
		quantity: positive('quantity_required'),
		unitPriceThb: typedNumberFor(PRICE)
			.refine((value) => value !== null, { error: 'price_required' })
			.transform((v) => v),
		leadTimeDays: typedCount
			.refine((value) => value !== null && Number.isInteger(value) && value <= 3650, {
				error: 'lead_time_invalid'
			})
			.transform((value) => value!),
		message: optionalText(2000),
		// The startup's "yes, send it anyway" to an offer outside the demand's terms (a checkbox: absent is no).
		confirmTerms: z
			.string()
			.optional()
			.transform((value) => value === 'yes')
	})
	// Checked when the offer is made: accepting it records quantity × unit price in the deal's value column.
	.refine((offer) => valueFits(offer.quantity, offer.unitPriceThb), {
		path: ['unitPriceThb'],
		error: 'offer_value_too_large'
	});

export type OfferInput = z.output<typeof offerSchema>;

/** The version of an offer the buyer saw, from the accept form; anything else reads as none (0), never current. */
export const seenVersionSchema = z
	.string()
	.regex(/^[1-9]\d{0,8}$/)
	.transform(Number)
	.catch(0);

export const messageSchema = z.object({
	body: z.string().trim().min(1, { error: 'required' }).max(4000, { error: 'too_long' })
});

export const reportSchema = z.object({
	reason: z.string().trim().min(1, { error: 'reason_required' }).max(2000, { error: 'too_long' })
});

/** Why an offer or an invitation is declined: optional, at most 500 characters, told to the other side. */
export const declineSchema = z.object({
	reason: z
		.string()
		.trim()
		.max(500, { error: 'too_long' })
		.transform((value) => value || null)
});
