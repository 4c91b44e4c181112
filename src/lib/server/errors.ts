// A refusal a user can cause and fix (a taken email, a missing reason, a link that expired): carries an error
// code the page translates, the form field it belongs to, and the HTTP status to answer with.
export class UserError extends Error {
	constructor(
		readonly code: string,
		message: string,
		/** The form field the problem belongs to, when there is one. */
		readonly field?: string,
		readonly status = 400,
		readonly retryAfterSeconds?: number
	) {
		super(message);
		this.name = 'UserError';
	}
}

/** A record the caller may not see reads exactly like one that does not exist: 404, named for the log only. */
export const notFound = (what: string) => new UserError('not_found', `no such ${what}`, undefined, 404);
