// How a person signs in: their password (whether there is one) and their linked digital identities (drizzle only).
import { asc, eq, lte } from 'drizzle-orm';
import type { Queryable } from '../db';
import { identityFlows, userIdentities, users } from '../db/schema';

export async function signInWays(db: Queryable, userId: string) {
	const [[user], identities] = await Promise.all([
		db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, userId)),
		db
			.select({
				id: userIdentities.id,
				provider: userIdentities.provider,
				email: userIdentities.email,
				createdAt: userIdentities.createdAt
			})
			.from(userIdentities)
			.where(eq(userIdentities.userId, userId))
			.orderBy(asc(userIdentities.createdAt))
	]);
	return { hasPassword: Boolean(user?.passwordHash), identities };
}

/** Trips to a provider nobody came back from, and identity sign-ups never completed (housekeeping). */
export async function pruneIdentityFlows(db: Queryable, now = new Date()): Promise<void> {
	await db.delete(identityFlows).where(lte(identityFlows.expiresAt, now));
}
