// A startup's profile and products, and its application to its province's office. Every change enqueues a
// search update in the same transaction. Once approved, changes to what is sold or certified (products,
// certifications, categories) or to the province send the profile back for review; the approved snapshot
// stays public meanwhile, while name, summary and contact edits are published at once.
import { and, eq, notInArray, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db';
import { pgErrorOf, PG } from '../db/errors';
import {
	certifications,
	organisations,
	products,
	startupCertifications,
	startupDivisions,
	startups,
	users
} from '../db/schema';
import { recordAudit } from '../audit/record';
import { notFound, UserError } from '../errors';
import { membersOf, notify, officersOf } from '../notifications/service';
import { enqueueSearchSync } from '../search/outbox';
import { loadProfile, type Profile, type StartupRow } from './queries';
import { approvedProfile } from './profile';
import type { CertificateEvidenceInput, ProductInput, ProfileInput } from '$lib/schemas/startup';
import { startupNamed } from '$lib/notifications';
import type { Member } from '../auth/actor';
import { one } from '../db/rows';

export type { Member };

const label = (member: Member) => member.email;

async function organisationOf(tx: Tx, member: Member) {
	if (!member.organisationId) throw notFound('organisation');
	const [organisation] = await tx
		.select()
		.from(organisations)
		.where(and(eq(organisations.id, member.organisationId), eq(organisations.kind, 'startup')));
	if (!organisation) throw notFound('startup organisation');
	return organisation;
}

/** The member's startup, locked for the rest of the transaction; created as a draft on first use. */
async function lockStartup(tx: Tx, member: Member): Promise<StartupRow> {
	const organisation = await organisationOf(tx, member);
	const [existing] = await tx
		.select()
		.from(startups)
		.where(eq(startups.organisationId, organisation.id))
		.for('update');
	if (existing) return existing;
	const created = one(
		await tx
			.insert(startups)
			.values({
				organisationId: organisation.id,
				provinceCode: organisation.provinceCode ?? 'TH-10',
				slug: `startup-${crypto.randomUUID().slice(0, 8)}`,
				nameTh: organisation.name,
				contactEmail: organisation.contactEmail,
				status: 'draft'
			})
			.returning(),
		'insert into startups'
	);
	return created;
}

/** Public address: readable from the English name when there is one, else a stable random one. */
function slugFrom(name: string | null, id: string): string | null {
	const base = (name ?? '')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-|-$/g, '')
		.slice(0, 60);
	return base.length >= 3 ? `${base}-${id.slice(0, 4)}` : null;
}

// Keys written in a fixed order: a snapshot read back from jsonb has its keys in another. Which certificates a
// startup holds is material; a certificate's number and expiry are not: the office checks them as its evidence
// (certificates/service.ts), and until then buyers see the certificate as declared.
const material = (profile: Profile) =>
	JSON.stringify({
		provinceCode: profile.provinceCode,
		divisions: profile.divisions,
		certifications: profile.certifications.map((c) => c.id),
		products: profile.products.map((p) => [
			p.nameTh,
			p.nameEn,
			p.unit,
			p.monthlyCapacity,
			p.priceThbMin,
			p.priceThbMax,
			p.photoPath
		])
	});

/**
 * Records a change: audit, search update, and the re-review rule for approved profiles. `before` is the
 * profile as it was when the transaction began.
 */
async function afterChange(tx: Tx, member: Member, startup: StartupRow, before: Profile, action: string) {
	const after = await loadProfile(
		tx,
		(await tx.select().from(startups).where(eq(startups.id, startup.id)))[0]!
	);
	let status = startup.status;
	if (startup.status === 'approved') {
		if (material(before) !== material(after)) {
			status = 'submitted';
			await tx.update(startups).set({ status, submittedAt: new Date() }).where(eq(startups.id, startup.id));
		} else {
			// Not material: publish the wording and contacts at once, keeping the approved products.
			const snapshot = approvedProfile(startup);
			await tx
				.update(startups)
				.set({ approvedSnapshot: { ...snapshot, ...after, products: snapshot.products } })
				.where(eq(startups.id, startup.id));
		}
	}
	await recordAudit(tx, {
		actorId: member.id,
		actorLabel: label(member),
		action,
		subjectType: 'startup',
		subjectId: startup.id,
		provinceCode: startup.provinceCode,
		before: { ...before, status: startup.status },
		after: { ...after, status }
	});
	await enqueueSearchSync(tx, 'startup', [startup.id]);
}

