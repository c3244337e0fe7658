// The emulator's OpenAI-compatible /v1 routes as an outside client sees them: the official
// `openai` npm client, plus raw bytes where the client would hide the wire shape.

import OpenAI, { BadRequestError, InternalServerError, NotFoundError } from 'openai';
import { VERSION } from 'openai/version';
import { embeddingFor, replyFor, startEmulator, type Emulator } from './index';
import { raw } from './wireClient';

let emu: Emulator;
let client: OpenAI;

beforeAll(async () => {
	emu = await startEmulator();
	client = new OpenAI({ baseURL: `${emu.url}/v1`, apiKey: 'ollama' });
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

const user = (content: string) => ({ role: 'user' as const, content });
const now = () => Math.floor(Date.now() / 1000);
/** SSE events of a raw body: the `data:` payloads, in order. */
const events = (text: string) =>
	text
		.split('\n\n')
		.filter(Boolean)
		.map((e) => e.replace(/^data: /, ''));

const weatherTool = {
	type: 'function' as const,
	function: {
		name: 'get_weather',
		parameters: {
			type: 'object',
			properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['c', 'f'] } },
			required: ['city', 'unit'],
		},
	},
};

describe('the openai client', () => {
	test('loads (5.x) and talks to the emulator on 127.0.0.1', async () => {
		expect(VERSION).toMatch(/^5\./);
		expect(client.baseURL).toBe(`http://127.0.0.1:${emu.port}/v1`);
		await client.models.list();
		expect(emu.requests[0].headers.authorization).toBe('Bearer ollama');
	});
});

