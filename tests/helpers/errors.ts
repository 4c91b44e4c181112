// What a service call came to, as the tests compare it: 'ok', or the code of the UserError (an AccountError too) it
// was refused with. Anything else it throws is a bug, and fails the test as thrown. Takes the call's promise, or a
// function making it (so a call that throws before its first await is caught too).
import { UserError } from '$lib/server/errors';

export async function codeOf(work: Promise<unknown> | (() => Promise<unknown>)): Promise<string> {
	try {
		await (typeof work === 'function' ? work() : work);
		return 'ok';
	} catch (error) {
		if (error instanceof UserError) return error.code;
		throw error;
	}
}
