// Tiny HTTP client for the scripts: GET/POST with a timeout, and polling until a check passes.
const http = require('http');
const https = require('https');

/** One request; resolves with { status, headers, body } (body as text), never throws on status. */
function request(url, { method = 'GET', body, headers = {}, timeoutMs = 5000 } = {}) {
	return new Promise((resolve, reject) => {
		const target = new URL(url);
		const client = target.protocol === 'https:' ? https : http;
		const payload =
			body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
		const req = client.request(
			target,
			{
				method,
				headers: {
					...(payload === undefined
						? {}
						: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) }),
					...headers,
				},
				timeout: timeoutMs,
			},
			(res) => {
				const chunks = [];
				res.on('data', (chunk) => chunks.push(chunk));
				res.on('end', () =>
					resolve({
						status: res.statusCode,
						headers: res.headers,
						body: Buffer.concat(chunks).toString('utf8'),
					}),
				);
				res.on('error', reject);
			},
		);
		req.on('timeout', () =>
			req.destroy(new Error(`${method} ${url}: no answer in ${timeoutMs} ms`)),
		);
		req.on('error', reject);
		req.end(payload);
	});
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Calls `check` every `intervalMs` until it returns a truthy value (returned) or `timeoutMs`
 * passes. `abort()` (optional) returning a string stops early with that reason, e.g. "n8n exited".
 */
async function waitFor(what, check, { timeoutMs = 60000, intervalMs = 250, abort } = {}) {
	const deadline = Date.now() + timeoutMs;
	let last;
	for (;;) {
		const reason = abort?.();
		if (reason) throw new Error(`${what}: ${reason}`);
		try {
			const value = await check();
			if (value) return value;
		} catch (error) {
			last = error;
		}
		if (Date.now() > deadline) {
			throw new Error(
				`${what}: not ready after ${timeoutMs} ms${last ? ` (${last.message})` : ''}`,
			);
		}
		await sleep(intervalMs);
	}
}

module.exports = { request, waitFor, sleep };
