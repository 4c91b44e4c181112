// The operations CLI as an operator runs it: a real process through its entry point, with exit code and output.
import { spawn, spawnSync, type ChildProcessByStdio } from 'node:child_process';
import path from 'node:path';
import type { Readable } from 'node:stream';

const tsx = path.resolve('node_modules/.bin/tsx');

export function runCli(args: string[], env: Record<string, string> = {}, input = '') {
	const result = spawnSync(tsx, ['src/cli/index.ts', ...args], {
		input,
		encoding: 'utf8',
		env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
		timeout: 120_000
	});
	return { code: result.status, stdout: result.stdout, stderr: result.stderr };
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
