// What a provincial office sees about its own province.
import { and, asc, count, desc, eq, inArray, isNotNull, isNull, sql, sum } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Queryable } from '../db';
import {
	apiTokens,
	auditEvents,
	deals,
	demandMatches,
	demands,
	materialWants,
	offers,
	officeSettings,
	organisations,
	products,
	provinces,
	publicHolidays,
	provinceSelections,
	reviews,
	startups,
	users,
	wasteLots
} from '../db/schema';
import { publicStartup } from '../startups/public';
import { isUuid } from '../text';
import { DEFAULT_APPROVAL_THRESHOLD } from '$lib/schemas/curation';
import { thaiDate, workingDaysBetween } from '$lib/working-days';
import { holidaysBetween } from '../holidays/service';
import { isOverdue, responseTimes } from './response-times';

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

/** The rubric total below which the office's approvals need a reason; the default until the office sets one. */
export async function approvalThreshold(db: Queryable, provinceCode: string): Promise<number> {
	const [row] = await db
		.select({ threshold: officeSettings.approvalThreshold })
		.from(officeSettings)
		.where(eq(officeSettings.provinceCode, provinceCode));
	return row?.threshold ?? DEFAULT_APPROVAL_THRESHOLD;
}

/**
 * Applications waiting for the office, oldest first, with how many working days each has waited and whether that
 * is past the office's target.
 */
export async function reviewQueue(db: Queryable, provinceCode: string, now = new Date()) {
	const rows = await db
		.select({
			id: startups.id,
			nameTh: startups.nameTh,
			nameEn: startups.nameEn,
			submittedAt: startups.submittedAt
		})
		.from(startups)
		.where(and(eq(startups.provinceCode, provinceCode), eq(startups.status, 'submitted')))
		.orderBy(asc(startups.submittedAt));
	const oldest = rows.find((row) => row.submittedAt)?.submittedAt;
	const holidays = oldest ? await holidaysBetween(db, thaiDate(oldest), thaiDate(now)) : new Set<string>();
	return rows.map((row) => {
		const workingDaysWaiting = row.submittedAt ? workingDaysBetween(row.submittedAt, now, holidays) : 0;
		return { ...row, workingDaysWaiting, overdue: isOverdue(workingDaysWaiting) };
	});
}

/** Suspended startups of the province: the office may reinstate or revoke them. */
export function suspendedStartups(db: Queryable, provinceCode: string) {
	return db
		.select({ id: startups.id, nameTh: startups.nameTh, nameEn: startups.nameEn })
		.from(startups)
		.where(and(eq(startups.provinceCode, provinceCode), eq(startups.status, 'suspended')))
		.orderBy(asc(startups.nameTh));
}

/**
 * Approved startups of the province, the candidates for its yearly selection, with what the office weighs:
 * the total of the review that approved it, monthly capacity per unit, open demand it matches, and deals won.
 */
