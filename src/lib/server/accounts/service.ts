// Account rules that do not depend on the web: sign-up, sign-in, email links, invitations, suspension.
// Pages, the CLI and tests all call these; each change and its audit event share one transaction.
import { and, eq, ne, or, sql } from 'drizzle-orm';
import type { Db, Queryable } from '../db';
import { pgErrorOf, PG } from '../db/errors';
import { UserError } from '../errors';
import { organisations, provinces, rateLimits, sessions, users } from '../db/schema';
import { recordAudit, type AuditActor } from '../audit/record';
import { hashPassword, verifyPassword } from '../auth/password';
import { invalidateUserSessions } from '../auth/session';
import { consumeAuthToken, issueAuthToken } from '../auth/tokens';
import { enqueueEmail } from '../email/outbox';
import { accountEmail, signUpAttemptEmail } from '../email/messages';
import { hitRateLimit, refundRateLimits, type RateLimit } from '../rate-limit';
import { emailSchema, passwordSchema } from '$lib/schemas/account';
import { inLanguage } from '$lib/notifications';
import { one } from '../db/rows';

export type AccountErrorCode =
	| 'invalid_email'
	| 'weak_password'
	| 'email_taken'
	| 'invalid_credentials'
	| 'account_suspended'
	| 'rate_limited'
	| 'token_invalid'
	| 'wrong_password'
	| 'province_unknown'
	| 'province_has_no_office'
	| 'not_found'
	| 'not_allowed'
	| 'identity_required';

export class AccountError extends UserError {
	constructor(code: AccountErrorCode, message: string, field?: string, retryAfterSeconds?: number) {
		const status = code === 'rate_limited' ? 429 : code === 'not_found' ? 404 : 400;
		super(code, message, { field, status, retryAfterSeconds });
		this.name = 'AccountError';
	}
}

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
/**
 * Attempts allowed per fixed window. A guesser is slowed where they are, not where the owner is: the strict
 * limits count one account from one address, in steps (a few tries a minute, then fewer per quarter hour, then
 * per day), so an attacker's failures from their address leave the owner's own address untouched. One account
 * across all addresses is limited much more loosely (only many addresses at once reach it), and one address
 * across accounts stops spraying. The same holds for reset requests: an attacker using up the limit for an
 * account leaves the owner's reset from their own address possible.
 */
export const RATE_LIMITS = {
	signInPerPair: [
		{ limit: 5, windowMs: MINUTE_MS },
		{ limit: 10, windowMs: 15 * MINUTE_MS },
		{ limit: 30, windowMs: DAY_MS }
	],
	signInPerAccount: [{ limit: 100, windowMs: 15 * MINUTE_MS }],
	signInPerAddress: [{ limit: 30, windowMs: 15 * MINUTE_MS }],
	resetPerPair: [{ limit: 3, windowMs: 15 * MINUTE_MS }],
	resetPerAccount: [{ limit: 20, windowMs: 60 * MINUTE_MS }],
	resetPerAddress: [{ limit: 10, windowMs: 15 * MINUTE_MS }],
	// A provincial office's registration workshop signs up dozens of producers in an hour from one address.
	signUpPerAddress: [{ limit: 60, windowMs: 60 * MINUTE_MS }],
	identityPerAddress: [{ limit: 30, windowMs: 15 * MINUTE_MS }],
	resendPerAccount: [{ limit: 5, windowMs: 60 * MINUTE_MS }]
} satisfies Record<string, RateLimit[]>;

type UserRow = typeof users.$inferSelect;

/** One row per key and window length, so the steps of a key count separately. */
const windowKey = (key: string, limit: RateLimit) => `${key}:${limit.windowMs / 1000}s`;

/** Counts a hit on every key and window; refused when any of them is over its limit. */
export async function enforceRateLimits(db: Queryable, checks: [string, RateLimit[]][]): Promise<void> {
	let retryAfter = 0;
	for (const [key, limits] of checks) {
		for (const limit of limits) {
			const result = await hitRateLimit(db, windowKey(key, limit), limit);
			if (!result.allowed) retryAfter = Math.max(retryAfter, result.retryAfterSeconds);
		}
	}
	if (retryAfter > 0) throw new AccountError('rate_limited', 'too many attempts', undefined, retryAfter);
}

/** Takes back the hits enforceRateLimits counted for an attempt that succeeded. */
const refundAttempt = (db: Queryable, checks: [string, RateLimit[]][]) =>
	refundRateLimits(
		db,
		checks.flatMap(([key, limits]) => limits.map((limit) => ({ key: windowKey(key, limit), limit })))
	);

