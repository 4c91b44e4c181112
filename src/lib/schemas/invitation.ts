// A buyer's invitation to quote (one or more startups at once) and a startup's optional reason for declining.
import { z } from 'zod';

/** The most startups one invitation reaches: the matched list and a proposed group both fit. */
export const MAX_INVITEES = 20;

export const inviteSchema = z.object({
	// Repeated `startupId` fields (checkboxes, or a group's hidden fields); the same startup twice counts once.
	startupId: z
		// A file sent in its place is a malformed form, told as such.
		.array(z.string({ error: 'invalid_value' }), { error: 'invalid_value' })
		.transform((ids) => [...new Set(ids)])
		.pipe(
			z
				.array(z.uuid({ error: 'invalid_value' }))
				.min(1, { error: 'invite_choose_startup' })
				.max(MAX_INVITEES, { error: 'invite_too_many' })
		)
});

/** A startup's optional reason for declining an invitation: the same rule as a buyer's for an offer. */
export { declineSchema as declineInvitationSchema } from './demand';