/**
 * Makes the startup's certificates these: the others go, and a certificate kept keeps its evidence. The office's
 * check stays only while the number and expiry it checked stay; a changed one is declared again until rechecked.
 */
async function replaceCertifications(
	tx: Tx,
	startupId: string,
	list: { id: string; number: string | null; expiresOn: string | null }[]
) {
	await tx.delete(startupCertifications).where(
		and(
			eq(startupCertifications.startupId, startupId),
			list.length > 0
				? notInArray(
						startupCertifications.certificationId,
						list.map((c) => c.id)
					)
				: undefined
		)
	);
	if (list.length === 0) return;
	const unchanged = sql`${startupCertifications.certificateNumber} is not distinct from excluded.certificate_number and ${startupCertifications.expiresOn} is not distinct from excluded.expires_on`;
	await tx
		.insert(startupCertifications)
		.values(
			list.map((c) => ({
				startupId,
				certificationId: c.id,
				certificateNumber: c.number,
				expiresOn: c.expiresOn
			}))
		)
		.onConflictDoUpdate({
			target: [startupCertifications.startupId, startupCertifications.certificationId],
			set: {
				certificateNumber: sql`excluded.certificate_number`,
				expiresOn: sql`excluded.expires_on`,
				checkedAt: sql`case when ${unchanged} then ${startupCertifications.checkedAt} end`,
				checkedBy: sql`case when ${unchanged} then ${startupCertifications.checkedBy} end`
			}
		});
}

/**
 * The startup attaches evidence for one of its own certificates: number, issuer, expiry and (the first time, or to
 * replace it) the certificate as a PDF or a picture. The evidence then waits for the province's office, whose
 * officers are told, to check it; until then
 * the certificate counts in matching as declared. A renewal (a new expiry) is published at once, as declared, without
 * sending the profile back for review. `storedFile`: a new file the caller stored (privately) before, outside this
 * transaction, as the row stays locked meanwhile. Returns the file the evidence no longer names, for the caller to
 * remove.
 */
export async function saveCertificateEvidence(
	db: Db,
	member: Member,
	certificationId: string,
	input: CertificateEvidenceInput,
	storedFile: string | undefined,
	origin: string
): Promise<{ replaced: string | null }> {
	return db.transaction(async (tx) => {
		const startup = await lockStartup(tx, member);
		const [row] = await tx
			.select()
			.from(startupCertifications)
			.where(
				and(
					eq(startupCertifications.startupId, startup.id),
					eq(startupCertifications.certificationId, certificationId)
				)
			);
		// Only the member's own startup's certificates: any other reads as missing.
		if (!row) throw notFound('certificate');
		const evidencePath = storedFile ?? row.evidencePath;
		if (!evidencePath)
			throw new UserError('evidence_file_missing', 'no file attached', { field: 'evidence' });
		const changed =
			row.certificateNumber !== input.number ||
			row.issuer !== input.issuer ||
			row.expiresOn !== input.expiresOn ||
			row.evidencePath !== evidencePath ||
			row.refusalReason !== null;
		if (!changed) return { replaced: null };
		const before = await loadProfile(tx, startup);
		await tx
			.update(startupCertifications)
			.set({
				certificateNumber: input.number,
				issuer: input.issuer,
				expiresOn: input.expiresOn,
				evidencePath,
				checkedAt: null,
				checkedBy: null,
				refusalReason: null
			})
			.where(
				and(
					eq(startupCertifications.startupId, startup.id),
					eq(startupCertifications.certificationId, certificationId)
				)
			);
		await afterChange(tx, member, startup, before, 'startup.certificate_evidence');
		// The province's officers are told the evidence waits for their check (in-app and by email).
		const [certification] = await tx
			.select({ th: certifications.abbrTh, en: certifications.abbrEn })
			.from(certifications)
			.where(eq(certifications.id, certificationId));
		await notify(
			tx,
			await officersOf(tx, startup.provinceCode),
			'certificate_waiting',
			{
				link: `/office/${startup.provinceCode}/certificates`,
				...startupNamed(startup),
				certificateTh: certification?.th,
				certificateEn: certification?.en
			},
			origin
		);
		return { replaced: row.evidencePath !== evidencePath ? row.evidencePath : null };
	});
}

