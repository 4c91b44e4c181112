// Signing in with a digital identity (OpenID Connect, authorization code with PKCE): the trip to the provider
// and back, linking an identity to an account, sign-up without a password, and unlinking. State, nonce and
// the PKCE verifier live in `identity_flows`, keyed by the SHA-256 of the token in the browser's cookie.
import * as oidc from 'openid-client';
import { and, eq, gt, sql } from 'drizzle-orm';
import type { Db, Queryable } from '../db';
import { authTokens, identityFlows, sessions, userIdentities, users } from '../db/schema';
import { generateSessionToken, sessionIdOf } from '../auth/session';
import {
	AccountError,
	audit,
	checkCurrentPassword,
	enforceRateLimits,
	insertMember,
	RATE_LIMITS,
	rethrowEmailTaken,
	type SignUp
} from '../accounts/service';
import type { IdentityProviderId } from '../env';
import { pgErrorOf, PG } from '../db/errors';
import { UserError } from '../errors';
import { log } from '../log';
import { withdrawLineNotifications } from '../line/service';
import { providerConfiguration, providerSettings } from './providers';
import { one } from '../db/rows';

export type IdentityErrorCode =
	| 'identity_provider_unknown'
	| 'identity_failed'
	| 'identity_unavailable'
	| 'identity_taken'
	| 'identity_provider_linked'
	| 'identity_last_way_in'
	| 'identity_reauthenticate'
	| 'identity_sign_up_expired';

export class IdentityError extends UserError {
	constructor(code: IdentityErrorCode, message: string, field?: string) {
		super(code, message, { field, status: code === 'identity_provider_unknown' ? 404 : 400 });
		this.name = 'IdentityError';
	}
}

type Purpose = (typeof identityFlows.$inferSelect)['purpose'];
type UserRow = typeof users.$inferSelect;

const MINUTE_MS = 60_000;
/** How long a person may stay at the provider, and then how long a sign-up may wait for its form. */
export const FLOW_LIFETIME_MS = 10 * MINUTE_MS;
export const SIGN_UP_LIFETIME_MS = 30 * MINUTE_MS;
/** An account without a password links another identity only from a session this recent. */
export const FRESH_SESSION_MS = 10 * MINUTE_MS;

export const redirectUriFor = (origin: string, provider: IdentityProviderId) =>
	`${origin}/sign-in/identity/${provider}/callback`;

function settingsOf(provider: string) {
	const settings = providerSettings(provider);
	if (!settings) throw new IdentityError('identity_provider_unknown', `no provider ${provider}`);
	return settings;
}

async function configurationOf(provider: string) {
	const settings = settingsOf(provider);
	try {
		return { settings, configuration: await providerConfiguration(settings) };
	} catch (error) {
		log().warn({ component: 'identity', provider, err: error }, 'the identity provider did not answer');
		throw new IdentityError('identity_unavailable', `${provider} did not answer`);
	}
}

export interface StartedFlow {
	/** The cookie's value. */
	token: string;
	/** Where to send the browser. */
	url: string;
}

/**
 * Starts a trip to the provider: a fresh state, nonce and PKCE verifier, kept in the database for ten
 * minutes. `link` needs the signed-in account (its password checked by linkStart), `invite` the invited officer.
 */
export async function startIdentityFlow(
	db: Queryable,
	input: {
		provider: string;
		purpose: Purpose;
		userId?: string;
		next?: string;
		origin: string;
		address: string;
	}
): Promise<StartedFlow> {
	const { settings, configuration } = await configurationOf(input.provider);
	await enforceRateLimits(db, [[`identity:address:${input.address}`, RATE_LIMITS.identityPerAddress]]);
	const token = generateSessionToken();
	const state = oidc.randomState();
	const nonce = oidc.randomNonce();
	const codeVerifier = oidc.randomPKCECodeVerifier();
	await db.insert(identityFlows).values({
		id: sessionIdOf(token),
		provider: settings.id,
		purpose: input.purpose,
		state,
		nonce,
		codeVerifier,
		userId: input.purpose === 'sign_in' ? null : input.userId!,
		next: input.next || null,
		expiresAt: new Date(Date.now() + FLOW_LIFETIME_MS)
	});
	const url = oidc.buildAuthorizationUrl(configuration, {
		redirect_uri: redirectUriFor(input.origin, settings.id),
		scope: settings.scope,
		state,
		nonce,
		code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
		code_challenge_method: 'S256'
	});
	return { token, url: url.href };
}

