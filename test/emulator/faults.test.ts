import { Ollama } from 'ollama';
import { MODEL_ERROR, RUNNER_CRASH, replyFor, startEmulator, type Emulator } from './index';
import { ndjson, raw } from './wireClient';

let emu: Emulator;

beforeAll(async () => {
	emu = await startEmulator();
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

const gen = (extra: Record<string, unknown> = {}) =>
	raw(emu.url, { path: '/api/generate', body: { model: 'llama3.2', prompt: 'hi', ...extra } });
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
const expected = replyFor({ model: 'llama3.2', prompt: 'hi' });

describe('faults before the first byte', () => {
	test('status with a raw text/plain or HTML body, or a JSON error', async () => {
		emu.addFault({
			type: 'status',
			status: 502,
			body: '<html>Bad Gateway</html>',
			contentType: 'text/html',
		});
		let res = await gen();
		expect([res.status, res.headers['content-type'], res.text]).toEqual([
			502,
			'text/html',
			'<html>Bad Gateway</html>',
		]);
		emu.addFault({ type: 'status', status: 418, error: 'teapot' });
		res = await gen();
		expect([res.status, res.text]).toEqual([418, '{"error":"teapot"}']);
	});

	test('busy, rateLimit, runnerCrash, unauthorized', async () => {
		emu.addFault([
			{ type: 'busy' },
			{ type: 'rateLimit', retryAfter: 7 },
			{ type: 'runnerCrash' },
			{ type: 'unauthorized' },
		]);
		const busy = await gen();
		expect([busy.status, busy.text]).toEqual([
			503,
			'{"error":"server busy, please try again.  maximum pending requests exceeded"}',
		]);
		const limited = await gen();
		expect([limited.status, limited.headers['retry-after'], limited.text]).toEqual([
			429,
			'7',
			'{"error":"rate limit exceeded"}',
		]);
		expect(limited.headers['content-type']).toBe('application/json');
		const crash = await gen({ stream: false });
		expect([crash.status, JSON.parse(crash.text).error]).toEqual([500, RUNNER_CRASH]);
		expect(crash.headers['content-type']).toBe('application/json; charset=utf-8');
		const unauth = await gen();
		expect(unauth.status).toBe(401);
		expect(JSON.parse(unauth.text)).toMatchObject({
			error: 'unauthorized',
			signin_url: expect.stringMatching(/^https:\/\/ollama.com\/connect\?/),
		});
		expect(emu.requests.map((r) => r.fault)).toEqual([
			'busy',
			'rateLimit',
			'runnerCrash',
			'unauthorized',
		]);
	});

	test('reset before headers destroys the socket', async () => {
		emu.addFault({ type: 'reset' });
		const res = await gen();
		expect(res.aborted).toBe(true);
		expect(res.status).toBe(0);
		const ollama = new Ollama({ host: emu.url });
		emu.addFault({ type: 'reset' });
		await expect(ollama.generate({ model: 'llama3.2', prompt: 'hi' })).rejects.toThrow();
	});

	test('stall before headers delays them, then the reply is normal', async () => {
		emu.addFault({ type: 'stall', ms: 200 });
		const start = Date.now();
		const res = await gen();
		expect(res.headersAt - start).toBeGreaterThanOrEqual(190);
		expect(ndjson(res.text).at(-1)!.done).toBe(true);
	});
});

describe('faults inside a stream', () => {
	test('errorLine after N chunks with HTTP 200; stream:false gives 500', async () => {
		emu.addFault({ type: 'errorLine', afterChunks: 2 });
		const res = await gen();
		expect(res.status).toBe(200);
		const lines = ndjson(res.text);
		expect(lines).toHaveLength(3);
		expect(lines[2]).toEqual({ error: MODEL_ERROR });
		const ollama = new Ollama({ host: emu.url });
		emu.addFault({ type: 'errorLine', afterChunks: 1, error: 'boom' });
		const stream = await ollama.generate({ model: 'llama3.2', prompt: 'hi', stream: true });
		await expect(
			(async () => {
				for await (const _ of stream) void _;
			})(),
		).rejects.toThrow('boom');
		emu.addFault({ type: 'errorLine' });
		const flat = await gen({ stream: false });
		expect([flat.status, flat.text]).toEqual([500, `{"error":"${MODEL_ERROR}"}`]);
	});

	test('errorLine at 0 chunks is a pre-stream error with application/json', async () => {
		emu.addFault({ type: 'errorLine', afterChunks: 0 });
		const res = await gen();
		expect([res.status, res.headers['content-type'], res.text]).toEqual([
			500,
			'application/json',
			`{"error":"${MODEL_ERROR}"}`,
		]);
	});

	test('truncate ends cleanly without done; ollama-js reports it', async () => {
		emu.addFault({ type: 'truncate', afterChunks: 3 });
		const res = await gen();
		expect(res.aborted).toBe(false);
		const lines = ndjson(res.text);
		expect(lines).toHaveLength(3);
		expect(lines.every((l) => l.done === false)).toBe(true);
		const ollama = new Ollama({ host: emu.url });
		emu.addFault({ type: 'truncate', afterChunks: 2, path: '/api/chat' });
		const stream = await ollama.chat({
			model: 'llama3.2',
			messages: [{ role: 'user', content: 'x' }],
			stream: true,
		});
		await expect(
			(async () => {
				for await (const _ of stream) void _;
			})(),
		).rejects.toThrow('Did not receive done or success response in stream.');
	});

	test('truncate on pull ends before success', async () => {
		emu.addFault({ type: 'truncate', afterChunks: 4, path: '/api/pull' });
		const res = await raw(emu.url, { path: '/api/pull', body: { model: 'mistral' } });
		const lines = ndjson(res.text);
		expect(lines).toHaveLength(4);
		expect(lines.some((l) => l.status === 'success')).toBe(false);
	});

	test('reset after N chunks cuts the connection mid-body', async () => {
		emu.addFault({ type: 'reset', afterChunks: 2 });
		const res = await gen();
		expect(res.status).toBe(200);
		expect(res.aborted).toBe(true);
		expect(res.text.split('\n').filter(Boolean)).toHaveLength(2);
		expect(emu.requests[0].clientDisconnected).toBe(false);
	});

	test('stall after N chunks pauses the stream', async () => {
		emu.addFault({ type: 'stall', ms: 200, afterChunks: 1 });
		const res = await gen();
		const entry = emu.requests[0];
		expect(entry.finishedAt! - entry.firstChunkAt!).toBeGreaterThanOrEqual(190);
		expect(ndjson(res.text).at(-1)!.done).toBe(true);
	});

	test('garbageLine inserts a non-JSON line; ollama-js skips it', async () => {
		emu.addFault({ type: 'garbageLine', afterChunks: 1, line: '<html>oops</html>' });
		const res = await gen();
		const lines = res.text.split('\n');
		expect(lines[1]).toBe('<html>oops</html>');
		const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
		emu.addFault({ type: 'garbageLine' });
		const ollama = new Ollama({ host: emu.url });
		let text = '';
		for await (const c of await ollama.generate({ model: 'llama3.2', prompt: 'hi', stream: true }))
			text += c.response;
		expect(text).toBe(expected.response);
		expect(warn).toHaveBeenCalled();
		warn.mockRestore();
	});

	test('noDoneReason and hugeLine', async () => {
		emu.addFault({ type: 'noDoneReason' });
		const last = ndjson((await gen()).text).at(-1)!;
		expect(last.done).toBe(true);
		expect('done_reason' in last).toBe(false);
		emu.addFault({ type: 'hugeLine', bytes: 2_000_000 });
		const lines = (await gen()).text.split('\n').filter(Boolean);
		expect(Buffer.byteLength(lines.at(-1)!)).toBeGreaterThanOrEqual(2_000_000);
		expect(JSON.parse(lines.at(-1)!).done).toBe(true);
		emu.addFault({ type: 'hugeLine', bytes: 100_000, path: '/api/chat' });
		const chat = await raw(emu.url, {
			path: '/api/chat',
			body: { model: 'llama3.2', messages: [{ role: 'user', content: 'x' }] },
		});
		expect(Buffer.byteLength(chat.text.split('\n').filter(Boolean).at(-1)!)).toBeGreaterThanOrEqual(
			100_000,
		);
	});

	test('text forces the reply, tokenised into several chunks (<think> inline, invalid JSON)', async () => {
		emu.addFault({ type: 'text', text: '<think>hmm, let me see</think>The answer is 42.' });
		const res = await gen();
		expect(res.text).toContain('\\u003cthink\\u003e');
		const lines = ndjson(res.text);
		expect(lines.length).toBeGreaterThan(4);
		expect(lines.map((l) => l.response).join('')).toBe(
			'<think>hmm, let me see</think>The answer is 42.',
		);
		emu.addFault({ type: 'text', text: '{"city": "Paris", "temp": ' });
		const flat = JSON.parse((await gen({ format: 'json', stream: false })).text);
		expect(() => JSON.parse(flat.response)).toThrow();
	});

	test("toolCall picks the tool and its arguments, in Ollama's tool_calls form (streamed and not), once", async () => {
		const tools = [
			{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } },
			{
				type: 'function',
				function: {
					name: 'calculator',
					parameters: { type: 'object', properties: { input: { type: 'string' } } },
				},
			},
		];
		const messages = [{ role: 'user', content: 'What is 12 times 7?' }];
		const chat = (stream: boolean) =>
			raw(emu.url, { path: '/api/chat', body: { model: 'llama3.2', messages, tools, stream } });
		const call = { name: 'calculator', arguments: { input: '12*7' } };
		emu.addFault({ type: 'toolCall', path: '/api/chat', times: 3, ...call });

		const lines = ndjson((await chat(true)).text);
		const calls = lines.filter((l) => (l.message as { tool_calls?: unknown }).tool_calls);
		expect(calls).toHaveLength(1);
		expect(calls[0]).toEqual({
			model: 'llama3.2',
			created_at: expect.any(String),
			message: {
				role: 'assistant',
				content: '',
				tool_calls: [
					{
						id: expect.stringMatching(/^call_[a-z0-9]{8}$/),
						function: { index: 0, name: 'calculator', arguments: { input: '12*7' } },
					},
				],
			},
			done: false,
		});
		expect(lines.at(-1)).toMatchObject({ done: true, done_reason: 'stop' });
		expect(lines.at(-1)!.message).toEqual({ role: 'assistant', content: '' });

		const flat = JSON.parse((await chat(false)).text);
		expect(flat.message.tool_calls).toEqual([
			{ id: expect.stringMatching(/^call_[a-z0-9]{8}$/), function: { index: 0, ...call } },
		]);
		// ollama-js reads it like a real server's.
		const viaClient = await new Ollama({ host: emu.url }).chat({
			model: 'llama3.2',
			messages,
			tools,
		});
		expect(viaClient.message.tool_calls?.[0].function).toMatchObject(call);
		// Used up: the next call is the usual one, from the first tool's schema.
		const usual = JSON.parse((await chat(false)).text);
		expect(usual.message.tool_calls[0].function.name).toBe('get_weather');

		// Without a name: the first tool.
		emu.addFault({ type: 'toolCall', arguments: { city: 'Oslo' } });
		const first = JSON.parse((await chat(false)).text);
		expect(first.message.tool_calls[0].function).toMatchObject({
			name: 'get_weather',
			arguments: { city: 'Oslo' },
		});
		expect(() => emu.addFault({ type: 'toolCall' } as never)).toThrow(/needs arguments/);
	});

	test('splitWrites cuts inside multi-byte characters; ollama-js still decodes them', async () => {
		const text = 'héllo wörld — 日本語 🦙 ñandú';
		emu.addFault({ type: 'splitWrites', every: 7, delayMs: 1, text });
		const res = await gen();
		const fatal = new TextDecoder('utf-8', { fatal: true });
		const broken = res.chunks.filter((c) => {
			try {
				fatal.decode(c);
				return false;
			} catch {
				return true;
			}
		});
		expect(res.chunks.length).toBeGreaterThan(20);
		expect(broken.length).toBeGreaterThan(0);
		expect(
			ndjson(res.text)
				.map((l) => l.response)
				.join(''),
		).toBe(text);

		emu.addFault({ type: 'splitWrites', every: 5, delayMs: 1, text });
		const ollama = new Ollama({ host: emu.url });
		let got = '';
		for await (const c of await ollama.generate({ model: 'llama3.2', prompt: 'hi', stream: true }))
			got += c.response;
		expect(got).toBe(text);
	});

	test('splitWrites at given offsets, also on c.JSON bodies', async () => {
		// 40 ms between writes: on a loaded machine 2 ms lets TCP hand the client two writes as one read.
		emu.addFault({
			type: 'splitWrites',
			offsets: [1, 10, 11],
			delayMs: 40,
			path: '/api/version',
		});
		const res = await raw(emu.url, { path: '/api/version' });
		expect(res.chunks.map((c) => c.length).slice(0, 3)).toEqual([1, 9, 1]);
		expect(JSON.parse(res.text).version).toBe(emu.config.version);
	});

	test('multibyte config makes the default text multi-byte', async () => {
		emu.configure({ multibyte: true });
		const res = JSON.parse((await gen({ stream: false })).text);
		expect(res.response).toBe(
			replyFor({ model: 'llama3.2', prompt: 'hi', multibyte: true }).response,
		);
		expect(Buffer.byteLength(res.response)).toBeGreaterThan(res.response.length);
	});
});

describe('matching and consumption', () => {
	test('faults match path and model, and hit `times` requests in order', async () => {
		emu.addFault({ type: 'busy', model: 'qwen3', times: 2 });
		emu.addFault({ type: 'runnerCrash', path: '/api/generate' });
		expect((await gen()).status).toBe(500); // llama3.2 skips the qwen3 fault, takes the crash
		expect((await gen()).status).toBe(200);
		const q = () =>
			raw(emu.url, { path: '/api/chat', body: { model: 'QWEN3:latest', messages: [] } });
		expect((await q()).status).toBe(503);
		expect((await q()).status).toBe(503);
		expect((await q()).status).toBe(200);
		expect(emu.pendingFaults).toEqual([]);
	});

	test('a retrying client is visible in the log: attempts and backoff timing', async () => {
		emu.addFault({ type: 'busy', times: 2 });
		const attempt = () => gen({ stream: false });
		let res = await attempt();
		for (let delay = 50; res.status === 503; delay *= 2) {
			await wait(delay);
			res = await attempt();
		}
		expect(res.status).toBe(200);
		const log = emu.requests;
		expect(log.map((r) => r.status)).toEqual([503, 503, 200]);
		expect(log[1].receivedAt - log[0].receivedAt).toBeGreaterThanOrEqual(45);
		expect(log[2].receivedAt - log[1].receivedAt).toBeGreaterThanOrEqual(95);
	});
});

describe('latency, slots and disconnects', () => {
	test('a queued request gets no headers until the slot frees', async () => {
		emu.configure({ replyTokens: 5, latency: { tokenMs: 40 } });
		const a = gen({ prompt: 'a' });
		await wait(20);
		const b = gen({ prompt: 'b' });
		const [ra, rb] = await Promise.all([a, b]);
		const [ea, eb] = emu.requests;
		expect(ra.status).toBe(200);
		expect(rb.status).toBe(200);
		expect(eb.headersSentAt!).toBeGreaterThanOrEqual(ea.finishedAt! - 5);
		expect(rb.headersAt).toBeGreaterThanOrEqual(ea.finishedAt! - 5);
	});

	test('parallel 2 serves two at once', async () => {
		emu.configure({ replyTokens: 5, latency: { tokenMs: 40, parallel: 2 } });
		await Promise.all([gen({ prompt: 'a' }), gen({ prompt: 'b' })]);
		const [ea, eb] = emu.requests;
		expect(eb.headersSentAt!).toBeLessThan(ea.finishedAt!);
	});

	test('cold load time shows in load_duration; warm loads are fast', async () => {
		emu.configure({ latency: { loadMs: 150 } });
		const cold = JSON.parse((await gen({ stream: false })).text);
		expect(cold.load_duration).toBeGreaterThanOrEqual(140e6);
		const warm = JSON.parse((await gen({ stream: false })).text);
		expect(warm.load_duration).toBeLessThan(50e6);
		expect(cold.total_duration).toBeGreaterThan(cold.load_duration);
	});

	test('firstTokenMs and tokenMs pace the stream', async () => {
		emu.configure({ replyTokens: 4, latency: { firstTokenMs: 100, tokenMs: 30 } });
		const start = Date.now();
		const res = await gen();
		expect(res.headersAt - start).toBeGreaterThanOrEqual(95);
		const entry = emu.requests[0];
		// Tokens are due at fixed offsets from the start (100, 130, 160, 190 ms), so a late first
		// token shortens the gaps after it; the last one still waits for its due time.
		expect(entry.finishedAt! - entry.receivedAt).toBeGreaterThanOrEqual(185);
		expect(entry.lineWrittenAt!.length).toBeGreaterThanOrEqual(4);
		const done = ndjson(res.text).at(-1)!;
		expect(done.prompt_eval_duration as number).toBeGreaterThanOrEqual(95e6);
	});

	test('a client leaving mid-stream is logged and frees its slot', async () => {
		emu.configure({ replyTokens: 30, latency: { tokenMs: 20 } });
		const res = await raw(emu.url, {
			path: '/api/generate',
			body: { model: 'llama3.2', prompt: 'x' },
			abortAfterChunks: 2,
		});
		expect(res.aborted).toBe(true);
		await wait(60);
		const entry = emu.requests[0];
		expect(entry.clientDisconnected).toBe(true);
		expect(entry.disconnectedAt).toBeGreaterThanOrEqual(entry.firstChunkAt!);
		const start = Date.now();
		const next = await gen({ options: { num_predict: 1 } });
		expect(next.status).toBe(200);
		// The abandoned stream had ~27 tokens (540 ms) left; a held slot would delay these headers.
		expect(next.headersAt - start).toBeLessThan(250);
	});

	test('a client leaving while queued never gets headers and leaves the queue', async () => {
		emu.configure({ replyTokens: 6, latency: { tokenMs: 40 } });
		const a = gen({ prompt: 'a' });
		await wait(20);
		const b = await raw(emu.url, {
			path: '/api/generate',
			body: { model: 'llama3.2', prompt: 'b' },
			abortAfterMs: 50,
		});
		expect(b.aborted).toBe(true);
		await a;
		const eb = emu.requests[1];
		expect(eb.clientDisconnected).toBe(true);
		expect(eb.headersSentAt).toBeUndefined();
		expect((await gen({ prompt: 'c', stream: false })).status).toBe(200);
		expect(emu.requests).toHaveLength(3);
	});

	test('ollama-js abort() mid-stream shows up as a disconnect', async () => {
		emu.configure({ replyTokens: 40, latency: { tokenMs: 15 } });
		const ollama = new Ollama({ host: emu.url });
		const stream = await ollama.generate({ model: 'llama3.2', prompt: 'x', stream: true });
		let n = 0;
		await expect(
			(async () => {
				for await (const _ of stream) {
					void _;
					if (++n === 3) stream.abort();
				}
			})(),
		).rejects.toThrow();
		await wait(50);
		expect(emu.requests[0].clientDisconnected).toBe(true);
	});
});
