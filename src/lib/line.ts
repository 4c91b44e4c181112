// The notifications a person may choose to receive on LINE, grouped the way the account page offers them, and the
// version of the notice they consent to. Each topic names the notification kinds (src/lib/notifications.ts) it
// carries; a kind in no topic never goes to LINE unless a caller asks for it (notify's `channels` option).
import type { NotificationKind } from './notifications';

export const LINE_TOPICS = {
	// A published demand the matching engine found the startup fits, and a buyer asking it for a quote.
	matching_demand: ['demand_matches_you', 'quote_invited'],
	new_offer: ['offer_received', 'offer_changed'],
	offer_decided: ['offer_accepted', 'offer_declined'],
	// About my listing: the office hid my demand or withdrew my offer after a report; for an officer, a new report
	// to review in their province.
	report: ['demand_hidden', 'offer_withdrawn_reported', 'report_received'],
	application_decided: [
		'application_approved',
		'application_rejected',
		'application_returned',
		'changes_rejected'
	],
	closing_soon: ['demand_closing']
} as const satisfies Record<string, readonly NotificationKind[]>;

export type LineTopic = keyof typeof LINE_TOPICS;
export const LINE_TOPIC_IDS = Object.keys(LINE_TOPICS) as LineTopic[];

/** The topic that carries `kind` to LINE, or undefined when none does. */
export function lineTopicOf(kind: NotificationKind): LineTopic | undefined {
	return LINE_TOPIC_IDS.find((topic) => (LINE_TOPICS[topic] as readonly string[]).includes(kind));
}

/**
 * The version of the notice shown beside the LINE choices (messages line_consent_notice). Change it whenever that
 * notice's words change: each consent records the version the person read.
 */
export const LINE_CONSENT_NOTICE_VERSION = 'line-notifications-1';

/** LINE refuses a text message longer than this many characters. */
export const LINE_TEXT_LIMIT = 5000;
