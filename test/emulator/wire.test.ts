import { startEmulator, type Emulator } from './index';
import { ndjson, raw } from './wireClient';

let emu: Emulator;

beforeAll(async () => {
	emu = await startEmulator();
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

const post = (path: string, body: unknown, headers?: Record<string, string>) =>
	raw(emu.url, { path, body, headers });
const JSON_UTF8 = 'application/json; charset=utf-8';
const rfc3339Nano = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d*[1-9])?Z$/;

async function expectError(
	path: string,
	body: unknown,
	status: number,
	error: string,
	type = JSON_UTF8,
) {
	const res = await post(path, body);
	expect({ status: res.status, type: res.headers['content-type'], text: res.text }).toEqual({
		status,
		type,
		text: JSON.stringify({ error })
			.replace(/</g, '\\u003c')
			.replace(/>/g, '\\u003e')
			.replace(/&/g, '\\u0026'),
	});
}

describe('content types and bodies', () => {
	test('GET and HEAD /', async () => {
		const res = await raw(emu.url, { path: '/' });
		expect(res.status).toBe(200);
		expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
		expect(res.text).toBe('Ollama is running');
		const head = await raw(emu.url, { path: '/', method: 'HEAD' });
		expect(head.status).toBe(200);
		expect(head.headers['content-length']).toBe('17');
		expect(head.body.length).toBe(0);
	});

	test('c.JSON has charset, exact compact body and no trailing newline', async () => {
		const res = await raw(emu.url, { path: '/api/version' });
		expect(res.headers['content-type']).toBe(JSON_UTF8);
		expect(res.text).toBe(`{"version":"${emu.config.version}"}`);
		for (const path of ['/api/tags', '/api/version']) {
			const head = await raw(emu.url, { path, method: 'HEAD' });
			expect(head.status).toBe(200);
			expect(head.body.length).toBe(0);
		}
		const tags = await raw(emu.url, { path: '/api/tags' });
		expect(tags.text.endsWith('}')).toBe(true);
		const first = JSON.parse(tags.text).models[0];
		expect(Object.keys(first)).toEqual([
			'name',
			'model',
			'modified_at',
			'size',
			'digest',
			'details',
		]);
		expect(Object.keys(first.details)).toEqual([
			'parent_model',
			'format',
			'family',
			'families',
			'parameter_size',
			'quantization_level',
		]);
		expect(first.modified_at).toMatch(rfc3339Nano);
	});

	test('streams are chunked NDJSON, every line newline-terminated, Go field order', async () => {
		const res = await post('/api/generate', { model: 'llama3.2', prompt: 'hi' });
		expect(res.headers['content-type']).toBe('application/x-ndjson');
		expect(res.headers['transfer-encoding']).toBe('chunked');
		expect(res.headers['content-length']).toBeUndefined();
		const lines = ndjson(res.text);
		expect(Object.keys(lines[0])).toEqual(['model', 'created_at', 'response', 'done']);
		expect(lines[0].created_at).toMatch(rfc3339Nano);
		expect(Object.keys(lines.at(-1)!)).toEqual([
			'model',
			'created_at',
			'response',
			'done',
			'done_reason',
			'context',
			'total_duration',
			'load_duration',
			'prompt_eval_count',
			'prompt_eval_duration',
			'eval_count',
			'eval_duration',
		]);
		const chat = ndjson(
			(await post('/api/chat', { model: 'qwen3', messages: [{ role: 'user', content: 'x' }] }))
				.text,
		);
		expect(chat[0]).toMatchObject({ message: { role: 'assistant', content: '' }, done: false });
		expect(Object.keys(chat.at(-1)!)).toEqual([
			'model',
			'created_at',
			'message',
			'done',
			'done_reason',
			'total_duration',
			'load_duration',
			'prompt_eval_count',
			'prompt_eval_duration',
			'eval_count',
			'eval_duration',
		]);
	});

	test('each NDJSON object is its own write when tokens are paced', async () => {
		emu.configure({ latency: { tokenMs: 15 } });
		const res = await post('/api/generate', { model: 'llama3.2', prompt: 'hi' });
		expect(res.chunks.length).toBe(ndjson(res.text).length);
		for (const c of res.chunks) expect(c.toString().split('\n')).toHaveLength(2);
	});

	test('stream:false pull/push/create use application/json without charset', async () => {
		const res = await post('/api/pull', { model: 'llama3.2', stream: false });
		expect(res.headers['content-type']).toBe('application/json');
		expect(res.text).toBe('{"status":"success"}');
		const created = await post('/api/create', { model: 'x', from: 'llama3.2', stream: false });
		expect(created.headers['content-type']).toBe('application/json');
		expect(created.text).toBe('{"status":"success"}');
	});

	test('copy and delete answer 200 with an empty body', async () => {
		const copy = await post('/api/copy', { source: 'llama3.2', destination: 'mine' });
		expect([copy.status, copy.text, copy.headers['content-length']]).toEqual([200, '', '0']);
		expect(copy.headers['content-type']).toBeUndefined();
		const del = await raw(emu.url, {
			method: 'DELETE',
			path: '/api/delete',
			body: { model: 'mine' },
		});
		expect([del.status, del.text]).toEqual([200, '']);
	});

	test('unknown path 404 and wrong method 405 are text/plain', async () => {
		const nf = await raw(emu.url, { path: '/api/nothing' });
		expect([nf.status, nf.headers['content-type'], nf.text]).toEqual([
			404,
			'text/plain',
			'404 page not found',
		]);
		const na = await raw(emu.url, { path: '/api/generate' });
		expect([na.status, na.headers['content-type'], na.text]).toEqual([
			405,
			'text/plain',
			'405 method not allowed',
		]);
		expect((await raw(emu.url, { path: '/api/ps', method: 'HEAD' })).status).toBe(405);
		expect((await raw(emu.url, { path: '/api/delete', body: { model: 'x' } })).status).toBe(405);
	});

	test('a trailing slash redirects like gin', async () => {
		const res = await raw(emu.url, { path: '/api/tags/' });
		expect(res.status).toBe(301);
		expect(res.headers.location).toBe('/api/tags');
		const p = await post('/api/chat/', {});
		expect([p.status, p.headers.location]).toEqual([307, '/api/chat']);
	});

	test('Go escaping of < > & and U+2028 inside strings', async () => {
		emu.addFault({ type: 'text', text: '<b>Tom & Jerry</b>\u2028end' });
		const res = await post('/api/generate', { model: 'llama3.2', prompt: 'x', stream: false });
		expect(res.text).toContain('\\u003cb\\u003eTom \\u0026 Jerry\\u003c/b\\u003e\\u2028end');
		expect(JSON.parse(res.text).response).toBe('<b>Tom & Jerry</b>\u2028end');
	});
});

describe('error catalogue', () => {
	test('body and JSON errors', async () => {
		await expectError('/api/generate', '', 400, 'missing request body');
		await expectError('/api/chat', '  \n', 400, 'missing request body');
		await expectError('/api/generate', '{', 400, 'unexpected EOF');
		await expectError(
			'/api/generate',
			'x',
			400,
			"invalid character 'x' looking for beginning of value",
		);
		await expectError(
			'/api/generate',
			'{"model":}',
			400,
			"invalid character '}' looking for beginning of value",
		);
		await expectError(
			'/api/generate',
			'{model:1}',
			400,
			"invalid character 'm' looking for beginning of object key string",
		);
		await expectError('/api/generate', '{"a" 1}', 400, "invalid character '1' after object key");
		await expectError(
			'/api/generate',
			'{"a":1 "b":2}',
			400,
			`invalid character '"' after object key:value pair`,
		);
		await expectError(
			'/api/generate',
			'[]',
			400,
			'json: cannot unmarshal array into Go value of type api.GenerateRequest',
		);
		await expectError(
			'/api/generate',
			{ model: 'llama3.2', stream: 'yes' },
			400,
			'json: cannot unmarshal string into Go struct field GenerateRequest.stream of type bool',
		);
		await expectError(
			'/api/chat',
			{ model: 'llama3.2', messages: [{ role: 'user', content: 5 }] },
			400,
			'json: cannot unmarshal number into Go struct field Message.messages.content of type string',
		);
	});

	test('keep_alive and think values', async () => {
		await expectError(
			'/api/generate',
			{ model: 'llama3.2', keep_alive: '300' },
			400,
			'time: missing unit in duration "300"',
		);
		await expectError(
			'/api/generate',
			{ model: 'llama3.2', keep_alive: true },
			400,
			"Unsupported type: 'bool'",
		);
		await expectError(
			'/api/chat',
			{ model: 'qwen3', think: 'very' },
			400,
			'invalid think value: "very" (must be "high", "medium", "low", "max", true, or false)',
		);
		await expectError(
			'/api/generate',
			{ model: 'llama3.2', prompt: 'x', top_logprobs: 21 },
			400,
			'top_logprobs must be between 0 and 20',
		);
	});

	test('model errors per endpoint', async () => {
		await expectError('/api/generate', { prompt: 'x' }, 404, "model '' not found");
		await expectError('/api/chat', { messages: [] }, 400, 'model is required');
		await expectError('/api/generate', { model: 'bad name!' }, 400, 'invalid model name');
		await expectError(
			'/api/chat',
			{ model: 'Llama9', messages: [] },
			404,
			"model 'Llama9' not found",
		);
		await expectError(
			'/api/embed',
			{ model: 'x', input: 'a' },
			404,
			'model "x" not found, try pulling it first',
		);
		await expectError('/api/embed', { input: 'a' }, 404, "model '' not found");
		await expectError('/api/embeddings', { prompt: 'a' }, 400, 'model is required');
		await expectError('/api/show', {}, 400, 'model is required');
		await expectError('/api/show', { model: 'Llama3' }, 404, "model 'Llama3:latest' not found");
		await expectError(
			'/api/copy',
			{ source: 'llama3.2', destination: 'bad name!' },
			400,
			'destination "bad name!" is invalid',
		);
		await expectError('/api/pull', { model: '' }, 400, 'invalid model name');
		await expectError('/api/push', {}, 400, 'model is required');
		const del = await raw(emu.url, {
			method: 'DELETE',
			path: '/api/delete',
			body: { model: 'ghost' },
		});
		expect([del.status, JSON.parse(del.text).error]).toEqual([404, "model 'ghost' not found"]);
	});

	test('names are case-insensitive and the request spelling is echoed', async () => {
		const res = await post('/api/generate', {
			model: 'LLaMA3.2:Latest',
			prompt: 'x',
			stream: false,
		});
		expect(JSON.parse(res.text).model).toBe('LLaMA3.2:Latest');
		const show = JSON.parse((await post('/api/show', { model: 'QWEN3' })).text);
		expect(show.capabilities).toContain('thinking');
	});

	test('capabilities, options, format, raw, images', async () => {
		await expectError(
			'/api/generate',
			{ model: 'llama3.2', prompt: 'x', raw: true, system: 's' },
			400,
			'raw mode does not support template, system, or context',
		);
		await expectError(
			'/api/generate',
			{ model: 'llama3.2', prompt: 'x', images: ['data:image/png;base64,iVBORw0KGgo='] },
			400,
			'illegal base64 data at input byte 4',
		);
		await expectError(
			'/api/generate',
			{ model: 'llava', prompt: 'x', images: ['abc'] },
			400,
			'illegal base64 data at input byte 0',
		);
		await expectError(
			'/api/generate',
			{ model: 'llama3.2', prompt: 'x', images: ['aGk='] },
			400,
			'registry.ollama.ai/library/llama3.2:latest does not support vision',
		);
		await expectError(
			'/api/generate',
			{ model: 'llama3.2', prompt: 'x', options: { temperature: 'hot' } },
			500,
			'option "temperature" must be of type float32',
		);
		await expectError(
			'/api/generate',
			{ model: 'llama3.2', prompt: 'x', options: { num_ctx: '2k' } },
			500,
			'option "num_ctx" must be of type integer',
		);
		await expectError(
			'/api/generate',
			{ model: 'llama3.2', prompt: 'x', options: { stop: [1] } },
			500,
			'option "stop" must be of an array of strings',
		);
		await expectError(
			'/api/generate',
			{ model: 'llama3.2', prompt: 'x', options: { stop: 'x' } },
			500,
			'option "stop" must be of type array',
		);
		await expectError(
			'/api/generate',
			{ model: 'llama3.2', prompt: 'x', options: { use_mmap: 1 } },
			500,
			'option "use_mmap" must be of type boolean',
		);
		await expectError(
			'/api/generate',
			{ model: 'llama3.2', prompt: 'x', format: 'yaml' },
			500,
			'invalid format: "\\"yaml\\""; expected "json" or a valid JSON Schema object',
			'application/json',
		);
		await expectError(
			'/api/generate',
			{ model: 'llama3.2', prompt: 'x', format: 'yaml', stream: false },
			500,
			'invalid format: "\\"yaml\\""; expected "json" or a valid JSON Schema object',
		);
		// unknown options are ignored
		expect(
			(await post('/api/generate', { model: 'llama3.2', prompt: 'x', options: { mirostat: 'x' } }))
				.status,
		).toBe(200);
	});

	test('embed input rules and legacyOnly', async () => {
		await expectError('/api/embed', { model: 'all-minilm', input: [1] }, 400, 'invalid input type');
		await expectError('/api/embed', { model: 'all-minilm', input: 5 }, 400, 'invalid input type');
		const long = 'word '.repeat(1000);
		await expectError(
			'/api/embed',
			{ model: 'all-minilm', input: long, truncate: false },
			400,
			'the input length exceeds the context length',
		);
		expect((await post('/api/embed', { model: 'all-minilm', input: long })).status).toBe(200);
		const empty = await post('/api/embed', { model: 'all-minilm', input: '' });
		expect(empty.text).toBe('{"model":"all-minilm","embeddings":[]}');
		const legacy = await post('/api/embeddings', { model: 'all-minilm', prompt: '' });
		expect(legacy.text).toBe('{"embedding":[]}');
		emu.configure({ legacyOnly: true });
		const gone = await post('/api/embed', { model: 'all-minilm', input: 'x' });
		expect([gone.status, gone.headers['content-type'], gone.text]).toEqual([
			404,
			'text/plain',
			'404 page not found',
		]);
	});

	test('create and blobs', async () => {
		await expectError(
			'/api/create',
			{ model: 'x', modelfile: 'FROM llama3.2' },
			400,
			"neither 'from' or 'files' was specified",
		);
		const digest =
			'sha256:' + require('crypto').createHash('sha256').update('gguf-bytes').digest('hex');
		expect((await raw(emu.url, { method: 'HEAD', path: `/api/blobs/${digest}` })).status).toBe(404);
		expect((await raw(emu.url, { method: 'HEAD', path: '/api/blobs/sha256:zz' })).status).toBe(400);
		const mismatch = await raw(emu.url, {
			method: 'POST',
			path: `/api/blobs/${digest}`,
			body: 'other',
		});
		expect(mismatch.status).toBe(400);
		expect(JSON.parse(mismatch.text).error).toMatch(
			/^digest mismatch, expected "sha256:[0-9a-f]{64}", got "sha256:[0-9a-f]{64}"$/,
		);
		const up = await raw(emu.url, {
			method: 'POST',
			path: `/api/blobs/${digest}`,
			body: 'gguf-bytes',
		});
		expect([up.status, up.text]).toEqual([201, '']);
		expect(
			(await raw(emu.url, { method: 'POST', path: `/api/blobs/${digest}`, body: 'gguf-bytes' }))
				.status,
		).toBe(200);
		expect((await raw(emu.url, { method: 'HEAD', path: `/api/blobs/${digest}` })).status).toBe(200);
		const created = await post('/api/create', {
			model: 'fromfile',
			files: { 'model.gguf': digest },
			stream: false,
		});
		expect(created.text).toBe('{"status":"success"}');
	});
});

describe('validation order', () => {
	test('JSON error before model error, not found before capability, capability before options', async () => {
		await expectError('/api/chat', '{"model":', 400, 'unexpected EOF');
		await expectError(
			'/api/chat',
			{
				model: 'ghost',
				tools: [{ type: 'function', function: { name: 'f' } }],
				messages: [{ role: 'user', content: 'x' }],
			},
			404,
			"model 'ghost' not found",
		);
		await expectError(
			'/api/chat',
			{
				model: 'deepseek-r1',
				tools: [{ type: 'function', function: { name: 'f' } }],
				options: { temperature: 'x' },
				messages: [{ role: 'user', content: 'x' }],
			},
			400,
			'registry.ollama.ai/library/deepseek-r1:latest does not support tools',
		);
	});

	test('options error before the queue, queue (503) before streaming', async () => {
		emu.configure({ latency: { maxQueue: 0, tokenMs: 30 } });
		const first = post('/api/generate', { model: 'llama3.2', prompt: 'slow' });
		await new Promise((r) => setTimeout(r, 30));
		await expectError(
			'/api/generate',
			{ model: 'llama3.2', prompt: 'x', options: { top_k: 'x' } },
			500,
			'option "top_k" must be of type integer',
		);
		await expectError(
			'/api/generate',
			{ model: 'llama3.2', prompt: 'x' },
			503,
			'server busy, please try again.  maximum pending requests exceeded',
		);
		expect((await first).status).toBe(200);
	});

	test('errors on stream:true requests are one c.JSON object; load replies too', async () => {
		const res = await post('/api/generate', { model: 'ghost', prompt: 'x', stream: true });
		expect(res.headers['content-type']).toBe(JSON_UTF8);
		expect(res.text.endsWith('\n')).toBe(false);
		const load = await post('/api/chat', { model: 'llama3.2', messages: [], stream: true });
		expect(load.headers['content-type']).toBe(JSON_UTF8);
		const body = JSON.parse(load.text);
		expect(body).toMatchObject({
			message: { role: 'assistant', content: '' },
			done: true,
			done_reason: 'load',
		});
		expect(Object.keys(body)).toEqual(['model', 'created_at', 'message', 'done', 'done_reason']);
	});
});

describe('keep_alive and /api/ps', () => {
	const ps = async () => JSON.parse((await raw(emu.url, { path: '/api/ps' })).text).models;

	test('empty ps is [], not null', async () => {
		expect((await raw(emu.url, { path: '/api/ps' })).text).toBe('{"models":[]}');
	});

	test('numbers are seconds, strings Go durations, negative forever, 0 unloads', async () => {
		await post('/api/generate', { model: 'llama3.2', prompt: 'x', keep_alive: 90 });
		let [m] = await ps();
		let left = new Date(m.expires_at).getTime() - Date.now();
		expect(left).toBeGreaterThan(85_000);
		expect(left).toBeLessThanOrEqual(90_000);
		expect(Object.keys(m)).toEqual([
			'name',
			'model',
			'size',
			'digest',
			'details',
			'expires_at',
			'size_vram',
			'context_length',
		]);

		await post('/api/generate', { model: 'llama3.2', prompt: 'x', keep_alive: '1h30m' });
		[m] = await ps();
		left = new Date(m.expires_at).getTime() - Date.now();
		expect(left).toBeGreaterThan(89 * 60_000);

		await post('/api/generate', { model: 'llama3.2', prompt: 'x', keep_alive: -1 });
		[m] = await ps();
		expect(new Date(m.expires_at).getUTCFullYear()).toBeGreaterThanOrEqual(2318);
		await post('/api/generate', { model: 'llama3.2', prompt: 'x', keep_alive: '-1m' });
		expect(new Date((await ps())[0].expires_at).getUTCFullYear()).toBeGreaterThanOrEqual(2318);

		await post('/api/generate', { model: 'llama3.2', prompt: 'x', keep_alive: 0 });
		expect(await ps()).toEqual([]);
	});

	test('a model expires from ps after its keep_alive', async () => {
		await post('/api/embed', { model: 'all-minilm', input: 'x', keep_alive: '150ms' });
		expect((await ps()).map((m: { name: string }) => m.name)).toEqual(['all-minilm:latest']);
		await new Promise((r) => setTimeout(r, 250));
		expect(await ps()).toEqual([]);
	});

	test('ps sorts by expiry, latest first', async () => {
		await post('/api/generate', { model: 'llama3.2', prompt: 'x', keep_alive: '1m' });
		await post('/api/generate', { model: 'qwen3', prompt: 'x', keep_alive: '1h' });
		await post('/api/generate', { model: 'codellama:code', prompt: 'x', keep_alive: '10m' });
		expect((await ps()).map((m: { name: string }) => m.name)).toEqual([
			'qwen3:latest',
			'codellama:code',
			'llama3.2:latest',
		]);
	});
});

describe('host and origin checks', () => {
	test('non-local Host gets 403 with an empty body; local and private hosts pass', async () => {
		const bad = await raw(emu.url, { path: '/api/tags', headers: { Host: 'example.com' } });
		expect([bad.status, bad.text]).toEqual([403, '']);
		expect(
			(await raw(emu.url, { path: '/api/tags', headers: { Host: '8.8.8.8:11434' } })).status,
		).toBe(403);
		for (const host of [
			'localhost:11434',
			'127.0.0.1',
			'192.168.1.20:11434',
			'10.0.0.1',
			'box.local',
			'[::1]:11434',
			'svc.internal',
		]) {
			expect((await raw(emu.url, { path: '/api/tags', headers: { Host: host } })).status).toBe(200);
		}
	});

	test('CORS: allowed origins are echoed, others get 403', async () => {
		const ok = await raw(emu.url, {
			path: '/api/tags',
			headers: { Origin: 'http://localhost:5678' },
		});
		expect(ok.headers['access-control-allow-origin']).toBe('http://localhost:5678');
		expect(
			(await raw(emu.url, { path: '/api/tags', headers: { Origin: 'https://evil.example' } }))
				.status,
		).toBe(403);
	});
});

describe('extras', () => {
	test('logprobs per chunk, top_logprobs entries', async () => {
		const res = await post('/api/generate', {
			model: 'llama3.2',
			prompt: 'x',
			logprobs: true,
			top_logprobs: 2,
		});
		const first = ndjson(res.text)[0] as { response: string; logprobs: Record<string, unknown>[] };
		expect(Object.keys(first)).toEqual(['model', 'created_at', 'response', 'done', 'logprobs']);
		expect(first.logprobs[0]).toMatchObject({ token: first.response, logprob: expect.any(Number) });
		expect(first.logprobs[0].top_logprobs).toHaveLength(2);
	});

	test('think levels and format on a thinking chat model', async () => {
		const res = await post('/api/chat', {
			model: 'qwen3',
			think: 'high',
			format: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] },
			messages: [{ role: 'user', content: 'x' }],
			stream: false,
		});
		const body = JSON.parse(res.text);
		expect(body.message.thinking.length).toBeGreaterThan(0);
		expect(typeof JSON.parse(body.message.content).ok).toBe('boolean');
	});

	test('models added through the admin API can be used and pulled', async () => {
		await raw(emu.url, {
			path: '/_emulator/models',
			body: { name: 'tiny:1b', replyText: 'fixed answer' },
		});
		await raw(emu.url, { path: '/_emulator/models', body: { name: 'remote-only', remote: true } });
		const res = await post('/api/generate', { model: 'tiny:1b', prompt: 'x', stream: false });
		expect(JSON.parse(res.text).response).toBe('fixed answer');
		const pulled = await post('/api/pull', { model: 'remote-only', stream: false });
		expect(pulled.text).toBe('{"status":"success"}');
	});
});

