// A startup's whole profile as an approval freezes it (startups.approved_snapshot) and its public page shows it.
import type { Unit } from '$lib/schemas/units';

export interface Profile {
	nameTh: string | null;
	nameEn: string | null;
	summaryTh: string | null;
	summaryEn: string | null;
	provinceCode: string;
	contactEmail: string | null;
	phone: string | null;
	website: string | null;
	logoPath: string | null;
	divisions: string[];
	certifications: { id: string; number: string | null; expiresOn: string | null }[];
	products: {
		id: string;
		nameTh: string | null;
		nameEn: string | null;
		unit: Unit;
		monthlyCapacity: number;
		priceThbMin: number | null;
		priceThbMax: number | null;
		photoPath: string | null;
	}[];
}

/** What an approval stores: the profile, and when it was approved (ISO time). */
export interface ApprovedSnapshot extends Profile {
	approvedAt?: string;
}

/** The profile an approval froze: every startup that was ever approved has one (a broken row is a bug, thrown). */
export function approvedProfile(startup: {
	id: string;
	approvedSnapshot: ApprovedSnapshot | null;
}): ApprovedSnapshot {
	if (!startup.approvedSnapshot)
		throw new Error(`startup ${startup.id} is public without an approved snapshot`);
	return startup.approvedSnapshot;
}