export async function approvedCandidates(db: Queryable, provinceCode: string) {
	const rows = await db
		.select({
			id: startups.id,
			slug: startups.slug,
			nameTh: startups.nameTh,
			nameEn: startups.nameEn,
			approvedAt: startups.approvedAt
		})
		.from(startups)
		.where(and(eq(startups.provinceCode, provinceCode), publicStartup))
		.orderBy(asc(startups.nameTh));
	const ids = rows.map((row) => row.id);
	if (ids.length === 0) return [];
	const [totals, capacities, matched, won] = await Promise.all([
		db
			.selectDistinctOn([reviews.startupId], {
				startupId: reviews.startupId,
				total: sql<number>`(${reviews.marketScore} + ${reviews.innovationScore} + ${reviews.readinessScore} + ${reviews.complianceScore})::int`
			})
			.from(reviews)
			.where(and(inArray(reviews.startupId, ids), eq(reviews.decision, 'approve')))
			.orderBy(reviews.startupId, desc(reviews.createdAt)),
		db
			.select({ startupId: products.startupId, unit: products.unit, capacity: sum(products.monthlyCapacity) })
			.from(products)
			.where(inArray(products.startupId, ids))
			.groupBy(products.startupId, products.unit)
			.orderBy(products.startupId, products.unit),
		db
			.select({ startupId: demandMatches.startupId, n: count() })
			.from(demandMatches)
			.innerJoin(demands, eq(demands.id, demandMatches.demandId))
			.where(and(inArray(demandMatches.startupId, ids), eq(demands.status, 'open')))
			.groupBy(demandMatches.startupId),
		db
			.select({ startupId: offers.startupId, n: count(), value: sum(deals.valueThb) })
			.from(deals)
			.innerJoin(offers, eq(offers.id, deals.offerId))
			.where(inArray(offers.startupId, ids))
			.groupBy(offers.startupId)
	]);
	return rows.map((row) => ({
		...row,
		rubricTotal: totals.find((t) => t.startupId === row.id)?.total ?? null,
		capacity: capacities
			.filter((c) => c.startupId === row.id)
			.map((c) => ({ unit: c.unit, monthly: Number(c.capacity) })),
		matchedDemands: matched.find((m) => m.startupId === row.id)?.n ?? 0,
		deals: won.find((d) => d.startupId === row.id)?.n ?? 0,
		dealValueThb: Number(won.find((d) => d.startupId === row.id)?.value ?? 0)
	}));
}

export function selectionHistory(db: Queryable, provinceCode: string) {
	return db
		.select({
			year: provinceSelections.year,
			startupId: provinceSelections.startupId,
			slug: startups.slug,
			nameTh: startups.nameTh,
			nameEn: startups.nameEn,
			reason: provinceSelections.reason,
			updatedAt: provinceSelections.updatedAt,
			// A selection of a startup since suspended or revoked must be replaced: the office page flags it.
			isPublic: sql<boolean>`${publicStartup}`
		})
		.from(provinceSelections)
		.innerJoin(startups, eq(startups.id, provinceSelections.startupId))
		.where(eq(provinceSelections.provinceCode, provinceCode))
		.orderBy(desc(provinceSelections.year));
}

/** Median working days from submission to decision over the province's last year of decisions; null before any. */
export async function medianResponseDays(db: Queryable, provinceCode: string): Promise<number | null> {
	const [office] = await responseTimes(db, provinceCode);
	return office?.medianWorkingDays ?? null;
}

/** Who a startup waiting for review can write to: the province's active officers (administrators for Bangkok). */
export async function officeContacts(db: Queryable, provinceCode: string): Promise<string[]> {
	const [province] = await db
		.select({ hasOffice: provinces.hasIndustryOffice })
		.from(provinces)
		.where(eq(provinces.code, provinceCode));
	const rows = await db
		.select({ email: users.email })
		.from(users)
		.where(
			and(
				province?.hasOffice ? eq(users.role, 'officer') : eq(users.role, 'admin'),
				province?.hasOffice ? eq(users.provinceCode, provinceCode) : undefined,
				eq(users.status, 'active'),
				isNotNull(users.passwordHash)
			)
		)
		.orderBy(asc(users.email));
	return rows.map((row) => row.email);
}

/** The office's audit trail, newest first, optionally for one subject (a startup id, or "TH-50/2026"). */
export function auditTrail(db: Queryable, provinceCode: string, subjectId?: string, limit = 200) {
	return db
		.select()
		.from(auditEvents)
		.where(
			and(
				eq(auditEvents.provinceCode, provinceCode),
				subjectId ? eq(auditEvents.subjectId, subjectId) : undefined
			)
		)
		.orderBy(desc(auditEvents.at), desc(auditEvents.id))
		.limit(limit);
}

/** What an audit trail shows for a subject instead of its identifier: a name in both languages, and a year. */
export interface AuditSubjectName {
	th: string | null;
	en: string | null;
	year?: number;
}

type NameRow = { id: string; th: string | null; en: string | null };
const personName = sql<string>`coalesce(${users.displayName}, ${users.email})`;

