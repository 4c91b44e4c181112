// CSV as spreadsheet programs read it: UTF-8 with a byte-order mark (so Excel shows Thai), CRLF rows, and
// cells that could be read as formulas prefixed with an apostrophe.
export type CsvCell = string | number | null | undefined;

/** Opens every file, so Excel reads it as UTF-8. */
export const CSV_BOM = '\uFEFF';

function cell(value: CsvCell): string {
	let text = value === null || value === undefined ? '' : String(value);
	if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
	return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One row with its line end: files written a page at a time are built from these. */
export function csvLine(row: CsvCell[]): string {
	return `${row.map(cell).join(',')}\r\n`;
}

export function toCsv(header: string[], rows: CsvCell[][]): string {
	return `${CSV_BOM}${[header, ...rows].map(csvLine).join('')}`;
}