function rethrowReference(error: unknown): never {
	if (pgErrorOf(error)?.code === PG.foreignKeyViolation)
		throw new UserError('invalid_value', 'unknown category or certification');
	throw error;
}

/**
 * Saves the profile. `provinceCode` moves a profile that was never approved to another province (a typo at
 * sign-up, say); after the first approval only an admin moves a startup (`moveStartup`).
 */
export async function saveProfile(
	db: Db,
	member: Member,
	input: ProfileInput & { provinceCode?: string }
): Promise<StartupRow> {
	try {
		return await db.transaction(async (tx) => {
			const startup = await lockStartup(tx, member);
			const before = await loadProfile(tx, startup);
			const province = input.provinceCode ?? startup.provinceCode;
			if (province !== startup.provinceCode) {
				if (startup.approvedAt || startup.status === 'submitted')
					throw new UserError('province_fixed', 'the province is fixed once applied', {
						field: 'provinceCode'
					});
				await tx
					.update(organisations)
					.set({ provinceCode: province })
					.where(eq(organisations.id, startup.organisationId));
			}
			const slug =
				startup.status === 'draft' && !startup.approvedAt
					? (slugFrom(input.nameEn, startup.id) ?? startup.slug)
					: startup.slug;
			const updated = one(
				await tx
					.update(startups)
					.set({
						nameTh: input.nameTh,
						nameEn: input.nameEn,
						summaryTh: input.summaryTh,
						summaryEn: input.summaryEn,
						contactEmail: input.contactEmail,
						phone: input.phone,
						website: input.website,
						provinceCode: province,
						slug
					})
					.where(eq(startups.id, startup.id))
					.returning(),
				'update of startups'
			);
			await tx.delete(startupDivisions).where(eq(startupDivisions.startupId, startup.id));
			await tx
				.insert(startupDivisions)
				.values(input.divisions.map((divisionCode) => ({ startupId: startup.id, divisionCode })));
			await replaceCertifications(tx, startup.id, input.certifications);
			await afterChange(tx, member, startup, before, 'startup.update_profile');
			return updated;
		});
	} catch (error) {
		rethrowReference(error);
	}
}

export async function saveProduct(
	db: Db,
	member: Member,
	input: ProductInput,
	productId?: string
): Promise<void> {
	await db.transaction(async (tx) => {
		const startup = await lockStartup(tx, member);
		const before = await loadProfile(tx, startup);
		if (productId) {
			const updated = await tx
				.update(products)
				.set(input)
				.where(and(eq(products.id, productId), eq(products.startupId, startup.id)))
				.returning({ id: products.id });
			// Someone else's product looks exactly like a missing one.
			if (updated.length === 0) throw notFound('product');
		} else {
			await tx.insert(products).values({ ...input, startupId: startup.id, position: before.products.length });
		}
		await afterChange(
			tx,
			member,
			startup,
			before,
			productId ? 'startup.update_product' : 'startup.add_product'
		);
	});
}

export async function deleteProduct(db: Db, member: Member, productId: string): Promise<void> {
	await db.transaction(async (tx) => {
		const startup = await lockStartup(tx, member);
		const before = await loadProfile(tx, startup);
		const deleted = await tx
			.delete(products)
			.where(and(eq(products.id, productId), eq(products.startupId, startup.id)))
			.returning({ id: products.id });
		if (deleted.length === 0) throw notFound('product');
		await afterChange(tx, member, startup, before, 'startup.delete_product');
	});
}

