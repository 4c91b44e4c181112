// "Delete my account" (PDPA s.33). The person's row stays, because deals, offers and audit events must still say who
// acted (records the law and the ministry's accounts require), but everything that identifies them goes: name and
// email become a pseudonym, the password and every row that exists only for the account (sessions, identities,
// sign-in links, notifications, and any table added later that cascades with users) are deleted.
import { and, eq, inArray, isNull, ne, or, sql } from 'drizzle-orm';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { getTableName, is } from 'drizzle-orm';
import type { Db, Tx } from '../db';
import * as schema from '../db/schema';
import {
	auditEvents,
	demands,
	emailOutbox,
	offers,
	organisations,
	sessions,
	startups,
	users
} from '../db/schema';
import { recordAudit } from '../audit/record';
import { checkCurrentPassword } from '../accounts/service';
import { declinePending } from '../demands/service';
import { UserError } from '../errors';
import { enqueueSearchSync } from '../search/outbox';
import { pseudonymOf } from './notice';
import { recordPrivacyRequest } from './requests';
import { containing } from '../db/like';

/** Without a password, the account is confirmed by a sign-in at most this old (as for linking an identity). */
export const RECENT_SIGN_IN_MS = 10 * 60_000;

/** Tables whose rows vanish with the account (ON DELETE CASCADE): they exist only for it, so they are erased. */
export function tablesErasedWithAccount(): { table: PgTable; column: string }[] {
	const found: { table: PgTable; column: string }[] = [];
	for (const value of Object.values(schema)) {
		if (!is(value, PgTable) || value === users) continue;
		for (const fk of getTableConfig(value).foreignKeys) {
			const ref = fk.reference();
			if (getTableName(ref.foreignTable) === 'users' && fk.onDelete === 'cascade')
				found.push({ table: value, column: ref.columns[0]!.name });
		}
	}
	return found;
}

export interface DeletedAccount {
	pseudonym: string;
	/** The organisation had no other member: its open demands were closed and pending offers withdrawn. */
	closedOrganisation: boolean;
}

export async function deleteAccount(
	db: Db,
	userId: string,
	confirm: { password: string; sessionId: string | null },
	origin: string,
	now = new Date()
): Promise<DeletedAccount> {
	const [user] = await db.select().from(users).where(eq(users.id, userId));
	if (!user || user.deletedAt) throw new UserError('not_found', 'no such account', { status: 404 });
	// Officers and administrators are the ministry's staff: their accounts are closed by an administrator, and a
	// province must never lose its last officer by a click.
	if (user.role === 'officer' || user.role === 'admin')
		throw new UserError('privacy_staff_account', 'staff accounts are closed by an administrator');
	if (user.passwordHash) await checkCurrentPassword(db, userId, confirm.password);
	else {
		const [current] = confirm.sessionId
			? await db.select().from(sessions).where(eq(sessions.id, confirm.sessionId))
			: [];
		if (
			!current ||
			current.userId !== userId ||
			now.getTime() - current.createdAt.getTime() > RECENT_SIGN_IN_MS
		)
			throw new UserError('privacy_reauthenticate', 'sign in again to delete the account', {
				field: 'currentPassword'
			});
	}
	const pseudonym = pseudonymOf(userId).th;
	return db.transaction(async (tx) => {
		await recordPrivacyRequest(tx, userId, 'deletion', { completed: true, now });
		const closedOrganisation = user.organisationId ? await closeIfLastMember(tx, user, origin, now) : false;
		for (const { table, column } of tablesErasedWithAccount())
			await tx.execute(sql`delete from ${table} where ${sql.identifier(column)} = ${userId}`);
		await tx.delete(emailOutbox).where(sql`lower(${emailOutbox.toAddress}) = lower(${user.email})`);
		// Audit events keep what happened and when; who did it becomes the pseudonym, in the label and anywhere the
		// address was written into the before/after snapshots.
		await tx
			.update(auditEvents)
			.set({
				actorLabel: sql`case when ${auditEvents.actorId} = ${userId} then ${pseudonym} else replace(${auditEvents.actorLabel}, ${user.email}, ${pseudonym}) end`,
				before: sql`replace(${auditEvents.before}::text, ${JSON.stringify(user.email).slice(1, -1)}, ${pseudonym})::jsonb`,
				after: sql`replace(${auditEvents.after}::text, ${JSON.stringify(user.email).slice(1, -1)}, ${pseudonym})::jsonb`
			})
			.where(
				or(
					eq(auditEvents.actorId, userId),
					sql`${auditEvents.before}::text like ${containing(user.email)}`,
					sql`${auditEvents.after}::text like ${containing(user.email)}`
				)
			);
		await tx
			.update(schema.consents)
			.set({ withdrawnAt: now })
			.where(and(eq(schema.consents.userId, userId), isNull(schema.consents.withdrawnAt)));
		await tx
			.update(users)
			.set({
				email: `deleted-${userId}@deleted.invalid`,
				emailVerifiedAt: null,
				passwordHash: null,
				displayName: pseudonym,
				status: 'suspended',
				identityRequired: false,
				deletedAt: now
			})
			.where(eq(users.id, userId));
		await recordAudit(tx, {
			actorId: userId,
			actorLabel: pseudonym,
			action: 'user.delete',
			subjectType: 'user',
			subjectId: userId,
			after: { closedOrganisation }
		});
		return { pseudonym, closedOrganisation };
	});
}

/**
 * The last member of an organisation leaving: nobody is left to answer, so its open and draft demands are closed
 * (pending offers on them declined, as when a buyer closes a demand), its startup's pending offers withdrawn, and
 * the contact address and phone (often the person's own) erased. Deals, accepted offers and the organisation's name
 * stay: they are the business's records, not the person's.
 */
async function closeIfLastMember(
	tx: Tx,
	user: typeof users.$inferSelect,
	origin: string,
	now: Date
): Promise<boolean> {
	const organisationId = user.organisationId!;
	const [others] = await tx
		.select({ count: sql<number>`count(*)::int` })
		.from(users)
		.where(and(eq(users.organisationId, organisationId), ne(users.id, user.id), isNull(users.deletedAt)));
	if ((others?.count ?? 0) > 0) return false;
	const open = await tx
		.update(demands)
		.set({ status: 'closed', closedAt: now })
		.where(and(eq(demands.buyerOrganisationId, organisationId), inArray(demands.status, ['draft', 'open'])))
		.returning();
	for (const demand of open) await declinePending(tx, demand, 'demand_closed', origin);
	await enqueueSearchSync(
		tx,
		'demand',
		open.map((demand) => demand.id)
	);
	const [startup] = await tx.select().from(startups).where(eq(startups.organisationId, organisationId));
	if (startup) {
		await tx
			.update(offers)
			.set({ status: 'withdrawn', decidedAt: now })
			.where(and(eq(offers.startupId, startup.id), eq(offers.status, 'pending')));
		await tx
			.update(startups)
			.set({
				contactEmail: null,
				phone: null,
				approvedSnapshot: sql`${startups.approvedSnapshot} - 'contactEmail' - 'phone'`
			})
			.where(eq(startups.id, startup.id));
		await enqueueSearchSync(tx, 'startup', [startup.id]);
	}
	await tx
		.update(organisations)
		.set({ contactEmail: null, phone: null, contactVisibility: 'form' })
		.where(eq(organisations.id, organisationId));
	return true;
}

/** Whether deletion is confirmed by a password (or, without one, by a recent sign-in). */
export async function hasPassword(db: Db, userId: string): Promise<boolean> {
	const [row] = await db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, userId));
	return Boolean(row?.hash);
}
