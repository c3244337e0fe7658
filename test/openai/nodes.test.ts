// Every node on a credential whose API is OpenAI-compatible, in n8n-core's WorkflowExecute with
// real HTTP to the emulator's /v1 routes: the same outputs as on Ollama's own API, and a clear
// error for what /v1 does not have.
import type { IDataObject, INodeParameters, INodeType } from 'n8n-workflow';

import { OllamaChat } from '../../nodes/OllamaChat/OllamaChat.node';
import { OllamaEmbed } from '../../nodes/OllamaEmbed/OllamaEmbed.node';
import { OllamaGenerate } from '../../nodes/OllamaGenerate/OllamaGenerate.node';
import { OllamaModels } from '../../nodes/OllamaModels/OllamaModels.node';
import { embeddingFor, replyFor } from '../emulator';
import type { RunOptions } from '../harness/run';
import { runNode } from '../harness/run';
import { useEmulator } from '../nodes/emulator.fixture';
import { PNG, byName } from '../nodes/generation.fixture';

const emulator = useEmulator();

function run(
	type: new () => INodeType,
	parameters: INodeParameters,
	extra: Partial<RunOptions> = {},
	baseUrl = emulator.url,
): RunOptions {
	return {
		node: { type, parameters, continueOnFail: true },
		credentials: { api: 'openai', baseUrl, authentication: 'bearer', apiKey: 'sk-local' },
		...extra,
	};
}

async function outputOf(options: RunOptions): Promise<IDataObject[]> {
	const { items, error } = await runNode(options);
	if (error) throw error;
	return items.map((item) => item.json);
}

const requestsTo = (path: string) => emulator.requests.filter((r) => r.path === path);
const sentTo = (path: string) => requestsTo(path).at(-1)?.body as IDataObject;
const hello = { message: [{ role: 'user', content: 'Hello there' }] };
const chat = (parameters: INodeParameters = {}, extra: Partial<RunOptions> = {}) =>
	run(
		OllamaChat,
		{ model: byName('llama3.2'), messagesSource: 'define', messages: hello, ...parameters },
		extra,
	);

