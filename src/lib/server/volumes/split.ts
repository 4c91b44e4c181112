// Split orders: when no single startup has the free capacity for a demand, the group of startups that together
// covers it. Pure: the service feeds it the demand's real matches and their free capacity.

/** More startups than this are more suppliers than a buyer can manage for one order. */
export const MAX_GROUP = 5;
/**
 * Distances within the same band count as equally near, so a better match a few kilometres further is chosen:
 * 100 km is roughly a province's width.
 */
export const DISTANCE_BAND_KM = 100;

export interface SplitCandidate {
	id: string;
	/** The match score, 0–1. */
	score: number;
	/** From the delivery province; null when the demand is for anywhere or the distance is unknown. */
	distanceKm: number | null;
	/** Free capacity per month, in the demand's unit. */
	free: number;
}

export interface SplitMember {
	id: string;
	/** How much of the need this startup covers, per month in the demand's unit. */
	covers: number;
}

export interface SplitProposal {
	members: SplitMember[];
	/** What the group leaves uncovered, per month in the demand's unit (0 when it covers the need). */
	uncovered: number;
}

const round3 = (value: number) => Math.round(value * 1000) / 1000;
const band = (c: SplitCandidate) =>
	c.distanceKm === null ? Number.POSITIVE_INFINITY : Math.floor(c.distanceKm / DISTANCE_BAND_KM);

/** Nearer first (by band), then the better match, then by id so one input gives one answer. */
export function preferred(a: SplitCandidate, b: SplitCandidate): number {
	return (
		band(a) - band(b) || b.score - a.score || b.free - a.free || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
	);
}

/**
 * The proposed group for a need (per month) no single candidate covers: as few startups as can cover it; among
 * groups of that size the nearer and better-matching startups, taken in that order whenever the rest can still
 * complete the group; each covers what it can in that order. When even the MAX_GROUP largest cannot cover it,
 * those are proposed with what remains uncovered. Null when one startup covers the need alone, or fewer than two
 * have any capacity free.
 */
export function proposeSplit(
	need: number,
	candidates: readonly SplitCandidate[],
	maxGroup = MAX_GROUP
): SplitProposal | null {
	const usable = candidates.filter((c) => c.free > 0);
	if (need <= 0 || usable.length < 2 || usable.some((c) => c.free >= need)) return null;
	const bySize = [...usable].sort((a, b) => b.free - a.free || preferred(a, b));
	const limit = Math.min(maxGroup, usable.length);
	// The fewest startups that can cover it: the largest first.
	let size = limit;
	let sum = 0;
	for (let i = 0; i < limit; i++) {
		sum += bySize[i]!.free;
		if (sum >= need) {
			size = i + 1;
			break;
		}
	}
	let group: SplitCandidate[];
	if (sum < need) {
		group = bySize.slice(0, size);
	} else {
		group = [];
		const taken = new Set<string>();
		let held = 0;
		// The most the `slots` largest startups not yet taken (and not `skip`) could add.
		const largestRest = (slots: number, skip: string) => {
			let total = 0;
			for (const c of bySize) {
				if (slots === 0) break;
				if (taken.has(c.id) || c.id === skip) continue;
				total += c.free;
				slots--;
			}
			return total;
		};
		for (const c of [...usable].sort(preferred)) {
			if (group.length === size || held >= need) break;
			if (held + c.free + largestRest(size - group.length - 1, c.id) < need) continue;
			group.push(c);
			taken.add(c.id);
			held += c.free;
		}
	}
	let left = need;
	const members = group.sort(preferred).map((c) => {
		const covers = round3(Math.min(c.free, left));
		left -= covers;
		return { id: c.id, covers };
	});
	return { members, uncovered: round3(Math.max(0, left)) };
}
