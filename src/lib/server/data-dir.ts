// DATA_DIR holds the embedded database, the managed Meilisearch and the uploads. It is checked once at start-up,
// so a directory the portal cannot use (read-only, not a directory, not writable, full) stops it with one line
// naming DATA_DIR and the problem, instead of an error from deep inside the database or the search engine.
import fs from 'node:fs';
import path from 'node:path';
import { errnoCode } from './system-errors';

/** A new embedded database with the reference data takes about 40 MB; below this a start would fail part-way. */
export const MIN_FREE_BYTES = 64 * 1024 * 1024;

export class DataDirError extends Error {
	constructor(dataDir: string, problem: string) {
		super(`DATA_DIR ${dataDir} ${problem}`);
		this.name = 'DataDirError';
	}
}

const PROBLEMS: Record<string, string> = {
	EROFS: 'is on a read-only file system (EROFS): point DATA_DIR at a writable directory',
	EACCES: 'cannot be written by this user (EACCES)',
	EPERM: 'cannot be written by this user (EPERM)',
	ENOTDIR: 'is not a directory: a file stands in its path (ENOTDIR)',
	ENOSPC: 'has no space left on its disk (ENOSPC)',
	EDQUOT: 'is over its disk quota (EDQUOT)'
};

/** What the portal keeps in DATA_DIR: a directory holding one of these was made by the portal. */
const PORTAL_ENTRIES = ['postgres', 'pglite', 'meilisearch', 'uploads'];

/**
 * Creates DATA_DIR if needed (readable by this user only: it holds the database files, password hashes included,
 * and every upload) and proves it takes a file and has room; throws DataDirError otherwise.
 */
export function checkDataDir(dataDir: string): void {
	try {
		makeDirectory(dataDir, 0o700);
		tightenOwnDataDir(dataDir);
		const probe = path.join(dataDir, `.write-check-${process.pid}`);
		fs.writeFileSync(probe, 'ok');
		fs.rmSync(probe);
	} catch (error) {
		const problem = PROBLEMS[errnoCode(error) ?? ''];
		if (problem) throw new DataDirError(dataDir, problem);
		throw error;
	}
	const { bavail, bsize } = fs.statfsSync(dataDir);
	const free = bavail * bsize;
	if (free < MIN_FREE_BYTES) {
		throw new DataDirError(
			dataDir,
			`has only ${megabytes(free)} free on its disk; the portal needs at least ${megabytes(MIN_FREE_BYTES)} to start`
		);
	}
}

/**
 * `mkdir -p`, one level at a time: Node's recursive mkdir reports ENOENT for a parent it could not create on a
 * read-only file system, where the level that fails gives the real reason.
 */
function makeDirectory(dir: string, mode?: number): void {
	if (fs.existsSync(dir)) return;
	makeDirectory(path.dirname(dir));
	try {
		// Parents get the usual mode; only DATA_DIR itself is private.
		fs.mkdirSync(dir, mode === undefined ? undefined : { mode });
	} catch (error) {
		// Made meanwhile by another portal process starting at the same time.
		if (errnoCode(error) !== 'EEXIST' || !fs.statSync(dir).isDirectory()) throw error;
	}
}

/**
 * Earlier versions made DATA_DIR with the default mode (0755: anyone on the machine could read the database
 * files). A DATA_DIR this user owns, which holds what the portal keeps there, is made private now; a directory
 * someone prepared otherwise (another owner, nothing of the portal's in it yet) keeps the mode they chose.
 */
function tightenOwnDataDir(dir: string): void {
	const stat = fs.statSync(dir);
	if ((stat.mode & 0o077) === 0 || stat.uid !== process.getuid?.()) return;
	if (!PORTAL_ENTRIES.some((entry) => fs.existsSync(path.join(dir, entry)))) return;
	fs.chmodSync(dir, 0o700);
}

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
