// The privacy notice's version and the purposes that rest on consent. Raise the version whenever the notice's
// text (src/routes/(public)/privacy) changes in substance: consents given under an older version are asked again.
import { consentPurposeEnum } from '../db/schema';

export const PRIVACY_NOTICE_VERSION = '2026-12-07';

/** Purposes processed only with consent (PDPA s.19); everything else rests on contract, law or public task. */
export const CONSENT_PURPOSES = consentPurposeEnum.enumValues;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];

/** A request is answered within 30 days (PDPA s.30 para. 3). */
export const PRIVACY_REQUEST_DUE_DAYS = 30;

/** The name a deleted account goes by in the records kept (deals, audit events): stable, says nothing about them. */
export function pseudonymOf(userId: string): { th: string; en: string; tag: string } {
	const tag = userId.replace(/-/g, '').slice(0, 6);
	return { th: `ผู้ใช้ที่ลบแล้ว #${tag}`, en: `Deleted user #${tag}`, tag };
}
