import type { IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';

import {
	IMAGE_FETCH_TIMEOUT_MS,
	MAX_IMAGE_BYTES,
	baseType,
	decodeImageText,
	isImage,
	overLimit,
	shownUrl,
	splitImageData,
	splitImageUrls,
} from '../core/images';
import type { ParameterError } from './parameterError';
import { parameterErrors } from './parameterError';

/**
 * The images named by a comma-separated list of binary property names, as the plain base64
 * Ollama wants (a `data:` prefix makes it answer 400).
 */
export async function readImages(
	context: IExecuteFunctions,
	itemIndex: number,
	propertyList: string,
	parameter: string,
): Promise<string[]> {
	const names = propertyList
		.split(',')
		.map((name) => name.trim())
		.filter((name) => name !== '');
	const item = context.getInputData()[itemIndex];
	const fail = parameterErrors(context, itemIndex);
	const images: string[] = [];
	for (const name of names) {
		const binary = item.binary?.[name];
		if (!binary) {
			throw fail(
				parameter,
				`Item ${itemIndex} has no binary property "${name}".`,
				'it names binary properties of the input item, separated by commas.',
			);
		}
		if (!binary.mimeType?.startsWith('image/')) {
			throw fail(
				parameter,
				`Binary property "${name}" is ${binary.mimeType || 'of unknown type'}, not an image.`,
			);
		}
		const buffer = await context.helpers.getBinaryDataBuffer(itemIndex, name);
		images.push(buffer.toString('base64'));
	}
	return images;
}

/** Where one prompt's or message's images come from, each as its parameter holds it. */
export interface ImageSources {
	/** Binary property names, comma-separated. */
	binary?: unknown;
	/** http(s) URLs: text (comma- or line-separated) or a list. */
	urls?: unknown;
	/** base64 or data URLs: text (comma-separated) or a list. */
	data?: unknown;
}

/** The parameters' names as errors show them, e.g. "Image URLs" or "Messages → Image URLs". */
export interface ImageLabels {
	binary: string;
	urls: string;
	data: string;
}

/**
 * All images of one prompt or message as plain base64, in this order: binary properties, image
 * URLs (fetched), image data. A value that cannot be used fails the item, naming the parameter,
 * the item and, for a URL, the URL (without user:password).
 */
export async function readImageSources(
	context: IExecuteFunctions,
	itemIndex: number,
	sources: ImageSources,
	labels: ImageLabels,
	kind: 'parameter' | 'option' = 'parameter',
	fetchImage: ImageFetcher = imageFetcher(context),
): Promise<string[]> {
	const fail = parameterErrors(context, itemIndex, { kind, nameItem: true });
	const images: string[] = [];
	if (typeof sources.binary === 'string' && sources.binary.trim() !== '') {
		images.push(...(await readImages(context, itemIndex, sources.binary, labels.binary)));
	}
	for (const url of listOf(sources.urls, splitImageUrls, labels.urls, 'URLs', fail)) {
		images.push(await imageFromUrl(url, labels.urls, fail, fetchImage));
	}
	const data = listOf(sources.data, splitImageData, labels.data, 'base64 texts', fail);
	for (const [index, text] of data.entries()) {
		const what = data.length > 1 ? `Image ${index + 1} of ${labels.data}` : labels.data;
		const decoded = decodeImageText(text, what);
		if (decoded.error !== undefined) throw fail(labels.data, decoded.error);
		images.push(decoded.base64);
	}
	return images;
}

/** One URL of an Image URLs value: fetched when http(s), decoded when a data URL. */
async function imageFromUrl(
	url: string,
	label: string,
	fail: ParameterError,
	fetchImage: ImageFetcher,
): Promise<string> {
	if (/^data:/i.test(url)) {
		const decoded = decodeImageText(url, `The data URL in ${label}`);
		if (decoded.error !== undefined) throw fail(label, decoded.error);
		return decoded.base64;
	}
	const fetched = await fetchImage(url);
	if (fetched.error !== undefined) throw fail(label, fetched.error, fetched.detail);
	return fetched.base64;
}

/** A parameter's value as a list: text split by `split`, or a list of texts (from an expression). */
function listOf(
	value: unknown,
	split: (text: string) => string[],
	label: string,
	items: string,
	fail: ParameterError,
): string[] {
	if (value === undefined || value === null) return [];
	if (typeof value === 'string') return split(value);
	if (Array.isArray(value) && value.every((entry) => typeof entry === 'string')) {
		return (value as string[]).map((entry) => entry.trim()).filter((entry) => entry !== '');
	}
	throw fail(
		label,
		`${label} must be text or a list of ${items}, not ${describe(value)}.`,
		`an expression may give one ${items === 'URLs' ? 'URL' : 'base64 text'} or a list of them.`,
	);
}

function describe(value: unknown): string {
	const json = JSON.stringify(value) ?? String(value);
	return json.length > 80 ? `${json.slice(0, 80)}…` : json;
}

/** One image fetched: its plain base64, or why it could not be used (and what to do, if known). */
export type FetchedImage =
	{ base64: string; error?: undefined } | { base64?: undefined; error: string; detail?: string };

/** Fetches one image URL; `signal` stops it early (a sub-node's caller, e.g.). */
export type ImageFetcher = (url: string, signal?: AbortSignal) => Promise<FetchedImage>;

/** What fetching needs of an n8n context: a node's execute or a sub-node's supplyData. */
export interface ImageFetchContext {
	helpers: Pick<IExecuteFunctions['helpers'], 'httpRequest'>;
	getExecutionCancelSignal?: () => AbortSignal | undefined;
}

export interface ImageFetchLimits {
	maxBytes: number;
	timeoutMs: number;
}

interface FullResponse {
	body: unknown;
	headers?: Record<string, unknown>;
	statusCode: number;
	statusMessage?: string;
}

/**
 * Fetches image URLs through n8n's own request helper, not the Ollama credential: an image lives
 * on another host, and n8n applies its SSRF policy (and proxy settings) there. The body is read
 * as a stream and dropped past the size limit, so a huge or endless answer is never held whole;
 * the timeout covers the request and the whole body.
 */
export function imageFetcher(
	context: ImageFetchContext,
	limits: ImageFetchLimits = { maxBytes: MAX_IMAGE_BYTES, timeoutMs: IMAGE_FETCH_TIMEOUT_MS },
): ImageFetcher {
	return async (url, signal) => {
		const shown = shownUrl(url);
		const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url.trim())?.[1]?.toLowerCase();
		if (scheme !== 'http' && scheme !== 'https') {
			return { error: `Image URL "${shown}" is not an http(s) URL.` };
		}
		const timeout = AbortSignal.timeout(limits.timeoutMs);
		const signals = [timeout, context.getExecutionCancelSignal?.(), signal].filter(
			(candidate): candidate is AbortSignal => candidate !== undefined,
		);
		const options: IHttpRequestOptions = {
			method: 'GET',
			url: url.trim(),
			headers: { Accept: 'image/*, */*;q=0.8' },
			encoding: 'stream',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			maxRedirects: 5,
			timeout: limits.timeoutMs,
			abortSignal: AbortSignal.any(signals),
		};
		let response: FullResponse;
		let bytes: Buffer | undefined;
		try {
			response = (await context.helpers.httpRequest(options)) as FullResponse;
			const status = response.statusCode;
			if (status < 200 || status >= 300) {
				discard(response.body);
				const text = response.statusMessage ? ` ${response.statusMessage}` : '';
				return {
					error: `Image URL ${shown} answered ${status}${text}.`,
					...(status === 404 && { detail: 'there is no image at that address.' }),
				};
			}
			const length = Number(header(response, 'content-length'));
			if (Number.isFinite(length) && length > limits.maxBytes) {
				discard(response.body);
				return { error: tooLarge(shown, limits.maxBytes, length) };
			}
			bytes = await readCapped(response.body, limits.maxBytes);
		} catch (error) {
			if (signals.some((candidate) => candidate !== timeout && candidate.aborted)) {
				return { error: `Fetching image URL ${shown} was stopped.` };
			}
			return fetchFailure(error, url, shown, timeout.aborted, limits.timeoutMs);
		}
		if (bytes === undefined) return { error: tooLarge(shown, limits.maxBytes) };
		if (bytes.length === 0) return { error: `Image URL ${shown} answered with an empty body.` };
		const type = baseType(header(response, 'content-type'));
		if (!isImage(bytes, type)) {
			return {
				error: `Image URL ${shown} is ${type || 'of no stated type'}, not an image (its bytes are no PNG, JPEG, GIF or WebP either).`,
			};
		}
		return { base64: bytes.toString('base64') };
	};
}

