// Who sees an organisation's email address and phone (PDPA: data minimisation). Each organisation chooses: only
// through the contact form (the default), to signed-in counterparts with a reason, or to everyone. The contact form
// sends through the mail outbox, so the sender never learns the address.
import { and, eq, isNull } from 'drizzle-orm';
import type { Queryable } from '../db';
import { organisations, users } from '../db/schema';
import { enqueueEmail } from '../email/outbox';
import { UserError } from '../errors';
import { hitRateLimit } from '../rate-limit';
import { m } from '$lib/paraglide/messages';

export type ContactVisibility = (typeof organisations.$inferSelect)['contactVisibility'];
export const CONTACT_VISIBILITIES: readonly ContactVisibility[] = organisations.contactVisibility.enumValues;

export interface Viewer {
	id: string;
	role: 'startup' | 'buyer' | 'officer' | 'admin';
	organisationId: string | null;
}

/** Messages a person may send through contact forms: enough to reach several startups, too few to spam. */
export const CONTACT_LIMIT = { limit: 10, windowMs: 60 * 60_000 };

/**
 * Whether `viewer` sees the contact details of `organisationId`. Its own members and the offices always do (they
 * have a reason: it is theirs, or they oversee it); otherwise the organisation's choice decides. A counterpart is a
 * member of a verified organisation of the other kind (a buyer, for a startup).
 */
export async function contactShownTo(
	db: Queryable,
	viewer: Viewer | null,
	organisationId: string
): Promise<boolean> {
	const [target] = await db
		.select({ kind: organisations.kind, visibility: organisations.contactVisibility })
		.from(organisations)
		.where(eq(organisations.id, organisationId));
	if (!target) return false;
	if (target.visibility === 'public') return true;
	if (!viewer) return false;
	if (viewer.role === 'officer' || viewer.role === 'admin') return true;
	if (viewer.organisationId === organisationId) return true;
	if (target.visibility === 'form' || !viewer.organisationId) return false;
	const [own] = await db
		.select({ kind: organisations.kind, verification: organisations.verification })
		.from(organisations)
		.where(eq(organisations.id, viewer.organisationId));
	return own !== undefined && own.verification === 'verified' && own.kind !== target.kind;
}

export async function setContactVisibility(
	db: Queryable,
	organisationId: string,
	visibility: ContactVisibility
): Promise<void> {
	await db
		.update(organisations)
		.set({ contactVisibility: visibility })
		.where(eq(organisations.id, organisationId));
}

export async function contactVisibilityOf(db: Queryable, organisationId: string): Promise<ContactVisibility> {
	const [row] = await db
		.select({ visibility: organisations.contactVisibility })
		.from(organisations)
		.where(eq(organisations.id, organisationId));
	return row?.visibility ?? 'form';
}

/**
 * Sends `message` from a signed-in person to an organisation, to its contact address or, without one, to its
 * members. The sender's own address goes with it so the organisation can answer: by writing, they chose to share it.
 */
export async function sendContactMessage(
	db: Queryable,
	sender: { id: string; email: string },
	target: { organisationId: string; contactEmail: string | null; name: string },
	message: string,
	now = new Date()
): Promise<void> {
	const limited = await hitRateLimit(db, `contact:user:${sender.id}`, CONTACT_LIMIT, now);
	if (!limited.allowed)
		throw new UserError('rate_limited', 'too many messages', {
			status: 429,
			retryAfterSeconds: limited.retryAfterSeconds
		});
	const recipients = target.contactEmail
		? [{ email: target.contactEmail, locale: 'th' as const }]
		: await db
				.select({ email: users.email, locale: users.locale })
				.from(users)
				.where(
					and(
						eq(users.organisationId, target.organisationId),
						eq(users.status, 'active'),
						isNull(users.deletedAt)
					)
				);
	const [from] = await db
		.select({ name: organisations.name })
		.from(users)
		.leftJoin(organisations, eq(organisations.id, users.organisationId))
		.where(eq(users.id, sender.id));
	for (const recipient of recipients) {
		const options = { locale: recipient.locale };
		await enqueueEmail(db, {
			to: recipient.email,
			locale: recipient.locale,
			subject: m.email_contact_subject({ name: from?.name ?? sender.email }, options),
			bodyText: `${m.email_contact_body({ sender: sender.email, organisation: from?.name ?? '-', message, name: target.name }, options)}\n\n${m.email_signature({}, options)}`
		});
	}
}