async function findUserByEmail(db: Queryable, email: string): Promise<UserRow | undefined> {
	const [user] = await db
		.select()
		.from(users)
		.where(sql`lower(${users.email}) = ${email.toLowerCase()}`);
	return user;
}

async function assertEmailFree(db: Queryable, email: string, field = 'email'): Promise<void> {
	if (await findUserByEmail(db, email))
		throw new AccountError('email_taken', `an account with ${email} already exists`, field);
}

/** Inserts that race on the unique email index end up here: report them as "email taken". */
export function rethrowEmailTaken(error: unknown, email: string): never {
	const violated = pgErrorOf(error);
	if (violated?.code === PG.uniqueViolation && violated.constraint === 'users_email_lower_key')
		throw new AccountError('email_taken', `an account with ${email} already exists`, 'email');
	throw error;
}

export function audit(
	db: Queryable,
	actor: AuditActor,
	action: string,
	userId: string,
	change: { before?: unknown; after?: unknown; provinceCode?: string | null } = {}
) {
	return recordAudit(db, {
		actorId: actor.id,
		actorLabel: actor.label,
		action,
		subjectType: 'user',
		subjectId: userId,
		provinceCode: change.provinceCode ?? null,
		before: change.before ?? null,
		after: change.after ?? null
	});
}

const link = (origin: string, path: string, token: string) =>
	`${origin}${path}?token=${encodeURIComponent(token)}`;

// ---------- administrators (CLI) ----------

export async function createAdmin(db: Db, input: { email: string; password: string }, actorLabel: string) {
	const email = emailSchema.safeParse(input.email);
	if (!email.success)
		throw new AccountError('invalid_email', `"${input.email}" is not a valid email address`);
	if (!passwordSchema.safeParse(input.password).success) {
		throw new AccountError(
			'weak_password',
			'the password must be 10 to 256 characters long and not a commonly used one'
		);
	}
	const passwordHash = await hashPassword(input.password);
	return db.transaction(async (tx) => {
		await assertEmailFree(tx, email.data);
		const admin = one(
			await tx
				.insert(users)
				.values({ email: email.data, passwordHash, role: 'admin', emailVerifiedAt: new Date() })
				.returning({ id: users.id, email: users.email }),
			'insert into users'
		);
		await audit(tx, { id: null, label: actorLabel }, 'user.create_admin', admin.id, {
			after: { email: admin.email, role: 'admin' }
		});
		return admin;
	});
}

// ---------- sign-up and sign-in ----------

export interface SignUp {
	accountType: 'startup' | 'buyer';
	organisationName: string;
	provinceCode: string | null;
	email: string;
	password: string;
	locale: 'th' | 'en';
}

/**
 * A startup or buyer account with its organisation; a verification link goes out by email. For an address that
 * already has an account, its owner is mailed instead (someone tried to sign up with it, and how to sign in or
 * reset) and `email_taken` is thrown, which the sign-up page answers like a success: the page must not tell
 * anyone which addresses have accounts.
 */
export async function signUp(db: Db, input: SignUp, context: { origin: string; address: string }) {
	await enforceRateLimits(db, [[`sign-up:address:${context.address}`, RATE_LIMITS.signUpPerAddress]]);
	// Hashed before anything is looked up, so a taken address costs the same work as a new one.
	const passwordHash = await hashPassword(input.password);
	const existing = await findUserByEmail(db, input.email);
	if (existing) {
		await enqueueEmail(db, signUpAttemptEmail(existing.email, existing.locale, context.origin));
		throw new AccountError('email_taken', `an account with ${input.email} already exists`, 'email');
	}
	try {
		return await db.transaction((tx) => insertMember(tx, input, { passwordHash }, context.origin));
	} catch (error) {
		rethrowEmailTaken(error, input.email);
	}
}

/**
 * A startup or buyer account and its organisation, in the caller's transaction: with a password, or (signing up
 * with a digital identity) without one. An address the identity provider vouched for is confirmed at once;
 * otherwise a verification link goes out.
 */
