// What runs on this machine, from /proc: for tests that must leave no process behind or freeze one on purpose.
import fs from 'node:fs';

/** Every process whose command line names `dir` (a DATA_DIR): what a run on it would leave behind. */
export function processesOn(dir: string): number[] {
	return fs
		.readdirSync('/proc')
		.filter((entry) => /^\d+$/.test(entry))
		.filter((pid) => {
			try {
				return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(`${dir}/`);
			} catch {
				// Ended while the list was read.
				return false;
			}
		})
		.map(Number);
}

/** The state letter of /proc/<pid>/stat: R running, S sleeping, T stopped, Z zombie. */
export function processState(pid: number): string {
	return /\) (\w) /.exec(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'))![1]!;
}