function tooLarge(shown: string, maxBytes: number, length?: number): string {
	return `Image URL ${shown} is ${overLimit(length, maxBytes)}.`;
}

function header(response: FullResponse, name: string): string | undefined {
	const value = response.headers?.[name];
	return typeof value === 'string' ? value : undefined;
}

/** Why a request failed, in the user's terms: n8n's SSRF protection, the timeout, the network. */
function fetchFailure(
	error: unknown,
	url: string,
	shown: string,
	timedOut: boolean,
	timeoutMs: number,
): FetchedImage {
	const chain = causes(error);
	const ssrf = chain.find((entry) => /^SsrfBlocked/.test(String(entry.name)));
	if (ssrf) {
		const host = typeof ssrf.hostname === 'string' ? ssrf.hostname : hostnameOf(url);
		const ip = typeof ssrf.ip === 'string' ? ssrf.ip : undefined;
		const allow = [
			host && `N8N_SSRF_ALLOWED_HOSTNAMES=${host}`,
			ip && `N8N_SSRF_ALLOWED_IP_RANGES=${ip}${ip.includes(':') ? '/128' : '/32'}`,
		].filter(Boolean);
		return {
			error: `Image URL ${shown} was blocked by n8n's SSRF protection${ip ? ` (${ip})` : ''}.`,
			detail: `n8n does not fetch from that address. If the image is meant to be reachable, an n8n administrator can allow it with ${allow.length ? allow.join(' or ') : 'N8N_SSRF_ALLOWED_HOSTNAMES or N8N_SSRF_ALLOWED_IP_RANGES'} in n8n's environment.`,
		};
	}
	if (timedOut) {
		return { error: `Image URL ${shown} did not answer in full within ${timeoutMs / 1000} s.` };
	}
	const code = chain.map((entry) => entry.code).find((value) => typeof value === 'string');
	const message = chain
		.map((entry) => entry.message)
		.find((text): text is string => typeof text === 'string' && text !== '');
	// The error code stays out of the message: n8n would replace a message naming one with its
	// generic text (NodeError's COMMON_ERRORS), and the URL would be lost.
	return {
		error: `Image URL ${shown} could not be fetched: ${networkReason(code as string | undefined)}.`,
		detail: `the request failed with "${message ?? String(error)}".`,
	};
}