export async function insertMember(
	tx: Queryable,
	input: Omit<SignUp, 'password'>,
	how: { passwordHash: string } | { identity: string; emailVerified: boolean },
	origin: string
): Promise<UserRow> {
	await assertEmailFree(tx, input.email);
	if (input.provinceCode) {
		const [province] = await tx
			.select({ code: provinces.code })
			.from(provinces)
			.where(eq(provinces.code, input.provinceCode));
		if (!province) throw new AccountError('province_unknown', 'no such province', 'provinceCode');
	}
	const organisation = one(
		await tx
			.insert(organisations)
			.values({
				kind: input.accountType,
				name: input.organisationName,
				provinceCode: input.provinceCode,
				contactEmail: input.email
			})
			.returning({ id: organisations.id }),
		'insert into organisations'
	);
	const verified = 'identity' in how && how.emailVerified;
	const user = one(
		await tx
			.insert(users)
			.values({
				email: input.email,
				passwordHash: 'passwordHash' in how ? how.passwordHash : null,
				role: input.accountType,
				locale: input.locale,
				organisationId: organisation.id,
				emailVerifiedAt: verified ? new Date() : null
			})
			.returning(),
		'insert into users'
	);
	if (!verified) {
		const token = await issueAuthToken(tx, user.id, 'verify_email');
		await enqueueEmail(
			tx,
			accountEmail('verify_email', user.email, user.locale, link(origin, '/verify-email', token))
		);
	}
	await audit(tx, { id: user.id, label: user.email }, 'user.sign_up', user.id, {
		provinceCode: input.provinceCode,
		after: {
			email: user.email,
			role: user.role,
			organisation: input.organisationName,
			...('identity' in how ? { identity: how.identity } : {})
		}
	});
	return user;
}

// Verified against when the email is unknown, so both failures cost the same argon2 work.
let decoyHash: Promise<string> | undefined;

/**
 * The account for an email and password. Unknown email, wrong password and a pending invitation all fail
 * the same way, after the same work; see RATE_LIMITS for how guessing is slowed.
 */
export async function signIn(
	db: Queryable,
	input: { email: string; password: string },
	context: { address: string }
): Promise<UserRow> {
	const account = input.email.toLowerCase();
	const limits: [string, RateLimit[]][] = [
		[`sign-in:pair:${account}|${context.address}`, RATE_LIMITS.signInPerPair],
		[`sign-in:account:${account}`, RATE_LIMITS.signInPerAccount],
		[`sign-in:address:${context.address}`, RATE_LIMITS.signInPerAddress]
	];
	await enforceRateLimits(db, limits);
	const user = await findUserByEmail(db, input.email);
	decoyHash ??= hashPassword('decoy password that matches nothing');
	const valid = await verifyPassword(user?.passwordHash ?? (await decoyHash), input.password);
	if (!user || !user.passwordHash || !valid)
		throw new AccountError('invalid_credentials', 'email or password is wrong');
	if (user.status !== 'active') throw new AccountError('account_suspended', 'the account is suspended');
	// Only failures slow guessing: the staff of an office behind one address sign in all morning.
	await refundAttempt(db, limits);
	return user;
}

// ---------- email links ----------

export async function resendVerification(db: Db, user: { id: string }, origin: string): Promise<void> {
	await enforceRateLimits(db, [[`verify:account:${user.id}`, RATE_LIMITS.resendPerAccount]]);
	await db.transaction(async (tx) => {
		const [row] = await tx.select().from(users).where(eq(users.id, user.id));
		if (!row || row.emailVerifiedAt) return;
		const token = await issueAuthToken(tx, row.id, 'verify_email');
		await enqueueEmail(
			tx,
			accountEmail('verify_email', row.email, row.locale, link(origin, '/verify-email', token))
		);
	});
}

