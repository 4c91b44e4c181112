// Uploaded files. Pictures (logos, product photos): recognised by their first bytes, not their name; decoded and
// re-encoded as WebP, which drops EXIF, GPS and any other metadata and anything hidden after the image; stored
// under DATA_DIR by the hash of the result, so the same picture is kept once.
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { UserError } from '../errors';
import { errnoCode } from '../system-errors';

export const MAX_IMAGE_BYTES = 2 * 1024 * 1024;
/**
 * Pixels a picture may have (a 48-megapixel phone photo is 8064 × 6048 … refused; the usual 12 and 24 are not).
 * The byte limit says nothing about them: a 168 KB PNG of 6300 × 6300 decodes to 159 MB and took about 1 s of
 * CPU. The header is read first, so a larger one is refused before any decoding.
 */
export const MAX_IMAGE_PIXELS = 40_000_000;
/** Pictures decoded at once; the others wait their turn, so uploads cannot take every core from the pages. */
export const IMAGE_DECODES_AT_ONCE = 2;
export type ImageKind = 'logos' | 'products' | 'documents' | 'waste';
// A document photographed for the office (a company affidavit) must stay legible.
const SIZES: Record<ImageKind, number> = { logos: 512, products: 1200, documents: 2400, waste: 1200 };

/** A counting semaphore: at most `size` tasks run at once, the rest wait in order. */
export function createSemaphore(size: number) {
	let active = 0;
	const waiting: (() => void)[] = [];
	return {
		get active() {
			return active;
		},
		get waiting() {
			return waiting.length;
		},
		async run<T>(task: () => Promise<T>): Promise<T> {
			if (active >= size) await new Promise<void>((resolve) => waiting.push(resolve));
			else active++;
			try {
				return await task();
			} finally {
				// The slot passes straight to the next in line (active stays the same), or is freed.
				const next = waiting.shift();
				if (next) next();
				else active--;
			}
		}
	};
}

/** The slots for decoding pictures, shared by every upload in this process. */
export const imageDecodeSlots = createSemaphore(IMAGE_DECODES_AT_ONCE);