describe('admin API', () => {
	test('faults, requests, config and reset over HTTP; admin calls are not logged', async () => {
		const add = await raw(emu.url, {
			path: '/_emulator/faults',
			body: { type: 'busy', path: '/api/chat' },
		});
		expect(add.status).toBe(200);
		const bad = await raw(emu.url, { path: '/_emulator/faults', body: { type: 'nope' } });
		expect(bad.status).toBe(400);
		const busy = await post('/api/chat', { model: 'llama3.2', messages: [] });
		expect(busy.status).toBe(503);
		const log = JSON.parse((await raw(emu.url, { path: '/_emulator/requests' })).text).requests;
		expect(log).toHaveLength(1);
		expect(log[0]).toMatchObject({
			method: 'POST',
			path: '/api/chat',
			status: 503,
			fault: 'busy',
			clientDisconnected: false,
		});
		expect(log[0].body).toEqual({ model: 'llama3.2', messages: [] });

		const cfg = await raw(emu.url, {
			path: '/_emulator/config',
			body: { latency: { parallel: 3 }, replyTokens: 4 },
		});
		expect(JSON.parse(cfg.text).latency.parallel).toBe(3);
		expect(emu.config.replyTokens).toBe(4);
		await raw(emu.url, { path: '/_emulator/requests', method: 'DELETE' });
		expect(emu.requests).toHaveLength(0);
		await raw(emu.url, { path: '/_emulator/reset', method: 'POST' });
		expect(emu.config.latency.parallel).toBe(1);
	});

	test('a log limit keeps only the newest requests', async () => {
		const small = await startEmulator({ logLimit: 3 });
		try {
			for (let i = 0; i < 5; i++) await raw(small.url, { path: '/api/version' });
			expect(small.requests.map((entry) => entry.id)).toEqual([3, 4, 5]);
		} finally {
			await small.close();
		}
	});
});
