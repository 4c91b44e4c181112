// Reading a person's linked digital identities (drizzle only).
import { asc, eq } from 'drizzle-orm';
import type { Queryable } from '../db';
import { userIdentities } from '../db/schema';

export function identitiesOf(db: Queryable, userId: string) {
	return db
		.select({
			id: userIdentities.id,
			provider: userIdentities.provider,
			email: userIdentities.email,
			createdAt: userIdentities.createdAt,
			lastUsedAt: userIdentities.lastUsedAt
		})
		.from(userIdentities)
		.where(eq(userIdentities.userId, userId))
		.orderBy(asc(userIdentities.createdAt));
}
