// Public: the privacy notice, with the controller and retention periods this deployment is configured with.
import type { PageServerLoad } from './$types';
import { env } from '$lib/server/env';
import { PRIVACY_NOTICE_VERSION, pseudonymOf } from '$lib/server/privacy/notice';
import { z } from 'zod';

export const load: PageServerLoad = async ({ url }) => {
	const settings = env();
	const deleted = z.uuid().safeParse(url.searchParams.get('deleted'));
	return {
		version: PRIVACY_NOTICE_VERSION,
		controller: {
			nameTh: settings.PRIVACY_CONTROLLER_NAME_TH,
			nameEn: settings.PRIVACY_CONTROLLER_NAME_EN,
			email: settings.PRIVACY_CONTACT_EMAIL,
			phone: settings.PRIVACY_CONTACT_PHONE
		},
		retention: {
			sessions: settings.RETENTION_SESSION_DAYS,
			mail: settings.RETENTION_SENT_MAIL_DAYS,
			rate: settings.RETENTION_RATE_LIMIT_DAYS,
			search: settings.SEARCH_LOG_DAYS,
			notifications: settings.RETENTION_NOTIFICATION_DAYS
		},
		// After a deletion: the pseudonym the kept records now carry (derived from the id, so it reveals nothing).
		deleted: deleted.success ? pseudonymOf(deleted.data) : null
	};
};
