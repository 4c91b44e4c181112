// The signed-in person's rights under PDPA: download their data, correct it, give or withdraw consent, choose who
// sees their organisation's contact details, and delete the account. Every request is recorded with its due date.
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireUser } from '$lib/server/auth/guard';
import { endSession } from '$lib/server/auth/web';
import { db } from '$lib/server/context';
import { formValues, invalid, readForm, userFailure } from '$lib/server/forms';
import { currentConsents, recordConsent, withdrawConsent } from '$lib/server/privacy/consents';
import { contactVisibilityOf, setContactVisibility } from '$lib/server/privacy/contact';
import { deleteAccount, hasPassword } from '$lib/server/privacy/erase';
import { CONSENT_PURPOSES, PRIVACY_NOTICE_VERSION } from '$lib/server/privacy/notice';
import { ownPrivacyRequests, recordPrivacyRequest } from '$lib/server/privacy/requests';
import {
	consentFormSchema,
	contactVisibilitySchema,
	correctionSchema,
	deleteAccountSchema
} from '$lib/schemas/privacy';

export const load: PageServerLoad = async ({ locals }) => {
	const user = requireUser(locals);
	const [consents, requests, visibility, password] = await Promise.all([
		currentConsents(db(), user.id),
		ownPrivacyRequests(db(), user.id),
		user.organisationId ? contactVisibilityOf(db(), user.organisationId) : null,
		hasPassword(db(), user.id)
	]);
	return {
		version: PRIVACY_NOTICE_VERSION,
		role: user.role,
		hasPassword: password,
		purposes: CONSENT_PURPOSES.map((purpose) => ({
			purpose,
			current: consents.find((consent) => consent.purpose === purpose) ?? null
		})),
		requests: requests.map((r) => ({
			id: r.id,
			kind: r.kind,
			requestedAt: r.requestedAt,
			dueAt: r.dueAt,
			completedAt: r.completedAt
		})),
		contactVisibility: visibility
	};
};

export const actions: Actions = {
	consent: async ({ locals, request }) => {
		const user = requireUser(locals);
		const values = formValues(await readForm(request), ['purpose']);
		const parsed = consentFormSchema.safeParse(values);
		if (!parsed.success) return invalid(values, parsed.error, 'consents');
		await recordConsent(db(), user.id, parsed.data.purpose);
		return { saved: 'consents' };
	},
	withdraw: async ({ locals, request }) => {
		const user = requireUser(locals);
		const values = formValues(await readForm(request), ['purpose']);
		const parsed = consentFormSchema.safeParse(values);
		if (!parsed.success) return invalid(values, parsed.error, 'consents');
		await db().transaction(async (tx) => {
			if (await withdrawConsent(tx, user.id, parsed.data.purpose))
				await recordPrivacyRequest(tx, user.id, 'withdrawal', {
					detail: parsed.data.purpose,
					completed: true
				});
		});
		return { saved: 'consents' };
	},
	correction: async ({ locals, request }) => {
		const user = requireUser(locals);
		const values = formValues(await readForm(request), ['detail']);
		const parsed = correctionSchema.safeParse(values);
		if (!parsed.success) return invalid(values, parsed.error, 'correction');
		await recordPrivacyRequest(db(), user.id, 'correction', { detail: parsed.data.detail });
		return { saved: 'correction' };
	},
	contact: async ({ locals, request }) => {
		const user = requireUser(locals);
		const values = formValues(await readForm(request), ['visibility']);
		const parsed = contactVisibilitySchema.safeParse(values);
		if (!parsed.success) return invalid(values, parsed.error, 'contact');
		if (!user.organisationId) return invalid(values, contactVisibilitySchema.safeParse({}).error!, 'contact');
		await setContactVisibility(db(), user.organisationId, parsed.data.visibility);
		return { saved: 'contact' };
	},
	delete: async (event) => {
		const user = requireUser(event.locals);
		const form = await readForm(event.request);
		const parsed = deleteAccountSchema.safeParse({
			currentPassword: form.get('currentPassword') ?? '',
			confirm: form.get('confirm') ?? undefined
		});
		if (!parsed.success) return invalid({}, parsed.error, 'delete');
		try {
			await deleteAccount(
				db(),
				user.id,
				{ password: parsed.data.currentPassword, sessionId: event.locals.session?.id ?? null },
				event.url.origin
			);
		} catch (error) {
			return userFailure(error, {}, 'delete');
		}
		await endSession(event);
		redirect(303, `/privacy?deleted=${user.id}`);
	}
};
