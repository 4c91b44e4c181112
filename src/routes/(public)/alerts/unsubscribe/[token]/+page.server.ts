// Public: the unsubscribe link of a saved search's alerts. The signed token is the credential (alerts/unsubscribe.ts):
// GET asks to confirm (a mail scanner following the link changes nothing), POST stops the alerts. A token that
// is malformed or forged gets a page that says so (a refused POST answers 400), never an error page.
import type { Actions, PageServerLoad } from './$types';
import { db } from '$lib/server/context';
import { savedSearchName, stopAlerts } from '$lib/server/alerts/service';
import { verifyUnsubscribeToken } from '$lib/server/alerts/unsubscribe';
import { fail } from '@sveltejs/kit';

export const load: PageServerLoad = async ({ params, setHeaders }) => {
	setHeaders({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' });
	const id = await verifyUnsubscribeToken(db(), params.token ?? '');
	if (!id) return { state: 'invalid' as const };
	const search = await savedSearchName(db(), id);
	if (!search) return { state: 'gone' as const };
	return { state: search.frequency === 'off' ? ('off' as const) : ('ask' as const), name: search.name };
};

export const actions: Actions = {
	default: async ({ params }) => {
		const id = await verifyUnsubscribeToken(db(), params.token ?? '');
		if (!id) return fail(400, { done: false });
		const stopped = await stopAlerts(db(), id);
		return { done: true, name: stopped?.name ?? null };
	}
};
