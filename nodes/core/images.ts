/// <reference types="node" />
// Only the global Buffer is used; an `import 'buffer'` would trip n8n's restricted-imports lint.
//
// Images given as text or fetched by URL, checked before they reach Ollama, which takes plain
// base64 only (a `data:` prefix makes it answer 400) and fails late, and vaguely, on bytes that
// are not an image. Pure: the fetch itself lives in nodes/n8n/images.ts.

import { displayUrl } from './url';

/** The most an image may weigh, fetched or given as text. */
export const MAX_IMAGE_BYTES = 20 * 1024 * 1024;

/** How long fetching one image may take, from the request to the last byte. */
export const IMAGE_FETCH_TIMEOUT_MS = 30_000;

/** The formats recognised by their first bytes; Ollama's vision models read all four. */
export type ImageFormat = 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp';

/** The format of image bytes, from their magic number; undefined when they are none of the four. */
export function imageFormat(bytes: Uint8Array): ImageFormat | undefined {
	const starts = (...values: number[]) => values.every((value, at) => bytes[at] === value);
	if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
	if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
	if (starts(0x47, 0x49, 0x46, 0x38)) return 'image/gif';
	const riff = starts(0x52, 0x49, 0x46, 0x46);
	const webp = [0x57, 0x45, 0x42, 0x50].every((value, at) => bytes[8 + at] === value);
	if (riff && webp) return 'image/webp';
	return undefined;
}

/**
 * Whether bytes served or declared as `mediaType` can go to Ollama as an image: a known magic
 * number, or else an image type other than SVG (which Ollama cannot read). Text, HTML and JSON
 * without image bytes are refused.
 */
export function isImage(bytes: Uint8Array, mediaType: string | undefined): boolean {
	if (imageFormat(bytes) !== undefined) return true;
	const type = baseType(mediaType);
	return type.startsWith('image/') && type !== 'image/svg+xml';
}

/** `image/png; charset=…` → `image/png`; '' when absent. */
export function baseType(mediaType: string | undefined): string {
	return (mediaType ?? '').split(';')[0].trim().toLowerCase();
}

/** Bytes as people read a size: "20 MB", "1.5 MB", "900 KB". */
export function formatBytes(bytes: number): string {
	if (bytes >= 1024 * 1024) return `${trim(bytes / (1024 * 1024))} MB`;
	if (bytes >= 1024) return `${trim(bytes / 1024)} KB`;
	return `${bytes} bytes`;
}

/**
 * "25 MB, more than the 20 MB an image may have"; without the size when it would read the same
 * as the limit (or is unknown).
 */
export function overLimit(size: number | undefined, limit = MAX_IMAGE_BYTES): string {
	const rest = `more than the ${formatBytes(limit)} an image may have`;
	if (size === undefined || formatBytes(size) === formatBytes(limit)) return rest;
	return `${formatBytes(size)}, ${rest}`;
}

function trim(value: number): string {
	return value.toFixed(1).replace(/\.0$/, '');
}

/**
 * A URL as an error shows it: without user:password, and at most 200 characters (signed URLs
 * run long).
 */
export function shownUrl(url: string): string {
	const shown = displayUrl(url.trim());
	return shown.length > 200 ? `${shown.slice(0, 200)}…` : shown;
}

/**
 * The URLs in an Image URLs value: separated by new lines, spaces, or commas before the next
 * http(s):// (a comma inside a URL, as image CDNs use in their paths, stays).
 */
export function splitImageUrls(value: string): string[] {
	return value
		.split(/\s+|,(?=\s*(?:https?|data):)/i)
		.map((url) => url.trim())
		.filter((url) => url !== '');
}

/**
 * The images in an Image Data value: base64 texts or data URLs separated by commas (base64 has
 * none; the comma after a data URL's `;base64` belongs to it). Line breaks inside base64 stay
 * (they are dropped when the image is read).
 */
export function splitImageData(value: string): string[] {
	return value
		.split(/(?<!;base64\s*),/i)
		.map((image) => image.trim())
		.filter((image) => image !== '');
}

export type DecodedImage = { base64: string; error?: undefined } | { error: string };

/**
 * One image given as text, as the plain base64 Ollama takes: a data URL (`data:image/png;base64,…`)
 * or bare base64, standard or URL-safe, with or without padding or line breaks. Refused: what is
 * not base64, a data URL that is not base64 or not of an image type, and bytes that are no image.
 * `what` names the image in the error ("Image Data 2").
 */
export function decodeImageText(text: string, what: string): DecodedImage {
	let payload = text.trim();
	if (/^https?:\/\//i.test(payload)) {
		return { error: `${what} is a URL, not base64: give image URLs in Image URLs.` };
	}
	let mediaType: string | undefined;
	const dataUrl = /^data:([^,]*?),/i.exec(payload);
	if (dataUrl) {
		const parameters = dataUrl[1].split(';').map((part) => part.trim());
		if (!parameters.slice(1).some((part) => part.toLowerCase() === 'base64')) {
			return {
				error: `${what} is a data URL without base64 ("data:${dataUrl[1]},…"); Ollama takes images as base64 ("data:image/png;base64,…").`,
			};
		}
		mediaType = parameters[0] === '' ? undefined : parameters[0];
		payload = payload.slice(dataUrl[0].length);
	}
	// Ollama's Go decoder wants standard, padded base64 without line breaks. Each step runs only
	// when needed: an image's base64 runs to tens of megabytes.
	let compact = /\s/.test(payload) ? payload.replace(/\s+/g, '') : payload;
	if (/[-_]/.test(compact)) compact = compact.replace(/-/g, '+').replace(/_/g, '/');
	const unpadded = compact.replace(/={1,2}$/, '');
	if (unpadded === '') return { error: `${what} is empty.` };
	if (/[^A-Za-z0-9+/]/.test(unpadded) || unpadded.length % 4 === 1) {
		const shown = payload.trim();
		return {
			error: `${what} is not valid base64 (nor a data URL with base64): it starts "${shown.slice(0, 40)}${shown.length > 40 ? '…' : ''}".`,
		};
	}
	const size = Math.floor((unpadded.length * 3) / 4);
	if (size > MAX_IMAGE_BYTES) return { error: `${what} is ${overLimit(size)}.` };
	// The first bytes tell the format; the whole need not be decoded.
	const head = Buffer.from(unpadded.slice(0, 64), 'base64');
	if (mediaType !== undefined && !baseType(mediaType).startsWith('image/')) {
		if (imageFormat(head) === undefined)
			return { error: `${what} is ${baseType(mediaType)}, not an image.` };
	} else if (!isImage(head, mediaType)) {
		return {
			error:
				mediaType === undefined
					? `${what} is not a PNG, JPEG, GIF or WebP image (its bytes say otherwise). An image in another format can be given as a data URL with its type.`
					: `${what} is ${baseType(mediaType)}, which Ollama cannot read as an image.`,
		};
	}
	const padding = '='.repeat((4 - (unpadded.length % 4)) % 4);
	return { base64: unpadded + padding };
}
