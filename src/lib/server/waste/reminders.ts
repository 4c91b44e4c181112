// Reminders of the by-product exchange (issue 23), in-app and by email through notify(): the owner of a lot whose
// last day on offer is near, the owner of a want nobody has proposed anything for in a while, and both sides of an
// agreement whose permit checklist has a step left to do. Each is sent once per event (a lot once per end date, so
// a new date earns a new reminder; a want once; a pending step once per STEP_PENDING_DAYS), claimed and sent in one
// transaction so two nodes never send it twice.
import { and, eq, gte, inArray, isNull, lt, lte, ne, notExists, or, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { materialWants, wasteAgreements, wasteLots, wastePermitSteps } from '../db/schema';
import { asLeader } from '../leader';
import { membersOf, notify } from '../notifications/service';
import { repeatEvery } from '../background-jobs';
import { addDays } from '$lib/certificates';
import { todayInThailand } from '$lib/schemas/calendar-date';

/** How many days before a lot's last day on offer its owner is reminded. */
export const LOT_ENDING_DAYS = 7;
/** How many days an open want may go without any proposal before its owner is told. */
export const WANT_IDLE_DAYS = 30;

/** Reminds the owners of approved, available lots whose last day falls within LOT_ENDING_DAYS; returns how many. */
export async function remindEndingLots(db: Db, origin: string, now = new Date()): Promise<number> {
	const today = todayInThailand(now);
	return db.transaction(async (tx) => {
		const due = await tx
			.update(wasteLots)
			.set({ endingRemindedFor: sql`${wasteLots.availableUntil}` })
			.where(
				and(
					eq(wasteLots.status, 'approved'),
					eq(wasteLots.availableNow, true),
					gte(wasteLots.availableUntil, today),
					lte(wasteLots.availableUntil, addDays(today, LOT_ENDING_DAYS)),
					or(isNull(wasteLots.endingRemindedFor), ne(wasteLots.endingRemindedFor, wasteLots.availableUntil))
				)
			)
			.returning();
		for (const lot of due)
			await notify(
				tx,
				await membersOf(tx, lot.organisationId),
				'waste_lot_ending',
				{
					link: `/waste/lots/${lot.id}`,
					lotName: lot.nameTh ?? lot.nameEn ?? '',
					lotNameEn: lot.nameEn ?? undefined,
					endsOn: lot.availableUntil
				},
				origin
			);
		return due.length;
	});
}

/** Tells the owners of wants open WANT_IDLE_DAYS without a single proposal (once per want); returns how many. */
export async function remindIdleWants(db: Db, origin: string, now = new Date()): Promise<number> {
	const since = new Date(now.getTime() - WANT_IDLE_DAYS * 86_400_000);
	return db.transaction(async (tx) => {
		const due = await tx
			.update(materialWants)
			.set({ idleRemindedAt: now })
			.where(
				and(
					eq(materialWants.status, 'open'),
					isNull(materialWants.idleRemindedAt),
					lt(materialWants.createdAt, since),
					notExists(
						tx
							.select({ one: sql`1` })
							.from(wasteAgreements)
							.where(eq(wasteAgreements.wantId, materialWants.id))
					)
				)
			)
			.returning();
		for (const want of due)
			await notify(
				tx,
				await membersOf(tx, want.organisationId),
				'waste_want_idle',
				{
					link: `/waste/wants/${want.id}`,
					wantName: want.nameTh ?? want.nameEn ?? '',
					wantNameEn: want.nameEn ?? undefined,
					days: WANT_IDLE_DAYS
				},
				origin
			);
		return due.length;
	});
}

/**
 * How long a checklist step may stay to do before both sides are reminded, and how long between two reminders of
 * the same step while it stays so.
 */
export const STEP_PENDING_DAYS = 7;

/**
 * Reminds both sides of each agreed agreement whose checklist has steps to do, unchanged for STEP_PENDING_DAYS and
 * not reminded in that time: one notification per agreement naming those steps, to the members of the sender's and
 * the receiver's organisations. Returns how many agreements were reminded.
 */
export async function remindPendingSteps(db: Db, origin: string, now = new Date()): Promise<number> {
	const since = new Date(now.getTime() - STEP_PENDING_DAYS * 86_400_000);
	return db.transaction(async (tx) => {
		const due = await tx
			.update(wastePermitSteps)
			.set({ remindedAt: now })
			.from(wasteAgreements)
			.where(
				and(
					eq(wasteAgreements.id, wastePermitSteps.agreementId),
					eq(wasteAgreements.status, 'agreed'),
					eq(wastePermitSteps.status, 'todo'),
					lte(wastePermitSteps.updatedAt, since),
					or(isNull(wastePermitSteps.remindedAt), lte(wastePermitSteps.remindedAt, since))
				)
			)
			.returning({
				agreementId: wastePermitSteps.agreementId,
				step: wastePermitSteps.step,
				position: wastePermitSteps.position
			});
		if (due.length === 0) return 0;
		const parties = await tx
			.select({
				agreementId: wasteAgreements.id,
				lotName: wasteLots.nameTh,
				lotNameEn: wasteLots.nameEn,
				sender: wasteLots.organisationId,
				receiver: materialWants.organisationId
			})
			.from(wasteAgreements)
			.innerJoin(wasteLots, eq(wasteLots.id, wasteAgreements.lotId))
			.innerJoin(materialWants, eq(materialWants.id, wasteAgreements.wantId))
			.where(
				inArray(
					wasteAgreements.id,
					due.map((row) => row.agreementId)
				)
			)
			.orderBy(wasteAgreements.id);
		const stepsOf = Map.groupBy(
			due.toSorted((a, b) => a.position - b.position),
			(row) => row.agreementId
		);
		for (const agreement of parties) {
			const recipients = [
				...(await membersOf(tx, agreement.sender)),
				...(await membersOf(tx, agreement.receiver))
			];
			await notify(
				tx,
				recipients,
				'waste_step_pending',
				{
					link: `/waste/agreements/${agreement.agreementId}`,
					lotName: agreement.lotName ?? agreement.lotNameEn ?? '',
					lotNameEn: agreement.lotNameEn ?? undefined,
					steps: (stepsOf.get(agreement.agreementId) ?? []).map((row) => row.step),
					days: STEP_PENDING_DAYS
				},
				origin
			);
		}
		return parties.length;
	});
}

/** Every hour, as the leader: the reminders due. */
export function startWasteReminders(
	db: Db,
	origin: string,
	log: (message: string) => void,
	intervalMs = 60 * 60_000
) {
	return repeatEvery(
		'waste-reminders',
		intervalMs,
		async () => {
			await asLeader(db, 'wasteReminders', async () => {
				await remindEndingLots(db, origin);
				await remindIdleWants(db, origin);
				await remindPendingSteps(db, origin);
			});
		},
		(error) => log(`[waste] reminder round failed: ${String(error)}`)
	);
}
