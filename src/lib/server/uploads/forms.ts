// The image field of an upload form, stored, or the failure to show beside it.
import { formError, readForm, userFailure, type FormFailure } from '../forms';
import { env } from '../env';
import { storeImage, type ImageKind } from './images';

export async function readImageUpload(
	request: Request,
	kind: ImageKind,
	field: string,
	formName: string
): Promise<{ path?: string; failure?: FormFailure }> {
	const file = (await readForm(request)).get(field);
	if (!(file instanceof File) || file.size === 0)
		return { failure: formError(400, 'image_missing', formName) };
	try {
		return { path: await storeImage(env().dataDir, kind, file, field) };
	} catch (error) {
		return { failure: userFailure(error, {}, formName) };
	}
}
