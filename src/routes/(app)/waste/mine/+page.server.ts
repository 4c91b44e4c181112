// A member's by-products, the materials it takes and its agreements, with what waits for it.
import type { PageServerLoad } from './$types';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/context';
import { agreementsOfOrganisation, lotsOfOrganisation, wantsOfOrganisation } from '$lib/server/waste/queries';

export const load: PageServerLoad = async ({ locals }) => {
	const member = requireRole(locals, ['startup', 'buyer']);
	const organisationId = member.organisationId!;
	const [lots, wants, agreements] = await Promise.all([
		lotsOfOrganisation(db(), organisationId),
		wantsOfOrganisation(db(), organisationId),
		agreementsOfOrganisation(db(), organisationId)
	]);
	return {
		lots,
		wants,
		agreements: agreements.map((agreement) => ({
			...agreement,
			side: agreement.senderId === organisationId ? ('sender' as const) : ('receiver' as const),
			// A proposal waits for the side that did not make it; a recorded transfer for the receiver.
			waitingForYou:
				(agreement.status === 'proposed' && agreement.proposedBy !== organisationId) ||
				(agreement.status === 'agreed' && agreement.openSteps > 0) ||
				(agreement.senderId !== organisationId && agreement.unconfirmed > 0)
		}))
	};
};
