// Acting in public needs an address its owner has confirmed: publishing a demand (which mails the matched
// startups), offering and reporting. An account made with someone else's address, or a throwaway one, can sign
// in but not do these.
import { eq } from 'drizzle-orm';
import type { Queryable } from '../db';
import { users } from '../db/schema';
import { UserError } from '../errors';

/** Read from the database, not the session: a confirmation in another tab counts at once. */
export async function requireConfirmedEmail(db: Queryable, userId: string): Promise<void> {
	const [row] = await db
		.select({ verifiedAt: users.emailVerifiedAt })
		.from(users)
		.where(eq(users.id, userId));
	if (!row?.verifiedAt)
		throw new UserError('email_unconfirmed', 'confirm the email address first', { status: 403 });
}
