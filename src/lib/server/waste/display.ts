// Matches as the pages show them: flat rows with the other side's province named, and whether a live proposal
// already exists for the pair.
import { getLocale } from '$lib/paraglide/runtime';
import { referenceNames } from '../reference';
import { licenceName } from './forms';
import type { WasteMatch } from './service';

export function matchRows(
	matches: WasteMatch[],
	side: 'lot' | 'want',
	agreements: { lotId: string; wantId: string; status: string }[]
) {
	const provinces = referenceNames(getLocale()).provinces;
	const live = new Set(
		agreements
			.filter((agreement) => agreement.status === 'proposed' || agreement.status === 'agreed')
			.map((agreement) => `${agreement.lotId}:${agreement.wantId}`)
	);
	return matches.map((match) => {
		// The page of a lot shows the wants it fits, and the page of a want the lots.
		const other = side === 'lot' ? match.want : match.lot;
		return {
			lotId: match.lot.id,
			wantId: match.want.id,
			nameTh: other.nameTh,
			nameEn: other.nameEn,
			organisationName: match.organisationName,
			provinceName: provinces[other.provinceCode] ?? other.provinceCode,
			wasteCode: match.lot.wasteCode,
			quantityPerMonth: other.quantityPerMonth,
			unit: other.unit,
			score: match.score,
			codeFit: match.codeFit,
			distanceKm: match.distanceKm,
			quantityRatio: match.quantityRatio,
			transportThbPerMonth: match.transportThbPerMonth,
			licenceName: match.want.licenceClass ? licenceName(match.want.licenceClass) : null,
			proposed: live.has(`${match.lot.id}:${match.want.id}`)
		};
	});
}
