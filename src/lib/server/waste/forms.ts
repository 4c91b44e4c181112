// Reading the waste forms (lot, want, checklist step, transfer, review) and the reference choices they offer.
import { inReaderLanguage } from '$lib/i18n';
import { formValues, invalid, readForm, type FormFailure, type FormValues } from '../forms';
import { licenceClass, wasteData } from './codes';
import type { MaterialWantRow, WasteLotRow } from './queries';
import {
	materialWantSchema,
	permitStepSchema,
	transportRateSchema,
	WASTE_LOT_FIELDS,
	wasteLotSchema,
	wasteReviewSchema,
	wasteTransferSchema
} from '$lib/schemas/waste';
import type { z } from 'zod';

type Parsed<S extends z.ZodType> = { values: FormValues; input?: z.output<S>; failure?: FormFailure };

function parse<S extends z.ZodType>(
	schema: S,
	values: FormValues,
	raw: Record<string, unknown> = values,
	form?: string
): Parsed<S> {
	const parsed = schema.safeParse(raw);
	return parsed.success
		? { values, input: parsed.data }
		: { values, failure: invalid(values, parsed.error, form) };
}

export async function readLotForm(request: Request): Promise<Parsed<typeof wasteLotSchema>> {
	const values = formValues(await readForm(request), WASTE_LOT_FIELDS);
	return parse(wasteLotSchema, values);
}

const WANT_FIELDS = [
	'nameTh',
	'nameEn',
	'quantityPerMonth',
	'unit',
	'provinceCode',
	'maxDistanceKm',
	'priceThb',
	'licenceClass',
	'licenceNumber'
] as const;

const text = (value: number | string | null) => (value === null ? '' : String(value));

/** A lot as its edit form shows it. */
export function lotValues(lot: WasteLotRow): FormValues {
	return {
		...Object.fromEntries(
			WASTE_LOT_FIELDS.map((field) => [field, text(lot[field] as number | string | null)])
		),
		availableNow: lot.availableNow ? 'yes' : ''
	};
}

/** A want as its edit form shows it. */
export function wantValues(want: MaterialWantRow): FormValues {
	return {
		...Object.fromEntries(WANT_FIELDS.map((field) => [field, text(want[field])])),
		wasteCodes: want.wasteCodes.join(',')
	};
}

export async function readWantForm(request: Request): Promise<Parsed<typeof materialWantSchema>> {
	const form = await readForm(request);
	const codes = form.getAll('wasteCodes').filter((value): value is string => typeof value === 'string');
	const values = { ...formValues(form, WANT_FIELDS), wasteCodes: codes.join(',') };
	return parse(materialWantSchema, values, { ...formValues(form, WANT_FIELDS), wasteCodes: codes });
}

export async function readStepForm(request: Request) {
	const values = formValues(await readForm(request), ['step', 'status', 'reference']);
	return parse(permitStepSchema, values, values, `step-${values.step}`);
}

export async function readTransferForm(request: Request) {
	const fields = ['transferredOn', 'quantity', 'receiverLicence', 'valueThb'];
	return parse(wasteTransferSchema, formValues(await readForm(request), fields));
}

/** The office's decision on one lot of its queue; a failure names the lot so the page shows it there. */
export async function readReviewForm(request: Request) {
	const values = formValues(await readForm(request), ['decision', 'reason', 'lotId']);
	return parse(wasteReviewSchema, values, values, values.lotId);
}

export async function readRateForm(request: Request) {
	return parse(transportRateSchema, formValues(await readForm(request), ['rate']));
}

const localName = (entry: { name_th: string; name_en: string }) =>
	inReaderLanguage(entry.name_th, entry.name_en);

/** The waste codes as choices, grouped by chapter, in the reader's language. */
export function wasteCodeChoices() {
	return wasteData.chapters.map((chapter) => ({
		code: chapter.code,
		name: localName(chapter),
		codes: wasteData.codes
			.filter((entry) => entry.code.startsWith(chapter.code))
			.map((entry) => ({ code: entry.code, name: localName(entry), hazardous: entry.hazardous }))
	}));
}

/** Every code's name in the reader's language, for labels. */
export function wasteCodeNames(): Record<string, string> {
	return Object.fromEntries(wasteData.codes.map((entry) => [entry.code, localName(entry)]));
}

/** A licence class by what the factory type is (its name carries the type's number). */
export function licenceName(id: string): string {
	const entry = licenceClass(id);
	return entry ? localName(entry) : id;
}

export function licenceChoices() {
	return wasteData.licence_classes.map((entry) => ({ id: entry.class, name: localName(entry) }));
}
