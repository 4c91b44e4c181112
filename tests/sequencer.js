// The order test files start in (JavaScript, so the Vite config imports it by its own name). Vitest starts the largest files first when it has no timings of its own (a clean
// clone, CI), but the longest files here are not the largest: the backup, CLI and fuzzing files spend their time in
// child processes and generated inputs. Started last, one of them runs alone at the end while the other worker
// idles (the CLI file's 90 s were the whole tail of a CI run), so these start first, longest first.
import { BaseSequencer } from 'vitest/node';

/**
 * Measured in CI (seconds, beside the walks, at 5700668): backup 515 (now three files: the commands 235, the PGlite
 * versions 182, the rest 97), fuzz-api 330, cli 223, fuzz-forms 188, fuzz-pages 68.
 */
const LONGEST_FIRST = [
	'tests/integration/backup-cli.test.ts',
	'tests/integration/cli.test.ts',
	'tests/integration/backup-pglite.test.ts',
	'tests/integration/fuzz-api.test.ts',
	'tests/integration/fuzz-forms.test.ts',
	'tests/integration/backup.test.ts',
	'tests/integration/fuzz-pages.test.ts',
	'tests/integration/authorization-matrix.test.ts'
];

/** @param {import('vitest/node').TestSpecification} file */
const rank = (file) => {
	const known = LONGEST_FIRST.findIndex((name) => file.moduleId.endsWith(name));
	return known === -1 ? LONGEST_FIRST.length : known;
};

export class LongestFirst extends BaseSequencer {
	/** @param {import('vitest/node').TestSpecification[]} files */
	async sort(files) {
		// Vitest's own order (its timings where it has them) for the rest; Array.prototype.sort is stable.
		return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
	}
}
