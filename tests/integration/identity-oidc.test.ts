// Sign-in with a digital identity against a real OpenID Connect provider (oidc-provider) on loopback: the portal
// as relying party through openid-client, a browser's trip followed by hand. Covers success, a wrong state, a
// wrong nonce, an expired code, a replayed code, an unverified email claim, a suspended account, linking from
// the account page and unlinking while another way in remains.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inviteOfficer, setPasswordWithToken, setUserStatus } from '$lib/server/accounts/service';
import { issueAuthToken } from '$lib/server/auth/tokens';
import { setRuntime } from '$lib/server/context';
import { authTokens, identityFlows, userIdentities, users } from '$lib/server/db/schema';
import { sessionIdOf } from '$lib/server/auth/session';
import { codeOf } from '../helpers/errors';
import {
	completeIdentitySignUp,
	finishIdentityFlow,
	redirectUriFor,
	startIdentityFlow,
	unlinkIdentity
} from '$lib/server/identity/service';
import type { Runtime } from '$lib/server/runtime';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startOidcProvider, type LocalAccount, type LocalProvider } from '../helpers/oidc-provider';

const origin = 'http://portal.test';
const secret = 'a client secret only these tests know';
let database: TestDatabase;
let provider: LocalProvider;
let counter = 0;

beforeAll(async () => {
	provider = await startOidcProvider({
		clients: [
			{ clientId: 'portal', clientSecret: secret, redirectUris: [redirectUriFor(origin, 'digitalid')] }
		]
	});
	// Read once by env() in this test file's module graph.
	process.env.OIDC_DIGITALID_ISSUER = provider.issuer;
	process.env.OIDC_DIGITALID_CLIENT_ID = 'portal';
	process.env.OIDC_DIGITALID_CLIENT_SECRET = secret;
	database = await createTestDatabase();
	setRuntime({ db: database.db, database } as unknown as Runtime);
});
afterAll(async () => {
	setRuntime(undefined);
	await database?.dispose();
	await provider?.close();
});

