// How many files one person may upload: every upload is read, checked and (for pictures) decoded, so a loop of
// uploads is a loop of CPU and disk. Counted per user across app nodes, before anything is stored.
import type { Queryable } from '../db';
import { UserError } from '../errors';
import { hitRateLimit, type RateLimit } from '../rate-limit';

/** Generous for people (a profile with its logo and a photo per product), far below a script's pace. */
export const UPLOAD_LIMIT: RateLimit = { limit: 30, windowMs: 60 * 60_000 };

/** Counts an upload by `userId`, or refuses it (429, with the wait) when the hour's uploads are used up. */
export async function takeUploadSlot(db: Queryable, userId: string, field: string): Promise<void> {
	const result = await hitRateLimit(db, `upload:${userId}`, UPLOAD_LIMIT);
	if (!result.allowed)
		throw new UserError('upload_rate_limited', 'too many uploads', {
			field,
			status: 429,
			retryAfterSeconds: result.retryAfterSeconds
		});
}
