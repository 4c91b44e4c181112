// A buyer's demand and a startup's offer, as forms, the API and the import read them. Messages are error codes.
import { z } from 'zod';
import { nearDate, todayInThailand } from './calendar-date';
import { MAX_NUMBER, MAX_VALUE_THB, MIN_QUANTITY, UNITS } from './units';

const optionalText = (max: number) =>
	z
		.string()
		.trim()
		.max(max, { error: 'too_long' })
		.transform((value) => value || null);

/** A number as people type it ("2,000", "12.5"); empty is null. */
export const typedNumber = z
	.string()
	.trim()
	.transform((value, ctx) => {
		const plain = value.replace(/[,\s]/g, '');
		if (plain === '') return null;
		if (!/^\d*\.?\d+$/.test(plain) || Number(plain) >= MAX_NUMBER) {
			ctx.addIssue({ code: 'custom', message: 'number_invalid' });
			return z.NEVER;
		}
		return Number(plain);
	});

const positive = (code: string) =>
	typedNumber
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
		priceThbMax: typedNumber,
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
		maxOffers: typedNumber
			.transform((value) => value ?? 10)
			.refine((value) => Number.isInteger(value) && value >= 1 && value <= 100, { error: 'max_offers_range' })
	})
	.refine((demand) => demand.titleTh || demand.titleEn, {
		path: ['titleTh'],
		error: 'title_required',
		// Checked even when other fields are wrong, so every problem shows at once.
		when: ({ value }) => typeof value === 'object' && value !== null
	});

export type DemandInput = z.output<typeof demandSchema>;

export const offerSchema = z
	.object({
		quantity: positive('quantity_required'),
		unitPriceThb: typedNumber
			.refine((value) => value !== null, { error: 'price_required' })
			.transform((v) => v!),
		leadTimeDays: typedNumber
			.refine((value) => value !== null && Number.isInteger(value) && value <= 3650, {
				error: 'lead_time_invalid'
			})
			.transform((value) => value!),
		message: optionalText(2000)
	})
	.refine((offer) => offer.quantity * offer.unitPriceThb < MAX_VALUE_THB, {
		path: ['unitPriceThb'],
		error: 'number_too_large'
	});

export type OfferInput = z.output<typeof offerSchema>;

export const messageSchema = z.object({
	body: z.string().trim().min(1, { error: 'required' }).max(4000, { error: 'too_long' })
});

export const reportSchema = z.object({
	reason: z.string().trim().min(1, { error: 'reason_required' }).max(2000, { error: 'too_long' })
});