/** What is still missing before the profile can go to the office, as error codes. */
export function missingForSubmission(profile: Profile, emailVerified: boolean): string[] {
	const missing: string[] = [];
	if (!emailVerified) missing.push('submit_email_unverified');
	if (!profile.nameTh && !profile.nameEn) missing.push('name_required');
	if (!profile.summaryTh && !profile.summaryEn) missing.push('submit_summary_missing');
	if (profile.divisions.length === 0) missing.push('divisions_required');
	if (profile.products.length === 0) missing.push('submit_products_missing');
	return missing;
}

/** Sends a draft or rejected profile to the province's office; the office is notified. */
export async function submitForReview(db: Db, member: Member, origin: string): Promise<StartupRow> {
	return db.transaction(async (tx) => {
		const startup = await lockStartup(tx, member);
		if (startup.status === 'submitted')
			throw new UserError('already_submitted', 'already waiting for review');
		if (startup.status === 'approved') throw new UserError('already_approved', 'already approved');
		if (startup.status === 'suspended') throw new UserError('not_allowed', 'suspended');
		const profile = await loadProfile(tx, startup);
		const [account] = await tx
			.select({ verified: users.emailVerifiedAt })
			.from(users)
			.where(eq(users.id, member.id));
		const missing = missingForSubmission(profile, account?.verified != null);
		if (missing.length > 0) throw new UserError(missing[0]!, `incomplete: ${missing.join(', ')}`);
		const submitted = one(
			await tx
				.update(startups)
				.set({ status: 'submitted', submittedAt: sql`now()` })
				.where(eq(startups.id, startup.id))
				.returning(),
			'update of startups'
		);
		await recordAudit(tx, {
			actorId: member.id,
			actorLabel: label(member),
			action: 'startup.submit',
			subjectType: 'startup',
			subjectId: startup.id,
			provinceCode: startup.provinceCode,
			before: { status: startup.status },
			after: { status: 'submitted' }
		});
		await notify(
			tx,
			await membersOf(tx, startup.organisationId),
			'application_received',
			{ link: '/startup', ...startupNamed(profile) },
			origin
		);
		await notify(
			tx,
			await officersOf(tx, startup.provinceCode),
			'application_waiting',
			{ link: `/office/${startup.provinceCode}/review/${startup.id}`, ...startupNamed(profile) },
			origin
		);
		await enqueueSearchSync(tx, 'startup', [startup.id]);
		return submitted;
	});
}

/**
 * Whether a picture may be uploaded for the member's startup (its logo) or one of its products, checked before
 * the file is read and stored: anyone else's product reads as missing, and nothing lands on the disk.
 */
export async function checkImageTarget(db: Db, member: Member, productId?: string): Promise<void> {
	await db.transaction(async (tx) => {
		const organisation = await organisationOf(tx, member);
		if (productId === undefined) return;
		const [owned] = await tx
			.select({ id: products.id })
			.from(products)
			.innerJoin(startups, eq(startups.id, products.startupId))
			.where(and(eq(products.id, productId), eq(startups.organisationId, organisation.id)));
		if (!owned) throw notFound('product');
	});
}

/**
 * A new logo (already checked and stored): part of the wording, so published at once when approved. Returns
 * the logo it replaced, for its file to be removed.
 */
export async function setLogo(db: Db, member: Member, logoPath: string): Promise<string | null> {
	return db.transaction(async (tx) => {
		const startup = await lockStartup(tx, member);
		const before = await loadProfile(tx, startup);
		await tx.update(startups).set({ logoPath }).where(eq(startups.id, startup.id));
		await afterChange(tx, member, startup, before, 'startup.set_logo');
		return startup.logoPath === logoPath ? null : startup.logoPath;
	});
}

/**
 * A product's photo; like any product change, it sends an approved profile back for review. Returns the photo
 * it replaced, for its file to be removed.
 */
export async function setProductPhoto(
	db: Db,
	member: Member,
	productId: string,
	photoPath: string
): Promise<string | null> {
	return db.transaction(async (tx) => {
		const startup = await lockStartup(tx, member);
		const before = await loadProfile(tx, startup);
		const previous = before.products.find((p) => p.id === productId)?.photoPath ?? null;
		const updated = await tx
			.update(products)
			.set({ photoPath })
			.where(and(eq(products.id, productId), eq(products.startupId, startup.id)))
			.returning({ id: products.id });
		if (updated.length === 0) throw notFound('product');
		await afterChange(tx, member, startup, before, 'startup.set_product_photo');
		return previous === photoPath ? null : previous;
	});
}