/** Linking asks for the account's password again; an account without one needs a session just opened. */
export async function checkLinkAllowed(
	db: Queryable,
	userId: string,
	session: { id: string; createdAt: Date },
	password: string
): Promise<void> {
	const [user] = await db
		.select({ passwordHash: users.passwordHash })
		.from(users)
		.where(eq(users.id, userId));
	if (user?.passwordHash) {
		await checkCurrentPassword(db, userId, password);
		return;
	}
	const [current] = await db
		.select({ createdAt: sessions.createdAt })
		.from(sessions)
		.where(eq(sessions.id, session.id));
	if (!current || Date.now() - current.createdAt.getTime() > FRESH_SESSION_MS)
		throw new IdentityError('identity_reauthenticate', 'sign in again before linking another identity');
}

export type FlowOutcome =
	| { kind: 'signed_in'; user: UserRow; next: string | null }
	| { kind: 'linked'; userId: string }
	| { kind: 'invite_accepted'; user: UserRow }
	| { kind: 'sign_up' };

interface VerifiedIdentity {
	subject: string;
	email: string | null;
	emailVerified: boolean;
	name: string | null;
}

/**
 * The provider sent the browser back. The flow is used up whatever happens next; the code is exchanged with the
 * PKCE verifier, the state and nonce must be the ones sent, and the ID token's signature, issuer, audience and
 * expiry are checked by openid-client. Any failure reads the same to the person ("try again") and is logged.
 */
export async function finishIdentityFlow(
	db: Db,
	input: {
		provider: string;
		flowToken: string | undefined;
		callbackUrl: URL;
		origin: string;
		signedInUserId: string | null;
	}
): Promise<FlowOutcome> {
	const { settings, configuration } = await configurationOf(input.provider);
	if (!input.flowToken) throw new IdentityError('identity_failed', 'no identity flow cookie');
	const [flow] = await db
		.delete(identityFlows)
		.where(
			and(
				eq(identityFlows.id, sessionIdOf(input.flowToken)),
				eq(identityFlows.provider, settings.id),
				sql`${identityFlows.subject} is null`
			)
		)
		.returning();
	if (!flow || flow.expiresAt.getTime() <= Date.now())
		throw new IdentityError('identity_failed', 'the identity flow is unknown, used or expired');

	let identity: VerifiedIdentity;
	try {
		const tokens = await oidc.authorizationCodeGrant(
			configuration,
			input.callbackUrl,
			{
				pkceCodeVerifier: flow.codeVerifier,
				expectedState: flow.state,
				expectedNonce: flow.nonce,
				idTokenExpected: true
			},
			{ redirect_uri: redirectUriFor(input.origin, settings.id) }
		);
		const claims = tokens.claims()!;
		identity = {
			subject: claims.sub,
			email: typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : null,
			// Only an explicit `true` counts: LINE, for one, sends an email without saying it was checked.
			emailVerified: claims.email_verified === true,
			name: typeof claims.name === 'string' ? claims.name.slice(0, 200) : null
		};
	} catch (error) {
		log().warn(
			{ component: 'identity', provider: settings.id, err: error },
			'an identity provider response was refused'
		);
		throw new IdentityError('identity_failed', 'the identity provider response was refused');
	}

	if (flow.purpose === 'link') {
		if (!flow.userId || flow.userId !== input.signedInUserId)
			throw new IdentityError('identity_failed', 'the account that started linking is not signed in');
		await linkIdentity(db, flow.userId, settings.id, identity);
		return { kind: 'linked', userId: flow.userId };
	}
	if (flow.purpose === 'invite')
		return { kind: 'invite_accepted', user: await acceptInvite(db, flow.userId!, settings.id, identity) };

	const [known] = await db
		.select({ user: users, identityId: userIdentities.id })
		.from(userIdentities)
		.innerJoin(users, eq(users.id, userIdentities.userId))
		.where(and(eq(userIdentities.provider, settings.id), eq(userIdentities.subject, identity.subject)));
	if (known) {
		if (known.user.status !== 'active')
			throw new AccountError('account_suspended', 'the account is suspended');
		await db
			.update(userIdentities)
			.set({ lastUsedAt: new Date() })
			.where(eq(userIdentities.id, known.identityId));
		return { kind: 'signed_in', user: known.user, next: flow.next };
	}
	// Nobody has this identity: keep it, verified, for the sign-up form (the same cookie names it).
	await db.insert(identityFlows).values({
		...flow,
		subject: identity.subject,
		email: identity.email,
		emailVerified: identity.emailVerified,
		displayName: identity.name,
		expiresAt: new Date(Date.now() + SIGN_UP_LIFETIME_MS)
	});
	return { kind: 'sign_up' };
}

