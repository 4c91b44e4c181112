import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { compression } from './compression';

const page = '<!doctype html><p>' + 'ตลาดนำการผลิต '.repeat(500) + '</p>';

async function respond(
	acceptEncoding: string,
	body: string | Uint8Array<ArrayBuffer> = page,
	type = 'text/html'
) {
	const event = {
		request: new Request('http://portal.test/', { headers: { 'accept-encoding': acceptEncoding } })
	};
	const resolve = async () =>
		new Response(body, { status: 200, headers: { 'content-type': type, 'set-cookie': 'a=1' } });
	return compression({ event, resolve } as never);
}

describe('compression', () => {
	it('sends brotli when the browser takes it, gzip otherwise, and keeps status and cookies', async () => {
		const br = await respond('gzip, deflate, br');
		expect(br.headers.get('content-encoding')).toBe('br');
		expect(br.headers.get('vary')).toContain('Accept-Encoding');
		expect(br.headers.get('set-cookie')).toBe('a=1');
		const bytes = Buffer.from(await br.arrayBuffer());
		expect(bytes.length).toBeLessThan(Buffer.byteLength(page) / 10);
		expect(zlib.brotliDecompressSync(bytes).toString('utf8')).toBe(page);
		const gz = await respond('gzip');
		expect(gz.headers.get('content-encoding')).toBe('gzip');
		expect(zlib.gunzipSync(Buffer.from(await gz.arrayBuffer())).toString('utf8')).toBe(page);
	});

	it('compresses a body past the on-the-spot size (an export) through the thread pool, just as well', async () => {
		// 2 MB of rows that differ: past the 1 MB handled on the spot.
		const rows = Array.from({ length: 40_000 }, (_, i) => `<tr><td>${i}</td><td>ผู้ผลิต ${i * 7919}</td></tr>`);
		const big = `<table>${rows.join('')}</table>`;
		expect(Buffer.byteLength(big)).toBeGreaterThan(1024 * 1024);
		const br = await respond('br', big);
		expect(zlib.brotliDecompressSync(Buffer.from(await br.arrayBuffer())).toString('utf8')).toBe(big);
		const gz = await respond('gzip', big);
		expect(zlib.gunzipSync(Buffer.from(await gz.arrayBuffer())).toString('utf8')).toBe(big);
	});

	it('leaves alone what a browser cannot take, what is small, and what is already compressed', async () => {
		expect((await respond('identity')).headers.get('content-encoding')).toBeNull();
		expect((await respond('br', '<p>hi</p>')).headers.get('content-encoding')).toBeNull();
		const image = await respond('br', new Uint8Array(4096), 'image/webp');
		expect(image.headers.get('content-encoding')).toBeNull();
		expect((await image.arrayBuffer()).byteLength).toBe(4096);
	});
});
