// A certificate's evidence, for the startup's members, its province's office and the administrators; anyone else
// gets 404, as for evidence that does not exist.
import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { requireUser } from '$lib/server/auth/guard';
import { evidenceForReader } from '$lib/server/certificates/queries';
import { db } from '$lib/server/context';
import { idOr404 } from '$lib/server/forms';
import { privateFileResponse } from '$lib/server/uploads/private';

export const GET: RequestHandler = async ({ locals, params }) => {
	const reader = requireUser(locals);
	if (!/^[a-z0-9_-]{1,40}$/.test(params.certificationId)) error(404, 'not_found');
	const path = await evidenceForReader(db(), reader, idOr404(params.startupId), params.certificationId);
	if (!path) error(404, 'not_found');
	return privateFileResponse(path, `${params.certificationId}.pdf`);
};
