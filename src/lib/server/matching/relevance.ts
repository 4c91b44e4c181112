// Text relevance of a pair, the same whichever engine found it: how much of what the demand asks for the
// startup's product names contain. Pure, so one pair has one score; the engines only find candidates.
import { CONCEPTS, englishWords, foldThai, isThai, thaiWords, type Concept } from '../search/vocabulary';

export interface Relevance {
	/** 0–1: the weighted share of the demand's products and words found. */
	relevance: number;
	/** The whole words (as the startup spells them) that matched. */
	terms: string[];
}

/** A word the vocabulary does not know counts less than a product it knows: "hotels", "premium", "ส่ง". */
const PLAIN_WORD_WEIGHT = 0.5;
/** Thai forms at least this long are found inside compounds (กาแฟคั่ว in กาแฟคั่วกลาง); shorter only whole. */
const THAI_INFIX_LENGTH = 4;
const MAX_TERMS = 8;

/** Whether two normalised English words are the same allowing typos about as Meilisearch does (1 from 5 letters, 2 from 9). */
export function sameWord(a: string, b: string): boolean {
	if (a === b) return true;
	const shorter = Math.min(a.length, b.length);
	const allowed = shorter >= 9 ? 2 : shorter >= 5 ? 1 : 0;
	// Meilisearch counts a typo on the first letter twice; asking for the same first letter also keeps this cheap.
	return (
		allowed > 0 &&
		a[0] === b[0] &&
		Math.abs(a.length - b.length) <= allowed &&
		editDistance(a, b, allowed) <= allowed
	);
}

/** Damerau–Levenshtein (adjacent swaps count once), stopping early once past `limit`. */
function editDistance(a: string, b: string, limit: number): number {
	const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
	for (let i = 1; i <= a.length; i++) {
		const row = [i];
		for (let j = 1; j <= b.length; j++) {
			const cost = a[i - 1] === b[j - 1] ? 0 : 1;
			let value = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
			if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
				value = Math.min(value, rows[i - 2]![j - 2]! + 1);
			row.push(value);
		}
		if (Math.min(...row) > limit) return limit + 1;
		rows.push(row);
	}
	return rows[a.length]![b.length]!;
}

/** A text made ready to be searched: its English words (normalised and as written) and its Thai. */
interface Prepared {
	/** The text as written (NFC), to show a Thai form as the startup spells it. */
	raw: string;
	english: string[];
	englishRaw: string[];
	/** The Thai, folded, for forms found inside compounds. */
	thaiFolded: string;
	/** The Thai words as written, and folded. */
	thaiWords: string[];
	thaiWordsFolded: string[];
}

/** Enough for every listing of a large portal (a prepared text is well under a kilobyte). */
const PREPARED_KEPT = 40_000;
const preparedTexts = new Map<string, Prepared>();

/**
 * A text made ready, kept: one startup's product names are compared with every open demand. When full, the
 * text prepared longest ago goes, so a portal with more listings than this keeps most of them rather than none.
 */
function prepare(text: string): Prepared {
	const known = preparedTexts.get(text);
	if (known) return known;
	const prepared = prepareText(text);
	if (preparedTexts.size >= PREPARED_KEPT) preparedTexts.delete(preparedTexts.keys().next().value!);
	preparedTexts.set(text, prepared);
	return prepared;
}

function prepareText(text: string): Prepared {
	const raw = (text.match(/[A-Za-z][A-Za-z-]*[A-Za-z]|[A-Za-z]/g) ?? []).flatMap((w) => w.split('-'));
	const kept = raw.filter((w) => englishWords(w).length > 0);
	const words = thaiWords(text);
	return {
		raw: text.normalize('NFC'),
		english: kept.map((w) => englishWords(w)[0]!),
		englishRaw: kept,
		// Runs of Thai kept apart, so a form is not found across two product names.
		thaiFolded: text
			.split(/[^\u0E00-\u0E7F]+/)
			.filter(Boolean)
			.map(foldThai)
			.join(' '),
		thaiWords: words,
		thaiWordsFolded: words.map(foldThai)
	};
}

