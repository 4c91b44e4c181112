// The development mailbox: the mail the portal has queued, newest first, so links can be followed without an SMTP
// server. It does not exist (404) unless switched on outside production, and then only for this machine.
import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { db } from '$lib/server/context';
import { mayReadDevMailbox, recentMail } from '$lib/server/email/mailbox';
import { env } from '$lib/server/env';

export const load: PageServerLoad = async ({ request, getClientAddress, setHeaders }) => {
	if (!mayReadDevMailbox(env().devMailbox, request, getClientAddress)) error(404, 'not_found');
	setHeaders({ 'cache-control': 'private, no-store' });
	return { messages: await recentMail(db()) };
};
