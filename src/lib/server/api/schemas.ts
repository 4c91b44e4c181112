// What the API sends and takes, as zod schemas: the handlers' types, the contract tests' checks and the OpenAPI
// document all come from here. Field names follow the exchange format (snake_case).
import { z } from 'zod';
import { UNITS } from '$lib/schemas/units';
import { REGIONS } from '../reference';

export const provinceCode = z
	.string()
	.regex(/^TH-\d{2}$/, { error: 'must be an ISO 3166-2:TH code like TH-50' });
export const divisionCode = z.string().regex(/^\d{2}$/, { error: 'must be a two-digit TSIC division' });
export const certificationId = z.string().regex(/^[a-z0-9_-]{1,40}$/);
const uuid = z.uuid();
const isoDateTime = z.iso.datetime({ offset: true });

/** An opaque position in a list: the last id of the page before, base64url-encoded. */
export const cursor = z
	.string()
	.max(200)
	.transform((value, ctx) => {
		const decoded = Buffer.from(value, 'base64url').toString('utf8');
		if (!z.uuid().safeParse(decoded).success) {
			ctx.addIssue({ code: 'custom', message: 'not a cursor this API gave out' });
			return z.NEVER;
		}
		return decoded;
	});
export const encodeCursor = (id: string) => Buffer.from(id, 'utf8').toString('base64url');

export const pageQuery = {
	cursor: cursor.optional(),
	limit: z.coerce.number().int().min(1).max(100).default(20)
};

export function page<T extends z.ZodType>(item: T) {
	return z.object({
		data: z.array(item),
		/** Pass as `cursor` for the next page; null on the last one. */
		next_cursor: z.string().nullable()
	});
}

export const provinceSchema = z.object({
	code: provinceCode,
	slug: z.string(),
	name_th: z.string(),
	name_en: z.string(),
	region: z.enum(REGIONS),
	has_industry_office: z.boolean(),
	url: z.string()
});

export const provinceFiguresSchema = provinceSchema.extend({
	figures: z.object({
		open_demands: z.number().int(),
		open_demand_value_thb: z.number(),
		unmet_demands: z.number().int(),
		unmet_value_thb: z.number(),
		pending_demands: z.number().int(),
		capacity_value_thb: z.number(),
		approved_startups: z.number().int()
	}),
	selections: z.array(z.object({ year: z.number().int(), startup_id: uuid, reason: z.string().nullable() }))
});

const productSchema = z.object({
	name_th: z.string().nullable(),
	name_en: z.string().nullable(),
	unit: z.enum(UNITS),
	monthly_capacity: z.number(),
	price_thb_min: z.number().nullable(),
	price_thb_max: z.number().nullable()
});

export const startupSchema = z.object({
	id: uuid,
	ref: z.string().nullable(),
	slug: z.string(),
	url: z.string(),
	province: provinceCode,
	name_th: z.string().nullable(),
	name_en: z.string().nullable(),
	summary_th: z.string().nullable(),
	summary_en: z.string().nullable(),
	tsic: z.array(divisionCode),
	certifications: z.array(z.string()),
	certificates: z
		.array(
			z.object({
				id: z.string(),
				evidence_status: z
					.enum(['checked', 'declared'])
					.describe(
						"'checked': the province's office checked the evidence (number, issuer, expiry, file); " +
							"'declared': the startup declares it, unchecked (no evidence yet, or waiting for a check, or refused)"
					),
				expires_on: z.iso.date().nullable(),
				valid: z.boolean().describe('Valid today in Thailand: no expiry date, or one not yet passed')
			})
		)
		.describe(
			'The certifications held, each with whether its evidence was checked; matching counts only valid ones'
		),
	organisation_verified: z
		.boolean()
		.describe("The province's office verified the startup's juristic person number against its documents"),
	products: z.array(productSchema),
	website: z.string().nullable(),
	selected_years: z.array(z.number().int()),
	approved_at: isoDateTime.nullable()
});

export const coverageSchema = z.enum(['covered', 'unmet', 'pending']);

