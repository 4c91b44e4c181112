// A startup's certificates with their evidence: it attaches the number, issuer, expiry and a PDF or a photo for each, and sees
// whether the province's office checked it, refused it (and why), or whether it has expired.
import type { Actions, PageServerLoad } from './$types';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/context';
import { env } from '$lib/server/env';
import { formError, formValues, invalid, readForm, userFailure } from '$lib/server/forms';
import { certificatesOfStartup } from '$lib/server/certificates/queries';
import { referenceNames } from '$lib/server/reference';
import { startupOfOrganisation } from '$lib/server/startups/queries';
import { saveCertificateEvidence } from '$lib/server/startups/service';
import { storeDocument } from '$lib/server/uploads/images';
import { takeUploadSlot } from '$lib/server/uploads/limits';
import { removeReplacedUpload } from '$lib/server/uploads/orphans';
import { getLocale } from '$lib/paraglide/runtime';
import { todayInThailand } from '$lib/schemas/calendar-date';
import { certificateEvidenceSchema } from '$lib/schemas/startup';

const FIELDS = ['certificationId', 'number', 'issuer', 'expiresOn'] as const;

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireRole(locals, 'startup');
	const startup = user.organisationId ? await startupOfOrganisation(db(), user.organisationId) : null;
	const rows = startup ? await certificatesOfStartup(db(), startup.id) : [];
	return {
		startupId: startup?.id ?? null,
		saved: url.searchParams.get('saved'),
		today: todayInThailand(),
		names: referenceNames(getLocale()).certifications,
		certificates: rows.map((row) => ({
			id: row.certificationId,
			number: row.certificateNumber,
			issuer: row.issuer,
			expiresOn: row.expiresOn,
			evidencePath: row.evidencePath,
			checked: row.checkedAt !== null,
			refusalReason: row.refusalReason
		}))
	};
};

export const actions: Actions = {
	evidence: async ({ locals, request, url }) => {
		const user = requireRole(locals, 'startup');
		const form = await readForm(request);
		const values = formValues(form, FIELDS);
		const certificationId = values.certificationId ?? '';
		const formName = certificationId;
		const parsed = certificateEvidenceSchema.safeParse(values);
		if (!parsed.success) return invalid(values, parsed.error, formName);
		if (!/^[a-z0-9_-]{1,40}$/.test(certificationId)) return formError(404, 'not_found', formName, values);
		const file = form.get('evidence');
		const chosen = file instanceof File && file.size > 0 ? file : undefined;
		try {
			let stored: string | undefined;
			if (chosen) {
				await takeUploadSlot(db(), user.id, 'evidence');
				// Private: served only to the startup, its office and the administrators (/evidence/…).
				stored = await storeDocument(env().dataDir, chosen, 'evidence');
			}
			const { replaced } = await saveCertificateEvidence(
				db(),
				user,
				certificationId,
				parsed.data,
				stored,
				url.origin
			);
			await removeReplacedUpload(db(), replaced);
		} catch (error) {
			return userFailure(error, values, formName);
		}
		return { saved: certificationId };
	}
};
