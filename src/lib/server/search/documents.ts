// The one place that turns database rows into search documents. Pure: the same rows always give the
// same document, which is what makes reindex and the outbox interchangeable.
import type { Region } from '../reference';
import { epochDay } from '$lib/certificates';
import type { Unit } from '$lib/schemas/units';

export interface StartupSource {
	id: string;
	ref: string | null;
	slug: string;
	status: string;
	nameTh: string | null;
	nameEn: string | null;
	summaryTh: string | null;
	summaryEn: string | null;
	province: { code: string; nameTh: string; nameEn: string; region: Region };
	divisions: string[];
	/** Every certificate held, valid or not: validity is a question of the day, asked when matching. */
	certifications: string[];
	/** The expiry dates (YYYY-MM-DD) of the certificates that have one. */
	certificateExpiry: Record<string, string>;
	/** The certificates the province's office has checked; the others are only declared. */
	checkedCertifications: string[];
	products: {
		nameTh: string | null;
		nameEn: string | null;
		unit: Unit;
		monthlyCapacity: number;
		priceThbMin: number | null;
		priceThbMax: number | null;
	}[];
	selectedYears: number[];
	updatedAt: Date;
}

export interface DemandSource {
	id: string;
	ref: string | null;
	status: string;
	titleTh: string | null;
	titleEn: string | null;
	detailsTh: string | null;
	detailsEn: string | null;
	buyerName: string;
	division: string;
	quantity: number;
	unit: Unit;
	recurrence: 'once' | 'monthly';
	priceThbMax: number | null;
	deliveryProvince: { code: string; region: Region } | null;
	neededBy: string;
	requiredCertifications: string[];
	publishedAt: Date | null;
}

export function startupDocument(source: StartupSource) {
	return {
		id: source.id,
		ref: source.ref,
		slug: source.slug,
		status: source.status,
		name_th: source.nameTh,
		name_en: source.nameEn,
		summary_th: source.summaryTh,
		summary_en: source.summaryEn,
		province: source.province.code,
		province_name_th: source.province.nameTh,
		province_name_en: source.province.nameEn,
		region: source.province.region,
		tsic: [...source.divisions].sort(),
		certifications: [...source.certifications].sort(),
		// Days since 1970 by certificate, so a filter can compare them with today's (search/filters.ts).
		certificate_expiry: Object.fromEntries(
			Object.entries(source.certificateExpiry)
				.sort(([a], [b]) => a.localeCompare(b))
				.map(([id, day]): [string, number] => [id, epochDay(day)])
		),
		certificates_checked: [...source.checkedCertifications].sort(),
		units: [...new Set(source.products.map((p) => p.unit))].sort(),
		product_names_th: source.products.map((p) => p.nameTh).filter((n): n is string => !!n),
		product_names_en: source.products.map((p) => p.nameEn).filter((n): n is string => !!n),
		products: source.products.map((p) => ({
			name_th: p.nameTh,
			name_en: p.nameEn,
			unit: p.unit,
			monthly_capacity: p.monthlyCapacity,
			price_thb_min: p.priceThbMin,
			price_thb_max: p.priceThbMax
		})),
		total_monthly_capacity: source.products.reduce((sum, p) => sum + p.monthlyCapacity, 0),
		selected_years: [...source.selectedYears].sort(),
		updated_at: source.updatedAt.getTime()
	};
}

export function demandDocument(source: DemandSource) {
	return {
		id: source.id,
		ref: source.ref,
		status: source.status,
		title_th: source.titleTh,
		title_en: source.titleEn,
		details_th: source.detailsTh,
		details_en: source.detailsEn,
		buyer_name: source.buyerName,
		tsic: source.division,
		quantity: source.quantity,
		unit: source.unit,
		recurrence: source.recurrence,
		price_thb_max: source.priceThbMax,
		delivery_province: source.deliveryProvince?.code ?? null,
		delivery_region: source.deliveryProvince?.region ?? null,
		needed_by: source.neededBy,
		required_certifications: [...source.requiredCertifications].sort(),
		published_at: source.publishedAt?.getTime() ?? null
	};
}

export type StartupDocument = ReturnType<typeof startupDocument>;
export type DemandDocument = ReturnType<typeof demandDocument>;

/** Only what the public may find is indexed; anything else is removed from the index. */
export function isStartupSearchable(source: StartupSource): boolean {
	return source.status === 'approved';
}

export function isDemandSearchable(source: DemandSource): boolean {
	return source.status === 'open';
}
