// Single-use links sent by email: verify an address, confirm a new one, reset a password, accept an
// invitation. The browser gets a random token; the database keeps only its SHA-256, and following the
// link deletes the row, so a token works once.
import { and, eq, gt } from 'drizzle-orm';
import type { Queryable } from '../db';
import { authTokens } from '../db/schema';
import { generateSessionToken, sessionIdOf } from './session';

export type AuthTokenPurpose = (typeof authTokens.$inferSelect)['purpose'];

const HOUR_MS = 60 * 60 * 1000;
export const TOKEN_LIFETIME_MS: Record<AuthTokenPurpose, number> = {
	verify_email: 48 * HOUR_MS,
	change_email: 24 * HOUR_MS,
	reset_password: 1 * HOUR_MS,
	invite: 7 * 24 * HOUR_MS
};

/** A new token for the user; earlier tokens of the same purpose stop working, so only the newest link does. */
export async function issueAuthToken(
	db: Queryable,
	userId: string,
	purpose: AuthTokenPurpose,
	options: { newEmail?: string; now?: Date } = {}
): Promise<string> {
	const now = options.now ?? new Date();
	const token = generateSessionToken();
	await db.delete(authTokens).where(and(eq(authTokens.userId, userId), eq(authTokens.purpose, purpose)));
	await db.insert(authTokens).values({
		id: sessionIdOf(token),
		userId,
		purpose,
		newEmail: options.newEmail ?? null,
		expiresAt: new Date(now.getTime() + TOKEN_LIFETIME_MS[purpose])
	});
	return token;
}

/** Uses a token up: the row goes in the same statement that reads it, so two clicks cannot both succeed. */
export async function consumeAuthToken(
	db: Queryable,
	token: string,
	purpose: AuthTokenPurpose,
	now = new Date()
): Promise<{ userId: string; newEmail: string | null } | null> {
	const [row] = await db
		.delete(authTokens)
		.where(and(eq(authTokens.id, sessionIdOf(token)), eq(authTokens.purpose, purpose)))
		.returning({ userId: authTokens.userId, newEmail: authTokens.newEmail, expiresAt: authTokens.expiresAt });
	if (!row || row.expiresAt.getTime() <= now.getTime()) return null;
	return { userId: row.userId, newEmail: row.newEmail };
}

/** The account a link is for, without using it: pages show "expired" before asking for a new password. */
export async function findAuthToken(
	db: Queryable,
	token: string,
	purpose: AuthTokenPurpose,
	now = new Date()
): Promise<{ userId: string } | null> {
	const [row] = await db
		.select({ userId: authTokens.userId })
		.from(authTokens)
		.where(
			and(
				eq(authTokens.id, sessionIdOf(token)),
				eq(authTokens.purpose, purpose),
				gt(authTokens.expiresAt, now)
			)
		);
	return row ?? null;
}