describe('POST /v1/chat/completions', () => {
	test('non-streamed: the deterministic reply as a chat.completion with usage', async () => {
		const res = await client.chat.completions.create({
			model: 'llama3.2',
			messages: [user('Why is the sky blue?')],
		});
		const expected = replyFor({ model: 'llama3.2', messages: [user('Why is the sky blue?')] });
		expect(res).toMatchObject({
			object: 'chat.completion',
			model: 'llama3.2',
			system_fingerprint: 'fp_ollama',
			choices: [
				{
					index: 0,
					message: { role: 'assistant', content: expected.response },
					finish_reason: 'stop',
				},
			],
		});
		expect(res.id).toMatch(/^chatcmpl-\d{1,3}$/);
		expect(Math.abs(res.created - now())).toBeLessThanOrEqual(2);
		expect(res.usage!.completion_tokens).toBe(expected.evalCount);
		expect(res.usage!.total_tokens).toBe(res.usage!.prompt_tokens + expected.evalCount);
		expect(res.usage!.prompt_tokens).toBeGreaterThan(0);
	});

	test('streamed: chunks join to the same text; role first, one id and created, finish chunk last', async () => {
		const stream = await client.chat.completions.create({
			model: 'llama3.2',
			messages: [user('hello')],
			stream: true,
		});
		const chunks = [];
		for await (const c of stream) chunks.push(c);
		const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
		expect(text).toBe(replyFor({ model: 'llama3.2', messages: [user('hello')] }).response);
		expect(chunks.length).toBeGreaterThan(3);
		expect(chunks[0].choices[0].delta.role).toBe('assistant');
		expect(chunks.slice(1).every((c) => c.choices[0].delta.role === undefined)).toBe(true);
		expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
		expect(new Set(chunks.map((c) => c.created)).size).toBe(1);
		const last = chunks[chunks.length - 1];
		expect(last.choices[0]).toEqual({ index: 0, delta: {}, finish_reason: 'stop' });
		expect(chunks.every((c) => c.usage === undefined)).toBe(true);
	});

	test('stream_options.include_usage adds a final chunk with usage and no choices', async () => {
		const body = { model: 'llama3.2', messages: [user('count')] };
		const plain = await client.chat.completions.create(body);
		const stream = await client.chat.completions.create({
			...body,
			stream: true,
			stream_options: { include_usage: true },
		});
		const chunks = [];
		for await (const c of stream) chunks.push(c);
		const last = chunks[chunks.length - 1];
		expect(last.choices).toEqual([]);
		expect(last.usage).toEqual(plain.usage);
		expect(chunks[chunks.length - 2].choices[0].finish_reason).toBe('stop');
	});

	test('a thinking model answers with `reasoning`; reasoning_effort none turns it off', async () => {
		const messages = [user('think')];
		const expected = replyFor({ model: 'qwen3', messages });
		const res = await client.chat.completions.create({ model: 'qwen3', messages });
		const message = res.choices[0].message as unknown as { reasoning?: string; content: string };
		expect(message.reasoning).toBe(expected.thinking);
		expect(message.content).toBe(expected.response);

		const stream = await client.chat.completions.create({ model: 'qwen3', messages, stream: true });
		let reasoning = '';
		for await (const c of stream) {
			reasoning += (c.choices[0]?.delta as { reasoning?: string }).reasoning ?? '';
		}
		expect(reasoning).toBe(expected.thinking);

		const off = await client.chat.completions.create({
			model: 'qwen3',
			messages,
			reasoning_effort: 'none' as never,
		});
		expect((off.choices[0].message as { reasoning?: string }).reasoning).toBeUndefined();
		expect(off.choices[0].message.content).toBe(
			replyFor({ model: 'qwen3', messages, think: false }).response,
		);
	});

	test('max_tokens, stop and seed map onto num_predict, stop and seed', async () => {
		const messages = [user('p')];
		const short = await client.chat.completions.create({
			model: 'llama3.2',
			messages,
			max_tokens: 3,
		});
		expect(short.choices[0].finish_reason).toBe('length');
		expect(short.choices[0].message.content).toBe(
			replyFor({ model: 'llama3.2', messages, numPredict: 3 }).response,
		);

		const full = replyFor({ model: 'llama3.2', messages }).response;
		const stopWord = full.split(' ')[3];
		const stopped = await client.chat.completions.create({
			model: 'llama3.2',
			messages,
			stop: stopWord,
		});
		expect(stopped.choices[0].message.content).toBe(full.slice(0, full.indexOf(stopWord)));

		const seeded = await client.chat.completions.create({
			model: 'llama3.2',
			messages,
			seed: 42,
			temperature: 0.2,
			top_p: 0.5,
			frequency_penalty: 0.1,
			presence_penalty: 0.1,
		});
		const expected = replyFor({ model: 'llama3.2', messages, seed: 42 }).response;
		expect(seeded.choices[0].message.content).toBe(expected);
		expect(expected).not.toBe(full);
	});

	test('tools: a complete call with id, index, type and JSON-string arguments; finish tool_calls', async () => {
		const messages = [user('weather in Paris?')];
		const expected = replyFor({ model: 'llama3.2', messages, tools: [weatherTool] }).toolCalls[0];
		const res = await client.chat.completions.create({
			model: 'llama3.2',
			messages,
			tools: [weatherTool],
		});
		expect(res.choices[0].finish_reason).toBe('tool_calls');
		expect(res.choices[0].message.content).toBe('');
		expect(res.choices[0].message.tool_calls).toEqual([
			{
				id: expected.id,
				index: 0,
				type: 'function',
				function: { name: 'get_weather', arguments: JSON.stringify(expected.function.arguments) },
			},
		]);
		expect(expected.id).toMatch(/^call_[a-z0-9]{8}$/);

		const stream = await client.chat.completions.create({
			model: 'llama3.2',
			messages,
			tools: [weatherTool],
			stream: true,
		});
		const chunks = [];
		for await (const c of stream) chunks.push(c);
		const deltas = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
		expect(deltas).toEqual([
			{
				id: expected.id,
				index: 0,
				type: 'function',
				function: { name: 'get_weather', arguments: JSON.stringify(expected.function.arguments) },
			},
		]);
		expect(chunks[chunks.length - 1].choices[0].finish_reason).toBe('tool_calls');
	});

	test('a toolCall fault picks the arguments; the tool result comes back as a text answer', async () => {
		emu.addFault({ type: 'toolCall', arguments: { city: 'Paris', unit: 'c' } });
		const first = await client.chat.completions.create({
			model: 'llama3.2',
			messages: [user('weather?')],
			tools: [weatherTool],
		});
		const call = first.choices[0].message.tool_calls![0] as {
			id: string;
			function: { name: string; arguments: string };
		};
		expect(call.function.arguments).toBe('{"city":"Paris","unit":"c"}');

		const second = await client.chat.completions.create({
			model: 'llama3.2',
			tools: [weatherTool],
			messages: [
				user('weather?'),
				{ role: 'assistant', content: null, tool_calls: [{ ...call, type: 'function' }] },
				{ role: 'tool', tool_call_id: call.id, content: '21 degrees' },
			],
		});
		const native = [
			user('weather?'),
			{ role: 'assistant', content: '' },
			{ role: 'tool', content: '21 degrees' },
		];
		expect(second.choices[0].finish_reason).toBe('stop');
		expect(second.choices[0].message.content).toBe(
			replyFor({ model: 'llama3.2', messages: native, tools: [weatherTool] }).response,
		);
	});

	test('response_format json_schema gives a value that follows the schema; json_object gives JSON', async () => {
		const schema = {
			type: 'object',
			properties: { name: { type: 'string' }, age: { type: 'integer' } },
			required: ['name', 'age'],
		};
		const messages = [user('who?')];
		const res = await client.chat.completions.create({
			model: 'llama3.2',
			messages,
			response_format: { type: 'json_schema', json_schema: { name: 'person', schema } },
		});
		const value = JSON.parse(res.choices[0].message.content!);
		expect(typeof value.name).toBe('string');
		expect(Number.isInteger(value.age)).toBe(true);
		expect(res.choices[0].message.content).toBe(
			replyFor({ model: 'llama3.2', messages, format: schema }).response,
		);

		const obj = await client.chat.completions.create({
			model: 'llama3.2',
			messages,
			response_format: { type: 'json_object' },
		});
		expect(Object.keys(JSON.parse(obj.choices[0].message.content!))).toEqual([
			'answer',
			'confidence',
		]);
	});

	test('image parts need a data URI; each part becomes a native message', async () => {
		const png = Buffer.from('not really a png').toString('base64');
		const res = await client.chat.completions.create({
			model: 'llava',
			messages: [
				{
					role: 'user',
					content: [
						{ type: 'text', text: 'what is this?' },
						{ type: 'image_url', image_url: { url: `data:image/png;base64,${png}` } },
					],
				},
			],
		});
		const native = [user('what is this?'), user('')];
		expect(res.choices[0].message.content).toBe(
			replyFor({ model: 'llava', messages: native }).response,
		);
		expect(emu.requests[0].body).toMatchObject({
			messages: [{ content: [{ type: 'text' }, { type: 'image_url' }] }],
		});

		const web = client.chat.completions.create({
			model: 'llava',
			messages: [
				{
					role: 'user',
					content: [{ type: 'image_url', image_url: { url: 'https://example.com/a.png' } }],
				},
			],
		});
		await expect(web).rejects.toThrow(BadRequestError);
		await expect(web).rejects.toThrow(
			'400 image URLs are not currently supported, please use base64 encoded data instead',
		);
	});

	test('an unknown model is a NotFoundError with Ollama’s message and the /v1 error fields', async () => {
		const err = await client.chat.completions
			.create({ model: 'nope', messages: [user('hi')] })
			.catch((e: unknown) => e);
		expect(err).toBeInstanceOf(NotFoundError);
		expect(err).toMatchObject({
			status: 404,
			message: "404 model 'nope' not found",
			type: 'not_found_error',
			param: null,
			code: null,
		});
	});
});