export async function verifyEmail(db: Db, token: string) {
	return db.transaction(async (tx) => {
		const used = await consumeAuthToken(tx, token, 'verify_email');
		if (!used) throw new AccountError('token_invalid', 'the link is invalid, used or expired');
		const user = one(
			await tx
				.update(users)
				.set({ emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, now())` })
				.where(eq(users.id, used.userId))
				.returning(),
			'update of users'
		);
		await audit(tx, { id: user.id, label: user.email }, 'user.verify_email', user.id);
		return user;
	});
}

/** Always answers the same way; a link goes out only when the account exists and is active. */
export async function requestPasswordReset(
	db: Db,
	email: string,
	context: { origin: string; address: string }
): Promise<void> {
	const account = email.toLowerCase();
	await enforceRateLimits(db, [
		[`reset:pair:${account}|${context.address}`, RATE_LIMITS.resetPerPair],
		[`reset:account:${account}`, RATE_LIMITS.resetPerAccount],
		[`reset:address:${context.address}`, RATE_LIMITS.resetPerAddress]
	]);
	await db.transaction(async (tx) => {
		const user = await findUserByEmail(tx, email);
		if (!user || user.status !== 'active') return;
		// An officer who never accepted the invitation gets a fresh invitation instead of a reset. (Having no
		// password is not the sign: members who signed up with a digital identity have none either.)
		const purpose = user.role === 'officer' && !user.emailVerifiedAt ? 'invite' : 'reset_password';
		const token = await issueAuthToken(tx, user.id, purpose);
		const path = purpose === 'invite' ? '/invite' : '/reset-password';
		await enqueueEmail(tx, accountEmail(purpose, user.email, user.locale, link(context.origin, path, token)));
	});
}

/**
 * The owner proved they read the account's mail: the sign-in attempts counted against the account (from any
 * address) no longer hold them back.
 */
async function forgetSignInFailures(db: Queryable, email: string): Promise<void> {
	const account = email.toLowerCase();
	await db
		.delete(rateLimits)
		.where(
			or(
				sql`starts_with(${rateLimits.key}, ${`sign-in:pair:${account}|`})`,
				sql`starts_with(${rateLimits.key}, ${`sign-in:account:${account}:`})`
			)
		);
}

/** Sets a new password from a reset link or an invitation; every existing session of the account ends. */
export async function setPasswordWithToken(
	db: Db,
	token: string,
	purpose: 'reset_password' | 'invite',
	password: string
) {
	const passwordHash = await hashPassword(password);
	return db.transaction(async (tx) => {
		const used = await consumeAuthToken(tx, token, purpose);
		if (!used) throw new AccountError('token_invalid', 'the link is invalid, used or expired');
		const user = one(
			await tx
				.update(users)
				.set({ passwordHash, emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, now())` })
				.where(eq(users.id, used.userId))
				.returning(),
			'update of users'
		);
		if (user.status !== 'active') throw new AccountError('account_suspended', 'the account is suspended');
		// An account that must sign in with a digital identity gets no password, by invitation or by reset
		// (src/lib/server/identity/service.ts accepts its invitation).
		if (user.identityRequired)
			throw new AccountError('identity_required', 'this invitation asks for a digital identity');
		await invalidateUserSessions(tx, user.id);
		await forgetSignInFailures(tx, user.email);
		await audit(
			tx,
			{ id: user.id, label: user.email },
			purpose === 'invite' ? 'user.accept_invite' : 'user.reset_password',
			user.id,
			{ provinceCode: user.provinceCode }
		);
		return user;
	});
}

// ---------- the account page ----------

export async function checkCurrentPassword(
	db: Queryable,
	userId: string,
	password: string
): Promise<UserRow> {
	const [user] = await db.select().from(users).where(eq(users.id, userId));
	if (!user?.passwordHash || !(await verifyPassword(user.passwordHash, password)))
		throw new AccountError('wrong_password', 'the current password is wrong', 'currentPassword');
	return user;
}

/** New password; every other session of the account ends, the one in use stays. */
export async function changePassword(
	db: Db,
	userId: string,
	input: { currentPassword: string; password: string },
	keepSessionId: string
): Promise<void> {
	const user = await checkCurrentPassword(db, userId, input.currentPassword);
	const passwordHash = await hashPassword(input.password);
	await db.transaction(async (tx) => {
		await tx.update(users).set({ passwordHash }).where(eq(users.id, userId));
		await tx.delete(sessions).where(and(eq(sessions.userId, userId), ne(sessions.id, keepSessionId)));
		await audit(tx, { id: userId, label: user.email }, 'user.change_password', userId);
	});
}

/** Sends a confirmation link to the new address; the email changes only when it is followed. */
export async function requestEmailChange(
	db: Db,
	userId: string,
	input: { email: string; currentPassword: string },
	origin: string
): Promise<void> {
	const user = await checkCurrentPassword(db, userId, input.currentPassword);
	await db.transaction(async (tx) => {
		await assertEmailFree(tx, input.email);
		const token = await issueAuthToken(tx, userId, 'change_email', { newEmail: input.email });
		await enqueueEmail(
			tx,
			accountEmail('change_email', input.email, user.locale, link(origin, '/verify-email', token))
		);
	});
}

export async function confirmEmailChange(db: Db, token: string) {
	let newEmail = '';
	try {
		return await db.transaction(async (tx) => {
			const used = await consumeAuthToken(tx, token, 'change_email');
			if (!used?.newEmail) throw new AccountError('token_invalid', 'the link is invalid, used or expired');
			newEmail = used.newEmail;
			const before = one(await tx.select().from(users).where(eq(users.id, used.userId)), 'select from users');
			const user = one(
				await tx
					.update(users)
					.set({ email: newEmail, emailVerifiedAt: new Date() })
					.where(eq(users.id, used.userId))
					.returning(),
				'update of users'
			);
			await audit(tx, { id: user.id, label: newEmail }, 'user.change_email', user.id, {
				before: { email: before.email },
				after: { email: newEmail }
			});
			return user;
		});
	} catch (error) {
		rethrowEmailTaken(error, newEmail);
	}
}

