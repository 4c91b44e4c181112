// In-app notifications and their email and LINE twins, written in the same transaction as the event they report.
// Each recipient gets the text in their own language.
import { and, desc, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Queryable } from '../db';
import { notifications, startups, users } from '../db/schema';
import { enqueueEmail, enqueueEmails } from '../email/outbox';
import type { OutgoingEmail } from '../email/transport';
import { lineChannel } from '../line/config';
import { enqueueLineNotifications } from '../line/service';
import { notificationText, type NotificationKind, type NotificationPayload } from '$lib/notifications';

export interface Recipient {
	id: string;
	email: string;
	locale: 'th' | 'en';
}

const recipientColumns = { id: users.id, email: users.email, locale: users.locale };

export function membersOf(db: Queryable, organisationId: string): Promise<Recipient[]> {
	return db
		.select(recipientColumns)
		.from(users)
		.where(and(eq(users.organisationId, organisationId), eq(users.status, 'active')));
}

/** The active members of each of several startups, in one query: by startup id (none: not in the map). */
export async function membersOfStartups(
	db: Queryable,
	startupIds: string[]
): Promise<Map<string, Recipient[]>> {
	if (startupIds.length === 0) return new Map();
	const rows = await db
		.select({ startupId: startups.id, ...recipientColumns })
		.from(startups)
		.innerJoin(users, eq(users.organisationId, startups.organisationId))
		.where(and(inArray(startups.id, startupIds), eq(users.status, 'active')))
		.orderBy(users.id);
	return Map.groupBy(rows, (row) => row.startupId);
}

/** The officers who act for a province; for Bangkok, which has no office, the administrators. */
export async function officersOf(db: Queryable, provinceCode: string): Promise<Recipient[]> {
	const officers = await db
		.select(recipientColumns)
		.from(users)
		.where(
			and(
				eq(users.role, 'officer'),
				eq(users.provinceCode, provinceCode),
				eq(users.status, 'active'),
				isNotNull(users.passwordHash)
			)
		);
	if (officers.length > 0) return officers;
	return db
		.select(recipientColumns)
		.from(users)
		.where(and(eq(users.role, 'admin'), eq(users.status, 'active')));
}

export interface NotifyOptions {
	/**
	 * Overrides, for this call, where the notification goes besides the in-app list. `email` (default true) sends
	 * or withholds the email; `line: true` sends on LINE to every recipient who linked LINE and still follows the
	 * official account whatever kinds they chose, `line: false` never. Unset: email always, LINE by each person's
	 * per-kind choice.
	 */
	channels?: { email?: boolean; line?: boolean };
	/** Header fields for the email (a saved search's alert carries its one-click List-Unsubscribe). */
	emailHeaders?: Record<string, string>;
}

export async function notify(
	db: Queryable,
	recipients: Recipient[],
	kind: NotificationKind,
	payload: NotificationPayload,
	origin: string,
	options?: NotifyOptions
): Promise<void> {
	if (recipients.length === 0) return;
	await db.insert(notifications).values(recipients.map((r) => ({ userId: r.id, kind, payload })));
	const line = options?.channels?.line;
	if (line !== false && lineChannel())
		await enqueueLineNotifications(db, recipients, kind, payload, origin, { force: line === true });
	if (options?.channels?.email === false) return;
	for (const recipient of recipients)
		await enqueueEmail(db, mailOf(recipient, kind, payload, origin, options?.emailHeaders));
}

/** The email twin of a notification, in the recipient's language, ending with the link to act on it. */
function mailOf(
	recipient: Recipient,
	kind: NotificationKind,
	payload: NotificationPayload,
	origin: string,
	headers: Record<string, string> | undefined
): OutgoingEmail {
	const text = notificationText(kind, payload, recipient.locale);
	return {
		to: recipient.email,
		locale: recipient.locale,
		subject: text.title,
		bodyText: `${text.body}\n\n${origin}${payload.link}`,
		headers
	};
}

export interface Notice {
	recipient: Recipient;
	kind: NotificationKind;
	payload: NotificationPayload;
	options?: NotifyOptions;
}

/** Rows per insert in notifyEach: well under PostgreSQL's 65,535 parameters. */
const NOTICES_PER_INSERT = 500;

/**
 * Many notifications, each with its own recipient, payload and channels, as notify() would send them one by one,
 * but with one insert per batch for the in-app rows and one for the mail (saved-search alerts send thousands).
 */
export async function notifyEach(db: Queryable, notices: Notice[], origin: string): Promise<void> {
	for (let i = 0; i < notices.length; i += NOTICES_PER_INSERT) {
		const batch = notices.slice(i, i + NOTICES_PER_INSERT);
		await db
			.insert(notifications)
			.values(batch.map((n) => ({ userId: n.recipient.id, kind: n.kind, payload: n.payload })));
		if (lineChannel())
			for (const n of batch) {
				const line = n.options?.channels?.line;
				if (line !== false)
					await enqueueLineNotifications(db, [n.recipient], n.kind, n.payload, origin, {
						force: line === true
					});
			}
		await enqueueEmails(
			db,
			batch
				.filter((n) => n.options?.channels?.email !== false)
				.map((n) => mailOf(n.recipient, n.kind, n.payload, origin, n.options?.emailHeaders))
		);
	}
}

export async function listNotifications(db: Queryable, userId: string, limit = 50) {
	return db
		.select()
		.from(notifications)
		.where(eq(notifications.userId, userId))
		.orderBy(desc(notifications.createdAt))
		.limit(limit);
}

export async function unreadCount(db: Queryable, userId: string): Promise<number> {
	return db.$count(notifications, and(eq(notifications.userId, userId), isNull(notifications.readAt)));
}

export async function markAllRead(db: Queryable, userId: string): Promise<void> {
	await db
		.update(notifications)
		.set({ readAt: sql`now()` })
		.where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
}
