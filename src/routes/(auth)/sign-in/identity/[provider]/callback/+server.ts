// Where the identity provider sends the browser back (the redirect URI registered with each provider).
// Public: the flow cookie, state, nonce and PKCE verifier decide what happens, not who is signed in.
import { redirect } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { homePathFor } from '$lib/roles';
import { safePath } from '$lib/safe-path';
import { startSession } from '$lib/server/auth/web';
import { db } from '$lib/server/context';
import { UserError } from '$lib/server/errors';
import { finishIdentityFlow, type FlowOutcome } from '$lib/server/identity/service';
import { flowToken, forgetFlow } from '$lib/server/identity/web';

export const GET: RequestHandler = async (event) => {
	const token = flowToken(event);
	let outcome: FlowOutcome;
	try {
		outcome = await finishIdentityFlow(db(), {
			provider: event.params.provider,
			flowToken: token,
			callbackUrl: event.url,
			origin: event.url.origin,
			signedInUserId: event.locals.user?.id ?? null
		});
	} catch (error) {
		if (!(error instanceof UserError)) throw error;
		forgetFlow(event);
		const back = event.locals.user ? '/account' : '/sign-in';
		redirect(303, `${back}?identity_error=${error.code}`);
	}
	if (outcome.kind === 'sign_up') redirect(303, '/sign-up/identity');
	forgetFlow(event);
	if (outcome.kind === 'linked') redirect(303, '/account?identity_linked=1#identities');
	await startSession(event, outcome.user);
	if (outcome.kind === 'invite_accepted') redirect(303, `${homePathFor(outcome.user)}?welcome=1`);
	redirect(303, safePath(outcome.next, event.url, '') || homePathFor(outcome.user));
};
