// Meilisearch's answers to the portal's searches, kept for two seconds: a crowd asking for the same words (a
// popular product, a link shared in the news) is answered by one search and its facet counts, which over 100,000
// demands cost Meilisearch far more than the page around them costs the portal. Whatever this node writes to the
// index (the outbox, a reindex) forgets them at once; a write by another node is seen within the two seconds,
// about as soon as Meilisearch itself has applied it.

const KEPT_MS = 2_000;
const MAX_ANSWERS = 1_000;

interface Answer {
	value: Promise<unknown>;
	expires: number;
	generation: number;
}

let generation = 0;
// Per search client: tests and nodes with an index of their own never share answers.
const byClient = new WeakMap<object, Map<string, Answer>>();

/** The index changed: every answer kept so far is forgotten. */
export function indexChanged(): void {
	generation++;
}

export function recentAnswer<T>(client: object, key: string, ask: () => Promise<T>): Promise<T> {
	let answers = byClient.get(client);
	if (!answers) byClient.set(client, (answers = new Map()));
	const now = Date.now();
	const kept = answers.get(key);
	if (kept && kept.expires > now && kept.generation === generation) return kept.value as Promise<T>;
	const value = ask();
	const answer = { value, expires: now + KEPT_MS, generation };
	answers.delete(key);
	answers.set(key, answer);
	// Oldest first: the map keeps insertion order.
	for (const [oldKey, old] of answers) {
		if (answers.size <= MAX_ANSWERS && old.expires > now && old.generation === generation) break;
		if (oldKey !== key) answers.delete(oldKey);
		else break;
	}
	// A failed search is never kept: the next visitor asks again (or gets the Postgres fallback).
	value.catch(() => {
		if (answers.get(key) === answer) answers.delete(key);
	});
	return value;
}
