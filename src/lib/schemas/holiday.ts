// A public holiday as an administrator adds it: a calendar day and its name in Thai and English. Messages are
// error codes.
import { z } from 'zod';
import { nearDate } from './calendar-date';

export const holidaySchema = z.object({
	day: nearDate('date_invalid'),
	nameTh: z.string().trim().min(1, { error: 'required' }).max(200, { error: 'too_long' }),
	nameEn: z.string().trim().min(1, { error: 'required' }).max(200, { error: 'too_long' })
});

export type HolidayInput = z.output<typeof holidaySchema>;

/** The day a remove button names. */
export const holidayDaySchema = z.object({ day: nearDate('date_invalid') });
