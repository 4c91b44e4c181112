// What the owner's lot, want and "mine" pages show, and the proposal both match lists send: the record (its
// owner's only), what it fits with the reasons, and the agreements about it with both parties named and whether
// one waits for the reader. Routes only call these.
import { redirect } from '@sveltejs/kit';
import type { Db, Queryable } from '../db';
import type { Meilisearch } from '../search/client';
import { formValues, idOr404, readForm, userFailure } from '../forms';
import { matchRows } from './display';
import { licenceName, wasteCodeNames } from './forms';
import {
	agreementsOfOrganisation,
	lotById,
	lotsOfOrganisation,
	organisationProvince,
	wantById,
	wantsOfOrganisation
} from './queries';
import { filesOfLot, LOT_FILE_LIMITS } from './files';
import { lotMatches, proposeAgreement, wantMatches, type WasteActor } from './service';

type AgreementRow = Awaited<ReturnType<typeof agreementsOfOrganisation>>[number];

/** Each agreement with the reader's side and whether it waits for them. */
function withSides(agreements: AgreementRow[], organisationId: string) {
	return agreements.map((agreement) => ({
		...agreement,
		side: agreement.senderId === organisationId ? ('sender' as const) : ('receiver' as const),
		// A proposal waits for the side that did not make it, open steps for both, a recorded transfer for the receiver.
		waitingForYou:
			(agreement.status === 'proposed' && agreement.proposedBy !== organisationId) ||
			(agreement.status === 'agreed' && agreement.openSteps > 0) ||
			(agreement.senderId !== organisationId && agreement.unconfirmed > 0)
	}));
}

/** A lot of the actor's organisation; anyone else's reads as missing (undefined: the page answers 404). */
export async function ownLot(db: Queryable, actor: WasteActor, lotId: string) {
	const lot = await lotById(db, lotId);
	return lot && actor.organisationId && lot.organisationId === actor.organisationId ? lot : undefined;
}

/** A want of the actor's organisation; anyone else's reads as missing. */
export async function ownWant(db: Queryable, actor: WasteActor, wantId: string) {
	const want = await wantById(db, wantId);
	return want && actor.organisationId && want.organisationId === actor.organisationId ? want : undefined;
}

/** The owner's lot with the receivers it fits; undefined for anyone else (the page answers 404). */
export async function lotPage(db: Queryable, search: Meilisearch | null, actor: WasteActor, lotId: string) {
	const lot = await ownLot(db, actor, lotId);
	if (!lot || !actor.organisationId) return undefined;
	const [matches, agreements, files] = await Promise.all([
		lotMatches(db, lot, search),
		agreementsOfOrganisation(db, actor.organisationId, { lotId: lot.id }),
		filesOfLot(db, lot.id)
	]);
	return {
		lot,
		files,
		fileLimits: LOT_FILE_LIMITS,
		codeName: wasteCodeNames()[lot.wasteCode] ?? '',
		matches: matchRows(matches, 'lot', agreements),
		agreements: withSides(agreements, actor.organisationId)
	};
}

/** The owner's want with the lots it fits; undefined for anyone else. */
export async function wantPage(db: Queryable, search: Meilisearch | null, actor: WasteActor, wantId: string) {
	const want = await ownWant(db, actor, wantId);
	if (!want || !actor.organisationId) return undefined;
	const [matches, agreements] = await Promise.all([
		wantMatches(db, want, search),
		agreementsOfOrganisation(db, actor.organisationId, { wantId: want.id })
	]);
	const names = wasteCodeNames();
	return {
		want,
		codes: want.wasteCodes.map((code) => ({ code, name: names[code] ?? '' })),
		licenceName: want.licenceClass ? licenceName(want.licenceClass) : null,
		matches: matchRows(matches, 'want', agreements),
		agreements: withSides(agreements, actor.organisationId)
	};
}

/** A member's lots, wants and agreements. */
export async function myWaste(db: Queryable, organisationId: string) {
	const [lots, wants, agreements] = await Promise.all([
		lotsOfOrganisation(db, organisationId),
		wantsOfOrganisation(db, organisationId),
		agreementsOfOrganisation(db, organisationId)
	]);
	return { lots, wants, agreements: withSides(agreements, organisationId) };
}

/** The province a member's lots lie in, when its organisation has one: the lot form shows it instead of a choice. */
export async function lotProvinceOf(db: Queryable, actor: WasteActor): Promise<string | null> {
	return actor.organisationId ? organisationProvince(db, actor.organisationId) : null;
}

/**
 * The proposal a match list sends, from the lot's page (the page names the lot, the form the want) or the want's
 * (the other way round); on to the agreement, or the refusal shown on the page.
 */
export async function proposeFromMatch(
	db: Db,
	actor: WasteActor,
	request: Request,
	own: { lotId: string } | { wantId: string }
) {
	const values = formValues(await readForm(request), ['lotId', 'wantId']);
	const lotId = 'lotId' in own ? own.lotId : idOr404(values.lotId);
	const wantId = 'wantId' in own ? own.wantId : idOr404(values.wantId);
	let agreementId: string;
	try {
		agreementId = (await proposeAgreement(db, actor, lotId, wantId)).id;
	} catch (failure) {
		return userFailure(failure, values);
	}
	redirect(303, `/waste/agreements/${agreementId}`);
}
