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
