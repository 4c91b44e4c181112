// Words to try when a search finds nothing: the product vocabulary's spellings nearest to what was typed (shared
// letter pairs), in the script it was typed in, each with the TSIC division it belongs to, to browse that category.
import type { Meilisearch } from 'meilisearch';
import type { Queryable } from '../db';
import { searchPortal } from './query';
import { CONCEPTS, isThai } from './vocabulary';

export interface Suggestion {
	term: string;
	division: string | null;
}

/** Below this likeness a spelling is a different word, not a near one. */
const NEAR = 0.4;

const normal = (text: string) => text.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim();

function letterPairs(text: string): Map<string, number> {
	const padded = ` ${text} `;
	const pairs = new Map<string, number>();
	for (let i = 0; i < padded.length - 1; i++) {
		const pair = padded.slice(i, i + 2);
		pairs.set(pair, (pairs.get(pair) ?? 0) + 1);
	}
	return pairs;
}

/** Sørensen–Dice over letter pairs: 1 for the same text, 0 for nothing in common. */
function likeness(a: Map<string, number>, b: Map<string, number>): number {
	let shared = 0;
	let total = 0;
	for (const [pair, n] of a) {
		shared += Math.min(n, b.get(pair) ?? 0);
		total += n;
	}
	for (const n of b.values()) total += n;
	return (2 * shared) / total;
}

export function similarTerms(query: string, limit = 5): Suggestion[] {
	const typed = normal(query);
	if (!typed) return [];
	const thai = isThai(typed);
	const typedPairs = letterPairs(typed);
	const found: (Suggestion & { score: number })[] = [];
	for (const concept of CONCEPTS) {
		const forms = concept.forms.map(normal);
		// The word itself found nothing, so neither will its other spellings (they are its synonyms).
		if (forms.includes(typed)) continue;
		let best: { term: string; score: number } | null = null;
		for (const [i, form] of forms.entries()) {
			if (isThai(form) !== thai) continue;
			const contains = form.includes(typed) || typed.includes(form);
			const score = likeness(typedPairs, letterPairs(form)) + (contains ? 0.25 : 0);
			if (score >= NEAR && (!best || score > best.score)) best = { term: concept.forms[i]!, score };
		}
		if (best) found.push({ ...best, division: concept.division });
	}
	return found
		.sort((a, b) => b.score - a.score || a.term.localeCompare(b.term))
		.slice(0, limit)
		.map(({ term, division }) => ({ term, division }));
}

/** The near words that would find something now (all of them when the counts cannot be had). */
export async function findableSuggestions(
	db: Queryable,
	search: Meilisearch | null,
	query: string,
	limit = 5
): Promise<Suggestion[]> {
	const candidates = similarTerms(query, limit * 2);
	const found = await Promise.all(
		candidates.map((candidate) => searchPortal(db, search, candidate.term, { pageSize: 0 }))
	);
	return candidates.filter((_, i) => found[i]!.counts === null || found[i]!.total > 0).slice(0, limit);
}
