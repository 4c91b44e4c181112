// DATA_DIR holds the embedded database, the managed Meilisearch and the uploads. It is checked once at start-up,
// so a directory the portal cannot use (read-only, not a directory, not writable, full) stops it with one line
// naming DATA_DIR and the problem, instead of an error from deep inside the database or the search engine.
import fs from 'node:fs';
import path from 'node:path';

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

/** Creates DATA_DIR if needed and proves it takes a file and has room; throws DataDirError otherwise. */
export function checkDataDir(dataDir: string): void {
	try {
		makeDirectory(dataDir);
		const probe = path.join(dataDir, `.write-check-${process.pid}`);
		fs.writeFileSync(probe, 'ok');
		fs.rmSync(probe);
	} catch (error) {
		const problem = PROBLEMS[(error as NodeJS.ErrnoException).code ?? ''];
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
function makeDirectory(dir: string): void {
	if (fs.existsSync(dir)) return;
	makeDirectory(path.dirname(dir));
	try {
		fs.mkdirSync(dir);
	} catch (error) {
		// Made meanwhile by another portal process starting at the same time.
		if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || !fs.statSync(dir).isDirectory()) throw error;
	}
}

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
