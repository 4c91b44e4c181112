// Verified organisations: a buyer or startup gives its juristic person number and uploads documents that prove it;
// the province's office (the administrators for Bangkok and for buyers without a province) verifies it, refuses it
// with a reason, or later revokes it with a reason. Every decision is audited and told to the organisation.
import path from 'node:path';
import { and, asc, eq, isNull, or, sql } from 'drizzle-orm';
import type { Db, Queryable } from '../db';
import { organisationDocuments, organisations } from '../db/schema';
import { recordAudit } from '../audit/record';
import { pgErrorOf, PG } from '../db/errors';
import { env } from '../env';
import { notFound, UserError } from '../errors';
import { membersOf, notify, officersOf } from '../notifications/service';
import { storeDocument } from '../uploads/images';
import { takeUploadSlot } from '../uploads/limits';
import { removeReplacedUpload } from '../uploads/orphans';
import type { VerificationDecision } from '$lib/schemas/organisation';
import type { Actor, Member } from '../auth/actor';
import { one } from '../db/rows';

/** Bangkok has no provincial office: its administrators act for it, and for buyers with no province. */
export const ADMIN_OFFICE = 'TH-10';
/** Enough for an affidavit, a VAT certificate and a few pages more; not a place to keep files. */
export const MAX_DOCUMENTS = 10;

export type Verification = (typeof organisations.$inferSelect)['verification'];

export type { Member };

/** The office that verifies an organisation. */
export function officeOf(organisation: { provinceCode: string | null }): string {
	return organisation.provinceCode ?? ADMIN_OFFICE;
}

/** Whether the office verified the organisation (read in the caller's transaction). */
export async function isVerified(db: Queryable, organisationId: string): Promise<boolean> {
	const organisation = await organisationOf(db, organisationId);
	return organisation?.verification === 'verified';
}

/** Whether the organisation may still change its number and documents: not while waiting or verified. */
export function isEditable(verification: Verification): boolean {
	return verification === 'unverified' || verification === 'refused' || verification === 'revoked';
}

const organisationOf = (db: Queryable, organisationId: string) =>
	db
		.select()
		.from(organisations)
		.where(eq(organisations.id, organisationId))
		.then((rows) => rows[0]);

function documentsOf(db: Queryable, organisationId: string) {
	return db
		.select({
			id: organisationDocuments.id,
			fileName: organisationDocuments.fileName,
			path: organisationDocuments.path,
			createdAt: organisationDocuments.createdAt
		})
		.from(organisationDocuments)
		.where(eq(organisationDocuments.organisationId, organisationId))
		.orderBy(asc(organisationDocuments.createdAt), asc(organisationDocuments.id));
}

/** What a member sees on the verification page: the organisation's number, state, reason and documents. */
export async function ownVerification(db: Queryable, member: Member) {
	if (!member.organisationId) throw notFound('organisation');
	const organisation = await organisationOf(db, member.organisationId);
	if (!organisation) throw notFound('organisation');
	return {
		organisation: pickVerification(organisation),
		documents: await documentsOf(db, organisation.id)
	};
}

function pickVerification(organisation: typeof organisations.$inferSelect) {
	return {
		id: organisation.id,
		kind: organisation.kind,
		name: organisation.name,
		provinceCode: organisation.provinceCode,
		registrationNumber: organisation.registrationNumber,
		verification: organisation.verification,
		verificationReason: organisation.verificationReason,
		verificationRequestedAt: organisation.verificationRequestedAt,
		verifiedAt: organisation.verifiedAt
	};
}

async function lockEditable(db: Queryable, member: Member) {
	if (!member.organisationId) throw notFound('organisation');
	const [organisation] = await db
		.select()
		.from(organisations)
		.where(eq(organisations.id, member.organisationId))
		.for('update');
	if (!organisation) throw notFound('organisation');
	if (!isEditable(organisation.verification))
		throw new UserError('verification_locked', `verification is ${organisation.verification}`, {
			status: 409
		});
	return organisation;
}

/** A file's name as the uploader had it, without any folder, for the officer to tell documents apart. */
function displayName(file: File): string {
	const name = path.basename(file.name.replace(/\\/g, '/')).trim();
	return name.slice(0, 200) || 'document';
}

/**
 * Stores a document for the member's organisation: a PDF (at most 5 MB) or a picture (PNG, JPEG or WebP, at most
 * 2 MB, re-encoded without its metadata), the same rules as the portal's other uploads.
 */
