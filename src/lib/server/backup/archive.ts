// The backup file's container: a gzipped POSIX tar of a few named files, readable with `tar -xzf`. Only what a
// backup needs (regular files, short names); each header's checksum is checked on the way back in.
import zlib from 'node:zlib';
import { messageOf } from '../system-errors';

const BLOCK = 512;

export class ArchiveError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'ArchiveError';
	}
}

/** Packs the files, in order, into a .tar.gz. */
export function packArchive(files: { name: string; data: Uint8Array }[], mtime = new Date()): Buffer {
	const parts: Uint8Array[] = [];
	for (const { name, data } of files) {
		parts.push(header(name, data.length, mtime), data, Buffer.alloc(padding(data.length)));
	}
	// The end of a tar is two empty blocks.
	parts.push(Buffer.alloc(2 * BLOCK));
	return zlib.gzipSync(Buffer.concat(parts));
}

/** The files in a .tar.gz by name; throws ArchiveError when it is not one or is damaged. */
export function unpackArchive(archive: Uint8Array): Map<string, Buffer<ArrayBuffer>> {
	let tar: Buffer<ArrayBuffer>;
	try {
		tar = zlib.gunzipSync(archive);
	} catch (error) {
		throw new ArchiveError(`not a readable .tar.gz (${messageOf(error)})`);
	}
	const files = new Map<string, Buffer<ArrayBuffer>>();
	for (let offset = 0; offset + BLOCK <= tar.length;) {
		const block = tar.subarray(offset, offset + BLOCK);
		if (block.every((byte) => byte === 0)) return files;
		if (octal(block, 148, 8) !== checksum(block)) throw new ArchiveError(`damaged tar header at ${offset}`);
		const name = text(block, 0, 100);
		const size = octal(block, 124, 12);
		const type = String.fromCharCode(block[156]!);
		const start = offset + BLOCK;
		if (start + size > tar.length) throw new ArchiveError(`${name} is cut short`);
		if (type === '0' || type === '\0') files.set(name, tar.subarray(start, start + size));
		offset = start + size + padding(size);
	}
	throw new ArchiveError('the tar has no end marker (cut short?)');
}

function header(name: string, size: number, mtime: Date): Buffer {
	const block = Buffer.alloc(BLOCK);
	if (Buffer.byteLength(name) > 99) throw new ArchiveError(`file name too long for the archive: ${name}`);
	block.write(name, 0, 'utf8');
	block.write('0000644\0', 100, 'ascii');
	block.write('0000000\0', 108, 'ascii');
	block.write('0000000\0', 116, 'ascii');
	block.write(`${size.toString(8).padStart(11, '0')}\0`, 124, 'ascii');
	block.write(
		`${Math.floor(mtime.getTime() / 1000)
			.toString(8)
			.padStart(11, '0')}\0`,
		136,
		'ascii'
	);
	block.write('0', 156, 'ascii');
	block.write('ustar\u000000', 257, 'ascii');
	block.write(`${checksum(block).toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
	return block;
}

/** The sum of the header's bytes, its own checksum field counted as spaces. */
function checksum(block: Buffer): number {
	let sum = 0;
	for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : block[i]!;
	return sum;
}

function octal(block: Buffer, start: number, length: number): number {
	const value = Number.parseInt(text(block, start, length).trim() || '0', 8);
	if (!Number.isSafeInteger(value)) throw new ArchiveError('damaged tar header');
	return value;
}

function text(block: Buffer, start: number, length: number): string {
	const field = block.subarray(start, start + length);
	const end = field.indexOf(0);
	return field.subarray(0, end === -1 ? length : end).toString('utf8');
}

const padding = (size: number) => (BLOCK - (size % BLOCK)) % BLOCK;
