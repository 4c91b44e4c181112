// Fault injection on the real binaries: a DATA_DIR the portal cannot use. Starting gives one line naming DATA_DIR
// and the problem, exit code 1, no stack trace. Read-only and full file systems are real ones: a tmpfs mounted
// in a private mount namespace around the CLI (nothing outside that process sees it), when the machine allows it.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIN_FREE_BYTES } from '$lib/server/data-dir';
import { parseEnv } from '$lib/server/env';
import { startRuntime } from '$lib/server/runtime';
import { cliCommand, runCli } from '../helpers/cli';
import { freePort, tempDir } from '../helpers/meili';

// Root ignores file modes, so chmod cannot make a directory read-only for it.
const root = process.getuid?.() === 0;
const canMount = spawnSync('unshare', ['--mount', 'true']).status === 0;

/**
 * `cli status` with DATA_DIR on a fresh tmpfs mounted with `options` (its size, ro) in a mount namespace of its
 * own; `fill` fills the file system to the last byte first.
 */
async function statusOnTmpfs(mount: { options: string; fill?: boolean }) {
	const mountPoint = tempDir('faults-tmpfs');
	const dataDir = path.join(mountPoint, 'data');
	const script =
		`mount -t tmpfs -o ${mount.options} tmpfs "$MOUNT" && ` +
		(mount.fill ? `mkdir "$DATA_DIR" && { cat /dev/zero > "$DATA_DIR/filler" 2>/dev/null; true; } && ` : '') +
		'exec "$@"';
	const result = spawnSync('unshare', ['--mount', 'sh', '-c', script, 'sh', ...cliCommand(['status'])], {
		encoding: 'utf8',
		env: {
			PATH: process.env.PATH,
			HOME: process.env.HOME,
			MOUNT: mountPoint,
			DATA_DIR: dataDir,
			MEILI_PORT: String(await freePort())
		},
		timeout: 120_000
	});
	return { dataDir, code: result.status, stderr: result.stderr };
}

/** Exit code 1 and exactly one line on stderr, naming DATA_DIR and the problem; no stack trace. */
function expectOneLine(result: { code: number | null; stderr: string }, line: RegExp) {
	expect(result.code).toBe(1);
	const lines = result.stderr.trim().split('\n');
	expect(lines).toHaveLength(1);
	expect(lines[0]).toMatch(line);
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('a DATA_DIR the portal cannot use', () => {
	it('names DATA_DIR when a file stands in its path (ENOTDIR), from the CLI and from the server start-up', async () => {
		const file = path.join(tempDir('faults-notdir'), 'not-a-directory');
		fs.writeFileSync(file, 'x');
		const dataDir = path.join(file, 'data');
		const expected = `DATA_DIR ${dataDir} is not a directory: a file stands in its path (ENOTDIR)`;
		expectOneLine(
			runCli(['status'], { DATA_DIR: dataDir, MEILI_PORT: String(await freePort()) }),
			new RegExp(`^Error: ${escape(expected)}$`)
		);
		// What hooks.server.ts prints after "could not start:".
		await expect(startRuntime(parseEnv({ DATA_DIR: dataDir }), { log: () => {} })).rejects.toThrow(expected);
	});

	it.skipIf(root)(
		'names DATA_DIR when it is not writable (chmod 0555; skipped as root, which ignores modes)',
		async () => {
			const dataDir = tempDir('faults-readonly');
			fs.chmodSync(dataDir, 0o555);
			const result = runCli(['status'], { DATA_DIR: dataDir, MEILI_PORT: String(await freePort()) });
			fs.chmodSync(dataDir, 0o755);
			expectOneLine(
				result,
				new RegExp(`^Error: DATA_DIR ${escape(dataDir)} cannot be written by this user \\(EACCES\\)$`)
			);
		}
	);

	it.skipIf(!canMount)(
		'names DATA_DIR on a read-only file system (tmpfs mounted ro; needs unshare --mount)',
		async () => {
			const result = await statusOnTmpfs({ options: 'ro,size=1m' });
			expectOneLine(
				result,
				new RegExp(`^Error: DATA_DIR ${escape(result.dataDir)} is on a read-only file system \\(EROFS\\)`)
			);
		}
	);

	it.skipIf(!canMount)(
		'names DATA_DIR on a disk without the room to start (2 MB tmpfs; needs unshare --mount)',
		async () => {
			const result = await statusOnTmpfs({ options: 'size=2m' });
			expect(MIN_FREE_BYTES).toBeGreaterThan(2 * 1024 * 1024);
			expectOneLine(
				result,
				new RegExp(
					`^Error: DATA_DIR ${escape(result.dataDir)} has only 2\\.0 MB free on its disk; the portal needs at least 64\\.0 MB to start$`
				)
			);
		}
	);

	it.skipIf(!canMount)(
		'names DATA_DIR on a full disk (tmpfs filled to the last byte: ENOSPC; needs unshare --mount)',
		async () => {
			const result = await statusOnTmpfs({ options: 'size=2m', fill: true });
			expectOneLine(
				result,
				new RegExp(`^Error: DATA_DIR ${escape(result.dataDir)} has no space left on its disk \\(ENOSPC\\)$`)
			);
		}
	);
});
