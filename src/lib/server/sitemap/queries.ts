// What the sitemap lists beyond the fixed pages: the public startups and the open demands, with when each changed.
import { and, eq, isNotNull, ne } from 'drizzle-orm';
import type { Queryable } from '../db';
import { demands, startups } from '../db/schema';

export function sitemapEntries(db: Queryable, limit: number) {
	return Promise.all([
		db
			.select({ slug: startups.slug, updatedAt: startups.updatedAt })
			.from(startups)
			.where(and(isNotNull(startups.approvedAt), ne(startups.status, 'suspended')))
			.limit(limit / 2),
		db
			.select({ id: demands.id, updatedAt: demands.updatedAt })
			.from(demands)
			.where(eq(demands.status, 'open'))
			.limit(limit / 2 - 100)
	]);
}