/** Words a product's name may have between its own: "Medium-roast Arabica coffee" is a roasted coffee. */
const MAX_GAP = 2;
/** In Thai more, as ICU splits a transliteration into syllables (กาแฟ|อา|รา|บิ|ก้า|คั่ว). */
const MAX_GAP_THAI = 5;

/**
 * Where a phrase's words occur in a text's words, in order, at most `gap` words apart: the first and last
 * index, or null.
 */
function findPhrase(
	words: string[],
	phrase: string[],
	same: (a: string, b: string) => boolean = sameWord,
	gap = MAX_GAP
): [number, number] | null {
	for (let start = 0; start < words.length; start++) {
		if (!same(words[start]!, phrase[0]!)) continue;
		let at = start;
		let k = 1;
		for (; k < phrase.length; k++) {
			let next = -1;
			for (let j = at + 1; j <= Math.min(words.length - 1, at + 1 + gap); j++)
				if (same(words[j]!, phrase[k]!)) {
					next = j;
					break;
				}
			if (next === -1) break;
			at = next;
		}
		if (k === phrase.length) return [start, at];
	}
	return null;
}

/**
 * A Thai form (already folded, as Concept.thai holds it) found in a text: the whole word it was found as, as the
 * text spells it, or null.
 */
function findThai(text: Prepared, folded: string): string | null {
	if (folded.length >= THAI_INFIX_LENGTH) {
		if (!text.thaiFolded.includes(folded)) return null;
		return spelledAs(text.raw, folded) ?? folded;
	}
	const at = text.thaiWordsFolded.indexOf(folded);
	return at === -1 ? null : text.thaiWords[at]!;
}

/**
 * A Thai form (as written: ICU splits a folded one differently) of several words, found with others between
 * them (กาแฟคั่ว in กาแฟอาราบิก้าคั่วกลาง), or null.
 */
function findThaiWords(text: Prepared, form: string): string | null {
	const words = foldedWordsOf(form);
	if (words.length < 2) return null;
	const span = findPhrase(text.thaiWordsFolded, words, (a, b) => a === b, MAX_GAP_THAI);
	return span ? text.thaiWords.slice(span[0], span[1] + 1).join('') : null;
}

const formWords = new Map<string, string[]>();

/** A vocabulary form's Thai words, folded: the same few hundred forms are looked for in every candidate. */
function foldedWordsOf(form: string): string[] {
	let words = formWords.get(form);
	if (!words) {
		words = thaiWords(form).map(foldThai);
		formWords.set(form, words);
	}
	return words;
}

/** The piece of `raw` that folds to `folded`: อาราบิกา in the text when the vocabulary spells it อาราบิก้า. */
function spelledAs(raw: string, folded: string): string | null {
	for (let start = 0; start < raw.length; start++) {
		// Up to four tone marks more than the folded form.
		for (let end = start + folded.length; end <= Math.min(raw.length, start + folded.length + 4); end++) {
			const piece = raw.slice(start, end);
			if (foldThai(piece) === folded) return piece;
		}
	}
	return null;
}

/** What the demand asks for: the products the vocabulary knows, then the other words. */
interface Unit {
	weight: number;
	concept: Concept | null;
	/** For a plain word: the word, English normalised or Thai. */
	word: string;
}

/** Without tone marks, to tell whether one Thai form lies inside another (ข้าว in ข้าวหอมมะลิ). */
const bare = (word: string) => word.replace(/[\u0E48-\u0E4B]/g, '');

const analysed = new Map<string, Unit[]>();