async function linkIdentity(
	db: Db,
	userId: string,
	provider: IdentityProviderId,
	identity: VerifiedIdentity
) {
	await db.transaction(async (tx) => {
		const [user] = await tx.select().from(users).where(eq(users.id, userId)).for('update');
		if (!user || user.status !== 'active')
			throw new AccountError('account_suspended', 'the account is suspended');
		await insertIdentity(tx, userId, provider, identity);
		await audit(tx, { id: userId, label: user.email }, 'user.link_identity', userId, {
			provinceCode: user.provinceCode,
			after: { provider }
		});
	});
}

async function insertIdentity(
	tx: Queryable,
	userId: string,
	provider: IdentityProviderId,
	identity: VerifiedIdentity
) {
	const [taken] = await tx
		.select({ userId: userIdentities.userId })
		.from(userIdentities)
		.where(and(eq(userIdentities.provider, provider), eq(userIdentities.subject, identity.subject)));
	if (taken)
		throw new IdentityError(
			taken.userId === userId ? 'identity_provider_linked' : 'identity_taken',
			'this identity already signs in to an account'
		);
	const [same] = await tx
		.select({ id: userIdentities.id })
		.from(userIdentities)
		.where(and(eq(userIdentities.userId, userId), eq(userIdentities.provider, provider)));
	if (same) throw new IdentityError('identity_provider_linked', 'the account already has this provider');
	try {
		await tx.insert(userIdentities).values({
			userId,
			provider,
			subject: identity.subject,
			email: identity.email,
			lastUsedAt: new Date()
		});
	} catch (error) {
		// The same callback twice at once (a double submit, two tabs): the second finds the row the first made.
		const violated = pgErrorOf(error);
		if (violated?.code !== PG.uniqueViolation) throw error;
		throw new IdentityError(
			violated.constraint === 'user_identities_provider_subject_key'
				? 'identity_taken'
				: 'identity_provider_linked',
			'this identity already signs in to an account'
		);
	}
}

/**
 * An officer invitation that asks for a verified identity is accepted by linking one: the invitation must still
 * be open (its link unused and unexpired), and it is used up here.
 */
