// Reference rows (provinces, TSIC divisions, certifications) change only when the reference data is seeded, at
// start-up or by the CLI: read once per database handle and kept for a minute, rather than queried again by every
// page that offers them as choices. Seeding here forgets them at once; a seed run by another process (another
// node, the CLI against a server) is seen within the minute.
import type { Queryable } from '../db';
import { promiseCache } from '../promises';

const rows = promiseCache({ ttlMs: 60_000 });

export const cachedReference = <T>(db: Queryable, key: string, load: () => Promise<T>): Promise<T> =>
	rows.get(db, key, load);

export const forgetReference = (db: Queryable): void => rows.forget(db);