/** A browser's trip: portal → provider (signed in as `account`) → back at the portal's callback URL. */
async function tripTo(url: string, account: LocalAccount): Promise<URL> {
	provider.signInAs(account);
	const cookies = new Map<string, string>();
	let current = url;
	for (let hop = 0; hop < 10; hop++) {
		const response = await fetch(current, {
			redirect: 'manual',
			headers: { cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; ') }
		});
		for (const header of response.headers.getSetCookie()) {
			const [pair] = header.split(';');
			const [name, ...value] = pair!.split('=');
			cookies.set(name!.trim(), value.join('='));
		}
		const location = response.headers.get('location');
		if (!location) throw new Error(`the provider stopped at ${current} (${response.status})`);
		const next = new URL(location, current);
		if (next.href.startsWith(origin)) return next;
		current = next.href;
	}
	throw new Error('too many redirects');
}

async function signInTrip(account: LocalAccount, purpose: 'sign_in' | 'link' = 'sign_in', userId?: string) {
	const started = await startIdentityFlow(database.db, {
		provider: 'digitalid',
		purpose,
		userId,
		origin,
		address: `10.24.${++counter}.1`
	});
	return { started, callbackUrl: await tripTo(started.url, account) };
}

const finish = (flowToken: string, callbackUrl: URL, signedInUserId: string | null = null) =>
	finishIdentityFlow(database.db, { provider: 'digitalid', flowToken, callbackUrl, origin, signedInUserId });

const person = (verified = true): LocalAccount => {
	const n = ++counter;
	return { sub: `subject-${n}`, email: `person-${n}@id.test`, email_verified: verified, name: `Person ${n}` };
};

async function signUpWith(account: LocalAccount) {
	const { started, callbackUrl } = await signInTrip(account);
	expect(await finish(started.token, callbackUrl)).toEqual({ kind: 'sign_up' });
	return completeIdentitySignUp(
		database.db,
		started.token,
		{
			accountType: 'buyer',
			organisationName: `Buyer ${account.sub}`,
			provinceCode: null,
			email: account.email!,
			locale: 'th'
		},
		{ origin, address: `10.25.${++counter}.1` }
	);
}

describe('sign-in with a digital identity', () => {
	it('sends PKCE (S256), state and nonce to the provider', async () => {
		const started = await startIdentityFlow(database.db, {
			provider: 'digitalid',
			purpose: 'sign_in',
			origin,
			address: '10.24.0.1'
		});
		const url = new URL(started.url);
		expect(url.origin).toBe(provider.issuer);
		expect(url.searchParams.get('code_challenge_method')).toBe('S256');
		expect(url.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
		expect(url.searchParams.get('state')).toBeTruthy();
		expect(url.searchParams.get('nonce')).toBeTruthy();
		expect(url.searchParams.get('redirect_uri')).toBe(`${origin}/sign-in/identity/digitalid/callback`);
	});

	it('signs a new person up without a password, and then signs them in', async () => {
		const account = person();
		const user = await signUpWith(account);
		expect(user.passwordHash).toBeNull();
		expect(user.role).toBe('buyer');
		// The provider vouched for this address: no confirmation link needed.
		expect(user.emailVerifiedAt).not.toBeNull();
		const { started, callbackUrl } = await signInTrip(account);
		const outcome = await finish(started.token, callbackUrl);
		expect(outcome.kind).toBe('signed_in');
		expect(outcome.kind === 'signed_in' && outcome.user.id).toBe(user.id);
	});

	it('refuses a callback whose state is not the one sent', async () => {
		const { started, callbackUrl } = await signInTrip(person());
		callbackUrl.searchParams.set('state', 'not-the-state-that-was-sent');
		expect(await codeOf(finish(started.token, callbackUrl))).toBe('identity_failed');
	});

	it('refuses an ID token whose nonce is not the one sent', async () => {
		const { started, callbackUrl } = await signInTrip(person());
		await database.db
			.update(identityFlows)
			.set({ nonce: 'another-nonce' })
			.where(eq(identityFlows.id, sessionIdOf(started.token)));
		expect(await codeOf(finish(started.token, callbackUrl))).toBe('identity_failed');
	});

	it('refuses an expired authorization code', async () => {
		provider.setCodeLifetime(1);
		try {
			const { started, callbackUrl } = await signInTrip(person());
			await new Promise((resolve) => setTimeout(resolve, 2_100));
			expect(await codeOf(finish(started.token, callbackUrl))).toBe('identity_failed');
		} finally {
			provider.setCodeLifetime(60);
		}
	});

	it('refuses a replayed code, both with the used flow and with a copy of it', async () => {
		const account = person();
		await signUpWith(account);
		const { started, callbackUrl } = await signInTrip(account);
		const [flow] = await database.db
			.select()
			.from(identityFlows)
			.where(eq(identityFlows.id, sessionIdOf(started.token)));
		expect((await finish(started.token, callbackUrl)).kind).toBe('signed_in');
		// The same browser again: its flow is used up.
		expect(await codeOf(finish(started.token, callbackUrl))).toBe('identity_failed');
		// Someone holding a copy of the flow (verifier, state, nonce): the provider refuses the code a second time.
		await database.db.insert(identityFlows).values(flow!);
		expect(await codeOf(finish(started.token, callbackUrl))).toBe('identity_failed');
	});

	it('does not trust an unverified email claim: the address must be confirmed and no account is joined by it', async () => {
		const owner = await signUpWith(person());
		const stranger: LocalAccount = { ...person(false), email: owner.email };
		const { started, callbackUrl } = await signInTrip(stranger);
		// Not signed in to the account that has this address: asked to sign up instead.
		expect(await finish(started.token, callbackUrl)).toEqual({ kind: 'sign_up' });
		const taken = completeIdentitySignUp(
			database.db,
			started.token,
			{
				accountType: 'buyer',
				organisationName: 'Other',
				provinceCode: null,
				email: owner.email,
				locale: 'th'
			},
			{ origin, address: '10.26.0.1' }
		);
		expect(await codeOf(taken)).toBe('email_taken');

		const unverified = person(false);
		const user = await signUpWith(unverified);
		expect(user.emailVerifiedAt).toBeNull();
		const links = await database.db.select().from(authTokens).where(eq(authTokens.userId, user.id));
		expect(links.map((row) => row.purpose)).toEqual(['verify_email']);
	});

	it('refuses a suspended account', async () => {
		const account = person();
		const user = await signUpWith(account);
		await setUserStatus(database.db, { id: null, label: 'test' }, user.id, 'suspended');
		const { started, callbackUrl } = await signInTrip(account);
		expect(await codeOf(finish(started.token, callbackUrl))).toBe('account_suspended');
	});

	it('links an identity to the signed-in account, refuses it for another, and unlinks while a way in remains', async () => {
		const holder = await signUpWith(person());
		const [own] = await database.db.select().from(userIdentities).where(eq(userIdentities.userId, holder.id));
		// The only way in: cannot be removed.
		expect(await codeOf(unlinkIdentity(database.db, holder.id, own!.id))).toBe('identity_last_way_in');

		const [member] = await database.db
			.insert(users)
			.values({ email: `member-${++counter}@id.test`, passwordHash: 'set', role: 'admin' })
			.returning();
		const account = person();
		const { started, callbackUrl } = await signInTrip(account, 'link', member!.id);
		// Coming back signed in as someone else does not link.
		expect(await codeOf(finish(started.token, callbackUrl, holder.id))).toBe('identity_failed');
		const again = await signInTrip(account, 'link', member!.id);
		expect(await finish(again.started.token, again.callbackUrl, member!.id)).toEqual({
			kind: 'linked',
			userId: member!.id
		});
		const [linked] = await database.db
			.select()
			.from(userIdentities)
			.where(eq(userIdentities.userId, member!.id));
		// The identity is someone else's now: another account cannot take it.
		const stolen = await signInTrip(account, 'link', holder.id);
		expect(await codeOf(finish(stolen.started.token, stolen.callbackUrl, holder.id))).toBe('identity_taken');
		// Another account: not its own identity to remove; the owner with a password may.
		expect(await codeOf(unlinkIdentity(database.db, holder.id, linked!.id))).toBe('not_found');
		await unlinkIdentity(database.db, member!.id, linked!.id);
		expect(
			await database.db.select().from(userIdentities).where(eq(userIdentities.userId, member!.id))
		).toEqual([]);
	});

	it('accepts an officer invitation that requires a verified identity only through a provider, once', async () => {
		const officer = await inviteOfficer(
			database.db,
			{ id: null, label: 'test' },
			{ email: `officer-${++counter}@id.test`, provinceCode: 'TH-50', identityRequired: true },
			origin
		);
		const token = await issueAuthToken(database.db, officer.id, 'invite');
		expect(
			await codeOf(setPasswordWithToken(database.db, token, 'invite', 'a long officer passphrase'))
		).toBe('identity_required');

		const account = person(false);
		const started = await startIdentityFlow(database.db, {
			provider: 'digitalid',
			purpose: 'invite',
			userId: officer.id,
			origin,
			address: '10.27.0.1'
		});
		const callbackUrl = await tripTo(started.url, account);
		const outcome = await finish(started.token, callbackUrl);
		expect(outcome.kind).toBe('invite_accepted');
		const [accepted] = await database.db.select().from(users).where(eq(users.id, officer.id));
		expect(accepted!.passwordHash).toBeNull();
		expect(accepted!.emailVerifiedAt).not.toBeNull();
		expect(
			(await database.db.select().from(userIdentities).where(eq(userIdentities.userId, officer.id))).length
		).toBe(1);
		// The invitation is used up: another trip with it is refused.
		const again = await startIdentityFlow(database.db, {
			provider: 'digitalid',
			purpose: 'invite',
			userId: officer.id,
			origin,
			address: '10.27.0.2'
		});
		expect(await codeOf(finish(again.token, await tripTo(again.url, person())))).toBe('token_invalid');
	});
});
