// Account rules against a real database: sign-up, sign-in, email links, invitations, suspension, roles.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	changePassword,
	changeStaffRole,
	createAdmin,
	confirmEmailChange,
	inviteOfficer,
	RATE_LIMITS,
	requestEmailChange,
	requestPasswordReset,
	setPasswordWithToken,
	setUserStatus,
	signIn,
	signUp,
	verifyEmail,
	type SignUp
} from '$lib/server/accounts/service';
import { createSession, generateSessionToken, validateSessionToken } from '$lib/server/auth/session';
import { consumeAuthToken, issueAuthToken, TOKEN_LIFETIME_MS } from '$lib/server/auth/tokens';
import * as schema from '$lib/server/db/schema';
import { buildUser } from '../factories';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { lastEmailTo, lastTokenTo } from '../helpers/mail';
import { codeOf } from '../helpers/errors';

let database: TestDatabase;
beforeAll(async () => {
	database = await createTestDatabase();
});
afterAll(async () => {
	await database?.dispose();
});

const origin = 'http://portal.test';
let counter = 0;
const nextAddress = () => `10.0.0.${++counter}`;
const signUpInput = (overrides: Partial<SignUp> = {}): SignUp => ({
	accountType: 'startup',
	organisationName: 'ไร่กาแฟดอยสะเก็ด',
	provinceCode: 'TH-50',
	email: `owner-${++counter}@example.org`,
	password: 'a long enough passphrase',
	locale: 'th',
	...overrides
});

const admin = { id: null, label: 'test-admin' };

describe('sign-up', () => {
	it('creates the organisation and the user, and mails a Thai verification link in one transaction', async () => {
		const { db } = database;
		const user = await signUp(db, signUpInput({ email: 'Farm@Example.org'.toLowerCase() }), {
			origin,
			address: nextAddress()
		});
		expect(user.role).toBe('startup');
		expect(user.emailVerifiedAt).toBeNull();
		const [organisation] = await db
			.select()
			.from(schema.organisations)
			.where(eq(schema.organisations.id, user.organisationId!));
		expect(organisation).toMatchObject({ kind: 'startup', provinceCode: 'TH-50' });
		const email = await lastEmailTo(db, 'farm@example.org');
		expect(email.locale).toBe('th');
		expect(email.subject).toBe('ยืนยันอีเมลของคุณ');
		expect(email.bodyText).toContain(`${origin}/verify-email?token=`);
		const token = await lastTokenTo(db, 'farm@example.org');
		const stored = await db.select().from(schema.authTokens);
		expect(JSON.stringify(stored)).not.toContain(token);
	});

	it('refuses a taken email in any letter case, leaving no orphan organisation', async () => {
		const { db } = database;
		const input = signUpInput();
		await signUp(db, input, { origin, address: nextAddress() });
		const before = await db.$count(schema.organisations);
		expect(
			await codeOf(
				signUp(db, { ...input, email: input.email.toUpperCase() }, { origin, address: nextAddress() })
			)
		).toBe('email_taken');
		expect(await db.$count(schema.organisations)).toBe(before);
		// The owner hears of it, in their language, with the ways back in.
		const told = await lastEmailTo(db, input.email);
		expect(told.subject).toBe('มีผู้พยายามสมัครบัญชีด้วยอีเมลของคุณ');
		expect(told.bodyText).toContain(`${origin}/sign-in`);
		expect(told.bodyText).toContain(`${origin}/forgot-password`);
	});

	it('refuses an unknown province and writes nothing', async () => {
		const { db } = database;
		const before = await db.$count(schema.users);
		expect(
			await codeOf(signUp(db, signUpInput({ provinceCode: 'TH-99' }), { origin, address: nextAddress() }))
		).toBe('province_unknown');
		expect(await db.$count(schema.users)).toBe(before);
	});

	it('writes buyers in English with an English email', async () => {
		const { db } = database;
		const user = await signUp(db, signUpInput({ accountType: 'buyer', provinceCode: null, locale: 'en' }), {
			origin,
			address: nextAddress()
		});
		expect(user.role).toBe('buyer');
		expect((await lastEmailTo(db, user.email)).subject).toBe('Confirm your email address');
	});
});