/** The URL's host name, unless it is an IP address (then the IP range is what allows it). */
function hostnameOf(url: string): string | undefined {
	try {
		const { hostname } = new URL(url.trim());
		return /^[\d.]+$|^\[/.test(hostname) || hostname === '' ? undefined : hostname;
	} catch {
		return undefined;
	}
}

function networkReason(code: string | undefined): string {
	switch (code) {
		case 'ECONNREFUSED':
			return 'the connection was refused';
		case 'ENOTFOUND':
		case 'EAI_AGAIN':
			return 'its host name was not found';
		case 'ETIMEDOUT':
		case 'ECONNABORTED':
			return 'the connection timed out';
		case 'ECONNRESET':
		case 'EPIPE':
			return 'the connection was closed';
		case 'EHOSTUNREACH':
		case 'ENETUNREACH':
			return 'the host is unreachable';
		default:
			return code !== undefined && /CERT|SSL|TLS|SELF_SIGNED/i.test(code)
				? 'its TLS certificate was not accepted'
				: 'the request failed';
	}
}

function causes(error: unknown): Array<Record<string, unknown>> {
	const chain: Array<Record<string, unknown>> = [];
	let current: unknown = error;
	for (let depth = 0; current && typeof current === 'object' && depth < 6; depth++) {
		chain.push(current as Record<string, unknown>);
		current = (current as { cause?: unknown }).cause;
	}
	return chain;
}

/** What the request helper hands over for `encoding: 'stream'`: a Node Readable. */
interface Readable {
	on(event: 'data', listener: (chunk: Uint8Array | string) => void): unknown;
	on(event: 'end' | 'close', listener: () => void): unknown;
	on(event: 'error', listener: (error: unknown) => void): unknown;
	destroy(error?: Error): unknown;
}

function isReadable(body: unknown): body is Readable {
	const candidate = body as Partial<Readable> | null;
	return (
		typeof candidate === 'object' &&
		candidate !== null &&
		typeof candidate.on === 'function' &&
		typeof candidate.destroy === 'function'
	);
}

function discard(body: unknown): void {
	if (isReadable(body)) {
		// A late error of a dropped body must not become an unhandled one.
		body.on('error', () => {});
		body.destroy();
	}
}

/** The whole body, or undefined as soon as it grows past `maxBytes` (the rest is not read). */
async function readCapped(body: unknown, maxBytes: number): Promise<Buffer | undefined> {
	if (!isReadable(body)) {
		const bytes = toBuffer(body);
		return bytes.length > maxBytes ? undefined : bytes;
	}
	return await new Promise<Buffer | undefined>((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		let settled = false;
		const settle = (done: () => void) => {
			if (settled) return;
			settled = true;
			done();
		};
		body.on('data', (chunk) => {
			if (settled) return;
			const bytes = toBuffer(chunk);
			size += bytes.length;
			if (size > maxBytes) {
				settle(() => resolve(undefined));
				body.destroy();
				return;
			}
			chunks.push(bytes);
		});
		body.on('end', () => settle(() => resolve(Buffer.concat(chunks, size))));
		body.on('error', (error) => settle(() => reject(error)));
		body.on('close', () =>
			settle(() => reject(new Error('The connection closed before the image ended.'))),
		);
	});
}

function toBuffer(body: unknown): Buffer {
	if (Buffer.isBuffer(body)) return body;
	if (typeof body === 'string') return Buffer.from(body, 'utf8');
	if (body instanceof ArrayBuffer) return Buffer.from(body);
	if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
	return Buffer.alloc(0);
}
