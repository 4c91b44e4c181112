// What a caught value says, read without a cast: the code of a Node system error (ENOENT, EEXIST, EPERM…) and the
// message of any error, since `catch` hands over `unknown`.

/** The `code` of a Node system error, or undefined for anything else. */
export function errnoCode(error: unknown): string | undefined {
	return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

/** An error's message, or the thrown value as text when it is not an Error. */
export function messageOf(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
