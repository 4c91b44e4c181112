// Sessions as Lucia's guide builds them: the browser holds a random token, the database only its SHA-256,
// so a leaked sessions table opens no account. 30-day expiry, renewed when less than half remains.
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { eq } from 'drizzle-orm';
import type { Queryable } from '../db';
import { sessions, users } from '../db/schema';
import { one } from '../db/rows';

export const SESSION_COOKIE = 'session';
const DAY_MS = 24 * 60 * 60 * 1000;
export const SESSION_LIFETIME_MS = 30 * DAY_MS;

export type Session = typeof sessions.$inferSelect;
export type SessionUser = Pick<
	typeof users.$inferSelect,
	'id' | 'email' | 'role' | 'status' | 'locale' | 'provinceCode' | 'organisationId' | 'emailVerifiedAt'
>;

export function generateSessionToken(): string {
	const bytes = new Uint8Array(20);
	crypto.getRandomValues(bytes);
	return encodeBase32LowerCaseNoPadding(bytes);
}

export function sessionIdOf(token: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

export async function createSession(
	db: Queryable,
	token: string,
	userId: string,
	meta: { userAgent?: string | null; ipAddress?: string | null } = {},
	now = new Date()
): Promise<Session> {
	const session = one(
		await db
			.insert(sessions)
			.values({
				id: sessionIdOf(token),
				userId,
				expiresAt: new Date(now.getTime() + SESSION_LIFETIME_MS),
				userAgent: meta.userAgent?.slice(0, 300) ?? null,
				ipAddress: meta.ipAddress ?? null
			})
			.returning(),
		'insert into sessions'
	);
	return session;
}

export type SessionValidation = { session: Session; user: SessionUser } | { session: null; user: null };

/** The session and user for a token; expired sessions and suspended accounts yield none. */
export async function validateSessionToken(
	db: Queryable,
	token: string,
	now = new Date()
): Promise<SessionValidation> {
	const id = sessionIdOf(token);
	const [row] = await db
		.select({
			session: sessions,
			user: {
				id: users.id,
				email: users.email,
				role: users.role,
				status: users.status,
				locale: users.locale,
				provinceCode: users.provinceCode,
				organisationId: users.organisationId,
				emailVerifiedAt: users.emailVerifiedAt
			}
		})
		.from(sessions)
		.innerJoin(users, eq(users.id, sessions.userId))
		.where(eq(sessions.id, id));
	if (!row) return { session: null, user: null };
	if (now.getTime() >= row.session.expiresAt.getTime() || row.user.status !== 'active') {
		await db.delete(sessions).where(eq(sessions.id, id));
		return { session: null, user: null };
	}
	if (row.session.expiresAt.getTime() - now.getTime() < SESSION_LIFETIME_MS / 2) {
		row.session.expiresAt = new Date(now.getTime() + SESSION_LIFETIME_MS);
		await db.update(sessions).set({ expiresAt: row.session.expiresAt }).where(eq(sessions.id, id));
	}
	return row;
}

export async function invalidateSession(db: Queryable, sessionId: string): Promise<void> {
	await db.delete(sessions).where(eq(sessions.id, sessionId));
}

/** Signs a user out everywhere: after a password change, a suspension or a role change. */
export async function invalidateUserSessions(db: Queryable, userId: string): Promise<void> {
	await db.delete(sessions).where(eq(sessions.userId, userId));
}
