// Account creation rules that do not depend on the web: used by the CLI now, by sign-up and invites later.
import { sql } from 'drizzle-orm';
import type { Db } from '../db';
import { auditEvents, users } from '../db/schema';
import { hashPassword } from '../auth/password';
import { emailSchema, passwordSchema } from '$lib/schemas/account';

export class AccountError extends Error {
	constructor(
		readonly code: 'invalid_email' | 'weak_password' | 'email_taken',
		message: string
	) {
		super(message);
		this.name = 'AccountError';
	}
}

export async function createAdmin(db: Db, input: { email: string; password: string }, actorLabel: string) {
	const email = emailSchema.safeParse(input.email);
	if (!email.success)
		throw new AccountError('invalid_email', `"${input.email}" is not a valid email address`);
	if (!passwordSchema.safeParse(input.password).success) {
		throw new AccountError('weak_password', 'the password must be 10 to 256 characters long');
	}
	const passwordHash = await hashPassword(input.password);
	return db.transaction(async (tx) => {
		const [existing] = await tx
			.select({ id: users.id })
			.from(users)
			.where(sql`lower(${users.email}) = ${email.data}`);
		if (existing) throw new AccountError('email_taken', `an account with ${email.data} already exists`);
		const [admin] = await tx
			.insert(users)
			.values({ email: email.data, passwordHash, role: 'admin', emailVerifiedAt: new Date() })
			.returning({ id: users.id, email: users.email });
		await tx.insert(auditEvents).values({
			actorLabel,
			action: 'user.create_admin',
			subjectType: 'user',
			subjectId: admin!.id,
			after: { email: admin!.email, role: 'admin' }
		});
		return admin!;
	});
}
