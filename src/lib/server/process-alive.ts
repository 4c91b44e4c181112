// Processes the portal supervises (its PostgreSQL and Meilisearch): whether a pid is running, what it runs, and a
// free port to start one on.
import fs from 'node:fs';
import net from 'node:net';
import { errnoCode } from './system-errors';

export function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		// EPERM: it exists but belongs to another user; ESRCH: no such process.
		return errnoCode(error) === 'EPERM';
	}
}

/**
 * The value after `option` on the command line of `pid` (Linux /proc), or undefined when the process is gone or
 * has no such option: a recorded pid the kernel has since given to another program is told apart by it.
 */
export function commandLineOption(pid: number, option: string): string | undefined {
	let args: string[];
	try {
		args = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
	} catch (error) {
		// Gone since the liveness check.
		if (errnoCode(error) === 'ENOENT') return undefined;
		throw error;
	}
	const at = args.indexOf(option);
	return at >= 0 ? args[at + 1] : undefined;
}

/** A TCP port on loopback that nothing listens on now. */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
	});
}
