// Builders for test rows with sensible defaults; each call makes distinct rows.
import crypto from 'node:crypto';
import type { Queryable } from '$lib/server/db';
import { organisations, products, startups, users } from '$lib/server/db/schema';

const unique = () => crypto.randomBytes(4).toString('hex');

export async function buildOrganisation(
	db: Queryable,
	overrides: Partial<typeof organisations.$inferInsert> = {}
) {
	const [row] = await db
		.insert(organisations)
		.values({ kind: 'startup', name: `Org ${unique()}`, ...overrides })
		.returning();
	return row!;
}

export async function buildStartup(
	db: Queryable,
	overrides: Partial<typeof startups.$inferInsert> & { provinceCode?: string } = {}
) {
	const organisation = await buildOrganisation(db, { provinceCode: overrides.provinceCode ?? 'TH-50' });
	const suffix = unique();
	const [row] = await db
		.insert(startups)
		.values({
			organisationId: organisation.id,
			provinceCode: 'TH-50',
			slug: `startup-${suffix}`,
			nameTh: `สตาร์ทอัพ ${suffix}`,
			nameEn: `Startup ${suffix}`,
			status: 'approved',
			...overrides
		})
		.returning();
	return row!;
}

export async function buildProduct(
	db: Queryable,
	startupId: string,
	overrides: Partial<typeof products.$inferInsert> = {}
) {
	const [row] = await db
		.insert(products)
		.values({
			startupId,
			nameTh: 'กาแฟคั่ว',
			nameEn: 'Roasted coffee',
			unit: 'kg',
			monthlyCapacity: 500,
			...overrides
		})
		.returning();
	return row!;
}

export async function buildUser(db: Queryable, overrides: Partial<typeof users.$inferInsert> = {}) {
	const [row] = await db
		.insert(users)
		.values({ email: `user-${unique()}@example.org`, role: 'admin', ...overrides })
		.returning();
	return row!;
}
