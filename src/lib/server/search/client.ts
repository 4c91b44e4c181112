// The Meilisearch client, configured once. Responses are asked for uncompressed: measured here, gzip made
// them about 40 times slower than identity on loopback. Every request has a deadline: a Meilisearch that accepts
// connections and never answers (stopped, swapping, wedged) would otherwise hold the pages waiting on it forever.
import { Meilisearch, MeilisearchRequestError, MeilisearchRequestTimeOutError } from 'meilisearch';

/** Deadline for the background's requests (outbox, reindex, index settings): bulk writes may take a while. */
export const BACKGROUND_TIMEOUT_MS = 30_000;

export function createSearchClient(
	url: string,
	apiKey: string,
	timeoutMs = BACKGROUND_TIMEOUT_MS
): Meilisearch {
	return new Meilisearch({
		host: url,
		apiKey,
		timeout: timeoutMs,
		requestInit: { headers: { 'Accept-Encoding': 'identity' } }
	});
}

/**
 * After a request missed its deadline, visitors' searches go straight to the Postgres fallback for this long: a
 * hung Meilisearch would otherwise cost every search the whole deadline before its fallback answer. The first
 * search after the pause asks Meilisearch again.
 */
const PAUSE_AFTER_TIMEOUT_MS = 5_000;
const pausedUntil = new WeakMap<object, number>();

/** Whether `client` missed a deadline lately (searches then answer from Postgres at once). */
export function isPaused(client: Meilisearch, now = performance.now()): boolean {
	return (pausedUntil.get(client) ?? -Infinity) > now;
}

/** Notes a failed request: one that missed its deadline pauses the client's searches for a few seconds. */
export function noteFailure(client: Meilisearch, error: unknown, now = performance.now()): void {
	const timedOut =
		error instanceof MeilisearchRequestTimeOutError ||
		(error instanceof MeilisearchRequestError && error.cause instanceof MeilisearchRequestTimeOutError);
	if (timedOut) pausedUntil.set(client, now + PAUSE_AFTER_TIMEOUT_MS);
}

export type { Meilisearch };
