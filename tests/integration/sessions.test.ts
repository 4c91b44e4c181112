// Sessions against the database: hashed at rest, expiry, sliding renewal, suspension, sign-out everywhere.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	createSession,
	generateSessionToken,
	invalidateUserSessions,
	SESSION_LIFETIME_MS,
	sessionIdOf,
	validateSessionToken
} from '$lib/server/auth/session';
import * as schema from '$lib/server/db/schema';
import { buildUser } from '../factories';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

let database: TestDatabase;
beforeAll(async () => {
	database = await createTestDatabase();
});
afterAll(async () => {
	await database?.dispose();
});

const DAY = 24 * 60 * 60 * 1000;

describe('sessions', () => {
	it('stores only the SHA-256 of the token and finds the user by the token', async () => {
		const { db } = database;
		const user = await buildUser(db);
		const token = generateSessionToken();
		expect(token).toMatch(/^[a-z2-7]{32}$/);
		const session = await createSession(db, token, user.id);
		expect(session.id).toBe(sessionIdOf(token));
		expect(session.id).not.toContain(token);
		const stored = await db.select().from(schema.sessions).where(eq(schema.sessions.userId, user.id));
		expect(JSON.stringify(stored)).not.toContain(token);
		const result = await validateSessionToken(db, token);
		expect(result.user?.id).toBe(user.id);
		expect(await validateSessionToken(db, generateSessionToken())).toEqual({ session: null, user: null });
	});

	it('expires after 30 days and is removed', async () => {
		const { db } = database;
		const user = await buildUser(db);
		const token = generateSessionToken();
		const created = new Date('2026-01-01T00:00:00Z');
		await createSession(db, token, user.id, {}, created);
		const late = new Date(created.getTime() + SESSION_LIFETIME_MS + 1);
		expect((await validateSessionToken(db, token, late)).session).toBeNull();
		expect(await db.select().from(schema.sessions).where(eq(schema.sessions.userId, user.id))).toHaveLength(
			0
		);
	});

	it('renews when less than half of its life remains, and not before', async () => {
		const { db } = database;
		const user = await buildUser(db);
		const token = generateSessionToken();
		const created = new Date();
		const session = await createSession(db, token, user.id, {}, created);
		const early = await validateSessionToken(db, token, new Date(created.getTime() + 5 * DAY));
		expect(early.session?.expiresAt.getTime()).toBe(session.expiresAt.getTime());
		const later = new Date(created.getTime() + 20 * DAY);
		const renewed = await validateSessionToken(db, token, later);
		expect(renewed.session?.expiresAt.getTime()).toBe(later.getTime() + SESSION_LIFETIME_MS);
	});

	it('ends at once for a suspended account, and everywhere on request', async () => {
		const { db } = database;
		const user = await buildUser(db);
		const [a, b] = [generateSessionToken(), generateSessionToken()];
		await createSession(db, a, user.id);
		await createSession(db, b, user.id);
		await invalidateUserSessions(db, user.id);
		expect((await validateSessionToken(db, a)).session).toBeNull();
		expect((await validateSessionToken(db, b)).session).toBeNull();

		const c = generateSessionToken();
		await createSession(db, c, user.id);
		await db.update(schema.users).set({ status: 'suspended' }).where(eq(schema.users.id, user.id));
		expect((await validateSessionToken(db, c)).session).toBeNull();
	});
});
