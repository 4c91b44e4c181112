// TSIC divisions a buyer in one division commonly sources from another: crops become food and drink, textiles
// become clothing, wood becomes furniture. Declared here; matching treats them as compatible categories.
const RELATED: Record<string, string[]> = {
	'01': ['10', '11'],
	'03': ['10'],
	'10': ['01', '03', '11'],
	'11': ['01', '10'],
	'13': ['14'],
	'14': ['13', '15'],
	'15': ['14'],
	'16': ['31'],
	'20': ['21'],
	'21': ['20'],
	'22': ['01'],
	'31': ['16']
};

/** The division itself and the divisions declared related to it. */
export function compatibleDivisions(division: string): string[] {
	return [division, ...(RELATED[division] ?? [])];
}