export const demandSchema = z.object({
	id: uuid,
	ref: z.string().nullable(),
	url: z.string(),
	status: z.enum(['draft', 'open', 'closed', 'fulfilled', 'expired', 'hidden']),
	buyer_name: z.string(),
	organisation_verified: z
		.boolean()
		.describe("The buyer's office verified its juristic person number against its documents"),
	title_th: z.string().nullable(),
	title_en: z.string().nullable(),
	details_th: z.string().nullable(),
	details_en: z.string().nullable(),
	tsic: divisionCode,
	quantity: z.number(),
	unit: z.enum(UNITS),
	recurrence: z.enum(['once', 'monthly']),
	price_thb_max: z.number().nullable(),
	delivery_province: provinceCode.nullable(),
	needed_by: z.iso.date(),
	required_certifications: z.array(z.string()),
	published_at: isoDateTime.nullable(),
	coverage: coverageSchema
});

export const matchReasonsSchema = z.object({
	matched_terms: z.array(z.string()),
	relevance: z
		.enum(['product', 'category'])
		.describe(
			"'category': only the industry category links the pair, a weak suggestion ranked after every product match"
		),
	category: z.enum(['same', 'related']),
	certifications_required: z.array(z.string()),
	capacity_coverage_percent: z.number(),
	distance_band: z.enum(['same_province', 'same_region', 'elsewhere', 'anywhere']),
	price_fit: z.enum(['within', 'above', 'unknown']),
	freshness_days: z.number()
});

export const matchesSchema = z.object({
	engine: z.enum(['meili', 'fallback']),
	degraded: z.boolean(),
	data: z.array(
		z.object({
			id: uuid,
			ref: z.string().nullable(),
			name_th: z.string().nullable(),
			name_en: z.string().nullable(),
			score: z.number().min(0).max(1),
			good: z.boolean(),
			reasons: matchReasonsSchema
		})
	)
});

const unitQuantity = z.object({ unit: z.enum(UNITS), quantity: z.number() });

export const gapRowSchema = z.object({
	province: provinceCode.nullable(),
	tsic: divisionCode,
	open_demands: z.number().int(),
	demand_value_thb: z.number(),
	unvalued_demands: z.number().int(),
	demand_quantities: z.array(unitQuantity),
	covered_demands: z.number().int(),
	unmet_demands: z.number().int(),
	unmet_quantities: z.array(unitQuantity),
	unmet_value_thb: z.number(),
	unvalued_unmet_demands: z.number().int(),
	pending_demands: z.number().int(),
	startups: z.number().int(),
	capacity_value_thb: z.number(),
	capacity_quantities: z.array(unitQuantity)
});

export const selectionSchema = z.object({
	year: z.number().int(),
	province: provinceCode,
	startup_id: uuid,
	startup_slug: z.string(),
	startup_name_th: z.string().nullable(),
	startup_name_en: z.string().nullable(),
	reason: z.string().nullable()
});

export const referralSchema = z.object({
	id: uuid,
	status: z.enum(['offered', 'requested', 'dismissed']),
	reason: z.enum(['offer_exceeds_capacity', 'matched_demand_exceeds_capacity']),
	agency: z.string(),
	unit: z.enum(UNITS),
	quantity: z.number(),
	monthly_capacity: z.number(),
	value_thb: z.number().nullable(),
	offer_id: uuid.nullable(),
	created_at: isoDateTime,
	decided_at: isoDateTime.nullable(),
	startup: z.object({
		id: uuid,
		ref: z.string().nullable(),
		slug: z.string(),
		name_th: z.string().nullable(),
		name_en: z.string().nullable(),
		province: provinceCode,
		/** Given only once the startup has asked to be referred. */
		contact_email: z.string().nullable()
	})
});

const counts = z.object({
	created: z.number().int(),
	updated: z.number().int(),
	unchanged: z.number().int()
});

export const importReportSchema = z.object({
	dry_run: z.boolean(),
	startups: counts,
	demands: counts,
	byproducts: counts,
	material_wants: counts,
	records: z.array(
		z.object({
			type: z.enum(['startup', 'demand', 'byproduct', 'material_want']),
			ref: z.string(),
			outcome: z.enum(['created', 'updated', 'unchanged'])
		})
	)
});

export const agencyDemandResultSchema = z.object({
	outcome: z.enum(['created', 'updated', 'unchanged']),
	demand: demandSchema
});

export const errorSchema = z.object({
	error: z.object({
		code: z.string(),
		message: z.string(),
		details: z.unknown()
	})
});
