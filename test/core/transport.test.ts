import { createServer } from 'net';

import type { Emulator } from './fixture';
import { probe, runNode, startEmulator, startRun } from './fixture';

let emulator: Emulator;
beforeAll(async () => {
	emulator = await startEmulator();
});
afterAll(async () => {
	await emulator.close();
});
beforeEach(() => {
	emulator.reset();
});

const chat = { model: 'llama3.2', messages: [{ role: 'user', content: 'Hello' }] };
const ollamaRequests = () => emulator.requests.filter((r) => r.path.startsWith('/api/'));

describe('client core through n8n', () => {
	it('streams a generation, aggregates it and reports metrics', async () => {
		const { items, error } = await runNode(
			probe(emulator, {
				endpoint: 'generate',
				body: { model: 'llama3.2', prompt: 'Why is the sky blue?' },
			}),
		);
		expect(error).toBeUndefined();
		const result = items[0].json as {
			response: string;
			metrics: Record<string, number>;
			done_reason: string;
		};
		expect(result.response.length).toBeGreaterThan(0);
		expect(result.done_reason).toBe('stop');
		expect(result.metrics.outputTokens).toBeGreaterThan(0);
		const [request] = ollamaRequests();
		expect(request.body).toMatchObject({ stream: true, model: 'llama3.2' });
		expect(request.headers.accept).toBe('application/x-ndjson');
	});

	it("puts Ollama's own error text in the item error, with a hint and the status", async () => {
		const { items } = await runNode(
			probe(emulator, { endpoint: 'chat', body: { ...chat, model: 'llama9' } }),
		);
		expect(items[0].json).toMatchObject({
			error: "model 'llama9' not found",
			httpCode: '404',
		});
		expect(items[0].json.description).toMatch(/ollama pull llama9/);
		expect(ollamaRequests()).toHaveLength(1);
	});

	it('fails the execution with a NodeApiError naming the item when Continue On Fail is off', async () => {
		const options = probe(emulator, { endpoint: 'chat', body: { ...chat, model: 'llama9' } });
		options.node.continueOnFail = false;
		const { error } = await runNode(options);
		expect(error?.message).toBe("model 'llama9' not found");
		expect((error as unknown as { context: { itemIndex: number } }).context.itemIndex).toBe(0);
	});

	it('retries 503 busy with growing backoff until it passes; the request log shows every attempt', async () => {
		emulator.addFault({ type: 'busy', path: '/api/chat', times: 2 });
		const { items } = await runNode(
			probe(emulator, { endpoint: 'chat', body: chat, maxAttempts: 3, baseDelayMs: 100 }),
		);
		expect(items[0].json.error).toBeUndefined();
		const attempts = ollamaRequests();
		expect(attempts.map((r) => r.status)).toEqual([503, 503, 200]);
		const gap1 = attempts[1].receivedAt - attempts[0].receivedAt;
		const gap2 = attempts[2].receivedAt - attempts[1].receivedAt;
		expect(gap1).toBeGreaterThanOrEqual(75); // 100 ms ± 25% jitter
		expect(gap2).toBeGreaterThanOrEqual(150); // 200 ms ± 25% jitter
	});

	it('gives up after Max Attempts with the last busy text', async () => {
		emulator.addFault({ type: 'busy', path: '/api/chat', times: -1 });
		const { items } = await runNode(
			probe(emulator, { endpoint: 'chat', body: chat, maxAttempts: 2, baseDelayMs: 10 }),
		);
		expect(items[0].json.error).toBe(
			'server busy, please try again.  maximum pending requests exceeded',
		);
		expect(items[0].json.httpCode).toBe('503');
		expect(ollamaRequests()).toHaveLength(2);
	});

	it('honours Retry-After on 429', async () => {
		emulator.addFault({ type: 'rateLimit', retryAfter: 1, path: '/api/chat' });
		const { items } = await runNode(
			probe(emulator, { endpoint: 'chat', body: chat, baseDelayMs: 10 }),
		);
		expect(items[0].json.error).toBeUndefined();
		const [first, second] = ollamaRequests();
		expect(second.receivedAt - first.receivedAt).toBeGreaterThanOrEqual(950);
	});

	it('retries a crashed model runner (500) but not a 500 for a wrong option type', async () => {
		emulator.addFault({ type: 'runnerCrash', path: '/api/chat' });
		const crashed = await runNode(
			probe(emulator, { endpoint: 'chat', body: chat, baseDelayMs: 10 }),
		);
		expect(crashed.items[0].json.error).toBeUndefined();
		expect(ollamaRequests()).toHaveLength(2);

		emulator.clearRequests();
		const { items } = await runNode(
			probe(emulator, {
				endpoint: 'chat',
				body: { ...chat, options: { num_ctx: 'big' } },
				baseDelayMs: 10,
			}),
		);
		expect(items[0].json.error).toBe('option "num_ctx" must be of type integer');
		expect(ollamaRequests()).toHaveLength(1);
	});

	it('does not retry an error line that came after output, and keeps its text', async () => {
		emulator.addFault({ type: 'errorLine', afterChunks: 2, path: '/api/chat' });
		const { items } = await runNode(
			probe(emulator, { endpoint: 'chat', body: chat, baseDelayMs: 10 }),
		);
		expect(items[0].json.error).toBe('an error was encountered while running the model');
		expect(ollamaRequests()).toHaveLength(1);
	});

	it('treats a stream that ends without done as an error, retrying only when nothing had arrived', async () => {
		emulator.addFault({ type: 'truncate', afterChunks: 3, path: '/api/chat' });
		const late = await runNode(probe(emulator, { endpoint: 'chat', body: chat, baseDelayMs: 10 }));
		expect(late.items[0].json.error).toMatch(/ended before its final message/);
		expect(ollamaRequests()).toHaveLength(1);

		emulator.clearRequests();
		emulator.addFault({ type: 'truncate', afterChunks: 0, path: '/api/chat' });
		const early = await runNode(probe(emulator, { endpoint: 'chat', body: chat, baseDelayMs: 10 }));
		expect(early.items[0].json.error).toBeUndefined();
		expect(ollamaRequests()).toHaveLength(2);
	});

	it('retries a connection reset before the answer', async () => {
		emulator.addFault({ type: 'reset', path: '/api/generate' });
		const { items } = await runNode(
			probe(emulator, {
				endpoint: 'generate',
				body: { model: 'llama3.2', prompt: 'x' },
				baseDelayMs: 10,
			}),
		);
		expect(items[0].json.error).toBeUndefined();
		expect(ollamaRequests()).toHaveLength(2);
	});

	it('reports a reset mid-stream clearly and does not repeat output', async () => {
		emulator.addFault({ type: 'reset', afterChunks: 2, path: '/api/generate' });
		const { items } = await runNode(
			probe(emulator, {
				endpoint: 'generate',
				body: { model: 'llama3.2', prompt: 'x' },
				baseDelayMs: 10,
			}),
		);
		expect(items[0].json.error).toMatch(
			/connection to Ollama was cut while \/api\/generate was streaming/,
		);
		expect(ollamaRequests()).toHaveLength(1);
	});

	it('ends a stream that stalls mid-way within the timeout plus a small margin', async () => {
		emulator.addFault({ type: 'stall', ms: 5000, afterChunks: 2, path: '/api/chat' });
		const started = Date.now();
		const { items } = await runNode(
			probe(emulator, { endpoint: 'chat', body: chat, timeoutMs: 400 }),
		);
		const elapsed = Date.now() - started;
		expect(items[0].json.error).toMatch(/stalled: nothing arrived on \/api\/chat for 400 ms/);
		expect(items[0].json.description).toMatch(/Timeout option/);
		expect(elapsed).toBeLessThan(400 + 1000);
		expect(ollamaRequests()).toHaveLength(1);
	});

	it('retries a stall before the answer as a timeout, then reports it', async () => {
		emulator.addFault({ type: 'stall', ms: 3000, path: '/api/chat', times: 2 });
		const { items } = await runNode(
			probe(emulator, {
				endpoint: 'chat',
				body: chat,
				timeoutMs: 300,
				maxAttempts: 2,
				baseDelayMs: 10,
			}),
		);
		expect(items[0].json.error).toBe(
			'Ollama did not answer /api/chat within the timeout of 300 ms.',
		);
		expect(ollamaRequests()).toHaveLength(2);
	});

	it('survives a garbage line by failing clearly rather than dropping data', async () => {
		emulator.addFault({
			type: 'garbageLine',
			afterChunks: 1,
			line: '<html>oops</html>',
			path: '/api/chat',
		});
		const { items } = await runNode(probe(emulator, { endpoint: 'chat', body: chat }));
		expect(items[0].json.error).toMatch(/not JSON.*<html>oops<\/html>/);
	});

	it('decodes UTF-8 characters split across writes', async () => {
		emulator.addFault({
			type: 'splitWrites',
			every: 3,
			text: 'Привет, мир! 😀 ok',
			path: '/api/chat',
		});
		const { items } = await runNode(probe(emulator, { endpoint: 'chat', body: chat }));
		expect((items[0].json as { content: string }).content).toBe('Привет, мир! 😀 ok');
	});

	it('handles a single JSON reply on a streamed request (load)', async () => {
		const { items } = await runNode(
			probe(emulator, { endpoint: 'generate', body: { model: 'llama3.2', prompt: '' } }),
		);
		expect(items[0].json).toMatchObject({ done_reason: 'load', response: '' });
	});

	it('explains a connection refused with the Docker hint, after retrying', async () => {
		const port = await closedPort();
		const options = probe(emulator, { endpoint: 'version', maxAttempts: 2, baseDelayMs: 10 });
		options.credentials = { baseUrl: `http://127.0.0.1:${port}`, authentication: 'none' };
		const { items } = await runNode(options);
		expect(items[0].json.error).toBe('Could not connect to Ollama: connection refused');
		expect(items[0].json.description).toMatch(/Is Ollama running.*host\.docker\.internal/);
	});

	it('keeps items in order and isolates a failing item among good ones', async () => {
		const bodies = ['llama3.2', 'missing-model', 'qwen3'].map((model) => ({
			endpoint: 'show',
			body: JSON.stringify({ model }),
		}));
		const options = probe(emulator, { endpoint: 'show', concurrency: 3 });
		options.node.parameters.body = '={{ $json.body }}';
		options.items = bodies;
		const { items } = await runNode(options);
		expect(items).toHaveLength(3);
		expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items[0].json.capabilities).toContain('completion');
		expect(items[1].json.error).toBe("model 'missing-model:latest' not found");
		expect(items[2].json.capabilities).toContain('thinking');
	});

	it('sends live chunks (begin, items, end) when the execution streams', async () => {
		const { items, chunks } = await runNode(
			probe(emulator, { endpoint: 'chat', body: chat }, { streaming: true }),
		);
		expect(chunks[0].type).toBe('begin');
		expect(chunks[chunks.length - 1].type).toBe('end');
		const text = chunks
			.filter((c) => c.type === 'item')
			.map((c) => c.content)
			.join('');
		expect(text).toBe((items[0].json as { content: string }).content);
	});

	it('closes the connection when the execution is cancelled, and the server sees it at once', async () => {
		emulator.configure({ latency: { tokenMs: 100 }, replyTokens: 200 });
		const execution = startRun(probe(emulator, { endpoint: 'chat', body: chat }));
		await waitFor(() => emulator.requests.some((r) => r.firstChunkAt !== undefined));
		const cancelledAt = Date.now();
		execution.cancel();
		await execution.result.catch(() => undefined);
		await waitFor(() => emulator.requests[0]?.clientDisconnected === true);
		expect(emulator.requests[0].disconnectedAt! - cancelledAt).toBeLessThan(1000);
		expect(emulator.requests).toHaveLength(1);
	});
});