describe('sign-in', () => {
	it('answers an unknown email exactly like a wrong password', async () => {
		const { db } = database;
		const input = signUpInput();
		await signUp(db, input, { origin, address: nextAddress() });
		const address = nextAddress();
		const unknown = await codeOf(
			signIn(db, { email: 'nobody@example.org', password: 'whatever123' }, { address })
		);
		const wrong = await codeOf(signIn(db, { email: input.email, password: 'not the password' }, { address }));
		expect(unknown).toBe('invalid_credentials');
		expect(wrong).toBe(unknown);
		const user = await signIn(
			db,
			{ email: input.email.toUpperCase(), password: input.password },
			{ address }
		);
		expect(user.email).toBe(input.email);
	});

	it('slows a guesser at their own address; the owner, officers and admins included, still signs in from theirs', async () => {
		const { db } = database;
		const owner = await createAdmin(
			db,
			{ email: `admin-${++counter}@example.org`, password: 'a long enough passphrase' },
			'test'
		);
		const attacker = nextAddress();
		const codes = [];
		// More tries than the pair's quarter-hour limit: the first minute's step already stops them.
		for (let i = 0; i <= RATE_LIMITS.signInPerPair[1]!.limit + 5; i++)
			codes.push(
				await codeOf(signIn(db, { email: owner.email, password: 'wrong password' }, { address: attacker }))
			);
		const allowed = RATE_LIMITS.signInPerPair[0]!.limit;
		expect(codes.slice(0, allowed).every((code) => code === 'invalid_credentials')).toBe(true);
		expect(codes.slice(allowed).every((code) => code === 'rate_limited')).toBe(true);
		// Even the right password from the attacker's address waits.
		expect(
			await codeOf(
				signIn(db, { email: owner.email, password: 'a long enough passphrase' }, { address: attacker })
			)
		).toBe('rate_limited');
		const signedIn = await signIn(
			db,
			{ email: owner.email, password: 'a long enough passphrase' },
			{ address: nextAddress() }
		);
		expect(signedIn.id).toBe(owner.id);
	});

	it('counts only failures: an office whose staff share one address signs in all morning', async () => {
		const { db } = database;
		const office = nextAddress();
		const owner = await createAdmin(
			db,
			{ email: `admin-${++counter}@example.org`, password: 'a long enough passphrase' },
			'test'
		);
		// More successful sign-ins than the address's and the pair's quarter-hour limits.
		const times = RATE_LIMITS.signInPerAddress[0]!.limit + 2;
		for (let i = 0; i < times; i++)
			expect(
				(await signIn(db, { email: owner.email, password: 'a long enough passphrase' }, { address: office }))
					.id
			).toBe(owner.id);
		// Failures from there still count.
		const codes = [];
		for (let i = 0; i <= RATE_LIMITS.signInPerPair[0]!.limit; i++)
			codes.push(await codeOf(signIn(db, { email: owner.email, password: 'wrong' }, { address: office })));
		expect(codes.at(-1)).toBe('rate_limited');
	});

	it('limits one account guessed from many addresses much more loosely', async () => {
		const { db } = database;
		const input = signUpInput();
		await signUp(db, input, { origin, address: nextAddress() });
		const wrong = { email: input.email, password: 'wrong password' };
		const { limit } = RATE_LIMITS.signInPerAccount[0]!;
		expect(limit).toBeGreaterThan(5 * RATE_LIMITS.signInPerPair[1]!.limit);
		for (let i = 0; i < limit; i++)
			expect(await codeOf(signIn(db, wrong, { address: `10.1.${i >> 8}.${i & 255}` }))).toBe(
				'invalid_credentials'
			);
		expect(await codeOf(signIn(db, input, { address: nextAddress() }))).toBe('rate_limited');
		// Following a reset link proves the owner reads the account's mail: the count no longer holds them back.
		await requestPasswordReset(db, input.email, { origin, address: nextAddress() });
		await setPasswordWithToken(db, await lastTokenTo(db, input.email), 'reset_password', input.password);
		expect((await signIn(db, input, { address: nextAddress() })).email).toBe(input.email);
	});

	it('limits one address spraying many accounts', async () => {
		const { db } = database;
		const address = nextAddress();
		const codes = [];
		for (let i = 0; i <= RATE_LIMITS.signInPerAddress[0]!.limit; i++) {
			codes.push(await codeOf(signIn(db, { email: `spray-${i}@example.org`, password: 'x' }, { address })));
		}
		expect(codes.slice(0, -1).every((code) => code === 'invalid_credentials')).toBe(true);
		expect(codes.at(-1)).toBe('rate_limited');
	});

	it('refuses a suspended account once the password is right', async () => {
		const { db } = database;
		const input = signUpInput();
		const user = await signUp(db, input, { origin, address: nextAddress() });
		await setUserStatus(db, admin, user.id, 'suspended');
		expect(await codeOf(signIn(db, input, { address: nextAddress() }))).toBe('account_suspended');
	});
});

