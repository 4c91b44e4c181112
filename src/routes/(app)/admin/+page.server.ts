// The administrators' start page: accounts at a glance, the way to the staff tools, every province's referrals
// to partner agencies, and the health of the LINE channel.
import type { PageServerLoad } from './$types';
import { accountCounts } from '$lib/server/accounts/queries';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/context';
import { verifiedStartupIds } from '$lib/server/organisations/queries';
import { referralsForProvince } from '$lib/server/referrals/queries';
import { lineChannel } from '$lib/server/line/config';
import { lineChannelHealth } from '$lib/server/line/outbox';

export const load: PageServerLoad = async ({ locals }) => {
	requireRole(locals, 'admin');
	const [counts, referrals, line] = await Promise.all([
		accountCounts(db()),
		referralsForProvince(db(), null),
		// Null: no LINE channel configured, so nothing is queued for LINE.
		lineChannel() ? lineChannelHealth(db()) : null
	]);
	// The badge of a verified organisation beside each referred startup, read from Postgres as on /search.
	const verified = await verifiedStartupIds(
		db(),
		referrals.map((r) => r.startupId)
	);
	return { counts, referrals, line, verifiedStartups: [...verified] };
};
