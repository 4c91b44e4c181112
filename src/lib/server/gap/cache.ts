// Aggregated market figures are read on every public page view but change only on writes: they are kept in
// memory for a short time per database, and dropped at once when the coverage worker sees a write.
type Entry = { expires: number; value: Promise<unknown> };
let entries = new WeakMap<object, Map<string, Entry>>();

export const GAP_CACHE_TTL_MS = 60_000;

export function cachedFigures<T>(
	db: object,
	key: string,
	compute: () => Promise<T>,
	ttlMs = GAP_CACHE_TTL_MS
): Promise<T> {
	const now = Date.now();
	let forDb = entries.get(db);
	if (!forDb) entries.set(db, (forDb = new Map()));
	const hit = forDb.get(key);
	if (hit && hit.expires > now) return hit.value as Promise<T>;
	const value = compute();
	const cache = forDb;
	cache.set(key, { expires: now + ttlMs, value });
	// A failed computation is not remembered: the next reader tries again (this reader still gets the error).
	value.catch(() => {
		if (cache.get(key)?.value === value) cache.delete(key);
	});
	return value;
}

export function invalidateFigures(): void {
	entries = new WeakMap();
}
