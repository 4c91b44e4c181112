// The product vocabulary as concepts: every spelling of one product (Thai, Thai variants, English, British
// spelling, plurals), built from the Thai ↔ English pairs (data/synonyms.json) and the variant groups
// (data/variants.json). Matching relevance and the Meilisearch synonyms both read it, so both engines agree on
// what counts as the same word. Also the word normalisation both sides of a comparison go through.
import { z } from 'zod';
import variantsJson from './data/variants.json';
import { SYNONYM_PAIRS } from './synonyms';

const spellings = z.array(z.string().min(1)).min(2);
const variantFile = z.object({
	groups: z.array(z.union([spellings, z.object({ division: z.string().regex(/^\d{2}$/), forms: spellings })]))
});

const THAI = /[\u0E00-\u0E7F]/;
/** Thai tone marks: transliterated loanwords are spelt with and without them (อาราบิก้า, อาราบิกา). */
const TONE_MARKS = /[\u0E48-\u0E4B]/g;

export const isThai = (text: string) => THAI.test(text);

/**
 * A Thai word without its tone marks, when it is long enough that the marks do not carry the meaning: short
 * native words differ by tone alone (ข้าว rice, ขาว white), long transliterations do not.
 */
export function foldThai(word: string): string {
	const folded = word.normalize('NFC').replace(TONE_MARKS, '');
	return folded.length >= 5 ? folded : word.normalize('NFC');
}

// British spellings and irregular plurals: small and closed, so listed rather than guessed.
const SPELLING: Record<string, string> = {
	aluminium: 'aluminum',
	jewellery: 'jewelry',
	yoghurt: 'yogurt',
	chilli: 'chili',
	chillies: 'chili',
	tyre: 'tire',
	tyres: 'tire',
	grey: 'gray',
	mould: 'mold',
	scarves: 'scarf',
	knives: 'knife',
	leaves: 'leaf',
	loaves: 'loaf',
	shelves: 'shelf',
	halves: 'half',
	soya: 'soy'
};
const ENGLISH_STOPWORDS = new Set([
	'a',
	'an',
	'and',
	'the',
	'for',
	'of',
	'to',
	'in',
	'with',
	'per',
	'or',
	'from',
	'by',
	'on'
]);

/** One English word as both sides compare it: lower case, American spelling, singular. */
export function normaliseEnglish(word: string): string {
	let w = word.toLowerCase();
	if (SPELLING[w]) return SPELLING[w]!;
	// -iser/-isation and -our: the British forms of fertilizer, colour, flavour (both sides are normalised alike).
	w = w.replace(/(?<=[a-z]{4})is(er|ers|ed|ing|ation)$/, 'iz$1').replace(/(?<=[a-z]{3})our$/, 'or');
	if (SPELLING[w]) return SPELLING[w]!;
	if (w.length > 4 && w.endsWith('ies')) return `${w.slice(0, -3)}y`;
	if (w.length > 4 && /(ch|sh|x|ss|o)es$/.test(w)) return w.slice(0, -2);
	if (w.length > 3 && w.endsWith('s') && !/(ss|us|is)$/.test(w)) return w.slice(0, -1);
	// Past participles name a process: roasted coffee is roast coffee ("Medium-roast").
	if (w.length > 5 && w.endsWith('ed')) return w.slice(0, -2);
	return w;
}

/** The English words of a text, normalised, without the stop words. */
export function englishWords(text: string): string[] {
	return (text.match(/[A-Za-z][A-Za-z-]*[A-Za-z]|[A-Za-z]/g) ?? [])
		.flatMap((word) => word.split('-'))
		.filter((word) => word.length > 1 && !ENGLISH_STOPWORDS.has(word.toLowerCase()))
		.map(normaliseEnglish);
}

const segmenter = new Intl.Segmenter('th', { granularity: 'word' });

/** Thai words as ICU's dictionary splits them: whole words, the unit a short Thai form is compared with. */
export function thaiWords(text: string): string[] {
	return [...segmenter.segment(text.normalize('NFC'))]
		.filter((s) => s.isWordLike && isThai(s.segment))
		.map((s) => s.segment);
}

export interface Concept {
	id: number;
	division: string | null;
	/** Every spelling, as written. */
	forms: string[];
	/** Thai spellings, folded (foldThai). */
	thai: string[];
	/** English spellings as normalised word lists. */
	english: string[][];
}

function buildConcepts(): Concept[] {
	const groups: { division: string | null; forms: string[] }[] = [
		...SYNONYM_PAIRS.map((p) => ({ division: p.division, forms: [p.th, p.en] })),
		...variantFile
			.parse(variantsJson)
			.groups.map((group) => (Array.isArray(group) ? { division: null, forms: group } : group))
	];
	// Groups that share a spelling are one product (union–find over the normalised spellings).
	const parent = groups.map((_, i) => i);
	const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
	const owner = new Map<string, number>();
	groups.forEach((group, i) => {
		for (const form of group.forms) {
			const key = keyOf(form);
			const seen = owner.get(key);
			if (seen === undefined) owner.set(key, i);
			else parent[find(i)] = find(seen);
		}
	});
	const merged = new Map<number, { division: string | null; forms: Set<string> }>();
	groups.forEach((group, i) => {
		const root = find(i);
		const concept = merged.get(root) ?? { division: null, forms: new Set<string>() };
		concept.division ??= group.division;
		for (const form of group.forms) concept.forms.add(form);
		merged.set(root, concept);
	});
	return [...merged.values()].map((concept, id) => {
		const forms = [...concept.forms];
		return {
			id,
			division: concept.division,
			forms,
			thai: [...new Set(forms.filter(isThai).map(foldThai))],
			english: forms.filter((f) => !isThai(f)).map(englishWords)
		};
	});
}

function keyOf(form: string): string {
	return isThai(form) ? foldThai(form) : englishWords(form).join(' ');
}

export const CONCEPTS: Concept[] = buildConcepts();

/** The concept a spelling belongs to, by its normalised key. */
export const CONCEPT_BY_KEY: Map<string, Concept> = new Map(
	CONCEPTS.flatMap((concept) => concept.forms.map((form) => [keyOf(form), concept] as const))
);

/** Meilisearch's synonym map: every spelling of a product lists every other spelling of it. */
export function meiliSynonyms(): Record<string, string[]> {
	const map: Record<string, string[]> = {};
	for (const { forms } of CONCEPTS) {
		for (const form of forms) {
			const key = form.toLowerCase();
			const others = forms.filter((other) => other.toLowerCase() !== key);
			if (others.length) map[key] = [...new Set([...(map[key] ?? []), ...others])];
		}
	}
	return map;
}
