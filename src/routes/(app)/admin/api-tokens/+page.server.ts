// Administrators issue API tokens to partner agencies (shown once), see each token's use, and revoke them.
import type { Actions, PageServerLoad } from './$types';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/context';
import { formValues, idOr404, invalid, readForm, userFailure } from '$lib/server/forms';
import {
	issueApiToken,
	listAgencies,
	listApiTokens,
	revokeApiToken,
	tokenUsage
} from '$lib/server/api/tokens';
import { apiTokenFormSchema } from '$lib/schemas/api-token';

/** Expiry as the end of the chosen day in Thailand (UTC+7). */
const endOfDayInThailand = (date: string) => new Date(`${date}T23:59:59+07:00`);

export const load: PageServerLoad = async ({ locals }) => {
	requireRole(locals, 'admin');
	const [tokens, agencies] = await Promise.all([listApiTokens(db()), listAgencies(db())]);
	const usage = await Promise.all(tokens.map((t) => tokenUsage(db(), t.token.id, 20)));
	return {
		agencies,
		tokens: tokens.map((t, i) => ({
			id: t.token.id,
			agencyId: t.token.agencyId,
			agencyNameTh: t.agencyNameTh,
			agencyNameEn: t.agencyNameEn,
			label: t.token.label,
			prefix: t.token.prefix,
			scopes: t.token.scopes,
			requestsPerMinute: t.token.requestsPerMinute,
			expiresAt: t.token.expiresAt,
			revokedAt: t.token.revokedAt,
			lastUsedAt: t.token.lastUsedAt,
			createdAt: t.token.createdAt,
			uses: t.uses,
			usage: usage[i]!.map((u) => ({ route: u.route, day: u.day, count: u.count }))
		}))
	};
};

export const actions: Actions = {
	issue: async ({ locals, request }) => {
		const admin = requireRole(locals, 'admin');
		const form = await readForm(request);
		const values = formValues(form, ['agencyId', 'label', 'expiresOn', 'requestsPerMinute']);
		const scopes = form.getAll('scopes').filter((s): s is string => typeof s === 'string');
		const parsed = apiTokenFormSchema.safeParse({ ...values, scopes });
		const typed = { ...values, scopes: scopes.join(' ') };
		if (!parsed.success) return invalid(typed, parsed.error, 'issue');
		try {
			const { secret, token } = await issueApiToken(
				db(),
				{ id: admin.id, email: admin.email },
				{ ...parsed.data, expiresAt: endOfDayInThailand(parsed.data.expiresOn) }
			);
			return { issued: { secret, prefix: token.prefix, label: token.label } };
		} catch (error) {
			return userFailure(error, typed, 'issue');
		}
	},
	revoke: async ({ locals, request }) => {
		const admin = requireRole(locals, 'admin');
		const form = await readForm(request);
		const tokenId = idOr404(form.get('tokenId'));
		try {
			const token = await revokeApiToken(db(), { id: admin.id, email: admin.email }, tokenId);
			return { revoked: token.prefix };
		} catch (error) {
			return userFailure(error, {}, 'revoke');
		}
	}
};
