// Every startup in every province, for administrators: find one to act for it (e.g. move its province).
import { and, asc, eq, ilike, or, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { PageServerLoad } from './$types';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/context';
import { withoutNul } from '$lib/server/text';
import { provinces, startups } from '$lib/server/db/schema';

const filterSchema = z.object({
	q: z.string().transform(withoutNul).pipe(z.string().trim().max(200)).optional().catch(undefined),
	province: z
		.string()
		.regex(/^TH-\d{2}$/)
		.optional()
		.catch(undefined)
});

export const load: PageServerLoad = async ({ locals, url }) => {
	requireRole(locals, 'admin');
	const filter = filterSchema.parse(Object.fromEntries(url.searchParams));
	const conditions: SQL[] = [];
	if (filter.q) {
		const pattern = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
		conditions.push(or(ilike(startups.nameTh, pattern), ilike(startups.nameEn, pattern))!);
	}
	if (filter.province) conditions.push(eq(startups.provinceCode, filter.province));
	const rows = await db()
		.select({
			id: startups.id,
			nameTh: startups.nameTh,
			nameEn: startups.nameEn,
			status: startups.status,
			provinceNameTh: provinces.nameTh,
			provinceNameEn: provinces.nameEn
		})
		.from(startups)
		.innerJoin(provinces, eq(provinces.code, startups.provinceCode))
		.where(conditions.length ? and(...conditions) : undefined)
		.orderBy(asc(startups.nameTh))
		.limit(200);
	return { filter, startups: rows };
};
