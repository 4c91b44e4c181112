import { describe, expect, it } from 'vitest';
import { proposeSplit, type SplitCandidate } from './split';

const c = (id: string, free: number, score = 0.7, distanceKm: number | null = 0): SplitCandidate => ({
	id,
	free,
	score,
	distanceKm
});
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

describe('proposeSplit', () => {
	it('proposes nothing when one startup covers the need, or fewer than two have capacity free', () => {
		expect(proposeSplit(100, [c('a', 100), c('b', 50)])).toBeNull();
		expect(proposeSplit(100, [c('a', 60), c('b', 0)])).toBeNull();
	});

	it('takes as few startups as can cover it, even when smaller ones are nearer', () => {
		const proposal = proposeSplit(100, [
			c('near1', 30, 0.9, 5),
			c('near2', 30, 0.9, 5),
			c('far', 80, 0.6, 400)
		])!;
		expect(proposal.members.map((m) => m.id)).toEqual(['near1', 'far']);
		expect(proposal.members.map((m) => m.covers)).toEqual([30, 70]);
		expect(proposal.uncovered).toBe(0);
	});

	it('prefers the nearer, then the better match, among groups of the same size', () => {
		const proposal = proposeSplit(100, [
			c('far-best', 60, 0.95, 600),
			c('near-weak', 60, 0.55, 20),
			c('near-good', 60, 0.8, 40),
			c('anywhere', 60, 0.99, null)
		])!;
		expect(proposal.members.map((m) => m.id)).toEqual(['near-good', 'near-weak']);
		expect(sum(proposal.members.map((m) => m.covers))).toBe(100);
	});

	it('says what remains uncovered when even the largest group cannot cover it', () => {
		const proposal = proposeSplit(
			1000,
			['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((id, i) => c(id, 100 + i))
		)!;
		expect(proposal.members).toHaveLength(5);
		expect(proposal.members.map((m) => m.id).sort()).toEqual(['c', 'd', 'e', 'f', 'g']);
		expect(proposal.uncovered).toBe(1000 - (102 + 103 + 104 + 105 + 106));
		expect(sum(proposal.members.map((m) => m.covers)) + proposal.uncovered).toBe(1000);
	});

	it('covers exactly the need, the last member covering only what is left', () => {
		const proposal = proposeSplit(75.5, [c('a', 50, 0.9), c('b', 50, 0.8), c('c', 50, 0.7)])!;
		expect(proposal.members).toEqual([
			{ id: 'a', covers: 50 },
			{ id: 'b', covers: 25.5 }
		]);
	});
});