/**
 * An admin moves a startup to another province (the business moved, or signed up under the wrong one). It
 * goes to the new province's office for review; a startup that is some year's selection cannot be moved.
 */
export async function moveStartup(
	db: Db,
	admin: { id: string; email: string },
	startupId: string,
	provinceCode: string,
	reason: string
): Promise<void> {
	try {
		await db.transaction(async (tx) => {
			const [startup] = await tx.select().from(startups).where(eq(startups.id, startupId)).for('update');
			if (!startup) throw notFound('startup');
			if (startup.provinceCode === provinceCode) return;
			const status =
				startup.status === 'draft' || startup.status === 'rejected' ? startup.status : 'submitted';
			await tx
				.update(startups)
				.set({ provinceCode, status, submittedAt: status === 'submitted' ? new Date() : startup.submittedAt })
				.where(eq(startups.id, startupId));
			await tx
				.update(organisations)
				.set({ provinceCode })
				.where(eq(organisations.id, startup.organisationId));
			for (const province of [startup.provinceCode, provinceCode]) {
				await recordAudit(tx, {
					actorId: admin.id,
					actorLabel: admin.email,
					action: 'startup.move_province',
					subjectType: 'startup',
					subjectId: startupId,
					provinceCode: province,
					before: { provinceCode: startup.provinceCode, status: startup.status },
					after: { provinceCode, status, reason }
				});
			}
			await enqueueSearchSync(tx, 'startup', [startupId]);
		});
	} catch (error) {
		const pg = pgErrorOf(error);
		if (pg?.code === PG.foreignKeyViolation)
			throw pg.constraint === 'province_selections_startup_in_province_fk'
				? new UserError('startup_selected_cannot_move', 'selected startups stay in their province', {
						field: 'provinceCode'
					})
				: new UserError('province_unknown', 'no such province', { field: 'provinceCode' });
		throw error;
	}
}

/**
 * Puts the approved snapshot back as the live profile: a rejected re-review drops the changes the office refused
 * (categories, certifications, products; wording and contacts were published at once and are in the snapshot).
 * Products keep their ids so a photo or a later edit still finds them; the province stays where an admin put it.
 */
export async function restoreApprovedProfile(tx: Tx, startup: StartupRow): Promise<void> {
	const snapshot = approvedProfile(startup);
	await tx
		.update(startups)
		.set({
			nameTh: snapshot.nameTh,
			nameEn: snapshot.nameEn,
			summaryTh: snapshot.summaryTh,
			summaryEn: snapshot.summaryEn,
			contactEmail: snapshot.contactEmail,
			phone: snapshot.phone,
			website: snapshot.website,
			logoPath: snapshot.logoPath
		})
		.where(eq(startups.id, startup.id));
	await tx.delete(startupDivisions).where(eq(startupDivisions.startupId, startup.id));
	if (snapshot.divisions.length > 0)
		await tx
			.insert(startupDivisions)
			.values(snapshot.divisions.map((divisionCode) => ({ startupId: startup.id, divisionCode })));
	await replaceCertifications(tx, startup.id, snapshot.certifications);
	const kept = snapshot.products.map((p) => p.id);
	await tx
		.delete(products)
		.where(
			and(
				eq(products.startupId, startup.id),
				kept.length > 0 ? sql`${products.id} not in ${kept}` : undefined
			)
		);
	for (const [position, { id, ...fields }] of snapshot.products.entries()) {
		const values = { ...fields, position };
		await tx
			.insert(products)
			.values({ id, startupId: startup.id, ...values })
			.onConflictDoUpdate({ target: products.id, set: values });
	}
}

/** Whether the live profile differs from the approved snapshot in what needs review. */
export async function hasUnreviewedChanges(tx: Tx, startup: StartupRow): Promise<boolean> {
	const snapshot = startup.approvedSnapshot;
	if (!snapshot) return true;
	return (
		material({ ...snapshot, provinceCode: startup.provinceCode }) !== material(await loadProfile(tx, startup))
	);
}