describe('POST /v1/completions', () => {
	test('prompt and suffix on an insert model: a text_completion with the deterministic text', async () => {
		const req = { model: 'codellama:code', prompt: 'def add(a, b):', suffix: 'return c' };
		const res = await client.completions.create(req);
		expect(res).toMatchObject({
			object: 'text_completion',
			model: 'codellama:code',
			system_fingerprint: 'fp_ollama',
			choices: [{ text: replyFor(req).response, index: 0, finish_reason: 'stop' }],
		});
		expect(res.id).toMatch(/^cmpl-\d{1,3}$/);
		expect(res.usage!.completion_tokens).toBe(replyFor(req).evalCount);
	});

	test('streamed with include_usage: texts join, a finish chunk, then usage without choices', async () => {
		const stream = await client.completions.create({
			model: 'llama3.2',
			prompt: 'once',
			max_tokens: 5,
			stream: true,
			stream_options: { include_usage: true },
		});
		const chunks = [];
		for await (const c of stream) chunks.push(c);
		const text = chunks.map((c) => c.choices[0]?.text ?? '').join('');
		expect(text).toBe(replyFor({ model: 'llama3.2', prompt: 'once', numPredict: 5 }).response);
		const [finish, usage] = chunks.slice(-2);
		expect(finish.choices[0]).toEqual({ text: '', index: 0, finish_reason: 'length' });
		expect(usage.choices).toEqual([]);
		expect(usage.usage!.completion_tokens).toBe(5);
		// Ollama marks every earlier chunk with zero usage while include_usage is on.
		expect(chunks[0].usage).toEqual({ prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 });
	});

	test('a suffix on a model without insert is a BadRequestError with Ollama’s text', async () => {
		const call = client.completions.create({ model: 'llama3.2', prompt: 'a', suffix: 'b' });
		await expect(call).rejects.toThrow(BadRequestError);
		await expect(call).rejects.toThrow(
			'400 registry.ollama.ai/library/llama3.2:latest does not support insert',
		);
	});
});

