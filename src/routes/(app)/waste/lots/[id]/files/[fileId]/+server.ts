// One of a lot's files: a photo for anyone once the lot is approved (sent on to its public address), a document
// for the lot's owner, the other side of an agreement about it, its province's office and the administrators;
// anyone else gets 404, as for a file that does not exist.
import { error, redirect } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { requireUser } from '$lib/server/auth/guard';
import { db } from '$lib/server/context';
import { idOr404 } from '$lib/server/forms';
import { readableLotFile } from '$lib/server/waste/files';
import { privateFileResponse } from '$lib/server/uploads/private';

export const GET: RequestHandler = async ({ locals, params }) => {
	const reader = requireUser(locals);
	const file = await readableLotFile(db(), reader, idOr404(params.id), idOr404(params.fileId));
	if (!file) error(404, 'not_found');
	if (file.kind === 'photo') redirect(303, `/uploads/${file.path}`);
	return privateFileResponse(file.path, file.name);
};
