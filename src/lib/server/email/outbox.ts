// Mail leaves through a table: a message is written in the same transaction as the change that causes it,
// and a worker hands it to the transport (SMTP, or the log) afterwards, retrying when that fails.
import { and, asc, isNull, lt, sql } from 'drizzle-orm';
import type { Db, Queryable } from '../db';
import { emailOutbox } from '../db/schema';
import type { MailTransport } from './transport';
import { repeatEvery } from '../repeat';

export interface OutgoingEmail {
	to: string;
	subject: string;
	bodyText: string;
	locale: 'th' | 'en';
}

/** Gives up on a message after this many failed sends; it stays in the table with its last error. */
export const MAX_EMAIL_ATTEMPTS = 8;

export async function enqueueEmail(db: Queryable, email: OutgoingEmail): Promise<void> {
	await db.insert(emailOutbox).values({
		toAddress: email.to,
		subject: email.subject,
		bodyText: email.bodyText,
		locale: email.locale
	});
}

/** Sends up to `limit` waiting messages; rows are locked so two workers never send the same one. */
export async function drainEmailOutboxOnce(
	db: Db,
	transport: MailTransport,
	limit = 20
): Promise<{ sent: number; failed: number }> {
	return db.transaction(async (tx) => {
		const batch = await tx
			.select()
			.from(emailOutbox)
			.where(and(isNull(emailOutbox.sentAt), lt(emailOutbox.attempts, MAX_EMAIL_ATTEMPTS)))
			.orderBy(asc(emailOutbox.createdAt))
			.limit(limit)
			.for('update', { skipLocked: true });
		let sent = 0;
		let failed = 0;
		for (const row of batch) {
			try {
				await transport.send({
					to: row.toAddress,
					subject: row.subject,
					bodyText: row.bodyText,
					locale: row.locale
				});
				await tx
					.update(emailOutbox)
					.set({ sentAt: new Date(), attempts: row.attempts + 1, lastError: null })
					.where(sql`${emailOutbox.id} = ${row.id}`);
				sent++;
			} catch (error) {
				await tx
					.update(emailOutbox)
					.set({ attempts: row.attempts + 1, lastError: String(error).slice(0, 500) })
					.where(sql`${emailOutbox.id} = ${row.id}`);
				failed++;
			}
		}
		return { sent, failed };
	});
}

export function startEmailWorker(
	db: Db,
	transport: MailTransport,
	{ intervalMs = 1_000, log = console.error }: { intervalMs?: number; log?: (message: string) => void } = {}
) {
	return repeatEvery(
		intervalMs,
		async () => {
			const { failed } = await drainEmailOutboxOnce(db, transport);
			if (failed > 0) log(`[mail] ${failed} message(s) could not be sent; retrying`);
		},
		(error) => log(`[mail] outbox check failed: ${String(error)}`)
	);
}