describe('POST /v1/embeddings', () => {
	test('the client’s default (base64, decoded by the client) gives the /api/embed vectors', async () => {
		const res = await client.embeddings.create({ model: 'all-minilm', input: ['a', 'b'] });
		expect(emu.requests[0].body).toMatchObject({ encoding_format: 'base64' });
		expect(res.object).toBe('list');
		expect(res.model).toBe('all-minilm');
		expect(res.data.map((d) => d.index)).toEqual([0, 1]);
		expect(res.data[0].embedding).toEqual(embeddingFor('all-minilm', 'a', 384));
		expect(res.data[1].embedding).toEqual(embeddingFor('all-minilm', 'b', 384));
		expect(res.usage).toEqual({ prompt_tokens: 2, total_tokens: 2 });
	});

	test('float format and dimensions: float32 numbers, truncated and renormalised', async () => {
		const res = await client.embeddings.create({
			model: 'nomic-embed-text',
			input: 'hello',
			dimensions: 8,
			encoding_format: 'float',
		});
		expect(res.data).toHaveLength(1);
		expect(res.data[0].embedding.map(Math.fround)).toEqual(
			embeddingFor('nomic-embed-text', 'hello', 768, 8),
		);
	});

	test('base64 asked for by the caller stays a string of little-endian float32s', async () => {
		const res = await client.embeddings.create({
			model: 'all-minilm',
			input: 'x',
			encoding_format: 'base64',
		});
		const b64 = res.data[0].embedding as unknown as string;
		const bytes = Buffer.from(b64, 'base64');
		const values = Array.from({ length: bytes.length / 4 }, (_, i) => bytes.readFloatLE(i * 4));
		expect(values).toEqual(embeddingFor('all-minilm', 'x', 384));
	});
});

describe('GET /v1/models', () => {
	test('list: the installed models as /api/tags names them, owned by their namespace', async () => {
		const page = await client.models.list();
		const tags = (await (await fetch(`${emu.url}/api/tags`)).json()) as {
			models: { model: string; modified_at: string }[];
		};
		expect(page.data).toEqual(
			tags.models.map((m) => ({
				id: m.model,
				object: 'model',
				created: Math.floor(Date.parse(m.modified_at) / 1000),
				owned_by: 'library',
			})),
		);
	});

	test('retrieve echoes the requested id; an unknown one is a NotFoundError', async () => {
		const m = await client.models.retrieve('llama3.2:latest');
		expect(m).toMatchObject({ id: 'llama3.2:latest', object: 'model', owned_by: 'library' });
		const short = await client.models.retrieve('llama3.2');
		expect(short.id).toBe('llama3.2');
		// gin matches the decoded path; the id is the decoded segment.
		const encoded = await raw(emu.url, { path: '/v1/models/llama3.2%3Alatest' });
		expect(JSON.parse(encoded.text).id).toBe('llama3.2:latest');

		const err = await client.models.retrieve('nope').catch((e: unknown) => e);
		expect(err).toBeInstanceOf(NotFoundError);
		expect((err as Error).message).toBe("404 model 'nope:latest' not found");
	});
});

