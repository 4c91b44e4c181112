// Reads the PostgreSQL error behind a failed query, whichever driver raised it, so services can turn a
// constraint violation into a user-facing message instead of a 500.
export interface PgError {
	code: string;
	constraint?: string;
	message: string;
}

export function pgErrorOf(error: unknown): PgError | undefined {
	for (let current = error; current instanceof Error; current = current.cause) {
		const candidate = current as Error & { code?: unknown; constraint?: unknown; constraint_name?: unknown };
		if (typeof candidate.code === 'string' && /^[0-9A-Z]{5}$/.test(candidate.code)) {
			const constraint = candidate.constraint_name ?? candidate.constraint;
			return {
				code: candidate.code,
				constraint: typeof constraint === 'string' ? constraint : undefined,
				message: candidate.message
			};
		}
	}
	return undefined;
}

export const PG = {
	uniqueViolation: '23505',
	foreignKeyViolation: '23503',
	/** ON DELETE RESTRICT refusing a delete. */
	restrictViolation: '23001',
	checkViolation: '23514',
	notNullViolation: '23502'
} as const;
