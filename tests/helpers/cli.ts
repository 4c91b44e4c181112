// The operations CLI as an operator runs it: a real process through its entry point, with exit code and output.
import { spawn, spawnSync, type ChildProcessByStdio } from 'node:child_process';
import path from 'node:path';
import type { Readable } from 'node:stream';

const tsx = path.resolve('node_modules/.bin/tsx');

/**
 * A failure to bring the search engine up (its port taken between choosing and binding it, or no answer in time
 * on a machine loaded by parallel test files) says nothing about the command under test.
 */
const SEARCH_START_FAILURE = /Meilisearch did not become healthy|already in use by another program/;

export function runCli(args: string[], env: Record<string, string> = {}, input = '') {
	const once = () => {
		const result = spawnSync(tsx, ['src/cli/index.ts', ...args], {
			input,
			encoding: 'utf8',
			env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
			timeout: 120_000
		});
		return { code: result.status, stdout: result.stdout, stderr: result.stderr };
	};
	const first = once();
	// Once more on such a start-up failure only; any other failure is the test's to see.
	return first.code === 1 && SEARCH_START_FAILURE.test(first.stderr) ? once() : first;
}

/**
 * The CLI's command line as a single process: tsx as a loader inside this Node rather than its wrapper, which
 * would run the command in a second process that a signal sent to the first does not reach.
 */
export const cliCommand = (args: string[]) => [
	process.execPath,
	'--import',
	'tsx',
	'src/cli/index.ts',
	...args
];

/** The CLI as one process that keeps running, for tests that signal it. */
export function spawnCli(
	args: string[],
	env: Record<string, string> = {}
): ChildProcessByStdio<null, Readable, Readable> {
	const [command, ...rest] = cliCommand(args);
	return spawn(command!, rest, {
		env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
}