describe('email links', () => {
	it('verifies an email once; the same link then fails', async () => {
		const { db } = database;
		const user = await signUp(db, signUpInput(), { origin, address: nextAddress() });
		const token = await lastTokenTo(db, user.email);
		expect((await verifyEmail(db, token)).emailVerifiedAt).toBeInstanceOf(Date);
		expect(await codeOf(verifyEmail(db, token))).toBe('token_invalid');
	});

	it('expires a reset link after one hour', async () => {
		const { db } = database;
		const user = await buildUser(db);
		expect(TOKEN_LIFETIME_MS.reset_password).toBe(60 * 60 * 1000);
		const issued = new Date('2026-03-01T08:00:00Z');
		const token = await issueAuthToken(db, user.id, 'reset_password', { now: issued });
		const late = new Date(issued.getTime() + TOKEN_LIFETIME_MS.reset_password + 1);
		expect(await consumeAuthToken(db, token, 'reset_password', late)).toBeNull();
		const fresh = await issueAuthToken(db, user.id, 'reset_password', { now: issued });
		expect(await consumeAuthToken(db, fresh, 'verify_email', issued)).toBeNull();
		expect(await consumeAuthToken(db, fresh, 'reset_password', issued)).toEqual({
			userId: user.id,
			newEmail: null
		});
	});

	it('sends a member who signed up with a digital identity (no password) a reset, not an officer’s invitation', async () => {
		const { db } = database;
		const input = signUpInput();
		const user = await signUp(db, input, { origin, address: nextAddress() });
		await db.update(schema.users).set({ passwordHash: null }).where(eq(schema.users.id, user.id));
		await requestPasswordReset(db, input.email, { origin, address: nextAddress() });
		expect((await lastEmailTo(db, input.email)).bodyText).toContain('/reset-password?token=');
		// An account that must use its digital identity is given no password that way either.
		await db.update(schema.users).set({ identityRequired: true }).where(eq(schema.users.id, user.id));
		expect(
			await codeOf(
				setPasswordWithToken(db, await lastTokenTo(db, input.email), 'reset_password', 'a new passphrase')
			)
		).toBe('identity_required');
	});

	it('resets a password with the mailed link, ends every session, and only the newest link works', async () => {
		const { db } = database;
		const input = signUpInput();
		const user = await signUp(db, input, { origin, address: nextAddress() });
		const sessionToken = generateSessionToken();
		await createSession(db, sessionToken, user.id);
		await requestPasswordReset(db, input.email, { origin, address: nextAddress() });
		const first = await lastTokenTo(db, input.email);
		await requestPasswordReset(db, input.email, { origin, address: nextAddress() });
		const second = await lastTokenTo(db, input.email);
		expect(await codeOf(setPasswordWithToken(db, first, 'reset_password', 'brand new passphrase'))).toBe(
			'token_invalid'
		);
		await setPasswordWithToken(db, second, 'reset_password', 'brand new passphrase');
		expect((await validateSessionToken(db, sessionToken)).session).toBeNull();
		expect(await codeOf(signIn(db, input, { address: nextAddress() }))).toBe('invalid_credentials');
		const again = await signIn(
			db,
			{ ...input, password: 'brand new passphrase' },
			{ address: nextAddress() }
		);
		expect(again.id).toBe(user.id);
	});

	it("an attacker using up reset requests for an account leaves the owner's own reset possible", async () => {
		const { db } = database;
		const input = signUpInput();
		await signUp(db, input, { origin, address: nextAddress() });
		const attacker = nextAddress();
		const codes = [];
		for (let i = 0; i <= RATE_LIMITS.resetPerPair[0]!.limit; i++)
			codes.push(await codeOf(requestPasswordReset(db, input.email, { origin, address: attacker })));
		expect(codes.slice(0, -1).every((code) => code === 'ok')).toBe(true);
		expect(codes.at(-1)).toBe('rate_limited');
		const before = await lastEmailTo(db, input.email);
		expect(await codeOf(requestPasswordReset(db, input.email, { origin, address: nextAddress() }))).toBe(
			'ok'
		);
		const after = await lastEmailTo(db, input.email);
		expect(after.id).not.toBe(before.id);
		expect(after.bodyText).toContain('/reset-password?token=');
	});

	it('queues nothing for an unknown address but answers the same', async () => {
		const { db } = database;
		const before = await db.$count(schema.emailOutbox);
		await requestPasswordReset(db, 'stranger@example.org', { origin, address: nextAddress() });
		expect(await db.$count(schema.emailOutbox)).toBe(before);
	});

	it('changes the email only when the link sent to the new address is followed', async () => {
		const { db } = database;
		const input = signUpInput();
		const user = await signUp(db, input, { origin, address: nextAddress() });
		expect(
			await codeOf(
				requestEmailChange(db, user.id, { email: 'new@example.org', currentPassword: 'wrong one!' }, origin)
			)
		).toBe('wrong_password');
		await requestEmailChange(
			db,
			user.id,
			{ email: 'new@example.org', currentPassword: input.password },
			origin
		);
		const [unchanged] = await db.select().from(schema.users).where(eq(schema.users.id, user.id));
		expect(unchanged!.email).toBe(input.email);
		const changed = await confirmEmailChange(db, await lastTokenTo(db, 'new@example.org'));
		expect(changed.email).toBe('new@example.org');
		expect(changed.emailVerifiedAt).toBeInstanceOf(Date);
	});
});

