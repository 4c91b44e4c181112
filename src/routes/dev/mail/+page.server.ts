// Development only: the mail the portal has queued, newest first, so links can be followed without an SMTP
// server. In production this page does not exist (404).
import { error } from '@sveltejs/kit';
import { desc } from 'drizzle-orm';
import type { PageServerLoad } from './$types';
import { db } from '$lib/server/context';
import { emailOutbox } from '$lib/server/db/schema';
import { env } from '$lib/server/env';

export const load: PageServerLoad = async () => {
	if (env().NODE_ENV === 'production') error(404, 'not_found');
	const messages = await db().select().from(emailOutbox).orderBy(desc(emailOutbox.createdAt)).limit(50);
	return { messages };
};
