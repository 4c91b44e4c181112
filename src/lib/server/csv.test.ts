import { describe, expect, it } from 'vitest';
import { toCsv } from './csv';

describe('toCsv', () => {
	it('starts with a BOM, quotes what needs quoting and defuses formulas', () => {
		const csv = toCsv(
			['name', 'note'],
			[
				['ผ้าไหม, "มัดหมี่"', '=HYPERLINK("x")'],
				['กาแฟ', null]
			]
		);
		expect(csv.startsWith('\uFEFFname,note\r\n')).toBe(true);
		expect(csv).toContain('"ผ้าไหม, ""มัดหมี่"""');
		expect(csv).toContain(`"'=HYPERLINK(""x"")"`);
		expect(csv.endsWith('กาแฟ,\r\n')).toBe(true);
	});
});
