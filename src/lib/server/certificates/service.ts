// What happens to a startup's certificates after it declares them: the province's office checks the evidence (or
// refuses it with a reason), audited; 30 days before one expires its startup is reminded, once per expiry date; the
// day after it expires it stops counting, and the gap figures it helped are computed again.
import { and, eq, gte, isNotNull, lt, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { certifications, jobState, startupCertifications, startups } from '../db/schema';
import { recordAudit } from '../audit/record';
import { notFound, UserError } from '../errors';
import { dropCoverageServedBy } from '../gap/coverage';
import { asLeader } from '../leader';
import { membersOfStartups, notify } from '../notifications/service';
import { repeatEvery } from '../background-jobs';
import { enqueueSearchSync } from '../search/outbox';
import type { Actor } from '../auth/actor';
import { addDays } from '$lib/certificates';
import { todayInThailand } from '$lib/schemas/calendar-date';
import type { CertificateDecision } from '$lib/schemas/certificate';

/** How many days before its expiry a startup is reminded of a certificate. */
export const REMINDER_DAYS = 30;
const LAPSED_THROUGH = 'certificates.lapsed_through';

/**
 * The office marks a certificate of one of its province's startups checked, or refuses its evidence with a reason
 * the startup reads. Only evidence waiting for a check can be decided; another province's startup reads as missing.
 */
export async function decideCertificate(
	db: Db,
	officer: Pick<Actor, 'id' | 'email'>,
	provinceCode: string,
	startupId: string,
	certificationId: string,
	input: CertificateDecision
) {
	return db.transaction(async (tx) => {
		const [row] = await tx
			.select({ certificate: startupCertifications })
			.from(startupCertifications)
			.innerJoin(startups, eq(startups.id, startupCertifications.startupId))
			.where(
				and(
					eq(startupCertifications.startupId, startupId),
					eq(startupCertifications.certificationId, certificationId),
					eq(startups.provinceCode, provinceCode)
				)
			)
			.for('update', { of: startupCertifications });
		if (!row) throw notFound('certificate in this province');
		const { certificate } = row;
		if (!certificate.evidencePath || certificate.checkedAt || certificate.refusalReason)
			throw new UserError('certificate_not_waiting', 'not waiting for a check', { status: 409 });
		const check = input.decision === 'check';
		await tx
			.update(startupCertifications)
			.set(check ? { checkedAt: new Date(), checkedBy: officer.id } : { refusalReason: input.reason })
			.where(
				and(
					eq(startupCertifications.startupId, startupId),
					eq(startupCertifications.certificationId, certificationId)
				)
			);
		await recordAudit(tx, {
			actorId: officer.id,
			actorLabel: officer.email,
			action: check ? 'startup.certificate_check' : 'startup.certificate_refuse',
			subjectType: 'startup',
			subjectId: startupId,
			provinceCode,
			before: { certification: certificationId, number: certificate.certificateNumber },
			after: check
				? { certification: certificationId, checked: true, expiresOn: certificate.expiresOn }
				: { certification: certificationId, checked: false, reason: input.reason }
		});
		// Buyers see checked and declared certificates apart: the index carries which are checked.
		await enqueueSearchSync(tx, 'startup', [startupId]);
	});
}

/**
 * Reminds the members of each startup with a certificate expiring within REMINDER_DAYS (in-app and by email through
 * the outbox), once per certificate and expiry date: a renewed certificate is reminded again before its new expiry.
 * Each reminder is claimed and sent in one transaction, so two nodes never send it twice. Returns how many were sent.
 */
export async function remindExpiringCertificates(db: Db, origin: string, now = new Date()): Promise<number> {
	const today = todayInThailand(now);
	return db.transaction(async (tx) => {
		const due = await tx
			.update(startupCertifications)
			.set({ remindedFor: sql`${startupCertifications.expiresOn}` })
			.where(
				and(
					gte(startupCertifications.expiresOn, today),
					lte(startupCertifications.expiresOn, addDays(today, REMINDER_DAYS)),
					or(
						sql`${startupCertifications.remindedFor} is null`,
						sql`${startupCertifications.remindedFor} <> ${startupCertifications.expiresOn}`
					)
				)
			)
			.returning({
				startupId: startupCertifications.startupId,
				certificationId: startupCertifications.certificationId,
				expiresOn: startupCertifications.expiresOn
			});
		if (due.length === 0) return 0;
		const names = new Map(
			(await tx.select().from(certifications)).map((c) => [c.id, { th: c.abbrTh, en: c.abbrEn }])
		);
		const members = await membersOfStartups(
			tx,
			due.map((d) => d.startupId)
		);
		for (const reminder of due) {
			await notify(
				tx,
				members.get(reminder.startupId) ?? [],
				'certificate_expiring',
				{
					link: '/startup/certificates',
					certificateTh: names.get(reminder.certificationId)?.th,
					certificateEn: names.get(reminder.certificationId)?.en,
					expiresOn: reminder.expiresOn
				},
				origin
			);
		}
		return due.length;
	});
}

/**
 * The certificates that expired since the last run stop counting at once in matching, offers and suggestions (they
 * read the day); what was computed ahead, the gap's coverage of the demands their startups matched, is dropped
 * to be computed again. Returns the number of demands to recompute.
 */
export async function dropCoverageOfLapsedCertificates(db: Db, now = new Date()): Promise<number> {
	const today = todayInThailand(now);
	const [mark] = await db.select().from(jobState).where(eq(jobState.name, LAPSED_THROUGH));
	const from = mark?.value ?? addDays(today, -1);
	if (from >= today) return 0;
	const lapsed = await db
		.selectDistinct({ startupId: startupCertifications.startupId })
		.from(startupCertifications)
		.where(
			and(
				isNotNull(startupCertifications.expiresOn),
				gte(startupCertifications.expiresOn, from),
				lt(startupCertifications.expiresOn, today)
			)
		);
	const dropped = await dropCoverageServedBy(
		db,
		lapsed.map((r) => r.startupId)
	);
	await db
		.insert(jobState)
		.values({ name: LAPSED_THROUGH, value: today })
		.onConflictDoUpdate({ target: jobState.name, set: { value: today, updatedAt: new Date() } });
	return dropped;
}

/** Every hour, as the leader: reminders due, and the coverage of certificates that expired since the last run. */
export function startCertificateWorker(
	db: Db,
	origin: string,
	log: (message: string) => void,
	intervalMs = 60 * 60_000
) {
	return repeatEvery(
		'certificates',
		intervalMs,
		async () => {
			await asLeader(db, 'certificates', async () => {
				await remindExpiringCertificates(db, origin);
				await dropCoverageOfLapsedCertificates(db);
			});
		},
		(error) => log(`[certificates] reminder or expiry round failed: ${String(error)}`)
	);
}
