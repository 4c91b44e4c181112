// Reads for the account and administration pages.
import { and, asc, count, desc, eq, gt, ilike, ne, or, type SQL } from 'drizzle-orm';
import type { Queryable } from '../db';
import { organisations, provinces, sessions, users } from '../db/schema';
import { containing } from '../db/like';

export async function listSessions(db: Queryable, userId: string, now = new Date()) {
	return db
		.select({
			id: sessions.id,
			createdAt: sessions.createdAt,
			expiresAt: sessions.expiresAt,
			userAgent: sessions.userAgent,
			ipAddress: sessions.ipAddress
		})
		.from(sessions)
		.where(and(eq(sessions.userId, userId), gt(sessions.expiresAt, now)))
		.orderBy(desc(sessions.createdAt));
}

/** Ends one of the user's own sessions; someone else's session id simply matches nothing. */
export async function endOwnSession(db: Queryable, userId: string, sessionId: string): Promise<boolean> {
	const ended = await db
		.delete(sessions)
		.where(and(eq(sessions.userId, userId), eq(sessions.id, sessionId)))
		.returning({ id: sessions.id });
	return ended.length > 0;
}

/** Ends every session of the user but the one in use ("sign out everywhere else"). */
export async function endOtherSessions(db: Queryable, userId: string, keepSessionId: string): Promise<void> {
	await db.delete(sessions).where(and(eq(sessions.userId, userId), ne(sessions.id, keepSessionId)));
}

/** Who an invitation is for, and the province they will act for. */
export async function invitee(db: Queryable, userId: string) {
	const [row] = await db
		.select({
			email: users.email,
			provinceNameTh: provinces.nameTh,
			provinceNameEn: provinces.nameEn,
			identityRequired: users.identityRequired
		})
		.from(users)
		.leftJoin(provinces, eq(provinces.code, users.provinceCode))
		.where(eq(users.id, userId));
	return row ?? null;
}

/** Accounts counted by role and status, for the administrators' start page. */
export function accountCounts(db: Queryable) {
	return db
		.select({ role: users.role, status: users.status, n: count() })
		.from(users)
		.groupBy(users.role, users.status);
}

export async function accountSummary(db: Queryable, userId: string) {
	const [row] = await db
		.select({
			id: users.id,
			email: users.email,
			role: users.role,
			locale: users.locale,
			emailVerifiedAt: users.emailVerifiedAt,
			provinceCode: users.provinceCode,
			organisationName: organisations.name,
			organisationProvince: organisations.provinceCode,
			organisationVerification: organisations.verification
		})
		.from(users)
		.leftJoin(organisations, eq(organisations.id, users.organisationId))
		.where(eq(users.id, userId));
	return row;
}

export const USERS_PAGE_SIZE = 50;

export interface UserFilter {
	q?: string;
	role?: (typeof users.$inferSelect)['role'];
	status?: (typeof users.$inferSelect)['status'];
	page?: number;
}

export async function listUsers(db: Queryable, filter: UserFilter) {
	const conditions: SQL[] = [];
	if (filter.q) {
		const pattern = containing(filter.q);
		conditions.push(or(ilike(users.email, pattern), ilike(organisations.name, pattern))!);
	}
	if (filter.role) conditions.push(eq(users.role, filter.role));
	if (filter.status) conditions.push(eq(users.status, filter.status));
	const where = conditions.length ? and(...conditions) : undefined;
	const page = Math.max(1, filter.page ?? 1);
	const [rows, [total]] = await Promise.all([
		db
			.select({
				id: users.id,
				email: users.email,
				role: users.role,
				status: users.status,
				provinceCode: users.provinceCode,
				provinceNameTh: provinces.nameTh,
				provinceNameEn: provinces.nameEn,
				organisationName: organisations.name,
				hasPassword: users.passwordHash,
				createdAt: users.createdAt
			})
			.from(users)
			.leftJoin(organisations, eq(organisations.id, users.organisationId))
			.leftJoin(provinces, eq(provinces.code, users.provinceCode))
			.where(where)
			.orderBy(asc(users.email))
			.limit(USERS_PAGE_SIZE)
			.offset((page - 1) * USERS_PAGE_SIZE),
		db
			.select({ n: count() })
			.from(users)
			.leftJoin(organisations, eq(organisations.id, users.organisationId))
			.where(where)
	]);
	return {
		users: rows.map(({ hasPassword, ...row }) => ({ ...row, invitationPending: hasPassword === null })),
		total: total!.n,
		page
	};
}
