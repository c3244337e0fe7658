import {
	MAX_IMAGE_BYTES,
	decodeImageText,
	formatBytes,
	imageFormat,
	isImage,
	shownUrl,
	splitImageData,
	splitImageUrls,
} from '../../nodes/core/images';
import { PNG } from '../nodes/generation.fixture';
import { GIF } from '../nodes/imageServer.fixture';

const png = PNG.toString('base64');
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46]);
const WEBP = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 ')]);

describe('imageFormat and isImage', () => {
	it('recognises PNG, JPEG, GIF and WebP by their first bytes', () => {
		expect(imageFormat(PNG)).toBe('image/png');
		expect(imageFormat(JPEG)).toBe('image/jpeg');
		expect(imageFormat(GIF)).toBe('image/gif');
		expect(imageFormat(WEBP)).toBe('image/webp');
		expect(imageFormat(Buffer.from('RIFF\0\0\0\0WAVEfmt '))).toBeUndefined();
		expect(imageFormat(Buffer.from('<html>'))).toBeUndefined();
		expect(imageFormat(Buffer.alloc(0))).toBeUndefined();
	});

	it('takes known image bytes whatever the type says, and other bytes only when typed as an image other than SVG', () => {
		expect(isImage(PNG, 'application/octet-stream')).toBe(true);
		expect(isImage(PNG, undefined)).toBe(true);
		expect(isImage(Buffer.from('BM....'), 'image/bmp')).toBe(true);
		expect(isImage(Buffer.from('hello'), 'text/plain')).toBe(false);
		expect(isImage(Buffer.from('<svg/>'), 'image/svg+xml; charset=utf-8')).toBe(false);
		expect(isImage(Buffer.from('hello'), undefined)).toBe(false);
	});
});

describe('splitImageUrls', () => {
	it('splits on new lines, spaces and commas before the next URL; a comma inside a URL stays', () => {
		expect(
			splitImageUrls(
				'https://a.example/x.png, https://res.cloudinary.com/d/image/upload/w_100,h_100/y.jpg\nhttp://b.example/z.gif,https://c.example/w.webp',
			),
		).toEqual([
			'https://a.example/x.png',
			'https://res.cloudinary.com/d/image/upload/w_100,h_100/y.jpg',
			'http://b.example/z.gif',
			'https://c.example/w.webp',
		]);
		expect(splitImageUrls('  ')).toEqual([]);
		expect(splitImageUrls(`https://a.example/x.png,data:image/png;base64,${png}`)).toEqual([
			'https://a.example/x.png',
			`data:image/png;base64,${png}`,
		]);
	});
});

describe('splitImageData', () => {
	it('splits base64 texts and data URLs on commas, keeping the comma of each data URL', () => {
		expect(
			splitImageData(`${png}, data:image/png;base64,${png},data:image/gif;base64,R0lG`),
		).toEqual([png, `data:image/png;base64,${png}`, 'data:image/gif;base64,R0lG']);
		expect(splitImageData('')).toEqual([]);
	});
});

describe('decodeImageText', () => {
	it('gives plain, padded base64 from a data URL, URL-safe or unpadded base64, or base64 with line breaks', () => {
		const jpeg = Buffer.concat([JPEG, Buffer.from([0xfb, 0xff, 0xfe])]);
		const standard = jpeg.toString('base64');
		const urlSafe = jpeg.toString('base64url');
		expect(standard).toMatch(/[+/]/);
		expect(decodeImageText(`data:image/png;base64,${png}`, 'x')).toEqual({ base64: png });
		expect(decodeImageText(`DATA:image/png;name=a.png;BASE64,${png}`, 'x')).toEqual({
			base64: png,
		});
		expect(decodeImageText(urlSafe, 'x')).toEqual({ base64: standard });
		expect(decodeImageText(png.replace(/=+$/, ''), 'x')).toEqual({ base64: png });
		expect(decodeImageText(png.replace(/(.{10})/g, '$1\r\n'), 'x')).toEqual({ base64: png });
	});

	it('accepts bytes of another image format when a data URL types them as an image', () => {
		const bmp = Buffer.from('BM6\0\0\0').toString('base64');
		expect(decodeImageText(`data:image/bmp;base64,${bmp}`, 'x')).toEqual({ base64: bmp });
		expect(decodeImageText(bmp, 'Image Data').error).toBe(
			'Image Data is not a PNG, JPEG, GIF or WebP image (its bytes say otherwise). An image in another format can be given as a data URL with its type.',
		);
		// A PNG mislabelled as octet-stream is still a PNG.
		expect(decodeImageText(`data:application/octet-stream;base64,${png}`, 'x')).toEqual({
			base64: png,
		});
	});

	it('refuses what Ollama could not use, naming the image', () => {
		expect(decodeImageText('', 'Image Data').error).toBe('Image Data is empty.');
		expect(decodeImageText('data:image/png;base64,', 'Image Data').error).toBe(
			'Image Data is empty.',
		);
		expect(decodeImageText('data:image/svg+xml,<svg/>', 'Image 2 of Image Data').error).toBe(
			'Image 2 of Image Data is a data URL without base64 ("data:image/svg+xml,…"); Ollama takes images as base64 ("data:image/png;base64,…").',
		);
		expect(decodeImageText('abcde', 'Image Data').error).toMatch(/is not valid base64/);
		expect(
			decodeImageText(`data:image/svg+xml;base64,${Buffer.from('<svg/>').toString('base64')}`, 'I')
				.error,
		).toBe('I is image/svg+xml, which Ollama cannot read as an image.');
		expect(decodeImageText('data:text/plain;base64,aGVsbG8=', 'I').error).toBe(
			'I is text/plain, not an image.',
		);
		expect(decodeImageText('https://example.com/a.png', 'I').error).toBe(
			'I is a URL, not base64: give image URLs in Image URLs.',
		);
		// JPEG's first bytes, then zeros: just over the limit, and half as much again.
		const jpegOf = (bytes: number) => `/9j/${'A'.repeat(Math.floor((bytes - 3) / 3) * 4)}`;
		expect(decodeImageText(jpegOf(MAX_IMAGE_BYTES + 6), 'I').error).toBe(
			'I is more than the 20 MB an image may have.',
		);
		expect(decodeImageText(jpegOf(MAX_IMAGE_BYTES * 1.5), 'I').error).toBe(
			'I is 30 MB, more than the 20 MB an image may have.',
		);
		expect(decodeImageText(jpegOf(MAX_IMAGE_BYTES), 'I').error).toBeUndefined();
	});
});

describe('shownUrl and formatBytes', () => {
	it('drops user:password and cuts long URLs', () => {
		expect(shownUrl('https://user:p@ss@host.example/a.png?x=1')).toBe(
			'https://host.example/a.png?x=1',
		);
		const long = `https://host.example/${'a'.repeat(300)}`;
		expect(shownUrl(long)).toBe(`${long.slice(0, 200)}…`);
	});

	it('writes sizes as people read them', () => {
		expect(formatBytes(MAX_IMAGE_BYTES)).toBe('20 MB');
		expect(formatBytes(1.5 * 1024 * 1024)).toBe('1.5 MB');
		expect(formatBytes(2048)).toBe('2 KB');
		expect(formatBytes(12)).toBe('12 bytes');
	});
});
