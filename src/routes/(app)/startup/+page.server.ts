// A startup's home: where its application stands, what is missing, the way to submit it, and the referrals to
// partner agencies it was offered.
import type { Actions, PageServerLoad } from './$types';
import { getLocale } from '$lib/paraglide/runtime';
import { accountSummary } from '$lib/server/accounts/queries';
import { requireRole } from '$lib/server/auth/guard';
import type { SessionUser } from '$lib/server/auth/session';
import { db, searchClient } from '$lib/server/context';
import { withDemandTitles } from '$lib/server/matching/display';
import { matchDemandsForStartup, nearMissesForStartup } from '$lib/server/matching/service';
import { idOr404, readForm, userFailure } from '$lib/server/forms';
import { suggestionsForStartup } from '$lib/server/gap/suggestions';
import { openDemandInDivisions } from '$lib/server/demands/queries';
import { invitationsOfStartup } from '$lib/server/invitations/queries';
import { medianResponseDays, officeContacts, reviewsOf } from '$lib/server/offices/queries';
import { referralsOfStartup } from '$lib/server/referrals/queries';
import { STANDING_DEMAND_FACTOR } from '$lib/server/referrals/rules';
import { decideReferral } from '$lib/server/referrals/service';
import { referenceNames } from '$lib/server/reference';
import { loadProfile, startupOfOrganisation } from '$lib/server/startups/queries';
import { isPublicStartup } from '$lib/server/startups/public';
import { missingForSubmission, submitForReview } from '$lib/server/startups/service';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireRole(locals, 'startup');
	const account = (await accountSummary(db(), user.id))!;
	const startup = user.organisationId ? await startupOfOrganisation(db(), user.organisationId) : null;
	const profile = startup ? await loadProfile(db(), startup) : null;
	const [lastReview] = startup ? await reviewsOf(db(), startup.id) : [];
	const [matched, nearMissed, suggestions] =
		startup && isPublicStartup(startup)
			? await Promise.all([
					matchDemandsForStartup(db(), searchClient(), startup.id, { limit: 5 }),
					nearMissesForStartup(db(), searchClient(), startup.id, { limit: 5 }),
					suggestionsForStartup(db(), startup.id, 5)
				])
			: [null, null, null];
	// Waiting for the office: how long it usually takes, whom to ask, and what the market wants meanwhile.
	const wait =
		startup?.status === 'submitted' && profile
			? await Promise.all([
					medianResponseDays(db(), startup.provinceCode),
					officeContacts(db(), startup.provinceCode),
					openDemandInDivisions(db(), profile.divisions)
				]).then(([medianDays, contacts, market]) => ({
					submittedAt: startup.submittedAt,
					medianDays,
					contacts,
					division: profile.divisions[0] ?? null,
					market
				}))
			: null;
	return {
		account,
		wait,
		welcome: url.searchParams.has('welcome'),
		startup: startup && { status: startup.status, slug: startup.slug, approvedAt: startup.approvedAt },
		productCount: profile?.products.length ?? 0,
		missing: profile
			? missingForSubmission(profile, user.emailVerifiedAt !== null)
			: ['divisions_required', 'submit_products_missing'],
		matches: matched
			? { degraded: matched.degraded, demands: await withDemandTitles(db(), matched.matches) }
			: null,
		nearMisses: nearMissed ? await withDemandTitles(db(), nearMissed.nearMisses) : [],
		suggestions,
		names: suggestions || nearMissed ? referenceNames(getLocale()) : null,
		referrals: startup ? await referralsOfStartup(db(), startup.id) : [],
		invitations: startup ? await invitationsOfStartup(db(), startup.id) : [],
		hasContactEmail: Boolean(profile?.contactEmail),
		standingFactor: STANDING_DEMAND_FACTOR,
		lastReview: lastReview && {
			decision: lastReview.review.decision,
			reason: lastReview.review.reason,
			note: lastReview.review.comments.note ?? null,
			at: lastReview.review.createdAt
		}
	};
};

export const actions: Actions = {
	submit: async ({ locals, url }) => {
		const user = requireRole(locals, 'startup');
		try {
			await submitForReview(db(), user, url.origin);
		} catch (error) {
			return userFailure(error, {});
		}
		return { submitted: true };
	},
	requestReferral: async ({ locals, request }) => {
		const user = requireRole(locals, 'startup');
		return answerReferral(user, request, 'request');
	},
	dismissReferral: async ({ locals, request }) => {
		const user = requireRole(locals, 'startup');
		return answerReferral(user, request, 'dismiss');
	}
};

async function answerReferral(user: SessionUser, request: Request, decision: 'request' | 'dismiss') {
	const referralId = idOr404((await readForm(request)).get('referralId'));
	try {
		await decideReferral(db(), user, referralId, decision);
	} catch (error) {
		return userFailure(error, {}, 'referral');
	}
	return { referral: decision };
}
