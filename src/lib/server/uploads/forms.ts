// The image field of an upload form, stored, or the failure to show beside it. Who may upload, and how often,
// is settled before the file is decoded or stored.
import type { Queryable } from '../db';
import { formError, readForm, userFailure, type FormFailure } from '../forms';
import { env } from '../env';
import { storeImage, type ImageKind } from './images';
import { takeUploadSlot } from './limits';

export async function readImageUpload(
	request: Request,
	kind: ImageKind,
	field: string,
	formName: string,
	who: {
		db: Queryable;
		userId: string;
		/** Throws (a UserError) when the picture has nowhere to go: not the member's startup or product. */
		mayUpload: () => Promise<void>;
	}
): Promise<{ path?: string; failure?: FormFailure }> {
	const file = (await readForm(request)).get(field);
	if (!(file instanceof File) || file.size === 0)
		return { failure: formError(400, 'image_missing', formName) };
	try {
		await who.mayUpload();
		await takeUploadSlot(who.db, who.userId, field);
		return { path: await storeImage(env().dataDir, kind, file, field) };
	} catch (error) {
		return { failure: userFailure(error, {}, formName) };
	}
}
