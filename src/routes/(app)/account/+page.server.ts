// The signed-in user's own account: language, password, email address, linked digital identities, LINE
// notifications (with their consent), and the sessions that are open.
import { redirect } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { accountSummary, endOtherSessions, endOwnSession, listSessions } from '$lib/server/accounts/queries';
import {
	changePassword,
	requestEmailChange,
	resendVerification,
	setLocale
} from '$lib/server/accounts/service';
import { requireUser } from '$lib/server/auth/guard';
import { rememberLocale } from '$lib/server/auth/web';
import { configuredProviders } from '$lib/server/identity/providers';
import { signInWays } from '$lib/server/identity/queries';
import { checkLinkAllowed, unlinkIdentity } from '$lib/server/identity/service';
import { identityErrorFrom, sendToProvider } from '$lib/server/identity/web';
import { db } from '$lib/server/context';
import { UserError } from '$lib/server/errors';
import { lineChannel } from '$lib/server/line/config';
import { lineAccount, saveLineTopics } from '$lib/server/line/service';
import { userFailure, formError, formValues, invalid, readForm } from '$lib/server/forms';
import { changeEmailSchema, changePasswordSchema, localeSchema } from '$lib/schemas/account';
import { lineTopicsSchema } from '$lib/schemas/line';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireUser(locals);
	const channel = lineChannel();
	const [account, open, ways, line] = await Promise.all([
		accountSummary(db(), user.id),
		listSessions(db(), user.id),
		signInWays(db(), user.id),
		channel ? lineAccount(db(), user.id) : null
	]);
	return {
		// Without a configured channel there is no LINE section at all.
		line: line && {
			linked: line.lineUserId !== null,
			following: line.following,
			topics: line.topics,
			consent: line.consent,
			addFriendUrl: channel?.addFriendUrl ?? null
		},
		ways,
		identityProviders: configuredProviders(),
		identityLinked: url.searchParams.has('identity_linked'),
		identityError: identityErrorFrom(url),
		account: account!,
		sessions: open.map((s) => ({ ...s, current: s.id === locals.session?.id })),
		welcome: url.searchParams.has('welcome')
	};
};

export const actions: Actions = {
	locale: async (event) => {
		const user = requireUser(event.locals);
		const values = formValues(await readForm(event.request), ['locale']);
		const locale = localeSchema.safeParse(values.locale);
		if (!locale.success) return invalid(values, locale.error, 'locale');
		await setLocale(db(), user.id, locale.data);
		rememberLocale(event, locale.data);
		return { saved: 'locale' };
	},
	password: async ({ locals, request }) => {
		const user = requireUser(locals);
		const parsed = changePasswordSchema.safeParse(
			formValues(await readForm(request), ['currentPassword', 'password', 'confirmPassword'])
		);
		if (!parsed.success) return invalid({}, parsed.error, 'password');
		try {
			await changePassword(db(), user.id, parsed.data, locals.session!.id);
		} catch (error) {
			return userFailure(error, {}, 'password');
		}
		return { saved: 'password' };
	},
	email: async ({ locals, request, url }) => {
		const user = requireUser(locals);
		const form = await readForm(request);
		const values = formValues(form, ['email']);
		const parsed = changeEmailSchema.safeParse({ ...values, currentPassword: form.get('currentPassword') });
		if (!parsed.success) return invalid(values, parsed.error, 'email');
		try {
			await requestEmailChange(db(), user.id, parsed.data, url.origin);
		} catch (error) {
			return userFailure(error, values, 'email');
		}
		return { saved: 'email', email: parsed.data.email };
	},
	resend: async ({ locals, url }) => {
		const user = requireUser(locals);
		try {
			await resendVerification(db(), user, url.origin);
		} catch (error) {
			return userFailure(error, {}, 'resend');
		}
		return { saved: 'resend' };
	},
	endSession: async ({ locals, request }) => {
		const user = requireUser(locals);
		const sessionId = formValues(await readForm(request), ['sessionId']).sessionId!;
		if (sessionId === locals.session?.id || !(await endOwnSession(db(), user.id, sessionId)))
			return formError(404, 'session_not_found', 'sessions');
		return { saved: 'sessions' };
	},
	endOthers: async ({ locals }) => {
		const user = requireUser(locals);
		await endOtherSessions(db(), user.id, locals.session!.id);
		return { saved: 'sessions' };
	},
	linkIdentity: async (event) => {
		const user = requireUser(event.locals);
		const form = await readForm(event.request);
		const values = formValues(form, ['provider', 'currentPassword']);
		let url: string;
		try {
			await checkLinkAllowed(db(), user.id, event.locals.session!, values.currentPassword!);
			url = await sendToProvider(event, { provider: values.provider!, purpose: 'link', userId: user.id });
		} catch (error) {
			return userFailure(error, {}, 'identities');
		}
		redirect(303, url);
	},
	lineTopics: async ({ locals, request }) => {
		const user = requireUser(locals);
		if (!lineChannel()) return formError(404, 'not_found', 'line');
		const form = await readForm(request);
		const parsed = lineTopicsSchema.safeParse({ topics: form.getAll('topic'), consent: form.get('consent') });
		const values = { topics: form.getAll('topic').map(String).join(' ') };
		if (!parsed.success) return invalid(values, parsed.error, 'line');
		const topics = [...new Set(parsed.data.topics)];
		// Choosing is consent: it must be given with the box ticked, beside the notice it refers to.
		if (topics.length > 0 && !parsed.data.consent)
			return userFailure(
				new UserError('line_consent_required', 'consent not ticked', { field: 'consent' }),
				values,
				'line'
			);
		try {
			await saveLineTopics(db(), user.id, topics);
		} catch (error) {
			return userFailure(error, values, 'line');
		}
		return { saved: topics.length > 0 ? 'line' : 'lineStopped' };
	},
	lineStop: async ({ locals }) => {
		const user = requireUser(locals);
		if (!lineChannel()) return formError(404, 'not_found', 'line');
		await saveLineTopics(db(), user.id, []);
		return { saved: 'lineStopped' };
	},
	unlinkIdentity: async ({ locals, request }) => {
		const user = requireUser(locals);
		const identityId = z.uuid().safeParse(formValues(await readForm(request), ['identityId']).identityId);
		if (!identityId.success) return formError(404, 'not_found', 'identities');
		try {
			await unlinkIdentity(db(), user.id, identityId.data);
		} catch (error) {
			return userFailure(error, {}, 'identities');
		}
		return { saved: 'identities' };
	}
};
