// Reading the product form, shared by the add and edit pages.
import { formValues, invalid, readForm, type FormFailure, type FormValues } from '../forms';
import { productSchema, type ProductInput } from '$lib/schemas/startup';

export const PRODUCT_FIELDS = [
	'nameTh',
	'nameEn',
	'unit',
	'monthlyCapacity',
	'priceThbMin',
	'priceThbMax'
] as const;

export async function readProductForm(
	request: Request
): Promise<{ values: FormValues; product?: ProductInput; failure?: FormFailure }> {
	const values = formValues(await readForm(request), PRODUCT_FIELDS);
	const parsed = productSchema.safeParse(values);
	return parsed.success
		? { values, product: parsed.data }
		: { values, failure: invalid(values, parsed.error) };
}

export function productValues(product: {
	nameTh: string | null;
	nameEn: string | null;
	unit: string;
	monthlyCapacity: number;
	priceThbMin: number | null;
	priceThbMax: number | null;
}): FormValues {
	return {
		nameTh: product.nameTh ?? '',
		nameEn: product.nameEn ?? '',
		unit: product.unit,
		monthlyCapacity: String(product.monthlyCapacity),
		priceThbMin: product.priceThbMin === null ? '' : String(product.priceThbMin),
		priceThbMax: product.priceThbMax === null ? '' : String(product.priceThbMax)
	};
}
