// What each kind of notification says, in the recipient's language. Pages and emails share these texts.
import { m } from '$lib/paraglide/messages';

export type NotificationKind =
	| 'application_received'
	| 'application_waiting'
	| 'application_approved'
	| 'application_rejected'
	| 'startup_selected';

export interface NotificationPayload {
	/** Path on the portal the notification leads to. */
	link: string;
	startupName?: string;
	reason?: string;
	year?: number;
	[key: string]: unknown;
}

export function notificationText(
	kind: NotificationKind,
	payload: NotificationPayload,
	locale: 'th' | 'en'
): { title: string; body: string } {
	const options = { locale };
	const name = payload.startupName ?? '';
	switch (kind) {
		case 'application_received':
			return {
				title: m.notify_received_title({}, options),
				body: m.notify_received_body({ name }, options)
			};
		case 'application_waiting':
			return {
				title: m.notify_waiting_title({ name }, options),
				body: m.notify_waiting_body({ name }, options)
			};
		case 'application_approved':
			return { title: m.notify_approved_title({}, options), body: m.notify_approved_body({ name }, options) };
		case 'application_rejected':
			return {
				title: m.notify_rejected_title({}, options),
				body: m.notify_rejected_body({ name, reason: payload.reason ?? '' }, options)
			};
		case 'startup_selected':
			return {
				title: m.notify_selected_title({ year: String(payload.year ?? '') }, options),
				body: m.notify_selected_body({ name, year: String(payload.year ?? '') }, options)
			};
	}
}
