// The image fetcher over the request function n8n's helpers.httpRequest calls (OutboundHttp from
// @n8n/backend-network), with limits small enough to test: the timeout, the caller's signal, the
// SSRF policy enforced, and bodies that are not streams.
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'n8n-image-fetch-'));

import { OutboundHttp } from '@n8n/backend-network';
import { Container } from '@n8n/di';
import type { IHttpRequestOptions } from 'n8n-workflow';

import type { ImageFetchContext } from '../../nodes/n8n/images';
import { imageFetcher } from '../../nodes/n8n/images';
import { PNG } from './generation.fixture';
import type { ImageServer } from './imageServer.fixture';
import { startImageServer } from './imageServer.fixture';

let images: ImageServer;
beforeAll(async () => {
	images = await startImageServer();
});
afterAll(async () => {
	await images.close();
});

const n8nRequest = (policy?: 'enforced') => {
	const { request } = Container.get(OutboundHttp).requests(
		policy ? { useDefaultSsrfPolicy: policy } : undefined,
	);
	return async (options: IHttpRequestOptions) => await request(options);
};
const context = (httpRequest = n8nRequest(), cancel?: AbortSignal): ImageFetchContext =>
	({
		helpers: { httpRequest },
		getExecutionCancelSignal: () => cancel,
	}) as ImageFetchContext;

describe('imageFetcher', () => {
	it('gives up when the whole answer takes longer than the timeout', async () => {
		const fetch = imageFetcher(context(), { maxBytes: 1024, timeoutMs: 300 });
		const started = Date.now();
		expect(await fetch(`${images.url}/hang`)).toEqual({
			error: `Image URL ${images.url}/hang did not answer in full within 0.3 s.`,
		});
		expect(Date.now() - started).toBeLessThan(5000);
	});

	it('stops when the execution is cancelled or the caller’s signal fires', async () => {
		const execution = new AbortController();
		const fetchA = imageFetcher(context(n8nRequest(), execution.signal));
		const pending = fetchA(`${images.url}/hang`);
		execution.abort();
		expect((await pending).error).toBe(`Fetching image URL ${images.url}/hang was stopped.`);

		const caller = new AbortController();
		caller.abort();
		const fetchB = imageFetcher(context());
		expect((await fetchB(`${images.url}/photo.png`, caller.signal)).error).toBe(
			`Fetching image URL ${images.url}/photo.png was stopped.`,
		);
	});

	it('applies a smaller size limit to the declared length and to the bytes read', async () => {
		const fetch = imageFetcher(context(), { maxBytes: 32, timeoutMs: 5000 });
		expect((await fetch(`${images.url}/photo.png`)).error).toBe(
			`Image URL ${images.url}/photo.png is ${PNG.length} bytes, more than the 32 bytes an image may have.`,
		);
		expect((await fetch(`${images.url}/photo.gif`)).error).toBe(
			`Image URL ${images.url}/photo.gif is more than the 32 bytes an image may have.`,
		);
	});

	it("names the host name to allow when n8n's SSRF policy blocks it", async () => {
		const fetch = imageFetcher(context(n8nRequest('enforced')));
		const asked = images.requests.length;
		const local = images.url.replace('127.0.0.1', 'localhost');
		const blocked = await fetch(`${local}/photo.png`);
		expect(blocked.error).toMatch(
			new RegExp(`^Image URL ${local}/photo\\.png was blocked by n8n's SSRF protection`),
		);
		expect(blocked.error !== undefined && blocked.detail).toMatch(
			/allow it with N8N_SSRF_ALLOWED_HOSTNAMES=localhost or N8N_SSRF_ALLOWED_IP_RANGES=/,
		);
		expect(images.requests.length).toBe(asked);
	});

	it('reads a body handed over whole (a buffer) as well as a stream', async () => {
		const whole = async () => ({
			statusCode: 200,
			headers: { 'content-type': 'image/png' },
			body: PNG,
		});
		const fetch = imageFetcher(context(whole));
		expect(await fetch('https://images.example/a.png')).toEqual({
			base64: PNG.toString('base64'),
		});
	});

	it('refuses what is not an http(s) URL without a request', async () => {
		const never = async () => {
			throw new Error('no request expected');
		};
		const fetch = imageFetcher(context(never));
		expect(await fetch('file:///etc/passwd')).toEqual({
			error: 'Image URL "file:///etc/passwd" is not an http(s) URL.',
		});
		expect(await fetch('photo.png')).toEqual({
			error: 'Image URL "photo.png" is not an http(s) URL.',
		});
	});
});