/** PNG, JPEG or WebP by signature; anything else, whatever its name says, is refused. */
export function imageTypeOf(bytes: Uint8Array): 'png' | 'jpeg' | 'webp' | null {
	const starts = (...signature: number[]) => signature.every((byte, i) => bytes[i] === byte);
	if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'png';
	if (starts(0xff, 0xd8, 0xff)) return 'jpeg';
	const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
	if (bytes.length > 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'webp';
	return null;
}

/** Checks, cleans and stores an upload; returns its path relative to DATA_DIR/uploads. */
export async function storeImage(
	dataDir: string,
	kind: ImageKind,
	file: File,
	field: string
): Promise<string> {
	if (file.size === 0) throw new UserError('image_missing', 'no file', { field });
	if (file.size > MAX_IMAGE_BYTES)
		throw new UserError('image_too_large', 'over 2 MB', { field, status: 413 });
	const bytes = new Uint8Array(await file.arrayBuffer());
	if (!imageTypeOf(bytes)) throw new UserError('image_type', 'not PNG, JPEG or WebP', { field, status: 415 });
	let pixels: number;
	try {
		// Only the header is read here: the size is known before anything is decoded.
		const { width, height } = await sharp(bytes).metadata();
		pixels = (width ?? 0) * (height ?? 0);
	} catch {
		throw new UserError('image_unreadable', 'cannot read the header', { field });
	}
	if (pixels > MAX_IMAGE_PIXELS)
		throw new UserError('image_too_many_pixels', `${pixels} pixels, over ${MAX_IMAGE_PIXELS}`, {
			field,
			status: 413
		});
	let cleaned: Buffer;
	try {
		cleaned = await imageDecodeSlots.run(() =>
			// limitInputPixels again, in case the header and the data disagree.
			sharp(bytes, { limitInputPixels: MAX_IMAGE_PIXELS })
				.rotate()
				.resize({ width: SIZES[kind], height: SIZES[kind], fit: 'inside', withoutEnlargement: true })
				.webp({ quality: 85 })
				.toBuffer()
		);
	} catch {
		// The signature looked right but the picture does not decode (truncated, corrupt, a disguised file).
		throw new UserError('image_unreadable', 'cannot decode', { field });
	}
	const name = `${crypto.createHash('sha256').update(cleaned).digest('hex')}.webp`;
	const directory = path.join(dataDir, 'uploads', kind);
	await fs.mkdir(directory, { recursive: true });
	await fs.writeFile(path.join(directory, name), cleaned);
	return `${kind}/${name}`;
}

const UPLOAD_PATH = /^(logos|products|attachments|documents|waste)\/([0-9a-f]{64})\.(webp|pdf)$/;
const UPLOAD_KINDS = ['logos', 'products', 'attachments', 'documents', 'waste'] as const;

/**
 * A path the upload modules write (`kind/sha256.ext`, PDFs only as attachments or documents), read apart; else
 * null. Documents are private: organisations' proofs of registration, served only through a guarded route.
 */
function parseUploadPath(relative: string): { sha256: string; pdf: boolean; private: boolean } | null {
	const match = UPLOAD_PATH.exec(relative);
	if (!match) return null;
	const isPrivate = match[1] === 'documents';
	if (!isPrivate && (match[1] === 'attachments') !== (match[3] === 'pdf')) return null;
	return { sha256: match[2]!, pdf: match[3] === 'pdf', private: isPrivate };
}

/** The stored file for a public path, or null when the path is not one the upload modules write publicly. */
export function uploadFile(dataDir: string, relative: string): { path: string; contentType: string } | null {
	const upload = parseUploadPath(relative);
	if (!upload || upload.private) return null;
	return storedFile(dataDir, relative);
}

/** The stored file for a private document's path (the caller decided who may read it), or null. */
export function documentFile(
	dataDir: string,
	relative: string
): { path: string; contentType: string } | null {
	const upload = parseUploadPath(relative);
	if (!upload?.private) return null;
	return storedFile(dataDir, relative);
}

function storedFile(dataDir: string, relative: string): { path: string; contentType: string } | null {
	const upload = parseUploadPath(relative);
	if (!upload) return null;
	return {
		path: path.join(dataDir, 'uploads', relative),
		contentType: upload.pdf ? 'application/pdf' : 'image/webp'
	};
}

/**
 * Whether `bytes` are the upload stored at `relative`: every upload is named by the SHA-256 of its content, so
 * a file that was damaged or swapped shows it.
 */
export function isUploadIntact(relative: string, bytes: Uint8Array): boolean {
	const upload = parseUploadPath(relative);
	return upload !== null && crypto.createHash('sha256').update(bytes).digest('hex') === upload.sha256;
}

/** The uploads stored under DATA_DIR, as paths relative to DATA_DIR/uploads (anything else there is ignored). */
export async function listUploads(dataDir: string): Promise<string[]> {
	const found: string[] = [];
	for (const kind of UPLOAD_KINDS) {
		let names: string[];
		try {
			names = await fs.readdir(path.join(dataDir, 'uploads', kind));
		} catch (error) {
			if (errnoCode(error) === 'ENOENT') continue;
			throw error;
		}
		for (const name of names.sort()) {
			const relative = `${kind}/${name}`;
			if (parseUploadPath(relative)) found.push(relative);
		}
	}
	return found;
}

export const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;

/** A PDF attachment (or a private document): recognised by its signature, at most 5 MB, stored by hash. */
export async function storePdf(
	dataDir: string,
	file: File,
	field: string,
	kind: 'attachments' | 'documents' = 'attachments'
): Promise<string> {
	if (file.size > MAX_ATTACHMENT_BYTES)
		throw new UserError('attachment_too_large', 'over 5 MB', { field, status: 413 });
	const bytes = new Uint8Array(await file.arrayBuffer());
	if (String.fromCharCode(...bytes.subarray(0, 5)) !== '%PDF-')
		throw new UserError('attachment_type', 'not a PDF', { field, status: 415 });
	const name = `${crypto.createHash('sha256').update(bytes).digest('hex')}.pdf`;
	const directory = path.join(dataDir, 'uploads', kind);
	await fs.mkdir(directory, { recursive: true });
	await fs.writeFile(path.join(directory, name), bytes);
	return `${kind}/${name}`;
}

/**
 * A private document (proof of registration, a certificate's evidence): a PDF (at most 5 MB, kept as sent) or a
 * picture (PNG, JPEG or WebP, at most 2 MB, re-encoded as WebP without its metadata), told apart by their first
 * bytes; anything else is refused with `typeCode`.
 */
export async function storeDocument(
	dataDir: string,
	file: File,
	field: string,
	typeCode = 'document_type'
): Promise<string> {
	const head = new Uint8Array(await file.slice(0, 16).arrayBuffer());
	const isPdf = String.fromCharCode(...head.subarray(0, 5)) === '%PDF-';
	if (!isPdf && !imageTypeOf(head))
		throw new UserError(typeCode, 'not a PDF or a picture', { field, status: 415 });
	return isPdf ? storePdf(dataDir, file, field, 'documents') : storeImage(dataDir, 'documents', file, field);
}