describe('Ollama Chat on an OpenAI-compatible server', () => {
	it("streams /v1/chat/completions and outputs what it outputs on Ollama's API", async () => {
		const [out] = await outputOf(chat());
		const expected = replyFor({
			model: 'llama3.2',
			messages: [{ role: 'user', content: 'Hello there' }],
		});
		expect(out.content).toBe(expected.response);
		expect(out.message).toEqual({ role: 'assistant', content: expected.response });
		expect(out).toMatchObject({ done_reason: 'stop', model: 'llama3.2' });
		expect(out.metrics).toMatchObject({ outputTokens: expected.evalCount });
		expect(sentTo('/v1/chat/completions')).toEqual({
			model: 'llama3.2',
			messages: [{ role: 'user', content: 'Hello there' }],
			stream: true,
			stream_options: { include_usage: true },
		});
		const [request] = requestsTo('/v1/chat/completions');
		expect(request.headers.authorization).toBe('Bearer sk-local');
		expect(request.headers.accept).toBe('text/event-stream');
	});

	it('takes the Base URL with /v1 as well', async () => {
		const [out] = await outputOf({
			...chat(),
			...run(OllamaChat, {}, {}, `${emulator.url}/v1/`),
			node: chat().node,
		});
		expect(out.error).toBeUndefined();
		expect(requestsTo('/v1/chat/completions')).toHaveLength(1);
	});

	it('maps the options that have an OpenAI name, and the format to response_format', async () => {
		const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
		const [out] = await outputOf(
			chat({
				options: {
					num_predict: 400,
					temperature: 0.2,
					seed: 7,
					stop: 'END',
					format: 'schema',
					jsonSchema: JSON.stringify(schema),
				},
			}),
		);
		expect(out.error).toBeUndefined();
		expect(sentTo('/v1/chat/completions')).toMatchObject({
			max_tokens: 400,
			temperature: 0.2,
			seed: 7,
			stop: ['END'],
			response_format: { type: 'json_schema', json_schema: { name: 'output', schema } },
		});
		expect(out.json).toEqual({ city: expect.any(String) });
	});

	it('refuses an option with no OpenAI name, naming it, and sends nothing', async () => {
		const [out] = await outputOf(chat({ options: { top_k: 5 } }));
		expect(out.error).toMatch(/"top_k" is not available on an OpenAI-compatible server/);
		expect(requestsTo('/v1/chat/completions')).toHaveLength(0);
	});

	it('sends tools, and outputs the call as on the native API (arguments an object)', async () => {
		const weather = {
			type: 'function',
			function: {
				name: 'get_weather',
				description: 'Weather for a city',
				parameters: {
					type: 'object',
					properties: { city: { type: 'string' } },
					required: ['city'],
				},
			},
		};
		emulator.addFault({
			type: 'toolCall',
			path: '/v1/chat/completions',
			name: 'get_weather',
			arguments: { city: 'Paris' },
		});
		const [out] = await outputOf(chat({ options: { tools: JSON.stringify([weather]) } }));
		expect(sentTo('/v1/chat/completions').tools).toEqual([weather]);
		expect(out.tool_calls).toEqual([
			expect.objectContaining({
				function: expect.objectContaining({ name: 'get_weather', arguments: { city: 'Paris' } }),
			}),
		]);
	});

	it('sends a tool result tied to the call it answers', async () => {
		const history = [
			{ role: 'user', content: 'Weather in Paris?' },
			{
				role: 'assistant',
				content: '',
				tool_calls: [{ function: { name: 'get_weather', arguments: { city: 'Paris' } } }],
			},
			{ role: 'tool', content: '18 degrees', tool_name: 'get_weather' },
		];
		const [out] = await outputOf(
			chat({ messagesSource: 'json', messagesJson: JSON.stringify(history) }),
		);
		expect(out.error).toBeUndefined();
		expect(sentTo('/v1/chat/completions').messages).toEqual([
			{ role: 'user', content: 'Weather in Paris?' },
			{
				role: 'assistant',
				content: '',
				tool_calls: [
					{
						id: 'call_0',
						type: 'function',
						function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
					},
				],
			},
			{ role: 'tool', tool_call_id: 'call_0', content: '18 degrees' },
		]);
	});

	it('sends images as content parts with a data URL', async () => {
		const item = {
			json: {},
			binary: { photo: { data: PNG.toString('base64'), mimeType: 'image/png', fileName: 'a.png' } },
		};
		const [out] = await outputOf(
			chat(
				{
					model: byName('llava'),
					messages: { message: [{ role: 'user', content: 'What is this?', images: 'photo' }] },
				},
				{ items: [item] },
			),
		);
		expect(out.error).toBeUndefined();
		expect(sentTo('/v1/chat/completions').messages).toEqual([
			{
				role: 'user',
				content: [
					{ type: 'text', text: 'What is this?' },
					{
						type: 'image_url',
						image_url: { url: `data:image/png;base64,${PNG.toString('base64')}` },
					},
				],
			},
		]);
	});

	it('outputs the thinking of a model that thinks (reasoning on /v1)', async () => {
		const [out] = await outputOf(chat({ model: byName('qwen3'), options: { think: 'high' } }));
		const expected = replyFor({
			model: 'qwen3',
			messages: [{ role: 'user', content: 'Hello there' }],
			think: 'high',
		});
		expect(sentTo('/v1/chat/completions').reasoning_effort).toBe('high');
		expect(out.thinking).toBe(expected.thinking);
		expect(out.content).toBe(expected.response);
	});

	it("fails an unknown model with the server's own text, and retries a 503", async () => {
		const [missing] = await outputOf(chat({ model: byName('nosuchmodel') }));
		expect(missing.error).toMatch(/model ['"]nosuchmodel['"] not found/);

		emulator.clearRequests();
		emulator.addFault({ type: 'busy', path: '/v1/chat/completions', times: 2 });
		const [out] = await outputOf(chat({ reliability: { maxAttempts: 3 } }));
		expect(out.error).toBeUndefined();
		expect(requestsTo('/v1/chat/completions').map((r) => r.status)).toEqual([503, 503, 200]);
	});
});

describe('Ollama Generate on an OpenAI-compatible server', () => {
	it('streams /v1/completions with the prompt and the suffix', async () => {
		const [out] = await outputOf(
			run(OllamaGenerate, {
				model: byName('codellama:code'),
				prompt: 'def add(a, b):',
				options: { suffix: '    return c' },
			}),
		);
		const expected = replyFor({
			model: 'codellama:code',
			prompt: 'def add(a, b):',
			suffix: '    return c',
		});
		expect(out.error).toBeUndefined();
		expect(out.response).toBe(expected.response);
		expect(sentTo('/v1/completions')).toMatchObject({
			model: 'codellama:code',
			prompt: 'def add(a, b):',
			suffix: '    return c',
			stream: true,
		});
	});

	it('refuses a system message (no place for it in /v1/completions)', async () => {
		const [out] = await outputOf(
			run(OllamaGenerate, {
				model: byName('llama3.2'),
				prompt: 'Hi',
				options: { system: 'Be terse.' },
			}),
		);
		expect(out.error).toMatch(
			/A system message in Generate is not available on an OpenAI-compatible server/,
		);
		expect(requestsTo('/v1/completions')).toHaveLength(0);
	});
});

describe('Ollama Embed on an OpenAI-compatible server', () => {
	it('batches the texts of several items into /v1/embeddings requests, vectors in order', async () => {
		const texts = ['one', 'two', 'three', 'four', 'five'];
		const items = texts.map((text) => ({ json: { text } }));
		const out = await outputOf(
			run(
				OllamaEmbed,
				{ model: byName('all-minilm'), text: '={{ $json.text }}', batchSize: 2 },
				{ items },
			),
		);
		expect(requestsTo('/v1/embeddings').map((r) => (r.body as { input: string[] }).input)).toEqual([
			['one', 'two'],
			['three', 'four'],
			['five'],
		]);
		out.forEach((item, k) => {
			const vector = item.embedding as number[];
			const expected = embeddingFor('all-minilm', texts[k], 384);
			expect(vector).toHaveLength(384);
			vector.forEach((x, i) => expect(x).toBeCloseTo(expected[i], 5));
		});
	});

	it('sends dimensions; refuses Truncate off', async () => {
		const [out] = await outputOf(
			run(OllamaEmbed, {
				model: byName('nomic-embed-text'),
				text: 'hello',
				options: { dimensions: 64 },
			}),
		);
		expect(sentTo('/v1/embeddings')).toMatchObject({ dimensions: 64 });
		expect(out.embedding as number[]).toHaveLength(64);

		const [refused] = await outputOf(
			run(OllamaEmbed, {
				model: byName('all-minilm'),
				text: 'hello',
				options: { truncate: false },
			}),
		);
		expect(refused.error).toMatch(/"truncate" is not available on an OpenAI-compatible server/);
	});
});

describe('Ollama Model Management on an OpenAI-compatible server', () => {
	const models = (parameters: INodeParameters) => outputOf(run(OllamaModels, parameters));

	it('lists the models of /v1/models, and gets one', async () => {
		const listed = await models({ resource: 'model', operation: 'list' });
		const names = listed.map((model) => model.name);
		expect(names).toEqual(expect.arrayContaining(['llama3.2:latest', 'all-minilm:latest']));
		expect(requestsTo('/v1/models')).toHaveLength(1);

		const [got] = await models({ resource: 'model', operation: 'get', model: byName('llama3.2') });
		expect(got.error).toBeUndefined();
		expect(requestsTo('/v1/models/llama3.2')).toHaveLength(1);
	});

	it('answers an operation only the Ollama API has with an error naming the API', async () => {
		const [pulled] = await models({ resource: 'model', operation: 'pull', modelName: 'mistral' });
		expect(pulled.error).toMatch(
			/^Pulling a model is not available on an OpenAI-compatible server \(the API chosen in the credential\)/,
		);
		expect(emulator.requests).toHaveLength(0);
	});
});