/** How each kind of audited record is named, read for many ids at once. */
const SUBJECT_NAMES: Record<string, (db: Queryable, ids: string[]) => Promise<NameRow[]>> = {
	startup: (db, ids) =>
		db
			.select({ id: startups.id, th: startups.nameTh, en: startups.nameEn })
			.from(startups)
			.where(inArray(startups.id, ids)),
	demand: (db, ids) =>
		db
			.select({ id: demands.id, th: demands.titleTh, en: demands.titleEn })
			.from(demands)
			.where(inArray(demands.id, ids)),
	// An offer by its demand's title.
	offer: (db, ids) =>
		db
			.select({ id: offers.id, th: demands.titleTh, en: demands.titleEn })
			.from(offers)
			.innerJoin(demands, eq(demands.id, offers.demandId))
			.where(inArray(offers.id, ids)),
	// An account by its person's name where they gave one.
	user: (db, ids) =>
		db.select({ id: users.id, th: personName, en: personName }).from(users).where(inArray(users.id, ids)),
	organisation: (db, ids) =>
		db
			.select({ id: organisations.id, th: organisations.name, en: organisations.name })
			.from(organisations)
			.where(inArray(organisations.id, ids)),
	api_token: (db, ids) =>
		db
			.select({ id: apiTokens.id, th: apiTokens.label, en: apiTokens.label })
			.from(apiTokens)
			.where(inArray(apiTokens.id, ids)),
	waste_lot: (db, ids) =>
		db
			.select({ id: wasteLots.id, th: wasteLots.nameTh, en: wasteLots.nameEn })
			.from(wasteLots)
			.where(inArray(wasteLots.id, ids)),
	material_want: (db, ids) =>
		db
			.select({ id: materialWants.id, th: materialWants.nameTh, en: materialWants.nameEn })
			.from(materialWants)
			.where(inArray(materialWants.id, ids))
};

/**
 * Names for the subjects of audit events, keyed "type:id": a startup's name, a demand's title (an offer's is its
 * demand's), an account's email, an organisation's or API token's name, a lot's or want's name, a province's name,
 * and a selection's province and year. One query per type present. A subject whose row is gone, or of a type
 * without a name, has no entry and is shown by its identifier.
 */
export async function auditSubjectNames(
	db: Queryable,
	events: { subjectType: string; subjectId: string }[]
): Promise<Record<string, AuditSubjectName>> {
	const byType = Map.groupBy(
		events.filter((e) => e.subjectType in SUBJECT_NAMES && isUuid(e.subjectId)),
		(e) => e.subjectType
	);
	const selections = events
		.filter((e) => e.subjectType === 'province_selection')
		.map((e) => ({ id: e.subjectId, match: /^(TH-\d{2})\/(\d{4})$/.exec(e.subjectId) }));
	const provinceCodes = [
		...new Set([
			...events.filter((e) => e.subjectType === 'office').map((e) => e.subjectId),
			...selections.flatMap((s) => (s.match ? [s.match[1]!] : []))
		])
	];
	const holidayDays = [
		...new Set(
			events
				.filter((e) => e.subjectType === 'holiday' && /^\d{4}-\d{2}-\d{2}$/.test(e.subjectId))
				.map((e) => e.subjectId)
		)
	];
	const [named, provinceRows, holidayRows] = await Promise.all([
		Promise.all(
			[...byType].map(async ([type, list]) => ({
				type,
				rows: await SUBJECT_NAMES[type]!(db, [...new Set(list.map((e) => e.subjectId))])
			}))
		),
		provinceCodes.length
			? db
					.select({ id: provinces.code, th: provinces.nameTh, en: provinces.nameEn })
					.from(provinces)
					.where(inArray(provinces.code, provinceCodes))
			: [],
		// A holiday by its name, also once removed (the row stays).
		holidayDays.length
			? db
					.select({ id: publicHolidays.day, th: publicHolidays.nameTh, en: publicHolidays.nameEn })
					.from(publicHolidays)
					.where(inArray(publicHolidays.day, holidayDays))
			: []
	]);
	const names: Record<string, AuditSubjectName> = {};
	for (const { type, rows } of [
		...named,
		{ type: 'office', rows: provinceRows },
		{ type: 'holiday', rows: holidayRows }
	])
		for (const { id, th, en } of rows) names[`${type}:${id}`] = { th, en };
	const province = new Map(provinceRows.map((row) => [row.id, row]));
	for (const { id, match } of selections) {
		const found = match && province.get(match[1]!);
		if (found) names[`province_selection:${id}`] = { th: found.th, en: found.en, year: Number(match[2]) };
	}
	return names;
}

