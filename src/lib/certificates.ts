// When a certificate counts: on every day up to and including its expiry date (a certificate without one always
// counts). One rule for matching on both engines, offers' certificate comparison, the gap, suggestions and the pages.

/** Whether a certificate expiring on `expiresOn` (YYYY-MM-DD, or none) is valid on `day` (YYYY-MM-DD). */
export function isValidOn(expiresOn: string | null | undefined, day: string): boolean {
	return !expiresOn || expiresOn >= day;
}

/** The certificates of `held` valid on `day`, read with their expiry dates (a certificate missing there has none). */
export function validCertifications(
	held: readonly string[],
	expiry: Readonly<Record<string, string>>,
	day: string
): string[] {
	return held.filter((id) => isValidOn(expiry[id], day));
}

const DAY_MS = 86_400_000;

/** A calendar day as a whole number of days since 1970-01-01: how the search index stores and compares expiry. */
export function epochDay(day: string): number {
	return Math.round(Date.parse(`${day}T00:00:00Z`) / DAY_MS);
}

/** The calendar day `epochDay` numbered. */
export function dayOfEpoch(days: number): string {
	return new Date(days * DAY_MS).toISOString().slice(0, 10);
}

/** The day `days` after `day` (YYYY-MM-DD). */
export function addDays(day: string, days: number): string {
	return dayOfEpoch(epochDay(day) + days);
}

/** How a certificate stands for a buyer: checked by the province's office, or only declared by the startup. */
export type CertificateStanding = 'checked' | 'declared';
