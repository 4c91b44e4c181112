// Aggregated market figures are read on every public page view but change only on writes: they are kept in
// memory for a short time per database, and made stale at once when the coverage worker sees a write.
//
// A stale figure is computed again by one reader, who waits for it, but never longer than STALE_WAIT_MS: past
// that it is given the figure being replaced, and the computation finishes for the readers after it. Every
// reader arriving meanwhile is given that figure straight away instead of computing it too. On a quiet portal
// the wait is a few milliseconds and every figure is current; under a crowd, nobody waits on the same figure
// twice, and the database does the work once.
import { promiseCache } from '../promises';

export const GAP_CACHE_TTL_MS = 60_000;
export const STALE_WAIT_MS = 2_000;

const figures = promiseCache({ ttlMs: GAP_CACHE_TTL_MS, staleWaitMs: STALE_WAIT_MS });

export interface FigureOptions {
	ttlMs?: number;
	/** False for figures that need not follow each write (they expire with their time only). */
	followWrites?: boolean;
}

export const cachedFigures = <T>(
	db: object,
	key: string,
	compute: () => Promise<T>,
	{ ttlMs, followWrites = true }: FigureOptions = {}
): Promise<T> => figures.get(db, key, compute, { ttlMs, followInvalidation: followWrites });

/** Makes every figure that follows writes stale: the next reader of each computes it again. */
export const invalidateFigures = (): void => figures.invalidate();
