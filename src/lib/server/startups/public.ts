// The one definition of a public startup: every surface that shows, counts, matches or chooses startups (search and
// its fallback, capacity and the gap, offers, the yearly selection, the API, exports, the sitemap, province pages)
// asks this module. Public: approved, or approved before and waiting for re-review (then seen as its approved
// snapshot). Suspended keeps its snapshot but is hidden; revoked has none. A rejected re-review drops the refused
// changes and leaves the startup approved as it was (curation/service.ts), so 'rejected' is never public.
import { and, eq, isNotNull, or, type SQL } from 'drizzle-orm';
import { startups } from '../db/schema';

/** An approved startup whose edits wait for re-review: the public sees it as it was approved (its snapshot). */
export const awaitingReReview: SQL = and(
	eq(startups.status, 'submitted'),
	isNotNull(startups.approvedSnapshot)
)!;

/** The condition on `startups` that every query for public startups uses. */
export const publicStartup: SQL = or(eq(startups.status, 'approved'), awaitingReReview)!;

/** The same rule for a row already read. */
export function isPublicStartup(row: { status: string; approvedSnapshot: unknown }): boolean {
	return row.status === 'approved' || (row.status === 'submitted' && row.approvedSnapshot != null);
}
