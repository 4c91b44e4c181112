// Public: an approved startup's profile as last approved (edits waiting for review do not show), with its
// province's-startup badge for the years it was selected.
import { error } from '@sveltejs/kit';
import { and, desc, eq, isNotNull, ne } from 'drizzle-orm';
import type { PageServerLoad } from './$types';
import { db } from '$lib/server/context';
import { provinces, provinceSelections, startups } from '$lib/server/db/schema';
import { profileChoices, type Profile } from '$lib/server/startups/queries';

export const load: PageServerLoad = async ({ params }) => {
	if (!/^[a-z0-9-]{1,80}$/.test(params.slug)) error(404, 'not_found');
	const [row] = await db()
		.select({ startup: startups, province: provinces })
		.from(startups)
		.innerJoin(provinces, eq(provinces.code, startups.provinceCode))
		.where(
			and(
				eq(startups.slug, params.slug),
				isNotNull(startups.approvedSnapshot),
				ne(startups.status, 'suspended')
			)
		);
	if (!row) error(404, 'not_found');
	const [selections, choices] = await Promise.all([
		db()
			.select({ year: provinceSelections.year })
			.from(provinceSelections)
			.where(eq(provinceSelections.startupId, row.startup.id))
			.orderBy(desc(provinceSelections.year)),
		profileChoices(db())
	]);
	return {
		slug: row.startup.slug,
		profile: row.startup.approvedSnapshot as Profile,
		province: row.province,
		selectedYears: selections.map((s) => s.year),
		choices
	};
};
