// Reads the PostgreSQL error behind a failed query, whichever driver raised it, so services can turn a
// constraint violation into a user-facing message instead of a 500, and tells a lost connection from the rest.
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

/** postgres.js's own codes for a connection that closed, ended or never opened in time. */
const DRIVER_CONNECTION_CODES = new Set([
	'CONNECTION_CLOSED',
	'CONNECTION_ENDED',
	'CONNECTION_DESTROYED',
	'CONNECT_TIMEOUT'
]);
/** The socket's errors on the way to the server. */
const NETWORK_CODES = new Set([
	'ECONNREFUSED',
	'ECONNRESET',
	'EPIPE',
	'ETIMEDOUT',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'ENOTFOUND',
	'EAI_AGAIN'
]);
/** The server's: class 08 (connection exception), shutting down or starting up, out of connections. */
const SERVER_UNAVAILABLE = /^(08...|57P0[123]|53300)$/;

/**
 * Whether a failed query failed because the database could not be reached (the server down or restarting, the
 * connection dropped), as opposed to failing on its own terms. Looks through drizzle's wrapper to the driver's
 * error, and into each attempt of an AggregateError (one per address tried).
 */
export function isConnectionLost(error: unknown): boolean {
	for (let current = error; current instanceof Error; current = current.cause) {
		const code = (current as Error & { code?: unknown }).code;
		if (typeof code === 'string') {
			if (DRIVER_CONNECTION_CODES.has(code) || NETWORK_CODES.has(code) || SERVER_UNAVAILABLE.test(code))
				return true;
		}
		if (current instanceof AggregateError && current.errors.some(isConnectionLost)) return true;
	}
	return false;
}
