// Telling startups about a new demand: the members of its best-matching startups, in-app and by email. The demand's
// first coverage pass (gap/coverage.ts) calls it once, in the transaction that claims the announcement.
import type { Queryable } from '../db';
import { GOOD_MATCH_SCORE } from '../matching/score';
import type { Match } from '../matching/service';
import { membersOfStartups, notify } from '../notifications/service';
import { demandTitled } from '$lib/notifications';

/** How many of a new demand's best matches are told about it. */
export const ANNOUNCED_MATCHES = 5;

/**
 * Announces a demand to the members of the startups among `matches` (best first) that match it well, in-app and
 * by email, inside the caller's transaction; returns how many startups were told.
 */
export async function announceDemand(
	tx: Queryable,
	demand: { id: string; titleTh: string | null; titleEn: string | null },
	matches: Match[],
	origin: string
): Promise<number> {
	const chosen = matches.filter((m) => m.score >= GOOD_MATCH_SCORE).slice(0, ANNOUNCED_MATCHES);
	if (chosen.length === 0) return 0;
	const members = await membersOfStartups(
		tx,
		chosen.map((match) => match.id)
	);
	for (const match of chosen) {
		await notify(
			tx,
			members.get(match.id) ?? [],
			'demand_matches_you',
			{
				link: `/demand/${demand.id}`,
				...demandTitled(demand),
				score: match.score
			},
			origin
		);
	}
	return chosen.length;
}
