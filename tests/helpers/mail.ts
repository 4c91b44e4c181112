// Reads what the portal queued for an address, the way a person reads their inbox.
import { desc, eq } from 'drizzle-orm';
import type { Queryable } from '$lib/server/db';
import { emailOutbox } from '$lib/server/db/schema';

export async function lastEmailTo(db: Queryable, to: string) {
	const [row] = await db
		.select()
		.from(emailOutbox)
		.where(eq(emailOutbox.toAddress, to))
		.orderBy(desc(emailOutbox.createdAt))
		.limit(1);
	if (!row) throw new Error(`no email to ${to}`);
	return row;
}

/** The token of the last link mailed to `to` (the part after ?token=). */
export async function lastTokenTo(db: Queryable, to: string): Promise<string> {
	const email = await lastEmailTo(db, to);
	const match = /[?&]token=([a-z2-7]+)/.exec(email.bodyText);
	if (!match) throw new Error(`the last email to ${to} has no link`);
	return match[1]!;
}
