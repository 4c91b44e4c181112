// The data subject's requests (access, deletion, correction, withdrawal of consent), each with the date its answer
// is due. Access, deletion and withdrawal are served at once and recorded as completed; a correction the person
// cannot make through the edit forms waits for an administrator.
import { and, asc, desc, eq, isNull } from 'drizzle-orm';
import type { Queryable } from '../db';
import { privacyRequests, users } from '../db/schema';
import { notFound } from '../errors';
import { PRIVACY_REQUEST_DUE_DAYS } from './notice';

export type PrivacyRequestKind = (typeof privacyRequests.$inferSelect)['kind'];

export function dueDate(requestedAt: Date): Date {
	return new Date(requestedAt.getTime() + PRIVACY_REQUEST_DUE_DAYS * 86_400_000);
}

export async function recordPrivacyRequest(
	db: Queryable,
	userId: string,
	kind: PrivacyRequestKind,
	{
		detail = null,
		completed = false,
		now = new Date()
	}: { detail?: string | null; completed?: boolean; now?: Date } = {}
): Promise<string> {
	const [row] = await db
		.insert(privacyRequests)
		.values({
			userId,
			kind,
			detail,
			requestedAt: now,
			dueAt: dueDate(now),
			completedAt: completed ? now : null,
			completedBy: completed ? userId : null
		})
		.returning({ id: privacyRequests.id });
	return row!.id;
}

export interface PrivacyRequestListed {
	id: string;
	kind: PrivacyRequestKind;
	detail: string | null;
	requestedAt: Date;
	dueAt: Date;
	completedAt: Date | null;
	who: string;
	overdue: boolean;
}

/** Every request, open ones first by due date, then the latest answered (at most `limit`). */
export async function listPrivacyRequests(
	db: Queryable,
	now = new Date(),
	limit = 500
): Promise<PrivacyRequestListed[]> {
	const rows = await db
		.select({
			id: privacyRequests.id,
			kind: privacyRequests.kind,
			detail: privacyRequests.detail,
			requestedAt: privacyRequests.requestedAt,
			dueAt: privacyRequests.dueAt,
			completedAt: privacyRequests.completedAt,
			email: users.email,
			displayName: users.displayName,
			deletedAt: users.deletedAt
		})
		.from(privacyRequests)
		.innerJoin(users, eq(users.id, privacyRequests.userId))
		.orderBy(asc(privacyRequests.completedAt), asc(privacyRequests.dueAt), desc(privacyRequests.requestedAt))
		.limit(limit);
	return rows.map(({ email, displayName, deletedAt, ...row }) => ({
		...row,
		who: deletedAt ? (displayName ?? email) : email,
		overdue: row.completedAt === null && row.dueAt.getTime() < now.getTime()
	}));
}

export async function completePrivacyRequest(
	db: Queryable,
	requestId: string,
	adminId: string,
	now = new Date()
): Promise<void> {
	const rows = await db
		.update(privacyRequests)
		.set({ completedAt: now, completedBy: adminId })
		.where(and(eq(privacyRequests.id, requestId), isNull(privacyRequests.completedAt)))
		.returning({ id: privacyRequests.id });
	if (rows.length === 0) throw notFound('open privacy request');
}

export function ownPrivacyRequests(db: Queryable, userId: string) {
	return db
		.select()
		.from(privacyRequests)
		.where(eq(privacyRequests.userId, userId))
		.orderBy(desc(privacyRequests.requestedAt));
}