export async function addDocument(db: Db, member: Member, file: File) {
	if (file.size === 0) throw new UserError('document_missing', 'no file', { field: 'document' });
	await db.transaction(async (tx) => {
		const organisation = await lockEditable(tx, member);
		const count = one(
			await tx
				.select({ n: sql<number>`count(*)::int` })
				.from(organisationDocuments)
				.where(eq(organisationDocuments.organisationId, organisation.id)),
			'select from organisationDocuments'
		);
		if (count.n >= MAX_DOCUMENTS)
			throw new UserError('documents_too_many', `at most ${MAX_DOCUMENTS}`, {
				field: 'document',
				status: 409
			});
	});
	await takeUploadSlot(db, member.id, 'document');
	const stored = await storeDocument(env().dataDir, file, 'document');
	return db.transaction(async (tx) => {
		// Checked again: the verification may have been asked for while the file was being stored.
		const organisation = await lockEditable(tx, member);
		const document = one(
			await tx
				.insert(organisationDocuments)
				.values({
					organisationId: organisation.id,
					path: stored,
					fileName: displayName(file),
					uploadedBy: member.id
				})
				.returning(),
			'insert into organisationDocuments'
		);
		return document;
	});
}

export async function removeDocument(db: Db, member: Member, documentId: string): Promise<void> {
	const removed = await db.transaction(async (tx) => {
		const organisation = await lockEditable(tx, member);
		const [row] = await tx
			.delete(organisationDocuments)
			.where(
				and(
					eq(organisationDocuments.id, documentId),
					eq(organisationDocuments.organisationId, organisation.id)
				)
			)
			.returning({ path: organisationDocuments.path });
		if (!row) throw notFound('document');
		return row.path;
	});
	await removeReplacedUpload(db, removed);
}

/**
 * The organisation gives its number and asks its office to verify it against the documents it uploaded; the
 * office's officers are told.
 */
export async function requestVerification(
	db: Db,
	member: Member,
	input: { registrationNumber: string; provinceCode: string | null },
	origin: string
): Promise<void> {
	try {
		await db.transaction(async (tx) => {
			const organisation = await lockEditable(tx, member);
			const documents = await documentsOf(tx, organisation.id);
			if (documents.length === 0)
				throw new UserError('verification_documents_required', 'upload a document first', {
					field: 'document'
				});
			// A buyer says where it is registered; a startup's province is its startup's.
			const provinceCode = organisation.kind === 'buyer' ? input.provinceCode : organisation.provinceCode;
			await tx
				.update(organisations)
				.set({
					registrationNumber: input.registrationNumber,
					provinceCode,
					verification: 'pending',
					verificationReason: null,
					verificationRequestedAt: new Date()
				})
				.where(eq(organisations.id, organisation.id));
			await recordAudit(tx, {
				actorId: member.id,
				actorLabel: member.email,
				action: 'organisation.request_verification',
				subjectType: 'organisation',
				subjectId: organisation.id,
				// The office that will decide: a buyer's province as it gives it now.
				provinceCode: officeOf({ provinceCode }),
				before: {
					verification: organisation.verification,
					registrationNumber: organisation.registrationNumber
				},
				after: {
					verification: 'pending',
					registrationNumber: input.registrationNumber,
					documents: documents.map((d) => d.fileName)
				}
			});
			// The officers who decide are told a request waits (in-app and by email).
			const office = officeOf({ provinceCode });
			await notify(
				tx,
				await officersOf(tx, office),
				'verification_requested',
				{ link: `/office/${office}/verification/${organisation.id}`, organisationName: organisation.name },
				origin
			);
		});
	} catch (error) {
		if (pgErrorOf(error)?.code === PG.foreignKeyViolation)
			throw new UserError('province_unknown', 'no such province', { field: 'provinceCode' });
		if (pgErrorOf(error)?.code === PG.uniqueViolation)
			throw new UserError('juristic_number_taken', 'another organisation has this number', {
				field: 'registrationNumber',
				status: 409
			});
		throw error;
	}
}

/** Which organisations an office answers for: its province's, and for the administrators also those with none. */
function ofOffice(provinceCode: string) {
	return provinceCode === ADMIN_OFFICE
		? or(eq(organisations.provinceCode, provinceCode), isNull(organisations.provinceCode))
		: eq(organisations.provinceCode, provinceCode);
}