/** The query's units, kept because the same demand is compared with many startups. */
function unitsOf(query: string): Unit[] {
	const known = analysed.get(query);
	if (known) return known;
	const units: Unit[] = [];
	// English: the longest known phrase at each position, else the word.
	const words = englishWords(query);
	for (let i = 0; i < words.length;) {
		let best: { concept: Concept; length: number } | null = null;
		for (const concept of CONCEPTS) {
			for (const phrase of concept.english) {
				if (phrase.length === 0 || (best && phrase.length <= best.length)) continue;
				if (i + phrase.length <= words.length && phrase.every((w, k) => sameWord(words[i + k]!, w)))
					best = { concept, length: phrase.length };
			}
		}
		if (best) {
			if (!units.some((u) => u.concept === best.concept))
				units.push({ weight: 1, concept: best.concept, word: '' });
			i += best.length;
		} else {
			if (!units.some((u) => u.word === words[i]))
				units.push({ weight: PLAIN_WORD_WEIGHT, concept: null, word: words[i]! });
			i++;
		}
	}
	// Thai: the known products it contains (the longest where one contains another), then the words left over.
	if (isThai(query)) {
		const text = prepare(query);
		const found: { concept: Concept; form: string }[] = [];
		for (const concept of CONCEPTS) {
			for (const form of concept.thai) {
				if (findThai(text, form) !== null) found.push({ concept, form });
			}
		}
		const longest = found.filter(
			(f) =>
				!found.some(
					(other) => bare(other.form).length > bare(f.form).length && bare(other.form).includes(bare(f.form))
				)
		);
		for (const { concept } of longest) {
			if (!units.some((u) => u.concept === concept)) units.push({ weight: 1, concept, word: '' });
		}
		// Compared without tone marks: ICU splits an unknown transliteration into pieces (อา|รา|บิ|ก้า).
		const covered = longest.map((f) => bare(f.form));
		for (const word of text.thaiWordsFolded) {
			if (covered.some((form) => form.includes(bare(word)))) continue;
			if (!units.some((u) => u.word === word)) units.push({ weight: PLAIN_WORD_WEIGHT, concept: null, word });
		}
	}
	if (analysed.size >= 10_000) analysed.clear();
	analysed.set(query, units);
	return units;
}

/** The whole word or phrase of `text` that stands for the unit, or null when the text lacks it. */
function findUnit(text: Prepared, unit: Unit): string | null {
	if (unit.concept) {
		for (const phrase of unit.concept.english) {
			const span = phrase.length ? findPhrase(text.english, phrase) : null;
			if (span) return text.englishRaw.slice(span[0], span[1] + 1).join(' ');
		}
		for (const form of unit.concept.thai) {
			const found = findThai(text, form);
			if (found) return found;
		}
		for (const form of unit.concept.forms) {
			const found = isThai(form) ? findThaiWords(text, form) : null;
			if (found) return found;
		}
		return null;
	}
	if (isThai(unit.word)) {
		const at = text.thaiWordsFolded.indexOf(unit.word);
		return at === -1 ? null : text.thaiWords[at]!;
	}
	const span = findPhrase(text.english, [unit.word]);
	return span ? text.englishRaw[span[0]]! : null;
}

/**
 * How relevant a startup's products are to a demand: the demand's title against the startup's product names.
 * Both engines call this over the same fields, so the score does not depend on which one answered.
 */
export function textRelevance(demandText: string, productText: string): Relevance {
	const units = unitsOf(demandText);
	const total = units.reduce((sum, u) => sum + u.weight, 0);
	if (total === 0) return { relevance: 0, terms: [] };
	const text = prepare(productText);
	let found = 0;
	let productFound = false;
	const terms: string[] = [];
	for (const unit of units) {
		const term = findUnit(text, unit);
		if (term === null) continue;
		found += unit.weight;
		productFound ||= unit.concept !== null;
		if (!terms.some((t) => t.toLowerCase() === term.toLowerCase())) terms.push(term);
	}
	// A demand naming products the vocabulary knows is about those products: sharing only its other words
	// ("หมอน" of ทุเรียนหมอนทอง with a pillow) is not a product match.
	if (!productFound && units.some((u) => u.concept !== null)) return { relevance: 0, terms: [] };
	return { relevance: Math.round((found / total) * 1000) / 1000, terms: terms.slice(0, MAX_TERMS) };
}

/** One spelling of each product a text names (at most five): what a search engine is asked for one by one. */
export function productsNamed(text: string): string[] {
	return unitsOf(text)
		.flatMap((u) => (u.concept ? [u.concept.forms[0]!] : []))
		.slice(0, 5);
}
