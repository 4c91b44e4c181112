// A day as forms, the API and the import take it (YYYY-MM-DD): one the calendar has (no 30 February, no month 13),
// in a year PostgreSQL's date type keeps as written. A regex alone lets 2099-02-30 through to a failed write (500).
import { z } from 'zod';

export const calendarDate = (error?: string) =>
	z.iso
		.date(error ? { error } : undefined)
		.refine((value) => value >= '1900-01-01', error ? { error } : undefined);
