// The waste-code list (reference/data/waste.json), checked with zod when loaded, and the one definition of which
// codes are compatible: the same code, the same sub-chapter, or a declared substitute.
import { z } from 'zod';
import wasteJson from '../reference/data/waste.json';

const named = { name_th: z.string().min(1), name_en: z.string().min(1) };

const wasteDataSchema = z.object({
	chapters: z.array(z.object({ code: z.string().regex(/^\d{2}$/), ...named })),
	sub_chapters: z.array(z.object({ code: z.string().regex(/^\d{4}$/), ...named })),
	codes: z.array(z.object({ code: z.string().regex(/^\d{6}$/), hazardous: z.boolean(), ...named })),
	substitutes: z.array(
		z.object({ id: z.string(), ...named, codes: z.array(z.string().regex(/^\d{6}$/)).min(2) })
	),
	licence_classes: z.array(z.object({ class: z.string().regex(/^\d{3}$/), hazardous: z.boolean(), ...named }))
});

export const wasteData = wasteDataSchema.parse(wasteJson);
export type WasteCode = (typeof wasteData.codes)[number];
export type LicenceClass = (typeof wasteData.licence_classes)[number];

const byCode = new Map(wasteData.codes.map((entry) => [entry.code, entry]));
const licences = new Map(wasteData.licence_classes.map((entry) => [entry.class, entry]));
const groupsOf = new Map<string, string[]>();
for (const group of wasteData.substitutes)
	for (const code of group.codes) groupsOf.set(code, [...(groupsOf.get(code) ?? []), group.id]);

export const wasteCode = (code: string): WasteCode | undefined => byCode.get(code);
export const licenceClass = (id: string): LicenceClass | undefined => licences.get(id);

export type CodeFit = 'same_code' | 'same_sub_chapter' | 'substitute';

/** How a lot's code fits one code a receiver accepts; null when it does not. */
export function codeFit(lotCode: string, accepted: string): CodeFit | null {
	if (lotCode === accepted) return 'same_code';
	if (lotCode.slice(0, 4) === accepted.slice(0, 4)) return 'same_sub_chapter';
	const groups = groupsOf.get(lotCode) ?? [];
	if ((groupsOf.get(accepted) ?? []).some((group) => groups.includes(group))) return 'substitute';
	return null;
}

const FIT_ORDER: CodeFit[] = ['same_code', 'same_sub_chapter', 'substitute'];

/** The best fit of a lot's code among all the codes a receiver accepts. */
export function bestCodeFit(lotCode: string, accepted: readonly string[]): CodeFit | null {
	let best: CodeFit | null = null;
	for (const code of accepted) {
		const fit = codeFit(lotCode, code);
		if (fit && (best === null || FIT_ORDER.indexOf(fit) < FIT_ORDER.indexOf(best))) best = fit;
	}
	return best;
}

/** Every listed code that fits `code` (itself included): what the database is asked to overlap with. */
export function compatibleCodes(code: string): string[] {
	return wasteData.codes.filter((entry) => codeFit(code, entry.code) !== null).map((entry) => entry.code);
}

/** Whether a receiver holding `licence` may take a lot of this hazard: hazardous codes need a listed class. */
export function licenceAllows(hazardous: boolean, licence: string | null): boolean {
	if (!hazardous) return true;
	return licence !== null && licenceClass(licence)?.hazardous === true;
}
