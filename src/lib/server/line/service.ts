// Who receives what on LINE: a person's choices and the consent they are (given and withdrawn with the notice's
// version, in PDPA's one record of consent, purpose `line_notifications`), the follow state LINE's webhook reports,
// and the messages notify() queues for those who chose a kind.
import { and, asc, eq, inArray, isNull, lte } from 'drizzle-orm';
import type { Db, Queryable } from '../db';
import { consents, lineFollowers, lineNotificationSettings, userIdentities } from '../db/schema';
import { UserError } from '../errors';
import { recordConsent, withdrawConsent } from '../privacy/consents';
import { lineChannel } from './config';
import { enqueueLineMessages } from './outbox';
import { LINE_CONSENT_NOTICE_VERSION, LINE_TEXT_LIMIT, lineTopicOf, type LineTopic } from '$lib/line';
import { notificationText, type NotificationKind, type NotificationPayload } from '$lib/notifications';

export interface LineAccount {
	/** The LINE user id of the linked identity, or null when the person has not linked LINE. */
	lineUserId: string | null;
	/** False once LINE reported an unfollow or block; true after a follow; null when LINE has said nothing yet. */
	following: boolean | null;
	topics: LineTopic[];
	consent: { givenAt: Date; noticeVersion: string } | null;
}

export async function lineAccount(db: Queryable, userId: string): Promise<LineAccount> {
	const [[identity], [settings], [consent]] = await Promise.all([
		db
			.select({ subject: userIdentities.subject, following: lineFollowers.following })
			.from(userIdentities)
			.leftJoin(lineFollowers, eq(lineFollowers.lineUserId, userIdentities.subject))
			.where(and(eq(userIdentities.userId, userId), eq(userIdentities.provider, 'line'))),
		db
			.select({ topics: lineNotificationSettings.topics })
			.from(lineNotificationSettings)
			.where(eq(lineNotificationSettings.userId, userId)),
		openConsent(db, userId)
	]);
	return {
		lineUserId: identity?.subject ?? null,
		following: identity?.following ?? null,
		topics: (settings?.topics ?? []) as LineTopic[],
		consent: consent ?? null
	};
}

const PURPOSE = 'line_notifications';
const standing = and(eq(consents.purpose, PURPOSE), isNull(consents.withdrawnAt));

/**
 * What a form that offers LINE alerts may offer: null when no LINE channel is configured (no LINE choice at all),
 * else whether this person has linked LINE (without it, the form points to the account page instead).
 */
export async function lineOffer(
	db: Queryable,
	userId: string | undefined
): Promise<{ linked: boolean } | null> {
	if (!lineChannel()) return null;
	if (!userId) return { linked: false };
	const [identity] = await db
		.select({ id: userIdentities.id })
		.from(userIdentities)
		.where(and(eq(userIdentities.userId, userId), eq(userIdentities.provider, 'line')));
	return { linked: identity !== undefined };
}

function openConsent(db: Queryable, userId: string) {
	return db
		.select({ givenAt: consents.givenAt, noticeVersion: consents.noticeVersion })
		.from(consents)
		.where(and(eq(consents.userId, userId), standing));
}

/**
 * Saves which topics go to LINE. Choosing any is consent to LINE notifications under the current notice: recorded
 * when given (again, under the new version, when the notice changed), and withdrawn when the person chooses none.
 */
export async function saveLineTopics(db: Db, userId: string, topics: LineTopic[], now = new Date()) {
	await db.transaction(async (tx) => {
		const [identity] = await tx
			.select({ id: userIdentities.id })
			.from(userIdentities)
			.where(and(eq(userIdentities.userId, userId), eq(userIdentities.provider, 'line')));
		// Withdrawing stays possible after unlinking; choosing needs a LINE account to send to.
		if (!identity && topics.length > 0) throw new UserError('line_not_linked', 'no LINE identity linked');
		await tx
			.insert(lineNotificationSettings)
			.values({ userId, topics, updatedAt: now })
			.onConflictDoUpdate({ target: lineNotificationSettings.userId, set: { topics, updatedAt: now } });
		// Recording keeps a standing consent under this notice, and replaces one under an older notice.
		if (topics.length > 0)
			await recordConsent(tx, userId, PURPOSE, { version: LINE_CONSENT_NOTICE_VERSION, now });
		else await withdrawConsent(tx, userId, PURPOSE, now);
	});
}

/**
 * Stops every LINE notification and withdraws the consent in force (when the person unlinks their LINE account:
 * a consent given for one LINE account does not pass to the next one they link). Call inside a transaction.
 */
export async function withdrawLineNotifications(db: Queryable, userId: string, now = new Date()) {
	await db
		.update(lineNotificationSettings)
		.set({ topics: [], updatedAt: now })
		.where(eq(lineNotificationSettings.userId, userId));
	await withdrawConsent(db, userId, PURPOSE, now);
}

