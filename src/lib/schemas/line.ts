// The LINE choices on the account page: which topics go to LINE, and the consent box that must be ticked with them.
import { z } from 'zod';
import { LINE_TOPIC_IDS } from '$lib/line';

export const lineTopicsSchema = z.object({
	topics: z.array(z.enum(LINE_TOPIC_IDS, { error: 'invalid_value' })).max(LINE_TOPIC_IDS.length * 2, {
		error: 'invalid_value'
	}),
	consent: z.literal('yes', { error: 'line_consent_required' }).nullable()
});