export async function setLocale(db: Queryable, userId: string, locale: 'th' | 'en'): Promise<void> {
	await db.update(users).set({ locale }).where(eq(users.id, userId));
}

// ---------- administration ----------

/**
 * An officer account for one province, waiting for its owner to set a password through the emailed link.
 * Bangkok has no provincial office: admins act for it.
 */
export async function inviteOfficer(
	db: Db,
	actor: AuditActor,
	input: { email: string; provinceCode: string; identityRequired?: boolean },
	origin: string
) {
	try {
		return await db.transaction(async (tx) => {
			const [province] = await tx.select().from(provinces).where(eq(provinces.code, input.provinceCode));
			if (!province) throw new AccountError('province_unknown', 'no such province', 'provinceCode');
			if (!province.hasIndustryOffice)
				throw new AccountError('province_has_no_office', 'this province has no office', 'provinceCode');
			await assertEmailFree(tx, input.email);
			const officer = one(
				await tx
					.insert(users)
					.values({
						email: input.email,
						role: 'officer',
						provinceCode: province.code,
						identityRequired: input.identityRequired ?? false
					})
					.returning(),
				'insert into users'
			);
			const token = await issueAuthToken(tx, officer.id, 'invite');
			await enqueueEmail(
				tx,
				accountEmail('invite', officer.email, officer.locale, link(origin, '/invite', token), {
					province: inLanguage(officer.locale, province.nameTh, province.nameEn)
				})
			);
			await audit(tx, actor, 'user.invite_officer', officer.id, {
				provinceCode: province.code,
				after: {
					email: officer.email,
					role: 'officer',
					provinceCode: province.code,
					...(officer.identityRequired ? { identityRequired: true } : {})
				}
			});
			return officer;
		});
	} catch (error) {
		rethrowEmailTaken(error, input.email);
	}
}

/** Suspends or restores an account; a suspension ends every session at once. */
export async function setUserStatus(
	db: Db,
	actor: AuditActor,
	userId: string,
	status: 'active' | 'suspended'
) {
	if (actor.id === userId) throw new AccountError('not_allowed', 'you cannot suspend your own account');
	return db.transaction(async (tx) => {
		const [before] = await tx.select().from(users).where(eq(users.id, userId)).for('update');
		if (!before) throw new AccountError('not_found', 'no such account');
		if (before.status === status) return before;
		const user = one(
			await tx.update(users).set({ status }).where(eq(users.id, userId)).returning(),
			'update of users'
		);
		if (status === 'suspended') await invalidateUserSessions(tx, userId);
		await audit(tx, actor, status === 'suspended' ? 'user.suspend' : 'user.reactivate', userId, {
			provinceCode: user.provinceCode,
			before: { status: before.status },
			after: { status }
		});
		return user;
	});
}

/**
 * Moves staff between roles (officer of a province ↔ admin). The account's sessions end, so the next
 * sign-in starts a fresh session with the new rights.
 */
export async function changeStaffRole(
	db: Db,
	actor: AuditActor,
	userId: string,
	target: { role: 'admin'; provinceCode?: null } | { role: 'officer'; provinceCode: string }
) {
	return db.transaction(async (tx) => {
		const [before] = await tx.select().from(users).where(eq(users.id, userId)).for('update');
		if (!before) throw new AccountError('not_found', 'no such account');
		if (before.role !== 'officer' && before.role !== 'admin')
			throw new AccountError('not_allowed', 'only staff accounts change role');
		if (target.role === 'officer') {
			const [province] = await tx.select().from(provinces).where(eq(provinces.code, target.provinceCode));
			if (!province) throw new AccountError('province_unknown', 'no such province', 'provinceCode');
			if (!province.hasIndustryOffice)
				throw new AccountError('province_has_no_office', 'this province has no office', 'provinceCode');
		}
		const provinceCode = target.role === 'officer' ? target.provinceCode : null;
		const user = one(
			await tx.update(users).set({ role: target.role, provinceCode }).where(eq(users.id, userId)).returning(),
			'update of users'
		);
		await invalidateUserSessions(tx, userId);
		await audit(tx, actor, 'user.change_role', userId, {
			provinceCode: provinceCode ?? before.provinceCode,
			before: { role: before.role, provinceCode: before.provinceCode },
			after: { role: user.role, provinceCode }
		});
		return user;
	});
}
