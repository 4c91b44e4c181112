// By-product lots, material wants, the checklist and transfers, as forms read them (issue 23). Messages are error
// codes. Whether a waste code exists is the service's question: the list is server-side reference data.
import { z } from 'zod';
import { nearDate, todayInThailand } from './calendar-date';
import { MIN_QUANTITY, PRICE, QUANTITY, typedNumberFor } from './units';

/** The units by-products are counted in: mass and volume only, so tonnes can be added up. */
export const WASTE_UNITS = ['kg', 'tonne', 'litre', 'cubic_metre'] as const;
export type WasteUnit = (typeof WASTE_UNITS)[number];

/** How the factory disposes of the by-product today; landfill and incineration are what a transfer diverts. */
export const WASTE_HANDLINGS = ['landfill', 'incineration', 'sold', 'given_away', 'stored'] as const;
export type WasteHandling = (typeof WASTE_HANDLINGS)[number];
export const DIVERTED_HANDLINGS: readonly WasteHandling[] = ['landfill', 'incineration'];

/** The permit path in the order the law takes it. */
export const PERMIT_STEPS = ['removal_permit', 'licensed_receiver', 'transport_manifest'] as const;
export type PermitStep = (typeof PERMIT_STEPS)[number];
export const PERMIT_STEP_STATUSES = ['todo', 'done', 'not_needed'] as const;

/** A code as people read it: "02 03 04". */
export const spacedCode = (code: string) => `${code.slice(0, 2)} ${code.slice(2, 4)} ${code.slice(4)}`;

const optionalText = (max: number) =>
	z
		.string()
		.trim()
		.max(max, { error: 'too_long' })
		.transform((value) => value || null);

const WASTE_CODE = /^\d{6}$/;
/** "02 03 04", "020304" or "02-03-04" as a six-digit code. */
const wasteCode = z
	.string()
	.transform((value) => value.replace(/[\s-]/g, ''))
	.pipe(z.string().regex(WASTE_CODE, { error: 'waste_code_invalid' }));

const quantity = typedNumberFor(QUANTITY)
	.refine((value) => value !== null && value >= MIN_QUANTITY, { error: 'quantity_required' })
	.transform((value) => value!);

/** Baht that may be negative ("pays to have it removed"); empty is none. */
const signedPrice = z
	.string()
	.trim()
	.transform((value) => {
		const negative = /^[-−]/.test(value);
		return { negative, digits: negative ? value.slice(1) : value };
	})
	.pipe(
		z.object({ negative: z.boolean(), digits: typedNumberFor(PRICE) }).transform(({ negative, digits }) => {
			if (digits === null) return null;
			return negative && digits !== 0 ? -digits : digits;
		})
	);

const province = z.string().regex(/^TH-\d{2}$/, { error: 'province_required' });
/** A lot's province is its organisation's; only an organisation registered without one says where it is. */
const lotProvince = z
	.string()
	.optional()
	.transform((value) => value || null)
	.pipe(
		z
			.string()
			.regex(/^TH-\d{2}$/, { error: 'province_required' })
			.nullable()
	);
const checkbox = z
	.string()
	.optional()
	.transform((value) => value === 'yes');
/** A lot's last day on offer: empty for none; a day already past is refused (it would be listed as over). */
const availableUntil = z
	.string()
	.optional()
	.transform((value) => value?.trim() || null)
	.pipe(
		nearDate('date_invalid')
			.refine((value) => value >= todayInThailand(), { error: 'available_until_past' })
			.nullable()
	);
const named = {
	path: ['nameTh'],
	error: 'name_required',
	when: ({ value }: { value: unknown }) => typeof value === 'object' && value !== null
};

export const wasteLotSchema = z
	.object({
		nameTh: optionalText(200),
		nameEn: optionalText(200),
		wasteCode,
		quantityPerMonth: quantity,
		unit: z.enum(WASTE_UNITS, { error: 'unit_required' }),
		provinceCode: lotProvince,
		handling: z.enum(WASTE_HANDLINGS, { error: 'handling_required' }),
		priceThb: signedPrice,
		availableNow: checkbox,
		availableUntil
	})
	.refine((lot) => lot.nameTh || lot.nameEn, named);
export type WasteLotInput = z.output<typeof wasteLotSchema>;
/** The lot form's fields, in its order: what the form reads and what an edit compares. */
export const WASTE_LOT_FIELDS = Object.keys(wasteLotSchema.shape) as (keyof WasteLotInput)[];

/**
 * Whether a lot is on offer on `today` (a Thai calendar date): approved, marked available, and its last day not
 * past. The one definition: matching, proposals and the unclaimed figures ask it (SQL twin in queries.ts).
 */
export const isLotOnOffer = (
	lot: { status: string; availableNow: boolean; availableUntil: string | null },
	today: string
) =>
	lot.status === 'approved' &&
	lot.availableNow &&
	(lot.availableUntil === null || lot.availableUntil >= today);

export const materialWantSchema = z
	.object({
		nameTh: optionalText(200),
		nameEn: optionalText(200),
		wasteCodes: z
			.array(wasteCode)
			.min(1, { error: 'waste_codes_required' })
			.max(30, { error: 'waste_codes_too_many' })
			.transform((codes) => [...new Set(codes)].sort()),
		quantityPerMonth: quantity,
		unit: z.enum(WASTE_UNITS, { error: 'unit_required' }),
		provinceCode: province,
		maxDistanceKm: typedNumberFor({ scale: 0, max: 2000, tooLarge: 'distance_range' })
			.refine((value) => value !== null && value >= 1, { error: 'distance_range' })
			.transform((value) => value!),
		priceThb: signedPrice,
		licenceClass: z
			.string()
			.transform((value) => value || null)
			.pipe(
				z
					.string()
					.regex(/^\d{3}$/, { error: 'licence_class_unknown' })
					.nullable()
			),
		licenceNumber: optionalText(100)
	})
	.refine((want) => want.nameTh || want.nameEn, named);
export type MaterialWantInput = z.output<typeof materialWantSchema>;

export const permitStepSchema = z.object({
	step: z.enum(PERMIT_STEPS, { error: 'invalid_value' }),
	status: z.enum(PERMIT_STEP_STATUSES, { error: 'invalid_value' }),
	reference: optionalText(500)
});
export type PermitStepInput = z.output<typeof permitStepSchema>;

export const wasteTransferSchema = z.object({
	transferredOn: nearDate('date_invalid').refine((value) => value <= todayInThailand(), {
		error: 'transfer_date_future'
	}),
	quantity,
	receiverLicence: optionalText(100),
	valueThb: signedPrice
});
export type WasteTransferInput = z.output<typeof wasteTransferSchema>;

export const wasteReviewSchema = z
	.object({
		decision: z.enum(['approve', 'reject'], { error: 'decision_required' }),
		reason: optionalText(2000)
	})
	.refine((review) => review.decision === 'approve' || review.reason, {
		path: ['reason'],
		error: 'reason_required'
	});

export const transportRateSchema = z.object({
	rate: typedNumberFor({ scale: 2, max: 99_999_999.99, tooLarge: 'number_too_large' })
		.refine((value) => value !== null, { error: 'required' })
		.transform((value) => value)
});

/** A party's answer to a proposal: nothing else reads as either (a missing answer is not a refusal). */
export const agreementDecisionSchema = z.object({
	decision: z.enum(['agree', 'decline'], { error: 'decision_required' })
});

/** Whether a lot is on offer now. */
export const availabilitySchema = z.object({
	available: z.enum(['yes', 'no'], { error: 'invalid_value' })
});
