// Reading invitations to quote: who a demand's buyer invited and how far each got, and a startup's own.
import { and, desc, eq, inArray, ne } from 'drizzle-orm';
import type { Queryable } from '../db';
import { demands, offers, provinces, quoteInvitations, startups } from '../db/schema';
import { invitationStatus } from './rules';

/** The startups with an offer standing (or decided) on the demand: a withdrawn offer is no offer. */
async function startupsThatOffered(db: Queryable, demandIds: string[], startupIds: string[]) {
	if (demandIds.length === 0 || startupIds.length === 0) return new Set<string>();
	const rows = await db
		.selectDistinct({ demandId: offers.demandId, startupId: offers.startupId })
		.from(offers)
		.where(
			and(
				inArray(offers.demandId, demandIds),
				inArray(offers.startupId, startupIds),
				ne(offers.status, 'withdrawn')
			)
		);
	return new Set(rows.map((r) => `${r.demandId}:${r.startupId}`));
}

/** Every startup invited to quote on the demand, oldest invitation first, with where each stands. */
export async function invitationsOfDemand(db: Queryable, demandId: string) {
	const rows = await db
		.select({
			invitation: quoteInvitations,
			slug: startups.slug,
			nameTh: startups.nameTh,
			nameEn: startups.nameEn,
			provinceTh: provinces.nameTh,
			provinceEn: provinces.nameEn
		})
		.from(quoteInvitations)
		.innerJoin(startups, eq(startups.id, quoteInvitations.startupId))
		.innerJoin(provinces, eq(provinces.code, startups.provinceCode))
		.where(eq(quoteInvitations.demandId, demandId))
		.orderBy(quoteInvitations.createdAt, quoteInvitations.id);
	const offered = await startupsThatOffered(
		db,
		[demandId],
		rows.map((r) => r.invitation.startupId)
	);
	return rows.map(({ invitation, ...startup }) => ({
		startupId: invitation.startupId,
		...startup,
		invitedAt: invitation.createdAt,
		declineReason: invitation.declinedAt ? invitation.declineReason : null,
		status: invitationStatus(invitation, offered.has(`${demandId}:${invitation.startupId}`))
	}));
}

/** The organisation's startup's invitation to quote on the demand, or null. */
export async function ownInvitation(db: Queryable, organisationId: string, demandId: string) {
	const [row] = await db
		.select({ invitation: quoteInvitations })
		.from(quoteInvitations)
		.innerJoin(startups, eq(startups.id, quoteInvitations.startupId))
		.where(and(eq(quoteInvitations.demandId, demandId), eq(startups.organisationId, organisationId)));
	return row?.invitation ?? null;
}

/** The startup's invitations on demands still open, newest first, with where each stands. */
export async function invitationsOfStartup(db: Queryable, startupId: string, limit = 20) {
	const rows = await db
		.select({
			invitation: quoteInvitations,
			titleTh: demands.titleTh,
			titleEn: demands.titleEn,
			neededBy: demands.neededBy
		})
		.from(quoteInvitations)
		.innerJoin(demands, eq(demands.id, quoteInvitations.demandId))
		.where(and(eq(quoteInvitations.startupId, startupId), eq(demands.status, 'open')))
		.orderBy(desc(quoteInvitations.createdAt), quoteInvitations.id)
		.limit(limit);
	const offered = await startupsThatOffered(
		db,
		rows.map((r) => r.invitation.demandId),
		[startupId]
	);
	return rows.map(({ invitation, ...demand }) => ({
		demandId: invitation.demandId,
		...demand,
		invitedAt: invitation.createdAt,
		status: invitationStatus(invitation, offered.has(`${invitation.demandId}:${startupId}`))
	}));
}