describe('account page rules', () => {
	it('changes the password, keeping only the session in use', async () => {
		const { db } = database;
		const input = signUpInput();
		const user = await signUp(db, input, { origin, address: nextAddress() });
		const here = generateSessionToken();
		const elsewhere = generateSessionToken();
		const current = await createSession(db, here, user.id);
		await createSession(db, elsewhere, user.id);
		expect(
			await codeOf(
				changePassword(db, user.id, { currentPassword: 'wrong guess!', password: 'x'.repeat(12) }, current.id)
			)
		).toBe('wrong_password');
		await changePassword(
			db,
			user.id,
			{ currentPassword: input.password, password: 'another long phrase' },
			current.id
		);
		expect((await validateSessionToken(db, here)).session).not.toBeNull();
		expect((await validateSessionToken(db, elsewhere)).session).toBeNull();
	});
});

describe('staff', () => {
	it('invites an officer for a province with an office, never Bangkok', async () => {
		const { db } = database;
		expect(
			await codeOf(inviteOfficer(db, admin, { email: 'bkk@example.org', provinceCode: 'TH-10' }, origin))
		).toBe('province_has_no_office');
		const officer = await inviteOfficer(
			db,
			admin,
			{ email: 'cm@example.org', provinceCode: 'TH-50' },
			origin
		);
		expect(officer).toMatchObject({ role: 'officer', provinceCode: 'TH-50', passwordHash: null });
		// Until the invitation is accepted nobody can sign in as the officer.
		expect(
			await codeOf(
				signIn(db, { email: 'cm@example.org', password: 'anything at all' }, { address: nextAddress() })
			)
		).toBe('invalid_credentials');
		const token = await lastTokenTo(db, 'cm@example.org');
		expect((await lastEmailTo(db, 'cm@example.org')).bodyText).toContain('เชียงใหม่');
		await setPasswordWithToken(db, token, 'invite', 'officer passphrase');
		const signedIn = await signIn(
			db,
			{ email: 'cm@example.org', password: 'officer passphrase' },
			{ address: nextAddress() }
		);
		expect(signedIn.emailVerifiedAt).toBeInstanceOf(Date);
		const [event] = await db
			.select()
			.from(schema.auditEvents)
			.where(eq(schema.auditEvents.action, 'user.invite_officer'));
		expect(event).toMatchObject({ actorLabel: 'test-admin', provinceCode: 'TH-50', subjectId: officer.id });
	});

	it('ends every session of a suspended account at once', async () => {
		const { db } = database;
		const user = await buildUser(db, { role: 'admin' });
		const tokens = [generateSessionToken(), generateSessionToken()];
		for (const token of tokens) await createSession(db, token, user.id);
		await setUserStatus(db, admin, user.id, 'suspended');
		for (const token of tokens) expect((await validateSessionToken(db, token)).session).toBeNull();
		expect(await db.$count(schema.sessions, eq(schema.sessions.userId, user.id))).toBe(0);
	});

	it('refuses to let an admin suspend themselves', async () => {
		const { db } = database;
		const user = await buildUser(db, { role: 'admin' });
		expect(await codeOf(setUserStatus(db, { id: user.id, label: user.email }, user.id, 'suspended'))).toBe(
			'not_allowed'
		);
	});

	it('ends the sessions of staff whose role or province changes', async () => {
		const { db } = database;
		const officer = await buildUser(db, { role: 'officer', provinceCode: 'TH-50' });
		const token = generateSessionToken();
		await createSession(db, token, officer.id);
		const moved = await changeStaffRole(db, admin, officer.id, { role: 'officer', provinceCode: 'TH-52' });
		expect(moved.provinceCode).toBe('TH-52');
		expect((await validateSessionToken(db, token)).session).toBeNull();
		const promoted = await changeStaffRole(db, admin, officer.id, { role: 'admin' });
		expect(promoted).toMatchObject({ role: 'admin', provinceCode: null });
		expect(
			await codeOf(changeStaffRole(db, admin, officer.id, { role: 'officer', provinceCode: 'TH-10' }))
		).toBe('province_has_no_office');
	});
});