describe('faults on /v1', () => {
	test('a 503 burst: the client retries and succeeds; every try is in the request log', async () => {
		emu.addFault({ type: 'busy', path: '/v1/chat/completions', times: 2 });
		const res = await client.chat.completions.create({
			model: 'llama3.2',
			messages: [user('hi')],
		});
		expect(res.choices[0].message.content).toBe(
			replyFor({ model: 'llama3.2', messages: [user('hi')] }).response,
		);
		expect(emu.requests.map((r) => [r.path, r.status, r.fault])).toEqual([
			['/v1/chat/completions', 503, 'busy'],
			['/v1/chat/completions', 503, 'busy'],
			['/v1/chat/completions', 200, undefined],
		]);
	});

	test('a 503 without retries is an InternalServerError with Ollama’s busy text', async () => {
		emu.addFault({ type: 'busy', path: '/v1/chat/completions' });
		const noRetry = new OpenAI({ baseURL: `${emu.url}/v1`, apiKey: 'x', maxRetries: 0 });
		const err = await noRetry.chat.completions
			.create({ model: 'llama3.2', messages: [user('hi')] })
			.catch((e: unknown) => e);
		expect(err).toBeInstanceOf(InternalServerError);
		expect(err).toMatchObject({
			status: 503,
			type: 'api_error',
			message: '503 server busy, please try again.  maximum pending requests exceeded',
		});
	});

	test('an error mid-stream: an empty chunk and no finish; the stream helper rejects', async () => {
		emu.addFault({ type: 'errorLine', path: '/v1/chat/completions', afterChunks: 2 });
		const stream = await client.chat.completions.create({
			model: 'llama3.2',
			messages: [user('hi')],
			stream: true,
		});
		const chunks = [];
		for await (const c of stream) chunks.push(c);
		// Ollama's writer decodes the error line as an empty response: model "", content "".
		expect(chunks).toHaveLength(3);
		expect(chunks[2]).toMatchObject({ model: '', choices: [{ delta: { content: '' } }] });
		expect(chunks.every((c) => c.choices[0].finish_reason === null)).toBe(true);

		emu.addFault({ type: 'errorLine', path: '/v1/chat/completions', afterChunks: 2 });
		const helper = client.chat.completions.stream({
			model: 'llama3.2',
			messages: [user('hi')],
		});
		await expect(helper.finalChatCompletion()).rejects.toThrow(
			'missing finish_reason for choice 0',
		);
	});

	test('a connection reset mid-stream fails the client’s iteration', async () => {
		emu.addFault({ type: 'reset', path: '/v1/chat/completions', afterChunks: 2 });
		const noRetry = new OpenAI({ baseURL: `${emu.url}/v1`, apiKey: 'x', maxRetries: 0 });
		const stream = await noRetry.chat.completions.create({
			model: 'llama3.2',
			messages: [user('hi')],
			stream: true,
		});
		const read = (async () => {
			for await (const _ of stream);
		})();
		await expect(read).rejects.toThrow();
	});

	test('the latency model paces /v1 streams like /api ones', async () => {
		emu.configure({ latency: { tokenMs: 15 } });
		const stream = await client.chat.completions.create({
			model: 'llama3.2',
			messages: [user('slow')],
			stream: true,
		});
		for await (const _ of stream);
		const times = emu.requests[0].lineWrittenAt!;
		expect(times.length).toBe(
			replyFor({ model: 'llama3.2', messages: [user('slow')] }).chunks.length + 1,
		);
		expect(times[times.length - 1] - times[0]).toBeGreaterThanOrEqual(
			15 * (times.length - 2) * 0.8,
		);
	});
});

