// The running portal's services, set once by the server's init hook and read by loads and endpoints.
import type { Runtime } from './runtime';

const holder = globalThis as typeof globalThis & { __portalRuntime?: Runtime };

export function setRuntime(runtime: Runtime | undefined): void {
	holder.__portalRuntime = runtime;
}

export function runtime(): Runtime {
	const current = holder.__portalRuntime;
	if (!current) throw new Error('The portal runtime has not been started (hooks.server.ts init).');
	return current;
}

export function db() {
	return runtime().db;
}

/** The search client, or null when this process runs without search (matching then uses the fallback). */
export function searchClient() {
	const current = holder.__portalRuntime;
	try {
		return current?.search.client ?? null;
	} catch {
		return null;
	}
}
