// What a provincial office sees about its own province.
import { and, asc, count, eq } from 'drizzle-orm';
import type { Queryable } from '../db';
import { provinces, startups, users } from '../db/schema';

export async function officeOverview(db: Queryable, provinceCode: string) {
	const [province] = await db.select().from(provinces).where(eq(provinces.code, provinceCode));
	if (!province) return null;
	const [byStatus, officers] = await Promise.all([
		db
			.select({ status: startups.status, n: count() })
			.from(startups)
			.where(eq(startups.provinceCode, provinceCode))
			.groupBy(startups.status),
		db
			.select({ email: users.email, status: users.status, invitationPending: users.passwordHash })
			.from(users)
			.where(and(eq(users.role, 'officer'), eq(users.provinceCode, provinceCode)))
			.orderBy(asc(users.email))
	]);
	return {
		province,
		startupsByStatus: Object.fromEntries(byStatus.map((row) => [row.status, row.n])) as Record<
			string,
			number
		>,
		officers: officers.map((o) => ({ ...o, invitationPending: o.invitationPending === null }))
	};
}
