// Uploads checked by content against real image bytes made with sharp.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
	createSemaphore,
	IMAGE_DECODES_AT_ONCE,
	imageDecodeSlots,
	imageTypeOf,
	MAX_ATTACHMENT_BYTES,
	MAX_IMAGE_BYTES,
	MAX_IMAGE_PIXELS,
	storeImage,
	storePdf,
	uploadFile
} from './images';
import { codeOf } from '../../../../tests/helpers/errors';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'uploads-'));

describe('image uploads', () => {
	it('re-encodes a photo as WebP without its EXIF and GPS data, stored by hash', async () => {
		const jpeg = await sharp({ create: { width: 2000, height: 1000, channels: 3, background: '#0b4f6c' } })
			.jpeg()
			.withExif({ IFD0: { Artist: 'Somchai', Copyright: 'secret-location' } })
			.toBuffer();
		expect((await sharp(jpeg).metadata()).exif).toBeDefined();
		const stored = await storeImage(dataDir, 'logos', new File([new Uint8Array(jpeg)], 'photo.png'), 'logo');
		expect(stored).toMatch(/^logos\/[0-9a-f]{64}\.webp$/);
		const file = uploadFile(dataDir, stored)!.path;
		const metadata = await sharp(file).metadata();
		expect(metadata.format).toBe('webp');
		expect(metadata.exif).toBeUndefined();
		expect(Math.max(metadata.width, metadata.height)).toBe(512);
		expect(fs.readFileSync(file).includes(Buffer.from('secret-location'))).toBe(false);
	});

	it('goes by content, not by name: a script called logo.png is refused', async () => {
		const script = new File(['<script>alert(1)</script>'], 'logo.png', { type: 'image/png' });
		expect(await codeOf(storeImage(dataDir, 'logos', script, 'logo'))).toBe('image_type');
		expect(imageTypeOf(new TextEncoder().encode('RIFF0000WEBPVP8 '))).toBe('webp');
	});

	it('refuses a picture that does not decode, and files over 2 MB', async () => {
		const header = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
		expect(await codeOf(storeImage(dataDir, 'logos', new File([header], 'x.png'), 'logo'))).toBe(
			'image_unreadable'
		);
		const huge = new File([new Uint8Array(MAX_IMAGE_BYTES + 1)], 'big.jpg');
		expect(await codeOf(storeImage(dataDir, 'logos', huge, 'logo'))).toBe('image_too_large');
	});

	it('refuses a picture over 40 megapixels from its header with its own code; one just under is kept', async () => {
		const png = (width: number, height: number) =>
			sharp({ create: { width, height, channels: 3, background: '#0b4f6c' } })
				.png()
				.toBuffer();
		const over = await png(8000, 5001); // 40,008,000 pixels
		expect(
			await codeOf(storeImage(dataDir, 'products', new File([new Uint8Array(over)], 'x.png'), 'photo'))
		).toBe('image_too_many_pixels');
		expect(8000 * 4999).toBeLessThanOrEqual(MAX_IMAGE_PIXELS);
		const under = await png(8000, 4999);
		expect(
			await storeImage(dataDir, 'products', new File([new Uint8Array(under)], 'y.png'), 'photo')
		).toMatch(/^products\//);
	});

	it(`decodes at most ${IMAGE_DECODES_AT_ONCE} pictures at once; the others wait their turn`, async () => {
		const pictures = await Promise.all(
			[...Array(6).keys()].map((i) =>
				sharp({
					create: { width: 1500, height: 1500, channels: 3, background: { r: i * 40, g: 80, b: 120 } }
				})
					.png()
					.toBuffer()
			)
		);
		let peak = 0;
		let queued = 0;
		const sampler = setInterval(() => {
			peak = Math.max(peak, imageDecodeSlots.active);
			queued = Math.max(queued, imageDecodeSlots.waiting);
		}, 1);
		const stored = await Promise.all(
			pictures.map((bytes, i) =>
				storeImage(dataDir, 'products', new File([new Uint8Array(bytes)], `${i}.png`), 'photo')
			)
		);
		clearInterval(sampler);
		expect(new Set(stored).size).toBe(6);
		expect(peak).toBe(IMAGE_DECODES_AT_ONCE);
		expect(queued).toBeGreaterThan(0);
		expect([imageDecodeSlots.active, imageDecodeSlots.waiting]).toEqual([0, 0]);
	});

	it('a semaphore runs tasks in order of arrival, never more than its size, and frees a slot when one fails', async () => {
		const slots = createSemaphore(2);
		const order: string[] = [];
		let running = 0;
		let most = 0;
		const task = (name: string, fail = false) =>
			slots.run(async () => {
				running++;
				most = Math.max(most, running);
				order.push(name);
				await new Promise((resolve) => setTimeout(resolve, 5));
				running--;
				if (fail) throw new Error(name);
				return name;
			});
		const results = await Promise.allSettled([task('a', true), task('b'), task('c'), task('d')]);
		expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled', 'fulfilled']);
		expect(order).toEqual(['a', 'b', 'c', 'd']);
		expect(most).toBe(2);
		expect([slots.active, slots.waiting]).toEqual([0, 0]);
	});

	it('serves only paths it wrote', () => {
		expect(uploadFile(dataDir, '../../etc/passwd')).toBeNull();
		expect(uploadFile(dataDir, 'logos/abc.webp')).toBeNull();
		expect(uploadFile(dataDir, `products/${'a'.repeat(64)}.webp`)).toEqual({
			path: path.join(dataDir, 'uploads', 'products', `${'a'.repeat(64)}.webp`),
			contentType: 'image/webp'
		});
		expect(uploadFile(dataDir, `attachments/${'a'.repeat(64)}.webp`)).toBeNull();
		expect(uploadFile(dataDir, `logos/${'a'.repeat(64)}.pdf`)).toBeNull();
	});
});

describe('PDF attachments', () => {
	it('keeps a real PDF and refuses anything else or anything over 5 MB', async () => {
		const pdf = new File(['%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n'], 'spec.pdf');
		const stored = await storePdf(dataDir, pdf, 'attachment');
		expect(stored).toMatch(/^attachments\/[0-9a-f]{64}\.pdf$/);
		expect(uploadFile(dataDir, stored)!.contentType).toBe('application/pdf');
		expect(await codeOf(storePdf(dataDir, new File(['<html>'], 'spec.pdf'), 'attachment'))).toBe(
			'attachment_type'
		);
		const huge = new File([new Uint8Array(MAX_ATTACHMENT_BYTES + 1)], 'big.pdf');
		expect(await codeOf(storePdf(dataDir, huge, 'attachment'))).toBe('attachment_too_large');
	});
});
