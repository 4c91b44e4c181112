// A lot's photos and documents (issue 23), with the upload rules every upload keeps (signature, size, pixels, a
// count per person per hour): photos are public once the lot is approved, documents such as lab analyses are read
// only by the lot's owner, the other side of an agreement about it (proposed or agreed), and the office of its
// province (or an administrator). Adding and removing are audited with the lot.
import { and, count, eq, inArray } from 'drizzle-orm';
import type { Db, Queryable } from '../db';
import { materialWants, wasteAgreements, wasteLotFiles, wasteLots } from '../db/schema';
import { recordAudit } from '../audit/record';
import { env } from '../env';
import { notFound, UserError } from '../errors';
import { storeImage, storePdf } from '../uploads/images';
import { takeUploadSlot } from '../uploads/limits';
import type { WasteActor } from './service';

export type LotFileKind = 'photo' | 'document';
export type LotFileRow = typeof wasteLotFiles.$inferSelect;

/** How many of each a lot may carry: enough to show the material and its analyses, not a file store. */
export const LOT_FILE_LIMITS: Record<LotFileKind, number> = { photo: 6, document: 10 };

/** The file name as people gave it, trimmed to what the list shows; never a path. */
const displayName = (name: string) =>
	[...(name.split(/[\\/]/).pop() ?? '')]
		.filter((char) => char.charCodeAt(0) >= 32)
		.join('')
		.trim()
		.slice(0, 200) || 'file';

/** Stores an upload for the owner's lot and lists it; throws UserError (with `field`) when it cannot. */
export async function addLotFile(
	db: Db,
	actor: WasteActor,
	lotId: string,
	kind: LotFileKind,
	file: File,
	field: string
): Promise<LotFileRow> {
	const [lot] = await db.select().from(wasteLots).where(eq(wasteLots.id, lotId));
	if (!lot || lot.organisationId !== actor.organisationId) throw notFound('record');
	await takeUploadSlot(db, actor.id, field);
	const path =
		kind === 'photo'
			? await storeImage(env().dataDir, 'waste', file, field)
			: await storePdf(env().dataDir, file, field, 'documents');
	return db.transaction(async (tx) => {
		// The count is taken under the lot's lock, so two uploads at once cannot pass the limit together.
		await tx.select({ id: wasteLots.id }).from(wasteLots).where(eq(wasteLots.id, lot.id)).for('update');
		const [held] = await tx
			.select({ n: count() })
			.from(wasteLotFiles)
			.where(and(eq(wasteLotFiles.lotId, lot.id), eq(wasteLotFiles.kind, kind)));
		if (held!.n >= LOT_FILE_LIMITS[kind])
			throw new UserError('waste_files_too_many', `at most ${LOT_FILE_LIMITS[kind]}`, { field, status: 409 });
		const [row] = await tx
			.insert(wasteLotFiles)
			.values({ lotId: lot.id, kind, path, name: displayName(file.name), uploadedBy: actor.id })
			.returning();
		await recordAudit(tx, {
			actorId: actor.id,
			actorLabel: actor.email,
			action: 'waste_lot.file_add',
			subjectType: 'waste_lot',
			subjectId: lot.id,
			provinceCode: lot.provinceCode,
			after: { kind, fileId: row!.id, path }
		});
		return row!;
	});
}

/** The owner takes a file off the lot (the stored file goes with the orphan sweep). */
export async function removeLotFile(db: Db, actor: WasteActor, lotId: string, fileId: string): Promise<void> {
	await db.transaction(async (tx) => {
		const [row] = await tx
			.select({ file: wasteLotFiles, lot: wasteLots })
			.from(wasteLotFiles)
			.innerJoin(wasteLots, eq(wasteLots.id, wasteLotFiles.lotId))
			.where(and(eq(wasteLotFiles.id, fileId), eq(wasteLotFiles.lotId, lotId)));
		if (!row || row.lot.organisationId !== actor.organisationId) throw notFound('record');
		await tx.delete(wasteLotFiles).where(eq(wasteLotFiles.id, fileId));
		await recordAudit(tx, {
			actorId: actor.id,
			actorLabel: actor.email,
			action: 'waste_lot.file_remove',
			subjectType: 'waste_lot',
			subjectId: lotId,
			provinceCode: row.lot.provinceCode,
			before: { kind: row.file.kind, fileId, path: row.file.path }
		});
	});
}

export function filesOfLot(db: Queryable, lotId: string) {
	return db
		.select()
		.from(wasteLotFiles)
		.where(eq(wasteLotFiles.lotId, lotId))
		.orderBy(wasteLotFiles.createdAt, wasteLotFiles.id);
}

/** The first photo of each approved lot among `lotIds`, for public lists. */
export async function publicPhotos(db: Queryable, lotIds: string[]): Promise<Record<string, string>> {
	if (lotIds.length === 0) return {};
	const rows = await db
		.select({ lotId: wasteLotFiles.lotId, path: wasteLotFiles.path })
		.from(wasteLotFiles)
		.innerJoin(wasteLots, eq(wasteLots.id, wasteLotFiles.lotId))
		.where(
			and(
				inArray(wasteLotFiles.lotId, lotIds),
				eq(wasteLotFiles.kind, 'photo'),
				eq(wasteLots.status, 'approved')
			)
		)
		.orderBy(wasteLotFiles.createdAt, wasteLotFiles.id);
	const first: Record<string, string> = {};
	for (const row of rows) first[row.lotId] ??= row.path;
	return first;
}

export interface FileReader {
	role: string;
	organisationId: string | null;
	provinceCode: string | null;
}

/**
 * A lot's file as `reader` may have it, or null (not found, or not theirs to read: the caller answers 404 either
 * way, so a stranger learns nothing). Photos: anyone once the lot is approved, else as documents. Documents: the
 * owner, the other side of a proposed or agreed agreement about the lot, its province's office, an administrator.
 */
export async function readableLotFile(
	db: Queryable,
	reader: FileReader,
	lotId: string,
	fileId: string
): Promise<LotFileRow | null> {
	const [row] = await db
		.select({ file: wasteLotFiles, lot: wasteLots })
		.from(wasteLotFiles)
		.innerJoin(wasteLots, eq(wasteLots.id, wasteLotFiles.lotId))
		.where(and(eq(wasteLotFiles.id, fileId), eq(wasteLotFiles.lotId, lotId)));
	if (!row) return null;
	if (row.file.kind === 'photo' && row.lot.status === 'approved') return row.file;
	if (reader.role === 'admin') return row.file;
	if (reader.role === 'officer') return reader.provinceCode === row.lot.provinceCode ? row.file : null;
	if (!reader.organisationId) return null;
	if (reader.organisationId === row.lot.organisationId) return row.file;
	const [counterpart] = await db
		.select({ id: wasteAgreements.id })
		.from(wasteAgreements)
		.innerJoin(materialWants, eq(materialWants.id, wasteAgreements.wantId))
		.where(
			and(
				eq(wasteAgreements.lotId, lotId),
				inArray(wasteAgreements.status, ['proposed', 'agreed']),
				eq(materialWants.organisationId, reader.organisationId)
			)
		)
		.limit(1);
	return counterpart ? row.file : null;
}
