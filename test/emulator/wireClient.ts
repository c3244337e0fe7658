// A bare HTTP client for wire-level tests: exact bytes, body chunks as they arrived, timings.

import { request } from 'http';

export interface RawResponse {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	body: Buffer;
	text: string;
	/** Body pieces in arrival order. */
	chunks: Buffer[];
	/** Date.now() when the status line and headers arrived. */
	headersAt: number;
	/** True when the connection broke before the body ended. */
	aborted: boolean;
}

export interface RawRequest {
	method?: string;
	path: string;
	/** Objects are sent as JSON; strings and buffers as they are. */
	body?: unknown;
	headers?: Record<string, string>;
	/** Destroy the request after this many ms (simulates a client giving up). */
	abortAfterMs?: number;
	/** Destroy the request once this many body chunks arrived. */
	abortAfterChunks?: number;
}

export function raw(baseUrl: string, r: RawRequest): Promise<RawResponse> {
	const url = new URL(r.path, baseUrl);
	const payload =
		r.body === undefined
			? undefined
			: Buffer.isBuffer(r.body)
				? r.body
				: Buffer.from(typeof r.body === 'string' ? r.body : JSON.stringify(r.body), 'utf8');
	return new Promise((resolve, reject) => {
		const req = request(
			url,
			{
				method: r.method ?? (payload ? 'POST' : 'GET'),
				headers: { ...(payload ? { 'Content-Length': payload.length } : {}), ...r.headers },
			},
			(res) => {
				const headersAt = Date.now();
				const chunks: Buffer[] = [];
				let aborted = false;
				const finish = () => {
					const body = Buffer.concat(chunks);
					resolve({
						status: res.statusCode ?? 0,
						headers: res.headers,
						body,
						text: body.toString('utf8'),
						chunks,
						headersAt,
						aborted,
					});
				};
				res.on('data', (c: Buffer) => {
					chunks.push(c);
					if (r.abortAfterChunks !== undefined && chunks.length >= r.abortAfterChunks) {
						aborted = true;
						req.destroy();
						finish();
					}
				});
				res.on('aborted', () => {
					aborted = true;
				});
				res.on('error', () => {
					aborted = true;
					finish();
				});
				res.on('end', finish);
			},
		);
		req.on('error', (e) => {
			if ((e as NodeJS.ErrnoException).code === 'ECONNRESET' || r.abortAfterMs !== undefined) {
				resolve({
					status: 0,
					headers: {},
					body: Buffer.alloc(0),
					text: '',
					chunks: [],
					headersAt: 0,
					aborted: true,
				});
			} else reject(e);
		});
		if (r.abortAfterMs !== undefined) setTimeout(() => req.destroy(), r.abortAfterMs);
		req.end(payload);
	});
}

/** Splits an NDJSON body into parsed objects, asserting each line ends with `\n`. */
export function ndjson(text: string): Record<string, unknown>[] {
	if (text.length && !text.endsWith('\n'))
		throw new Error('NDJSON body does not end with a newline');
	return text
		.split('\n')
		.filter((l) => l.length > 0)
		.map((l) => JSON.parse(l) as Record<string, unknown>);
}
