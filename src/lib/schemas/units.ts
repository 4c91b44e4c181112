// The units quantities are counted in, and the limits of the numeric columns that hold quantities, prices and
// values; shared by the database enum, forms, the API and the exchange format.
import { z } from 'zod';

export const UNITS = [
	'kg',
	'tonne',
	'litre',
	'piece',
	'box',
	'pack',
	'set',
	'metre',
	'square_metre'
] as const;
export type Unit = (typeof UNITS)[number];

/** A numeric column as the schemas check it: digits kept after the point and the largest value accepted. */
export interface NumericColumn {
	scale: number;
	max: number;
	/** The error code for a value above max. */
	tooLarge: string;
}

// The limits follow db/schema/index.ts: a value outside them fails the write with a 500, and a value with more
// decimals than the column keeps is rounded by PostgreSQL, possibly up past the column's precision (a price of
// 999999999999.999 becomes 1000000000000.00, which numeric(14,2) cannot hold). Every value also stays within 15
// significant digits, which a JavaScript number (how drizzle reads these columns) holds exactly: numeric(16,3)
// could take 9999999999999.999, but that number reads back as 9999999999999.998.
/** Quantities and capacities: numeric(16,3), kept to 15 significant digits. */
export const QUANTITY: NumericColumn = { scale: 3, max: 999_999_999_999.999, tooLarge: 'quantity_too_large' };
/** Prices in baht: numeric(14,2). */
export const PRICE: NumericColumn = { scale: 2, max: 999_999_999_999.99, tooLarge: 'price_too_large' };
/** Deal values in baht (an offer's quantity × unit price): numeric(16,2), kept to 15 significant digits. */
export const VALUE: NumericColumn = {
	scale: 2,
	max: 9_999_999_999_999.99,
	tooLarge: 'offer_value_too_large'
};

/** The smallest quantity kept: three decimals. */
export const MIN_QUANTITY = 0.001;

/** An offer's value as its deal records it: quantity × unit price, rounded to the satang. */
export const offerValue = (quantity: number, unitPriceThb: number) =>
	Math.round(quantity * unitPriceThb * 100) / 100;

/**
 * Whether quantity × unit price fits the deal column: an offer's, so accepting it can never fail, and a demand's
 * at its price ceiling, so an offer for all of it within the terms can be made.
 */
export const valueFits = (quantity: number, unitPriceThb: number) =>
	offerValue(quantity, unitPriceThb) <= VALUE.max;

/**
 * What is wrong with a number for a column, as an error code; null when it fits. Decimals beyond the column's
 * scale are refused rather than rounded: a price silently changed from what was typed is a different offer.
 */
export function numberProblem(value: number, column: NumericColumn): string | null {
	if (!Number.isFinite(value) || value < 0) return 'number_invalid';
	if (value > column.max) return column.tooLarge;
	// toFixed rounds to the scale; a number that changes had more decimals (1e-7 reads as 0.00).
	if (Number(value.toFixed(column.scale)) !== value) return `decimals_${column.scale}`;
	return null;
}

/**
 * A number as people type it ("2,000", "12.5") for a column; empty is null. The typed digits are checked before
 * conversion, so "0.1234" is refused for three decimals even where the conversion would hide it.
 */
export const typedNumberFor = (column: NumericColumn) =>
	z
		.string()
		.trim()
		.transform((value, ctx) => {
			const plain = value.replace(/[,\s]/g, '');
			if (plain === '') return null;
			const digits = /^(\d*)\.?(\d+)$/.exec(plain);
			const decimals = plain.includes('.') ? plain.length - plain.indexOf('.') - 1 : 0;
			const problem = !digits
				? 'number_invalid'
				: decimals > column.scale
					? `decimals_${column.scale}`
					: numberProblem(Number(plain), column);
			if (problem) {
				ctx.addIssue({ code: 'custom', message: problem });
				return z.NEVER;
			}
			return Number(plain);
		});

/**
 * The same limits for a JSON number (the API and the exchange format), with English messages for partners. The
 * bounds are zod's own checks so the OpenAPI description states them; each stops at its first problem.
 */
export const jsonNumberFor = (column: NumericColumn) =>
	z
		.number()
		.min(0, { error: 'must be a number of 0 or more', abort: true })
		.max(column.max, { error: `must be at most ${column.max}`, abort: true })
		.refine((value) => numberProblem(value, column) === null, {
			error: `must have at most ${column.scale} decimal places`
		});