describe('/v1 bytes', () => {
	const post = (path: string, body: unknown) => raw(emu.url, { method: 'POST', path, body });

	test('replies through a writer: application/json without charset and the encoder newline', async () => {
		const res = await post('/v1/chat/completions', { model: 'llama3.2', messages: [user('a')] });
		expect(res.headers['content-type']).toBe('application/json');
		expect(res.text.endsWith('}\n')).toBe(true);
		const body = JSON.parse(res.text);
		expect(Object.keys(body)).toEqual([
			'id',
			'object',
			'created',
			'model',
			'system_fingerprint',
			'choices',
			'usage',
		]);
		expect(Object.keys(body.choices[0])).toEqual(['index', 'message', 'finish_reason']);

		const missing = await post('/v1/embeddings', { model: 'nope', input: 'a' });
		expect(missing.status).toBe(404);
		expect(missing.headers['content-type']).toBe('application/json');
		expect(missing.text).toBe(
			'{"error":{"message":"model \\"nope\\" not found, try pulling it first","type":"not_found_error","param":null,"code":null}}\n',
		);
	});

	test('errors of the middleware itself: c.JSON with charset and no newline', async () => {
		const cases: [string, unknown, string][] = [
			['/v1/chat/completions', { model: 'llama3.2', messages: [] }, "[] is too short - 'messages'"],
			['/v1/chat/completions', '', 'EOF'],
			[
				'/v1/chat/completions',
				{ model: 'llama3.2', messages: [{ role: 'user' }] },
				'invalid message content type: \\u003cnil\\u003e',
			],
			[
				'/v1/chat/completions',
				{ model: 'llama3.2', messages: [user('a')], reasoning_effort: 'huge' },
				'invalid reasoning value: \\"huge\\" (must be \\"minimal\\", \\"low\\", \\"medium\\", \\"high\\", \\"xhigh\\", \\"ultra\\", \\"max\\", or \\"none\\")',
			],
			[
				'/v1/completions',
				{ model: 'llama3.2', prompt: ['a'] },
				'json: cannot unmarshal array into Go struct field CompletionRequest.prompt of type string',
			],
			[
				'/v1/completions',
				{ model: 'llama3.2', prompt: 'a', stop: ['x', 1] },
				"invalid type for 'stop' field: float64",
			],
			[
				'/v1/embeddings',
				{ model: 'all-minilm', input: 'a', encoding_format: 'int8' },
				"Invalid value for 'encoding_format' = int8. Supported values: ['float', 'base64'].",
			],
			['/v1/embeddings', { model: 'all-minilm', input: [] }, 'invalid input'],
		];
		for (const [path, body, message] of cases) {
			const res = await post(path, body);
			expect({ status: res.status, type: res.headers['content-type'], text: res.text }).toEqual({
				status: 400,
				type: 'application/json; charset=utf-8',
				text: `{"error":{"message":"${message}","type":"invalid_request_error","param":null,"code":null}}`,
			});
		}
	});

	test('SSE framing: data events, a finish chunk with an empty delta, then [DONE]', async () => {
		const res = await post('/v1/chat/completions', {
			model: 'llama3.2',
			messages: [user('a')],
			stream: true,
		});
		expect(res.headers['content-type']).toBe('text/event-stream');
		expect(res.text).toMatch(/^(data: [^\n]+\n\n)+$/);
		expect(res.text.endsWith('data: [DONE]\n\n')).toBe(true);
		const list = events(res.text);
		const finish = JSON.parse(list[list.length - 2]);
		expect(finish.choices).toEqual([{ index: 0, delta: {}, finish_reason: 'stop' }]);
		expect(list[0]).toContain('"delta":{"role":"assistant","content":');
	});

	test('an error mid-stream ends the SSE without [DONE], as Ollama’s ChatWriter writes it', async () => {
		emu.addFault({ type: 'errorLine', path: '/v1/completions', afterChunks: 1 });
		const res = await post('/v1/completions', { model: 'llama3.2', prompt: 'a', stream: true });
		expect(res.status).toBe(200);
		const list = events(res.text);
		expect(list).toHaveLength(2);
		expect(JSON.parse(list[1])).toMatchObject({
			object: 'text_completion',
			choices: [{ text: '', index: 0, finish_reason: null }],
			model: '',
		});
		expect(res.text).not.toContain('[DONE]');
	});

	test('an error before the stream is the /v1 error object with the native status', async () => {
		emu.addFault({ type: 'runnerCrash', path: '/v1/chat/completions', detail: 'oom' });
		const res = await post('/v1/chat/completions', {
			model: 'llama3.2',
			messages: [user('a')],
			stream: true,
		});
		expect(res.status).toBe(500);
		expect(JSON.parse(res.text).error).toMatchObject({
			type: 'api_error',
			param: null,
			code: null,
		});
		expect(JSON.parse(res.text).error.message).toMatch(
			/^model runner has unexpectedly stopped.*: oom$/,
		);
	});

	test('routing: no models is data null; trailing slash redirects; HEAD is 405', async () => {
		const empty = await startEmulator({ models: [] });
		try {
			const res = await raw(empty.url, { path: '/v1/models' });
			expect(res.text).toBe('{"object":"list","data":null}\n');
			// The client's page turns Ollama's null into an empty list.
			const page = await new OpenAI({ baseURL: `${empty.url}/v1`, apiKey: 'x' }).models.list();
			expect(page.getPaginatedItems()).toEqual([]);
		} finally {
			await empty.close();
		}
		expect((await raw(emu.url, { path: '/v1/models/' })).status).toBe(301);
		expect((await raw(emu.url, { method: 'HEAD', path: '/v1/models' })).status).toBe(405);
		expect((await raw(emu.url, { path: '/v1/models/a%2Fb' })).status).toBe(404);
	});
});
