// A saved search's name and alerts, as its forms send them (the words and filters are checked on the server
// against the reference lists: src/lib/server/alerts/criteria.ts).
import { z } from 'zod';

export const ALERT_FREQUENCY_CHOICES = ['instant', 'daily', 'weekly', 'off'] as const;

const checkbox = z.string().transform((value) => value === 'on');

export const savedSearchSettingsSchema = z.object({
	name: z.string().trim().min(1, { message: 'required' }).max(80, { message: 'too_long' }),
	frequency: z.enum(ALERT_FREQUENCY_CHOICES, { message: 'invalid_value' }),
	email: checkbox,
	line: checkbox
});
