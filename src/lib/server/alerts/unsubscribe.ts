// The unsubscribe link in every alert: works without signing in, so the link itself is the credential. It is an
// HMAC over the saved search's id and this one purpose, keyed by a secret the portal makes once and keeps in
// job_state (the portal has no other application secret), so it cannot be forged, moved to another search, or used
// for anything but stopping that search's alerts.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Queryable } from '../db';
import { jobState } from '../db/schema';
import { isUuid } from '../text';

const KEY_NAME = 'saved-search-unsubscribe-key';
const PURPOSE = 'saved-search-unsubscribe:v1';

async function storedKey(db: Queryable): Promise<string | undefined> {
	const [row] = await db.select({ value: jobState.value }).from(jobState).where(eq(jobState.name, KEY_NAME));
	return row?.value;
}

export async function signingKey(db: Queryable): Promise<string> {
	const stored = await storedKey(db);
	if (stored) return stored;
	await db
		.insert(jobState)
		.values({ name: KEY_NAME, value: randomBytes(32).toString('base64url') })
		.onConflictDoNothing();
	const [row] = await db.select({ value: jobState.value }).from(jobState).where(eq(jobState.name, KEY_NAME));
	return row!.value;
}

const mac = (key: string, id: string) =>
	createHmac('sha256', key).update(`${PURPOSE}:${id}`).digest('base64url');

/** The token for a search, with the key already read (delivery signs many at once). */
export const signToken = (key: string, savedSearchId: string) =>
	`${savedSearchId}.${mac(key, savedSearchId)}`;

export async function unsubscribeToken(db: Queryable, savedSearchId: string): Promise<string> {
	return signToken(await signingKey(db), savedSearchId);
}

/** The saved search a token names, or undefined for anything malformed or forged. */
export async function verifyUnsubscribeToken(db: Queryable, token: string): Promise<string | undefined> {
	if (typeof token !== 'string') return undefined;
	const [id, given, ...rest] = token.split('.');
	if (!id || !given || rest.length > 0 || !isUuid(id) || given.length > 100) return undefined;
	// Read only: before any alert was signed there is no key, and a refused link changes nothing.
	const key = await storedKey(db);
	if (!key) return undefined;
	const expected = Buffer.from(mac(key, id));
	const actual = Buffer.from(given);
	if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return undefined;
	return id.toLowerCase();
}