/** The office's queue: organisations waiting for verification, the longest-waiting first. */
export function verificationQueue(db: Queryable, provinceCode: string) {
	return db
		.select({
			id: organisations.id,
			name: organisations.name,
			kind: organisations.kind,
			registrationNumber: organisations.registrationNumber,
			requestedAt: organisations.verificationRequestedAt
		})
		.from(organisations)
		.where(and(eq(organisations.verification, 'pending'), ofOffice(provinceCode)))
		.orderBy(asc(organisations.verificationRequestedAt), asc(organisations.id))
		.limit(200);
}

/** An organisation as its office sees it for a decision; another office's reads as missing. */
export async function organisationForOffice(db: Queryable, provinceCode: string, organisationId: string) {
	const [organisation] = await db
		.select()
		.from(organisations)
		.where(and(eq(organisations.id, organisationId), ofOffice(provinceCode)));
	if (!organisation) throw notFound('organisation of this office');
	return { organisation: pickVerification(organisation), documents: await documentsOf(db, organisation.id) };
}

const OUTCOME = {
	verify: { from: 'pending', to: 'verified', notice: 'organisation_verified' },
	refuse: { from: 'pending', to: 'refused', notice: 'organisation_refused' },
	revoke: { from: 'verified', to: 'revoked', notice: 'organisation_revoked' }
} as const;

/**
 * The office's decision. Verifying or refusing answers a request; revoking takes back a verification whose
 * documents turned out wrong. An officer decides only for their own province (the route checked it; checked
 * again here, where the rule lives).
 */
export async function decideVerification(
	db: Db,
	actor: Pick<Actor, 'id' | 'email' | 'role' | 'provinceCode'>,
	provinceCode: string,
	organisationId: string,
	input: VerificationDecision,
	origin: string
): Promise<Verification> {
	if (actor.role !== 'admin' && (actor.role !== 'officer' || actor.provinceCode !== provinceCode))
		throw notFound('organisation of this office');
	const outcome = OUTCOME[input.decision];
	return db.transaction(async (tx) => {
		const [organisation] = await tx
			.select()
			.from(organisations)
			.where(and(eq(organisations.id, organisationId), ofOffice(provinceCode)))
			.for('update');
		if (!organisation) throw notFound('organisation of this office');
		if (organisation.verification !== outcome.from)
			throw new UserError(
				'verification_not_allowed',
				`cannot ${input.decision} when ${organisation.verification}`,
				{ status: 409 }
			);
		const reason = input.decision === 'verify' ? null : input.reason;
		await tx
			.update(organisations)
			.set({
				verification: outcome.to,
				verificationReason: reason,
				verifiedAt: outcome.to === 'verified' ? new Date() : null
			})
			.where(eq(organisations.id, organisationId));
		await recordAudit(tx, {
			actorId: actor.id,
			actorLabel: actor.email,
			action: `organisation.${input.decision}`,
			subjectType: 'organisation',
			subjectId: organisationId,
			provinceCode: officeOf(organisation),
			before: { verification: organisation.verification },
			after: {
				verification: outcome.to,
				registrationNumber: organisation.registrationNumber,
				...(reason ? { reason } : {})
			}
		});
		await notify(
			tx,
			await membersOf(tx, organisationId),
			outcome.notice,
			{ link: '/organisation', organisationName: organisation.name, reason: reason ?? undefined },
			origin
		);
		return outcome.to;
	});
}

/**
 * A stored document for someone allowed to read it: a member of its organisation, an officer of the organisation's
 * office, or an administrator. Anyone else is told it does not exist.
 */
export async function documentForReader(db: Queryable, reader: Actor, id: string) {
	const [row] = await db
		.select({ document: organisationDocuments, provinceCode: organisations.provinceCode })
		.from(organisationDocuments)
		.innerJoin(organisations, eq(organisations.id, organisationDocuments.organisationId))
		.where(eq(organisationDocuments.id, id));
	if (!row) throw notFound('document');
	const allowed =
		reader.role === 'admin' ||
		(reader.role === 'officer' && reader.provinceCode === officeOf(row)) ||
		(reader.organisationId !== null && reader.organisationId === row.document.organisationId);
	if (!allowed) throw notFound('document');
	return row.document;
}
