// What the sitemap lists beyond the fixed pages: the public startups and the open demands, with when each changed.
import { eq } from 'drizzle-orm';
import type { Queryable } from '../db';
import { demands, startups } from '../db/schema';
import { publicStartup } from '../startups/public';

export function sitemapEntries(db: Queryable, limit: number) {
	return Promise.all([
		db
			.select({ slug: startups.slug, updatedAt: startups.updatedAt })
			.from(startups)
			.where(publicStartup)
			.limit(limit / 2),
		db
			.select({ id: demands.id, updatedAt: demands.updatedAt })
			.from(demands)
			.where(eq(demands.status, 'open'))
			.limit(limit / 2 - 100)
	]);
}
