// Uploaded files no row points at any more: a replaced logo, photo or attachment, or a file stored for a change
// that then failed. They are removed, so replacing a picture six times leaves one file (and backups carry only
// what the portal shows), never a file a row still names or one that may be about to be named.
import fs from 'node:fs/promises';
import path from 'node:path';
import { isNotNull } from 'drizzle-orm';
import type { Db, Queryable } from '../db';
import {
	demands,
	organisationDocuments,
	products,
	startupCertifications,
	startups,
	wasteLotFiles
} from '../db/schema';
import { env } from '../env';
import { asLeader } from '../leader';
import { repeatEvery } from '../background-jobs';
import { listUploads } from './images';
import { errnoCode } from '../system-errors';

/**
 * How old an unreferenced file must be before the scheduled sweep removes it: a file is stored a moment before
 * the row that names it is written, and the same picture (stored once, by its hash) may be on its way to another
 * row.
 */
export const ORPHAN_MIN_AGE_MS = 60 * 60_000;
/** On replace the old file goes at once unless it was written in the last minute (an upload of the same bytes). */
export const REPLACED_MIN_AGE_MS = 60_000;

/** Every upload path a row names. */
async function referencedUploads(db: Queryable): Promise<Set<string>> {
	const [logos, photos, attachments, documents, evidence, lotFiles] = await Promise.all([
		db.selectDistinct({ path: startups.logoPath }).from(startups).where(isNotNull(startups.logoPath)),
		db.selectDistinct({ path: products.photoPath }).from(products).where(isNotNull(products.photoPath)),
		db
			.selectDistinct({ path: demands.attachmentPath })
			.from(demands)
			.where(isNotNull(demands.attachmentPath)),
		db.selectDistinct({ path: organisationDocuments.path }).from(organisationDocuments),
		db
			.selectDistinct({ path: startupCertifications.evidencePath })
			.from(startupCertifications)
			.where(isNotNull(startupCertifications.evidencePath)),
		db.selectDistinct({ path: wasteLotFiles.path }).from(wasteLotFiles)
	]);
	return new Set(
		[...logos, ...photos, ...attachments, ...documents, ...evidence, ...lotFiles].map((row) => row.path!)
	);
}

/**
 * Removes the uploads no row names that were last written at least `minAgeMs` ago; `only` limits it to those
 * paths (the file a change just replaced). Returns the paths removed.
 */
export async function collectOrphanUploads(
	db: Queryable,
	dataDir: string,
	options: { minAgeMs?: number; only?: (string | null | undefined)[]; now?: Date } = {}
): Promise<string[]> {
	const minAgeMs = options.minAgeMs ?? ORPHAN_MIN_AGE_MS;
	const now = options.now ?? new Date();
	const stored = await listUploads(dataDir);
	const candidates = options.only ? stored.filter((relative) => options.only!.includes(relative)) : stored;
	if (candidates.length === 0) return [];
	const referenced = await referencedUploads(db);
	const removed: string[] = [];
	for (const relative of candidates) {
		if (referenced.has(relative)) continue;
		const file = path.join(dataDir, 'uploads', relative);
		try {
			const { mtimeMs } = await fs.stat(file);
			if (now.getTime() - mtimeMs < minAgeMs) continue;
			await fs.unlink(file);
			removed.push(relative);
		} catch (error) {
			// Gone already (another sweep, or a replace at the same moment): nothing left to do.
			if (errnoCode(error) === 'ENOENT') continue;
			throw error;
		}
	}
	return removed;
}

/**
 * After a change that replaced `previous` (already committed): removes the old file when no row names it. A
 * failure here is logged and left to the scheduled sweep; the change the person made stands.
 */
export async function removeReplacedUpload(
	db: Queryable,
	previous: string | null | undefined
): Promise<void> {
	if (!previous) return;
	try {
		await collectOrphanUploads(db, env().dataDir, { only: [previous], minAgeMs: REPLACED_MIN_AGE_MS });
	} catch (error) {
		console.error(`[uploads] could not remove the replaced ${previous}; the sweep will retry:`, error);
	}
}

/** The scheduled sweep, on one node at a time. */
export function startOrphanUploadSweep(
	db: Db,
	dataDir: string,
	log: (message: string) => void,
	intervalMs = 15 * 60_000
) {
	return repeatEvery(
		'upload-orphan-sweep',
		intervalMs,
		async () => {
			const removed = await asLeader(db, 'orphanUploads', () => collectOrphanUploads(db, dataDir));
			if (removed && removed.length > 0) log(`[uploads] removed ${removed.length} files no row names`);
		},
		(error) => log(`[uploads] orphan sweep failed: ${String(error)}`)
	);
}