describe('credential authentication on the wire', () => {
	it.each([
		[
			{ authentication: 'none' },
			(h: Record<string, unknown>) => expect(h.authorization).toBeUndefined(),
		],
		[
			{ authentication: 'bearer', apiKey: 'sk-test-123' },
			(h: Record<string, unknown>) => expect(h.authorization).toBe('Bearer sk-test-123'),
		],
		[
			{ authentication: 'basicAuth', user: 'ollama', password: 'pa:ss' },
			(h: Record<string, unknown>) =>
				expect(h.authorization).toBe(`Basic ${Buffer.from('ollama:pa:ss').toString('base64')}`),
		],
		[
			{ authentication: 'header', headerName: 'X-API-Key', headerSecret: 'k-42' },
			(h: Record<string, unknown>) => expect(h['x-api-key']).toBe('k-42'),
		],
	])('%j reaches Ollama', async (credentials, check) => {
		const options = probe(emulator, { endpoint: 'version' });
		options.credentials = { baseUrl: `${emulator.url}/api/`, ...credentials };
		const { items } = await runNode(options);
		expect(items[0].json.version).toEqual(expect.any(String));
		check(ollamaRequests()[0].headers);
	});

	it('normalises a base URL without a scheme', async () => {
		const options = probe(emulator, { endpoint: 'version' });
		options.credentials = { baseUrl: emulator.url.replace('http://', ''), authentication: 'none' };
		const { items } = await runNode(options);
		expect(items[0].json.version).toEqual(expect.any(String));
	});
});

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
	const started = Date.now();
	while (!condition()) {
		if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}

async function closedPort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const port = (server.address() as { port: number }).port;
	await new Promise((resolve) => server.close(resolve));
	return port;
}
