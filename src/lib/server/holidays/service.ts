// Thailand's public holidays, which working days skip: seeded from the official list, kept by the administrators
// (add a day the cabinet or the Bank of Thailand announces, remove one that is cancelled), every change audited.
import { and, asc, eq, gte, isNull, lte } from 'drizzle-orm';
import type { Db, Queryable } from '../db';
import { publicHolidays } from '../db/schema';
import { recordAudit } from '../audit/record';
import { notFound, UserError } from '../errors';
import type { HolidayInput } from '$lib/schemas/holiday';

export interface Admin {
	id: string;
	email: string;
}

/** The holidays in force, in date order (removed ones are kept only so the seed leaves them removed). */
export function listHolidays(db: Queryable) {
	return db
		.select({ day: publicHolidays.day, nameTh: publicHolidays.nameTh, nameEn: publicHolidays.nameEn })
		.from(publicHolidays)
		.where(isNull(publicHolidays.removedAt))
		.orderBy(asc(publicHolidays.day));
}

/** The days (YYYY-MM-DD) that are holidays between two dates, inclusive, for working-day arithmetic. */
export async function holidaysBetween(db: Queryable, from: string, to: string): Promise<Set<string>> {
	const rows = await db
		.select({ day: publicHolidays.day })
		.from(publicHolidays)
		.where(and(isNull(publicHolidays.removedAt), gte(publicHolidays.day, from), lte(publicHolidays.day, to)));
	return new Set(rows.map((row) => row.day));
}

/** Adds a holiday, or names again one that was removed; a day already in force is refused. */
export async function addHoliday(db: Db, admin: Admin, input: HolidayInput): Promise<void> {
	await db.transaction(async (tx) => {
		const [existing] = await tx
			.select()
			.from(publicHolidays)
			.where(eq(publicHolidays.day, input.day))
			.for('update');
		if (existing && !existing.removedAt)
			throw new UserError('holiday_exists', 'already a holiday', { field: 'day', status: 409 });
		await tx
			.insert(publicHolidays)
			.values({ day: input.day, nameTh: input.nameTh, nameEn: input.nameEn })
			.onConflictDoUpdate({
				target: publicHolidays.day,
				set: { nameTh: input.nameTh, nameEn: input.nameEn, removedAt: null }
			});
		await recordAudit(tx, {
			actorId: admin.id,
			actorLabel: admin.email,
			action: 'holiday.add',
			subjectType: 'holiday',
			subjectId: input.day,
			provinceCode: null,
			before: existing ? { removed: true, nameTh: existing.nameTh, nameEn: existing.nameEn } : null,
			after: { nameTh: input.nameTh, nameEn: input.nameEn }
		});
	});
}

/** Removes a holiday in force (a cancelled one): working days count it again. */
export async function removeHoliday(db: Db, admin: Admin, day: string): Promise<void> {
	await db.transaction(async (tx) => {
		const [removed] = await tx
			.update(publicHolidays)
			.set({ removedAt: new Date() })
			.where(and(eq(publicHolidays.day, day), isNull(publicHolidays.removedAt)))
			.returning();
		if (!removed) throw notFound('holiday');
		await recordAudit(tx, {
			actorId: admin.id,
			actorLabel: admin.email,
			action: 'holiday.remove',
			subjectType: 'holiday',
			subjectId: day,
			provinceCode: null,
			before: { nameTh: removed.nameTh, nameEn: removed.nameEn },
			after: { removed: true }
		});
	});
}
