// CSV as spreadsheet programs read it: UTF-8 with a byte-order mark (so Excel shows Thai), CRLF rows, and
// cells that could be read as formulas prefixed with an apostrophe.
export function toCsv(header: string[], rows: (string | number | null | undefined)[][]): string {
	const cell = (value: string | number | null | undefined) => {
		let text = value === null || value === undefined ? '' : String(value);
		if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
		return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
	};
	return `\uFEFF${[header, ...rows].map((row) => row.map(cell).join(',')).join('\r\n')}\r\n`;
}
