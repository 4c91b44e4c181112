// The portal as SvelteKit serves it (Vite's dev server: the real hooks, loads, error pages and handleError), in
// a child process with its own environment, on a free port. Vite's dependency cache goes to a scratch directory so
// runs side by side do not share it. Used where a test needs SvelteKit itself between the request and the code.
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, tempDir } from './meili';

export interface DevServer {
	url: string;
	/** Everything the server printed, for a failing test's message. */
	output(): string;
	stop(): Promise<void>;
}

const SCRIPT = `
import { createServer } from 'vite';
const server = await createServer({
	cacheDir: process.env.VITE_CACHE_DIR,
	clearScreen: false,
	// No file watching: an edit made meanwhile (another session at work) would reload the server's modules, which
	// runs its init again and starts a second runtime beside the first.
	server: { host: '127.0.0.1', port: Number(process.env.DEV_PORT), strictPort: true, watch: null, hmr: false },
	// A dependency Vite first meets on a later request (an error page, say) would make it re-bundle the server's
	// dependencies and reload its modules, which runs the portal's start-up again mid-test: none are discovered late.
	ssr: { optimizeDeps: { noDiscovery: true } }
});
await server.listen();
process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
`;

/** Starts the server with `env` (and PATH, HOME) and waits until /health answers at all. */
export async function startDevServer(env: Record<string, string>, timeoutMs = 180_000): Promise<DevServer> {
	const port = await freePort();
	const child = spawn(process.execPath, ['--input-type=module', '-e', SCRIPT], {
		env: {
			PATH: process.env.PATH,
			HOME: process.env.HOME,
			// Keeps vite.config.ts from starting the message compiler's watcher (messages are compiled by `npm run sync`).
			VITEST: '1',
			VITE_CACHE_DIR: tempDir('vite-cache'),
			DEV_PORT: String(port),
			...env
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
	child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	const server: DevServer = {
		url: `http://127.0.0.1:${port}`,
		output: () => output,
		async stop() {
			if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
			await exited;
		}
	};
	// The first request runs the server's init (database, Meilisearch) and compiles the route.
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`the dev server exited:\n${output}`);
		const answered = await fetch(`${server.url}/health`).then(
			() => true,
			() => false
		);
		if (answered) return server;
		if (Date.now() > deadline) {
			await server.stop();
			throw new Error(`the dev server did not answer in ${timeoutMs} ms:\n${output}`);
		}
		await sleep(500);
	}
}
