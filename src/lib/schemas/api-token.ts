// The form an administrator fills to issue an API token to a partner agency. Messages are error codes.
import { z } from 'zod';
import { todayInThailand } from './demand';

export const API_SCOPES = ['read', 'import', 'import:publish', 'demands:write', 'waste:write'] as const;

export const apiTokenFormSchema = z.object({
	agencyId: z.string().regex(/^[a-z0-9-]{2,40}$/, { error: 'required' }),
	label: z.string().trim().min(1, { error: 'required' }).max(100, { error: 'too_long' }),
	scopes: z.array(z.enum(API_SCOPES, { error: 'invalid_value' })).min(1, { error: 'scopes_required' }),
	expiresOn: z.iso
		.date({ error: 'date_invalid' })
		.refine((value) => value > todayInThailand(), { error: 'expiry_past' }),
	requestsPerMinute: z.coerce
		.number({ error: 'number_invalid' })
		.int({ error: 'number_invalid' })
		.min(1, { error: 'number_invalid' })
		.max(100_000, { error: 'number_too_large' })
});

export type ApiTokenForm = z.output<typeof apiTokenFormSchema>;
