// The managed Meilisearch against the real binary: start, key, supervision, shutdown, stale processes.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isAlive } from '$lib/server/process-alive';
import { isHealthy, MeiliProcess } from '$lib/server/search/process';
import { freePort, meiliAt, startTestMeili, tempDir } from '../helpers/meili';
import { waitFor } from '../helpers/wait';

const running: MeiliProcess[] = [];
afterEach(async () => {
	for (const meili of running.splice(0)) await meili.stop();
});

describe('MeiliProcess', () => {
	it('starts healthy, requires its master key, and keeps the key off the command line', async () => {
		const meili = await startTestMeili();
		running.push(meili);
		expect(meili.state).toBe('up');
		expect(await isHealthy(meili.url)).toBe(true);
		const anonymous = await fetch(`${meili.url}/indexes`);
		expect(anonymous.status).toBe(401);
		const keyed = await fetch(`${meili.url}/indexes`, {
			headers: { Authorization: `Bearer ${meili.masterKey}` }
		});
		expect(keyed.status).toBe(200);
		const cmdline = fs.readFileSync(`/proc/${meili.pid}/cmdline`, 'utf8');
		expect(cmdline).toContain('--max-indexing-memory');
		expect(cmdline).not.toContain(meili.masterKey);
	});

	it('keeps the generated master key across restarts', async () => {
		const dir = tempDir('meili-key');
		const first = meiliAt(dir, await freePort());
		const second = meiliAt(dir, await freePort());
		expect(first.masterKey).toHaveLength(43);
		expect(second.masterKey).toBe(first.masterKey);
		expect(fs.statSync(path.join(dir, 'master.key')).mode & 0o777).toBe(0o600);
	});

	it('restarts Meilisearch after it is killed', async () => {
		const meili = await startTestMeili();
		running.push(meili);
		const firstPid = meili.pid!;
		process.kill(firstPid, 'SIGKILL');
		await waitFor(() => meili.pid !== firstPid && meili.state === 'up');
		expect(isAlive(firstPid)).toBe(false);
		expect(await isHealthy(meili.url)).toBe(true);
	});

	it('stops without leaving a process behind', async () => {
		const meili = await startTestMeili();
		const pid = meili.pid!;
		await meili.stop();
		expect(isAlive(pid)).toBe(false);
		expect(meili.state).toBe('stopped');
		expect(await isHealthy(meili.url)).toBe(false);
	});

	/**
	 * A running Meilisearch whose pid file says `owner` started it, and a second manager for the same
	 * directory and port, as the next portal start (or a CLI command) would make.
	 */
	async function ownedBy(owner: number) {
		const dir = tempDir('meili-owner');
		const port = await freePort();
		const first = meiliAt(dir, port);
		await first.start();
		fs.writeFileSync(path.join(dir, 'meilisearch.pid'), JSON.stringify({ pid: first.pid, owner }));
		const second = meiliAt(dir, port);
		running.push(second, first);
		return { first, second, firstPid: first.pid! };
	}

	it('replaces a Meilisearch left behind by a portal that died', async () => {
		// An owner pid above the kernel's maximum: certainly not alive.
		const { second: next, firstPid: orphanPid } = await ownedBy(2 ** 22 + 1);
		await next.start();
		expect(isAlive(orphanPid)).toBe(false);
		expect(next.pid).not.toBe(orphanPid);
		expect(await isHealthy(next.url)).toBe(true);
	});

	it('leaves alone a Meilisearch of another data directory that a stale pid file happens to name', async () => {
		// The pid a dead portal recorded now belongs to another portal's Meilisearch (pids are reused).
		const other = await startTestMeili();
		running.push(other);
		const dir = tempDir('meili-reused-pid');
		fs.writeFileSync(
			path.join(dir, 'meilisearch.pid'),
			JSON.stringify({ pid: other.pid, owner: 2 ** 22 + 1 })
		);
		const next = meiliAt(dir, await freePort());
		running.push(next);
		await next.start();
		expect(isAlive(other.pid!)).toBe(true);
		expect(await isHealthy(other.url)).toBe(true);
		expect(await isHealthy(next.url)).toBe(true);
	});

	it('shares a Meilisearch run by another live portal process instead of killing it', async () => {
		// The owner is a live process other than this one (the web server, say).
		const { first: owner, second: cli } = await ownedBy(process.ppid);
		await cli.start();
		expect(cli.state).toBe('attached');
		await cli.stop();
		expect(isAlive(owner.pid!)).toBe(true);
		expect(await isHealthy(owner.url)).toBe(true);
	});

	it('explains a port that another program holds', async () => {
		const blocker = await startTestMeili();
		running.push(blocker);
		const port = Number(new URL(blocker.url).port);
		const second = meiliAt(tempDir('meili-port'), port);
		await expect(second.start()).rejects.toThrow(/Port \d+ is already in use.*MEILI_PORT/);
	});
});
