// How a person signs in: their password (whether there is one) and their linked digital identities (drizzle only).
import { asc, eq } from 'drizzle-orm';
import type { Queryable } from '../db';
import { userIdentities, users } from '../db/schema';

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
