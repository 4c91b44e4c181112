// A refusal a user can cause and fix (a taken email, a missing reason, a link that expired): carries an error
// code the page translates, the form field it belongs to, and the HTTP status to answer with.
export interface UserErrorOptions {
	/** The form field the problem belongs to, when there is one. */
	field?: string;
	/** The HTTP status to answer with: 400 unless said. */
	status?: number;
	retryAfterSeconds?: number;
}

export class UserError extends Error {
	/** The form field the problem belongs to, when there is one. */
	readonly field?: string;
	readonly status: number;
	readonly retryAfterSeconds?: number;

	constructor(
		readonly code: string,
		message: string,
		{ field, status = 400, retryAfterSeconds }: UserErrorOptions = {}
	) {
		super(message);
		this.name = 'UserError';
		this.field = field;
		this.status = status;
		this.retryAfterSeconds = retryAfterSeconds;
	}
}

/** A record the caller may not see reads exactly like one that does not exist: 404, named for the log only. */
export const notFound = (what: string) => new UserError('not_found', `no such ${what}`, { status: 404 });
