// The portal's own PostgreSQL as operators meet it: two commands started at once on a new DATA_DIR, a server that
// dies under the portal, and a password that never leaves DATA_DIR.
import fs from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { EmbeddedPostgres } from '$lib/server/db/embedded';
import { isAlive } from '$lib/server/process-alive';
import { spawnCli } from '../helpers/cli';
import { freePort, tempDir } from '../helpers/meili';
import { waitFor } from '../helpers/wait';

const quiet = () => {};

async function answers(url: string): Promise<number> {
	const client = postgres(url, { max: 1, onnotice: quiet });
	try {
		const [row] = await client<{ n: number }[]>`select 1 as n`;
		return row!.n;
	} finally {
		await client.end({ timeout: 1 });
	}
}

describe('the embedded PostgreSQL', () => {
	const runCommand = (args: string[], env: Record<string, string>) => {
		const child = spawnCli(args, env);
		let stdout = '';
		let stderr = '';
		child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
		child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
		const exited = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
			child.once('exit', (code) => resolve({ code, stdout, stderr }))
		);
		return { exited, stderr: () => stderr };
	};

	it('lets two commands start at once on a new DATA_DIR: exactly one creates the cluster, both finish', async () => {
		const env = { DATA_DIR: tempDir('embedded-twice'), MEILI_PORT: String(await freePort()) };
		const [a, b] = await Promise.all([
			runCommand(['migrate', '--json'], env).exited,
			runCommand(['migrate', '--json'], env).exited
		]);
		expect(a.code, a.stderr).toBe(0);
		expect(b.code, b.stderr).toBe(0);
		expect((a.stderr + b.stderr).match(/creating the database cluster/g)).toHaveLength(1);
		expect(fs.existsSync(path.join(env.DATA_DIR, 'postgres.starting'))).toBe(false);
		expect(fs.existsSync(path.join(env.DATA_DIR, 'postgres.json'))).toBe(false);
	}, 240_000);

	it('makes a command wait while another command uses the database, then run once it ends', async () => {
		const dataDir = tempDir('embedded-wait');
		// This test process is the first command: it holds the server until the second says it waits.
		const first = new EmbeddedPostgres({ dataDir, owner: 'cli', log: quiet });
		await first.start();
		const second = runCommand(['migrate', '--json'], {
			DATA_DIR: dataDir,
			MEILI_PORT: String(await freePort())
		});
		try {
			await waitFor(
				() => /waiting for the command \(process \d+\) that uses the database/.test(second.stderr()),
				120_000
			);
			expect(second.stderr()).toContain(`(process ${process.pid})`);
		} finally {
			await first.stop();
		}
		const result = await second.exited;
		expect(result.code, result.stderr).toBe(0);
		expect(fs.existsSync(path.join(dataDir, 'postgres.json'))).toBe(false);
	}, 240_000);

	it('starts the server again when it dies under the portal, on a new port, and keeps its data', async () => {
		const dataDir = tempDir('embedded-restart');
		const said: string[] = [];
		const server = new EmbeddedPostgres({ dataDir, owner: 'portal', log: (m) => said.push(m) });
		await server.start();
		try {
			const client = postgres(server.url, { max: 1, onnotice: quiet });
			await client`create table kept (n int)`;
			await client`insert into kept values (42)`;
			await client.end();
			const pid = server.pid!;
			process.kill(pid, 'SIGKILL');
			await waitFor(() => !isAlive(pid));
			await waitFor(() => said.includes('running again'), 60_000);
			expect(server.pid).not.toBe(pid);
			const again = postgres(server.url, { max: 1, onnotice: quiet });
			expect(await again`select n from kept`).toEqual([{ n: 42 }]);
			await again.end();
			expect(said.some((m) => /exited unexpectedly \(SIGKILL\); restarting in \d+ ms/.test(m))).toBe(true);
		} finally {
			await server.stop();
		}
	}, 120_000);

	it('keeps its generated password in DATA_DIR, readable by the portal only, and off the command line', async () => {
		const dataDir = tempDir('embedded-secret');
		const server = new EmbeddedPostgres({ dataDir, owner: 'cli', log: quiet });
		await server.start();
		try {
			const passwordFile = path.join(dataDir, 'postgres.password');
			expect(fs.statSync(passwordFile).mode & 0o777).toBe(0o600);
			const password = fs.readFileSync(passwordFile, 'utf8').trim();
			expect(password.length).toBeGreaterThanOrEqual(32);
			const commandLine = fs.readFileSync(`/proc/${server.pid}/cmdline`, 'utf8');
			expect(commandLine).toContain('listen_addresses=127.0.0.1');
			expect(commandLine).not.toContain(password);
			// Without the password the server refuses (scram-sha-256, no trust).
			const url = new URL(server.url);
			url.password = 'not-the-password';
			await expect(answers(url.toString())).rejects.toThrow(/password authentication failed/);
		} finally {
			await server.stop();
		}
	}, 120_000);
});
