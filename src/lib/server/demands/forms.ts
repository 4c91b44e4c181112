// Reading the demand form (new and edit pages) and turning a demand back into the form's values.
import { env } from '../env';
import { formValues, invalid, readForm, type FormFailure, type FormValues } from '../forms';
import type { Queryable } from '../db';
import { storePdf } from '../uploads/images';
import { takeUploadSlot } from '../uploads/limits';
import { demandSchema, type DemandInput } from '$lib/schemas/demand';
import type { DemandRow, StoreAttachment } from './service';

const FIELDS = [
	'titleTh',
	'titleEn',
	'detailsTh',
	'detailsEn',
	'divisionCode',
	'quantity',
	'unit',
	'recurrence',
	'priceThbMax',
	'deliveryProvinceCode',
	'neededBy',
	'maxOffers',
	'verifiedOffersOnly'
] as const;

export async function readDemandForm(
	request: Request
): Promise<{ values: FormValues; demand?: DemandInput; failure?: FormFailure; attachment?: File }> {
	const form = await readForm(request);
	const file = form.get('attachment');
	const attachment = file instanceof File && file.size > 0 ? file : undefined;
	const certifications = form.getAll('certifications').filter((v): v is string => typeof v === 'string');
	const values = { ...formValues(form, FIELDS), certifications: certifications.join(',') };
	const parsed = demandSchema.safeParse({ ...formValues(form, FIELDS), certifications });
	return parsed.success
		? { values, demand: parsed.data, attachment }
		: { values, failure: invalid(values, parsed.error) };
}

export function demandValues(demand: DemandRow, certifications: string[]): FormValues {
	const text = (value: string | number | null) => (value === null ? '' : String(value));
	return {
		titleTh: text(demand.titleTh),
		titleEn: text(demand.titleEn),
		detailsTh: text(demand.detailsTh),
		detailsEn: text(demand.detailsEn),
		divisionCode: demand.divisionCode,
		quantity: text(demand.quantity),
		unit: demand.unit,
		recurrence: demand.recurrence,
		priceThbMax: text(demand.priceThbMax),
		deliveryProvinceCode: text(demand.deliveryProvinceCode),
		neededBy: demand.neededBy,
		maxOffers: text(demand.maxOffers),
		verifiedOffersOnly: demand.verifiedOffersOnly ? 'on' : '',
		certifications: certifications.join(',')
	};
}

/**
 * The form's PDF as the demand service stores it, once the demand may be written: counted against the buyer's
 * uploads, then stored. Undefined (nothing to store) when no file was chosen, which leaves the demand's as it is.
 */
export function demandAttachmentStore(
	db: Queryable,
	userId: string,
	file: File | undefined
): StoreAttachment | undefined {
	if (!file) return undefined;
	return async () => {
		await takeUploadSlot(db, userId, 'attachment');
		return storePdf(env().dataDir, file, 'attachment');
	};
}