/** Every consent to LINE notifications a person gave, oldest first, with when it was withdrawn (for PDPA). */
export function lineConsentHistory(db: Queryable, userId: string) {
	return db
		.select({
			noticeVersion: consents.noticeVersion,
			givenAt: consents.givenAt,
			withdrawnAt: consents.withdrawnAt
		})
		.from(consents)
		.where(and(eq(consents.userId, userId), eq(consents.purpose, PURPOSE)))
		.orderBy(asc(consents.givenAt));
}

export interface LineRecipient {
	id: string;
	locale: 'th' | 'en';
}

/**
 * Queues the LINE twin of a notification for each recipient who linked LINE, has not unfollowed or blocked the
 * official account, and chose the kind's topic with consent in force. `force` (notify's channels.line) stands in
 * for the per-kind choice: the caller holds the person's own choice of LINE for what it sends (a saved search's
 * alert); the linked, still-following account is still required.
 */
export async function enqueueLineNotifications(
	db: Queryable,
	recipients: LineRecipient[],
	kind: NotificationKind,
	payload: NotificationPayload,
	origin: string,
	{ force = false }: { force?: boolean } = {}
): Promise<void> {
	const topic = lineTopicOf(kind);
	if (!force && !topic) return;
	const ids = [...new Set(recipients.map((r) => r.id))];
	if (ids.length === 0) return;
	const reachable = await db
		.select({
			userId: userIdentities.userId,
			lineUserId: userIdentities.subject,
			following: lineFollowers.following,
			topics: lineNotificationSettings.topics,
			consentId: consents.id
		})
		.from(userIdentities)
		.leftJoin(lineFollowers, eq(lineFollowers.lineUserId, userIdentities.subject))
		.leftJoin(lineNotificationSettings, eq(lineNotificationSettings.userId, userIdentities.userId))
		// Consent under the LINE notice in force: one given under an older notice waits to be renewed.
		.leftJoin(
			consents,
			and(
				eq(consents.userId, userIdentities.userId),
				standing,
				eq(consents.noticeVersion, LINE_CONSENT_NOTICE_VERSION)
			)
		)
		.where(and(eq(userIdentities.provider, 'line'), inArray(userIdentities.userId, ids)));
	const locales = new Map(recipients.map((r) => [r.id, r.locale]));
	const messages = reachable
		.filter((row) => row.following !== false)
		.filter((row) => force || (row.consentId !== null && (row.topics ?? []).includes(topic!)))
		.map((row) => {
			const locale = locales.get(row.userId)!;
			return {
				userId: row.userId,
				lineUserId: row.lineUserId,
				kind,
				locale,
				text: lineText(kind, payload, locale, origin)
			};
		});
	await enqueueLineMessages(db, messages);
}

/** The message: the notification's title and body in the reader's language, then the link to act on it. */
export function lineText(
	kind: NotificationKind,
	payload: NotificationPayload,
	locale: 'th' | 'en',
	origin: string
): string {
	const { title, body } = notificationText(kind, payload, locale);
	const link = `${origin}${payload.link}`;
	const words = `${title}\n\n${body}`;
	const room = LINE_TEXT_LIMIT - link.length - 2;
	return `${words.length > room ? `${words.slice(0, room - 1)}…` : words}\n\n${link}`;
}

export type LineWebhookEvent = {
	type: string;
	timestamp: number;
	source?: { type?: string; userId?: string };
};

/**
 * Applies follow and unfollow (LINE reports a block as unfollow) to linked people; a LINE user nobody linked, and
 * every other event type, is ignored. An event older than the state it would replace changes nothing.
 */
export async function applyLineEvents(db: Queryable, events: LineWebhookEvent[]): Promise<number> {
	let applied = 0;
	for (const event of events) {
		if (event.type !== 'follow' && event.type !== 'unfollow') continue;
		const lineUserId = event.source?.userId;
		if (!lineUserId) continue;
		const [linked] = await db
			.select({ id: userIdentities.id })
			.from(userIdentities)
			.where(and(eq(userIdentities.provider, 'line'), eq(userIdentities.subject, lineUserId)));
		if (!linked) continue;
		const following = event.type === 'follow';
		const changedAt = new Date(event.timestamp);
		const rows = await db
			.insert(lineFollowers)
			.values({ lineUserId, following, changedAt })
			.onConflictDoUpdate({
				target: lineFollowers.lineUserId,
				set: { following, changedAt },
				setWhere: lte(lineFollowers.changedAt, changedAt)
			})
			.returning({ lineUserId: lineFollowers.lineUserId });
		applied += rows.length;
	}
	return applied;
}
