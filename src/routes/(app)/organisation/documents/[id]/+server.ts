// One of an organisation's verification documents, for its members, its office and the administrators; anyone
// else gets 404, as for a document that does not exist.
import type { RequestHandler } from './$types';
import { requireUser } from '$lib/server/auth/guard';
import { db } from '$lib/server/context';
import { idOr404, orHttpError } from '$lib/server/forms';
import { documentForReader } from '$lib/server/organisations/verification';
import { privateFileResponse } from '$lib/server/uploads/private';

export const GET: RequestHandler = async ({ locals, params }) => {
	const reader = requireUser(locals);
	const document = await orHttpError(documentForReader(db(), reader, idOr404(params.id)));
	return privateFileResponse(document.path, document.fileName);
};
