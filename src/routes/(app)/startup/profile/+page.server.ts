// The startup's profile editor: names, summary, contacts, industry categories and certifications. A rejected
// save shows every field as it was typed.
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { accountSummary } from '$lib/server/accounts/queries';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/context';
import { formValues, invalid, readForm, userFailure, type FormValues } from '$lib/server/forms';
import { loadProfile, profileChoices, startupOfOrganisation } from '$lib/server/startups/queries';
import { checkImageTarget, saveProfile, setLogo } from '$lib/server/startups/service';
import { readImageUpload } from '$lib/server/uploads/forms';
import { removeReplacedUpload } from '$lib/server/uploads/orphans';
import { provinceCodeSchema } from '$lib/schemas/account';
import { profileSchema } from '$lib/schemas/startup';
import { provinceOptions } from '$lib/server/provinces/options';

const TEXT_FIELDS = [
	'nameTh',
	'nameEn',
	'summaryTh',
	'summaryEn',
	'contactEmail',
	'phone',
	'website'
] as const;

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireRole(locals, 'startup');
	const startup = user.organisationId ? await startupOfOrganisation(db(), user.organisationId) : null;
	const profile = startup ? await loadProfile(db(), startup) : null;
	const account = await accountSummary(db(), user.id);
	const values: FormValues = profile
		? profileValues(profile)
		: { contactEmail: user.email, provinceCode: account?.organisationProvince ?? '' };
	// The business name typed at sign-up starts the profile's name, in its script: nobody is asked for it twice.
	if (!values.nameTh && !values.nameEn && account?.organisationName)
		values[/[\u0E00-\u0E7F]/.test(account.organisationName) ? 'nameTh' : 'nameEn'] = account.organisationName;
	return {
		saved: url.searchParams.has('saved'),
		status: startup?.status ?? 'draft',
		choices: await profileChoices(db()),
		values,
		// The province can change until the first application; afterwards only an admin moves a startup.
		provinceEditable:
			!startup || (!startup.approvedAt && (startup.status === 'draft' || startup.status === 'rejected')),
		provinces: await provinceOptions(db()),
		logoPath: profile?.logoPath ?? null
	};
};

/** The profile as the form's flat values: lists joined, one key per certificate field. */
function profileValues(profile: Awaited<ReturnType<typeof loadProfile>>): FormValues {
	const values: FormValues = {
		divisions: profile.divisions.join(','),
		cert: '',
		provinceCode: profile.provinceCode
	};
	for (const field of TEXT_FIELDS) values[field] = profile[field] ?? '';
	values.cert = profile.certifications.map((c) => c.id).join(',');
	for (const c of profile.certifications) {
		values[`certNumber-${c.id}`] = c.number ?? '';
		values[`certExpires-${c.id}`] = c.expiresOn ?? '';
	}
	return values;
}

export const actions: Actions = {
	save: async ({ locals, request }) => {
		const user = requireRole(locals, 'startup');
		const form = await readForm(request);
		const strings = (name: string) => form.getAll(name).filter((v): v is string => typeof v === 'string');
		const certIds = strings('cert');
		const values: FormValues = {
			...formValues(form, [...TEXT_FIELDS, 'provinceCode']),
			divisions: strings('divisions').join(','),
			cert: certIds.join(',')
		};
		for (const id of certIds) {
			Object.assign(values, formValues(form, [`certNumber-${id}`, `certExpires-${id}`]));
		}
		const province = form.has('provinceCode') ? provinceCodeSchema.safeParse(values.provinceCode) : undefined;
		const parsed = profileSchema.safeParse({
			...formValues(form, TEXT_FIELDS),
			divisions: strings('divisions'),
			certifications: certIds.map((id) => ({
				id,
				number: values[`certNumber-${id}`],
				expiresOn: values[`certExpires-${id}`]
			}))
		});
		if (!parsed.success || (province && !province.success)) {
			const failure = invalid(values, parsed.error ?? new z.ZodError([]));
			if (province?.error) failure.data.errors.provinceCode = province.error.issues[0]!.message;
			// A certificate's number or date problem is shown beside that certificate's own field.
			for (const issue of parsed.error?.issues ?? []) {
				const [list, index, field] = issue.path;
				if (list !== 'certifications' || typeof index !== 'number') continue;
				const key = field === 'number' ? 'certNumber' : 'certExpires';
				failure.data.errors[`${key}-${certIds[index]}`] ??= issue.message;
				delete failure.data.errors.certifications;
			}
			return failure;
		}
		try {
			await saveProfile(db(), user, { ...parsed.data, provinceCode: province?.data });
		} catch (error) {
			return userFailure(error, values);
		}
		return { saved: true, values };
	},
	logo: async ({ locals, request }) => {
		const user = requireRole(locals, 'startup');
		const upload = await readImageUpload(request, 'logos', 'logo', 'logo', {
			db: db(),
			userId: user.id,
			mayUpload: () => checkImageTarget(db(), user)
		});
		if (upload.failure) return upload.failure;
		try {
			await removeReplacedUpload(db(), await setLogo(db(), user, upload.path!));
		} catch (error) {
			return userFailure(error, {}, 'logo');
		}
		return { logoSaved: true };
	}
};
