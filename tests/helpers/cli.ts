// The operations CLI as an operator runs it: a real process through its entry point, with exit code and output.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

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
