// Meilisearch's answers to the portal's searches, kept for two seconds: a crowd asking for the same words (a
// popular product, a link shared in the news) is answered by one search and its facet counts, which over 100,000
// demands cost Meilisearch far more than the page around them costs the portal. Whatever this node writes to the
// index (the outbox, a reindex) forgets them at once; a write by another node is seen within the two seconds,
// about as soon as Meilisearch itself has applied it.
import { promiseCache } from '../promises';

// Per search client: tests and nodes with an index of their own never share answers.
const answers = promiseCache({ ttlMs: 2_000, maxEntries: 1_000 });

/** The index changed: every answer kept so far is forgotten. */
export const indexChanged = (): void => answers.invalidate();

export const recentAnswer = <T>(client: object, key: string, ask: () => Promise<T>): Promise<T> =>
	answers.get(client, key, ask);