export function reviewsOf(db: Queryable, startupId: string) {
	return db
		.select({ review: reviews, reviewerEmail: users.email })
		.from(reviews)
		.leftJoin(users, eq(users.id, reviews.reviewerId))
		.where(eq(reviews.startupId, startupId))
		.orderBy(desc(reviews.createdAt));
}

/** The office's latest decisions, newest first. */
export function recentDecisions(db: Queryable, provinceCode: string, limit = 20) {
	return db
		.select({
			id: reviews.id,
			startupId: reviews.startupId,
			nameTh: startups.nameTh,
			nameEn: startups.nameEn,
			decision: reviews.decision,
			reason: reviews.reason,
			at: reviews.createdAt,
			reviewer: users.email
		})
		.from(reviews)
		.innerJoin(startups, eq(startups.id, reviews.startupId))
		.leftJoin(users, eq(users.id, reviews.reviewerId))
		.where(eq(startups.provinceCode, provinceCode))
		.orderBy(desc(reviews.createdAt))
		.limit(limit);
}

/** Every startup of the province, oldest first (for the office's CSV export). */
export function provinceStartups(db: Queryable, provinceCode: string) {
	return db
		.select()
		.from(startups)
		.where(eq(startups.provinceCode, provinceCode))
		.orderBy(asc(startups.createdAt));
}

/** Every review of the province's startups with the reviewer, oldest first (for the CSV export). */
export function provinceReviews(db: Queryable, provinceCode: string) {
	return db
		.select({ review: reviews, name: startups.nameTh, nameEn: startups.nameEn, reviewer: users.email })
		.from(reviews)
		.innerJoin(startups, eq(startups.id, reviews.startupId))
		.leftJoin(users, eq(users.id, reviews.reviewerId))
		.where(eq(startups.provinceCode, provinceCode))
		.orderBy(asc(reviews.createdAt));
}

/** Rows per page of the national audit trail. */
export const NATIONAL_AUDIT_PAGE_SIZE = 50;

/**
 * The audit events no office sees, newest first, a page at a time: those without a province (administrators'
 * account actions, API tokens, demand delivered anywhere in Thailand). Each carries the names of who acted and of
 * its subject, where the subject still exists, so the page never shows a bare id.
 */
export async function nationalAuditPage(db: Queryable, page: number) {
	const actor = alias(users, 'actor');
	const [rows, total] = await Promise.all([
		db
			.select({ event: auditEvents, actorName: actor.displayName })
			.from(auditEvents)
			.leftJoin(actor, eq(actor.id, auditEvents.actorId))
			.where(isNull(auditEvents.provinceCode))
			.orderBy(desc(auditEvents.at), desc(auditEvents.id))
			.limit(NATIONAL_AUDIT_PAGE_SIZE)
			.offset((page - 1) * NATIONAL_AUDIT_PAGE_SIZE),
		db.$count(auditEvents, isNull(auditEvents.provinceCode))
	]);
	// Named as the offices' trails name them: one query per kind of subject on the page.
	const names = await auditSubjectNames(
		db,
		rows.map((row) => row.event)
	);
	return {
		total,
		events: rows.map(({ event, actorName }) => {
			const name = names[`${event.subjectType}:${event.subjectId}`];
			return {
				...event,
				actorName: actorName ? `${actorName} (${event.actorLabel})` : event.actorLabel,
				subjectName: name,
				subjectNameTh: name?.th ?? null,
				subjectNameEn: name?.en ?? null
			};
		})
	};
}
