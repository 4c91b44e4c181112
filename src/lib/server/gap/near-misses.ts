// Which certificates a province's producers lack most: summed from their near misses (open demands they would
// match but for a certificate), for the provincial office to know which certification to help with first.
import { and, asc, eq } from 'drizzle-orm';
import type { Queryable } from '../db';
import { startups } from '../db/schema';
import { publicStartup } from '../startups/public';
import { nearMissesForStartup, type NearMiss } from '../matching/service';
import type { Meilisearch } from '../search/client';
import { cachedFigures } from './cache';

export interface CertificateGap {
	certification: string;
	/** The province's approved startups that lack it for at least one demand they nearly serve. */
	producers: number;
	/** The open demands (each counted once) that one of them would serve with it. */
	demands: number;
}

/** The province's approved startups read (the same bound as the province's suggestions). */
const PRODUCERS = 50;
/** Near misses read per startup. */
const PER_STARTUP = 50;
/** Producers whose near misses are read at the same time. */
const AT_ONCE = 4;

/** The certificates the province's approved startups lack most, by demands within reach, then by producers. */
export function certificateGapsOfProvince(
	db: Queryable,
	search: Meilisearch | null,
	provinceCode: string
): Promise<CertificateGap[]> {
	return cachedFigures(db, `near-misses:${provinceCode}`, async () => {
		const producers = await db
			.select({ id: startups.id })
			.from(startups)
			.where(and(eq(startups.provinceCode, provinceCode), publicStartup))
			.orderBy(asc(startups.id))
			.limit(PRODUCERS);
		const byCertification = new Map<string, { producers: Set<string>; demands: Set<string> }>();
		// A few producers at a time: one office's figure must not hold every database connection.
		const missesOf: { id: string; nearMisses: NearMiss[] }[] = [];
		for (let at = 0; at < producers.length; at += AT_ONCE) {
			const batch = producers.slice(at, at + AT_ONCE);
			missesOf.push(
				...(await Promise.all(
					batch.map(async ({ id }) => ({
						id,
						nearMisses: (await nearMissesForStartup(db, search, id, { limit: PER_STARTUP })).nearMisses
					}))
				))
			);
		}
		for (const { id, nearMisses } of missesOf) {
			for (const miss of nearMisses)
				for (const certification of miss.lacks.certifications) {
					const gap = byCertification.get(certification) ?? { producers: new Set(), demands: new Set() };
					gap.producers.add(id);
					gap.demands.add(miss.id);
					byCertification.set(certification, gap);
				}
		}
		return [...byCertification]
			.map(([certification, gap]) => ({
				certification,
				producers: gap.producers.size,
				demands: gap.demands.size
			}))
			.sort(
				(a, b) =>
					b.demands - a.demands || b.producers - a.producers || a.certification.localeCompare(b.certification)
			);
	});
}
