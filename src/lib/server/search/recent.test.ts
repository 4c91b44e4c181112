import { describe, expect, it } from 'vitest';
import { indexChanged, recentAnswer } from './recent';

describe('recent search answers', () => {
	it('asks once for the same words, per client, until the index changes', async () => {
		const client = {};
		const other = {};
		let asked = 0;
		const ask = async () => ++asked;
		expect(await recentAnswer(client, 'rice', ask)).toBe(1);
		expect(await recentAnswer(client, 'rice', ask)).toBe(1);
		expect(await recentAnswer(client, 'coffee', ask)).toBe(2);
		expect(await recentAnswer(other, 'rice', ask)).toBe(3);
		indexChanged();
		expect(await recentAnswer(client, 'rice', ask)).toBe(4);
	});

	it('never keeps a failed search', async () => {
		const client = {};
		await expect(recentAnswer(client, 'rice', () => Promise.reject(new Error('down')))).rejects.toThrow(
			'down'
		);
		expect(await recentAnswer(client, 'rice', async () => 'answered')).toBe('answered');
	});

	it('forgets an answer after two seconds', async () => {
		const client = {};
		let asked = 0;
		const realNow = Date.now;
		try {
			expect(await recentAnswer(client, 'rice', async () => ++asked)).toBe(1);
			const later = realNow() + 2_001;
			Date.now = () => later;
			expect(await recentAnswer(client, 'rice', async () => ++asked)).toBe(2);
		} finally {
			Date.now = realNow;
		}
	});
});
