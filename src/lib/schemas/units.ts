// The units quantities are counted in; shared by the database enum, forms and the exchange format.
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

// What the database columns hold (numeric(16,3) quantities, numeric(14,2) prices, numeric(16,2) deal values): a
// number outside them would fail the write with a 500, or round to a zero that the checks refuse.
/** The smallest quantity kept: three decimals. */
export const MIN_QUANTITY = 0.001;
/** Every typed number (quantity, capacity, price) is below a trillion. */
export const MAX_NUMBER = 1e12;
/** An offer's value, quantity × unit price, as its deal records it. */
export const MAX_VALUE_THB = 1e14;
