// Invitations to quote: a buyer invites matched startups (one, several, or a proposed group at once) to offer on
// an open demand; each is told in-app and by email, and may decline with a reason. Inviting again changes
// nothing, so a group whose members were partly invited before can be invited whole.
import { and, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import type { Db, Queryable } from '../db';
import { offers, organisations, quoteInvitations, startups } from '../db/schema';
import { requireConfirmedEmail } from '../accounts/confirmed-email';
import type { Member } from '../auth/actor';
import { lockOwnDemand } from '../demands/service';
import { notFound, UserError } from '../errors';
import { matchOfPair } from '../matching/service';
import { membersOfStartups, notify } from '../notifications/service';
import { hitRateLimit } from '../rate-limit';
import { loadDemandSources, loadStartupSources } from '../search/sources';
import { MAX_INVITEES } from '$lib/schemas/invitation';
import { demandTitled } from '$lib/notifications';

/**
 * New invitations per buyer organisation per day, each startup counted: enough for several demands' matches
 * and groups, too few to mail every startup of a category.
 */
export const INVITE_LIMIT = { limit: 60, windowMs: 24 * 60 * 60 * 1000 };

/**
 * Invites the startups to quote on the buyer's own open demand, all or none: each must be public and match the
 * demand by the matching rule (its required certificates held, above all). Returns the startups newly invited
 * and those that already were (told nothing again).
 */
export async function inviteToQuote(
	db: Db,
	buyer: Member,
	demandId: string,
	startupIds: string[],
	origin: string
): Promise<{ invited: string[]; already: string[] }> {
	const ids = [...new Set(startupIds)];
	if (ids.length === 0 || ids.length > MAX_INVITEES)
		throw new UserError('invite_choose_startup', 'choose between 1 and 20 startups', { field: 'startupId' });
	await requireConfirmedEmail(db, buyer.id);
	return db.transaction(async (tx) => {
		// Locked: two invitations of the same startup at once are decided one after the other.
		const demand = await lockOwnDemand(tx, buyer, demandId);
		if (demand.status !== 'open')
			throw new UserError('demand_not_open', 'only open demands take invitations');
		const existing = await tx
			.select({ startupId: quoteInvitations.startupId })
			.from(quoteInvitations)
			.where(and(eq(quoteInvitations.demandId, demandId), inArray(quoteInvitations.startupId, ids)));
		const already = existing.map((r) => r.startupId);
		const fresh = ids.filter((id) => !already.includes(id));
		if (fresh.length === 0) return { invited: [], already };
		const [[source], candidates] = await Promise.all([
			loadDemandSources(tx, [demandId]),
			loadStartupSources(tx, fresh)
		]);
		for (const id of fresh) {
			const candidate = candidates.find((c) => c.id === id);
			// A suspended, unapproved or unknown startup, or one that does not match (a certificate it lacks): refused
			// alike, so the answer tells nothing about startups the buyer cannot see.
			if (!candidate || !matchOfPair(source!, candidate))
				throw new UserError('invite_not_a_match', `startup ${id} does not match the demand`, {
					field: 'startupId'
				});
		}
		const key = `quote-invite:${demand.buyerOrganisationId}`;
		const limit = await hitRateLimit(tx, key, INVITE_LIMIT, new Date(), fresh.length);
		if (!limit.allowed)
			throw new UserError('rate_limited', 'too many invitations today', {
				status: 429,
				retryAfterSeconds: limit.retryAfterSeconds
			});
		await tx
			.insert(quoteInvitations)
			.values(fresh.map((startupId) => ({ demandId, startupId, invitedBy: buyer.id })));
		const [buyerOrganisation] = await tx
			.select({ name: organisations.name })
			.from(organisations)
			.where(eq(organisations.id, demand.buyerOrganisationId));
		const members = await membersOfStartups(tx, fresh);
		await notify(
			tx,
			fresh.flatMap((startupId) => members.get(startupId) ?? []),
			'quote_invited',
			{
				link: `/demand/${demandId}#offer-heading`,
				...demandTitled(demand),
				buyerName: buyerOrganisation?.name ?? ''
			},
			origin
		);
		return { invited: fresh, already };
	});
}

/** The startup of the organisation has opened the demand: its invitation, if any, reads as viewed from now on. */
export async function noteInvitationViewed(db: Queryable, organisationId: string, demandId: string) {
	await db
		.update(quoteInvitations)
		.set({ viewedAt: sql`now()` })
		.where(
			and(
				eq(quoteInvitations.demandId, demandId),
				isNull(quoteInvitations.viewedAt),
				inArray(
					quoteInvitations.startupId,
					db.select({ id: startups.id }).from(startups).where(eq(startups.organisationId, organisationId))
				)
			)
		);
}

/**
 * The startup declines its invitation, with an optional reason for the buyer. A startup with an offer standing
 * withdraws the offer instead; declining twice keeps the first answer.
 */
export async function declineInvitation(
	db: Db,
	member: { id: string; organisationId: string | null },
	demandId: string,
	reason: string | null
) {
	if (!member.organisationId) throw notFound('invitation');
	const organisationId = member.organisationId;
	await db.transaction(async (tx) => {
		const [row] = await tx
			.select({ invitation: quoteInvitations })
			.from(quoteInvitations)
			.innerJoin(startups, eq(startups.id, quoteInvitations.startupId))
			.where(and(eq(quoteInvitations.demandId, demandId), eq(startups.organisationId, organisationId)))
			.for('update', { of: quoteInvitations });
		if (!row) throw notFound('invitation');
		if (row.invitation.declinedAt) return;
		const [live] = await tx
			.select({ id: offers.id })
			.from(offers)
			.where(
				and(
					eq(offers.demandId, demandId),
					eq(offers.startupId, row.invitation.startupId),
					ne(offers.status, 'withdrawn')
				)
			)
			.limit(1);
		if (live) throw new UserError('invitation_has_offer', 'withdraw the offer instead', { status: 409 });
		await tx
			.update(quoteInvitations)
			.set({
				declinedAt: sql`now()`,
				declineReason: reason,
				viewedAt: sql`coalesce(${quoteInvitations.viewedAt}, now())`
			})
			.where(eq(quoteInvitations.id, row.invitation.id));
	});
}
