import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ArchiveError, packArchive, unpackArchive } from './archive';

const files = [
	{ name: 'manifest.json', data: Buffer.from('{"formatVersion":1}') },
	// Exactly one block, then one byte over: the padding is right either way.
	{ name: 'block.bin', data: Buffer.alloc(512, 7) },
	{ name: 'odd.bin', data: Buffer.alloc(513, 9) },
	{ name: 'empty', data: Buffer.alloc(0) }
];

describe('backup archive', () => {
	it('gives back every file byte for byte', () => {
		const unpacked = unpackArchive(packArchive(files));
		expect([...unpacked.keys()]).toEqual(files.map((file) => file.name));
		for (const { name, data } of files) expect(Buffer.compare(unpacked.get(name)!, data)).toBe(0);
	});

	it('refuses what is not gzip, a damaged header and a cut-short tar', () => {
		expect(() => unpackArchive(Buffer.from('not an archive'))).toThrow(ArchiveError);
		const tar = zlib.gunzipSync(packArchive(files));
		const damaged = Buffer.from(tar);
		damaged[0] = 'X'.charCodeAt(0);
		expect(() => unpackArchive(zlib.gzipSync(damaged))).toThrow(/damaged tar header at 0/);
		expect(() => unpackArchive(zlib.gzipSync(tar.subarray(0, 1024)))).toThrow(/cut short/);
	});

	it('refuses a name that a tar header cannot hold', () => {
		expect(() => packArchive([{ name: 'x'.repeat(100), data: Buffer.alloc(1) }])).toThrow(/too long/);
	});
});
