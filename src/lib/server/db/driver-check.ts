// postgres.js is patched at install (scripts/patch-postgres.js) against crashes that end the process when a
// connection drops. An install that skipped scripts (`npm ci --ignore-scripts`, some container builds) leaves the
// driver unpatched, and the portal would run fine until the first dropped connection: refuse to start instead.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import patch from '../../../../scripts/postgres-patch-marks.json';

export class UnpatchedDriverError extends Error {
	constructor(detail: string) {
		super(
			`The PostgreSQL driver is not patched (${detail}): run \`node scripts/patch-postgres.js\` or reinstall with install scripts enabled`
		);
		this.name = 'UnpatchedDriverError';
	}
}

/** The driver's connection modules (ESM and CommonJS builds) under the installed package `root`. */
function connectionFiles(root: string): string[] {
	return ['src', 'cjs/src']
		.map((flavour) => path.join(root, flavour, 'connection.js'))
		.filter((file) => fs.existsSync(file));
}

/** Throws UnpatchedDriverError unless every connection module of the driver at `root` carries every mark. */
export function assertPatchedDriver(root = installedDriverRoot()): void {
	const files = connectionFiles(root);
	if (files.length === 0) throw new UnpatchedDriverError(`no connection.js under ${root}`);
	for (const file of files) {
		const source = fs.readFileSync(file, 'utf8');
		const missing = patch.marks.filter((mark) => !source.includes(mark)).length;
		if (missing > 0)
			throw new UnpatchedDriverError(`${missing} of ${patch.marks.length} edits missing in ${file}`);
	}
}

function installedDriverRoot(): string {
	// The package exports no package.json; its CommonJS entry is <root>/cjs/src/index.js.
	const entry = createRequire(import.meta.url).resolve('postgres');
	return path.resolve(path.dirname(entry), '..', '..');
}
