// Mail leaves through a table: a message is written in the same transaction as the change that causes it, and a
// worker hands it to the transport (SMTP, or the log) afterwards. A failed send is tried again later and later
// (a greylisting server's "421 try later" or an outage of an hour delays mail, it does not lose it), and sending
// happens outside any database transaction, so a slow SMTP server holds no locks or connections.
import { and, isNotNull, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db, Queryable } from '../db';
import { emailOutbox } from '../db/schema';
import type { MailTransport, OutgoingEmail } from './transport';
import { repeatEvery } from '../background-jobs';
import { MAX_EMAIL_ATTEMPTS } from './attempts';
import { drainOutbox, type DrainOptions, type OutboxChannel } from '../outbox/drain';

export type { OutgoingEmail };
export { MAX_EMAIL_ATTEMPTS };

const FIRST_RETRY_MS = 60_000;
const LONGEST_WAIT_MS = 2 * 60 * 60_000;
/** How long a worker holds a message it took: one that dies mid-send leaves it due again after this. */
const SENDING_LEASE_MS = 5 * 60_000;

/** The wait after the `attempts`-th failure: one minute, doubling, at most two hours. */
export function retryDelayMs(attempts: number): number {
	return Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1), LONGEST_WAIT_MS);
}

const outboxRow = (email: OutgoingEmail) => ({
	toAddress: email.to,
	subject: email.subject,
	bodyText: email.bodyText,
	locale: email.locale,
	headers: email.headers ?? null
});

export async function enqueueEmail(db: Queryable, email: OutgoingEmail): Promise<void> {
	await db.insert(emailOutbox).values(outboxRow(email));
}

/** Many messages in one insert (callers keep batches to a few hundred rows). */
export async function enqueueEmails(db: Queryable, emails: OutgoingEmail[]): Promise<void> {
	if (emails.length > 0) await db.insert(emailOutbox).values(emails.map(outboxRow));
}

/** Mail's rules for the shared drain (../outbox/drain.ts): backoff up to two hours, given up after 12 tries. */
const mailOutboxChannel = (transport: MailTransport): OutboxChannel<typeof emailOutbox> => ({
	table: emailOutbox,
	maxAttempts: MAX_EMAIL_ATTEMPTS,
	retryDelayMs,
	leaseMs: SENDING_LEASE_MS,
	send: (row) =>
		transport.send({
			to: row.toAddress,
			subject: row.subject,
			bodyText: row.bodyText,
			locale: row.locale,
			headers: row.headers ?? undefined
		}),
	sentValues: () => ({ lastError: null })
});

/**
 * Sends up to `limit` messages that are due. They are taken in a short transaction (rows locked, skipped by
 * other workers, their next attempt moved past the sending lease), then sent with no transaction open.
 */
export function drainEmailOutboxOnce(
	db: Db,
	transport: MailTransport,
	options: DrainOptions = {}
): Promise<{ sent: number; failed: number }> {
	return drainOutbox(db, mailOutboxChannel(transport), options);
}

/** Sent mail holds links that open accounts: by default kept a day (RETENTION_SENT_MAIL_DAYS), then deleted. */
export const KEEP_SENT_MAIL_MS = 24 * 60 * 60_000;
/** Mail that could not be delivered stays longer, so an operator can see what failed and why. */
export const KEEP_UNDELIVERED_MAIL_MS = 30 * 24 * 60 * 60_000;

export async function pruneEmailOutbox(
	db: Queryable,
	now = new Date(),
	keepSentMs = KEEP_SENT_MAIL_MS
): Promise<number> {
	const removed = await db
		.delete(emailOutbox)
		.where(
			or(
				and(isNotNull(emailOutbox.sentAt), lt(emailOutbox.sentAt, new Date(now.getTime() - keepSentMs))),
				and(
					isNull(emailOutbox.sentAt),
					sql`${emailOutbox.attempts} >= ${MAX_EMAIL_ATTEMPTS}`,
					lt(emailOutbox.createdAt, new Date(now.getTime() - KEEP_UNDELIVERED_MAIL_MS))
				)
			)
		)
		.returning({ id: emailOutbox.id });
	return removed.length;
}

export function startEmailWorker(
	db: Db,
	transport: MailTransport,
	{ intervalMs = 1_000, log = console.error }: { intervalMs?: number; log?: (message: string) => void } = {}
) {
	return repeatEvery(
		'mail',
		intervalMs,
		async () => {
			const { failed } = await drainEmailOutboxOnce(db, transport);
			if (failed > 0) log(`[mail] ${failed} message(s) could not be sent; tried again later`);
		},
		(error) => log(`[mail] outbox check failed: ${String(error)}`)
	);
}