async function acceptInvite(
	db: Db,
	userId: string,
	provider: IdentityProviderId,
	identity: VerifiedIdentity
) {
	return db.transaction(async (tx) => {
		const [open] = await tx
			.delete(authTokens)
			.where(
				and(
					eq(authTokens.userId, userId),
					eq(authTokens.purpose, 'invite'),
					gt(authTokens.expiresAt, new Date())
				)
			)
			.returning({ id: authTokens.id });
		if (!open) throw new AccountError('token_invalid', 'the invitation is used or expired');
		const user = one(
			await tx
				.update(users)
				.set({ emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, now())` })
				.where(eq(users.id, userId))
				.returning(),
			'update of users'
		);
		if (user.status !== 'active') throw new AccountError('account_suspended', 'the account is suspended');
		await insertIdentity(tx, userId, provider, identity);
		await audit(tx, { id: userId, label: user.email }, 'user.accept_invite', userId, {
			provinceCode: user.provinceCode,
			after: { provider }
		});
		return user;
	});
}

/** The verified identity waiting for its sign-up form, or null when there is none (or it expired). */
export async function pendingSignUp(db: Queryable, flowToken: string | undefined) {
	if (!flowToken) return null;
	const [flow] = await db
		.select({
			provider: identityFlows.provider,
			email: identityFlows.email,
			emailVerified: identityFlows.emailVerified,
			displayName: identityFlows.displayName
		})
		.from(identityFlows)
		.where(
			and(
				eq(identityFlows.id, sessionIdOf(flowToken)),
				sql`${identityFlows.subject} is not null`,
				gt(identityFlows.expiresAt, new Date())
			)
		);
	return flow ?? null;
}

/**
 * A new startup or buyer account for the identity waiting in the flow, with no password. The address is
 * confirmed at once only when it is the one the provider said it had verified; any other gets the usual link.
 */
export async function completeIdentitySignUp(
	db: Db,
	flowToken: string | undefined,
	input: Omit<SignUp, 'password'>,
	context: { origin: string; address: string }
): Promise<UserRow> {
	if (!(await pendingSignUp(db, flowToken)))
		throw new IdentityError('identity_sign_up_expired', 'sign in with the identity again');
	await enforceRateLimits(db, [[`sign-up:address:${context.address}`, RATE_LIMITS.signUpPerAddress]]);
	try {
		return await db.transaction(async (tx) => {
			const [flow] = await tx
				.delete(identityFlows)
				.where(
					and(
						eq(identityFlows.id, sessionIdOf(flowToken ?? '')),
						sql`${identityFlows.subject} is not null`,
						gt(identityFlows.expiresAt, new Date())
					)
				)
				.returning();
			if (!flow) throw new IdentityError('identity_sign_up_expired', 'sign in with the identity again');
			const emailVerified = flow.emailVerified === true && flow.email === input.email.toLowerCase();
			const user = await insertMember(tx, input, { identity: flow.provider, emailVerified }, context.origin);
			await insertIdentity(tx, user.id, flow.provider, {
				subject: flow.subject!,
				email: flow.email,
				emailVerified: flow.emailVerified === true,
				name: flow.displayName
			});
			return user;
		});
	} catch (error) {
		rethrowEmailTaken(error, input.email);
	}
}

/** Removes an identity from the account, as long as another way in remains (a password or another identity). */
export async function unlinkIdentity(db: Db, userId: string, identityId: string): Promise<void> {
	await db.transaction(async (tx) => {
		const [user] = await tx.select().from(users).where(eq(users.id, userId)).for('update');
		const held = await tx
			.select({ id: userIdentities.id, provider: userIdentities.provider })
			.from(userIdentities)
			.where(eq(userIdentities.userId, userId));
		const identity = held.find((row) => row.id === identityId);
		if (!user || !identity) throw new AccountError('not_found', 'no such identity');
		if (held.length < 2 && !user.passwordHash)
			throw new IdentityError('identity_last_way_in', 'the account would have no way to sign in');
		await tx.delete(userIdentities).where(eq(userIdentities.id, identityId));
		if (identity.provider === 'line') await withdrawLineNotifications(tx, userId);
		await audit(tx, { id: userId, label: user.email }, 'user.unlink_identity', userId, {
			provinceCode: user.provinceCode,
			before: { provider: identity.provider }
		});
	});
}
