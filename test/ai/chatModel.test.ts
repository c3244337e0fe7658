import type { Message, StreamChunk, Tool } from '@n8n/ai-node-sdk';
import { NodeApiError } from 'n8n-workflow';

import { OllamaChatModel } from '../../nodes/ai/chatModel';
import type { OllamaChatModelSettings } from '../../nodes/ai/chatModel';
import { replyFor } from '../emulator';
import { useEmulator } from '../nodes/emulator.fixture';
import { NODE, clientFor } from './host';

const emulator = useEmulator();

const identity = (tool: { inputSchema: unknown }) => tool.inputSchema;
const model = (name: string, over: Partial<OllamaChatModelSettings> = {}) =>
	new OllamaChatModel({
		node: NODE,
		client: clientFor(emulator.url),
		model: name,
		request: {},
		pullIfMissing: false,
		toJsonSchema: identity,
		...over,
	});

const ask = (text: string): Message[] => [{ role: 'user', content: [{ type: 'text', text }] }];
const weather: Tool = {
	type: 'function',
	name: 'get_weather',
	description: 'Weather for a city',
	inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};
const chatBodies = () =>
	emulator.requests
		.filter((r) => r.path === '/api/chat')
		.map((r) => r.body as Record<string, unknown>);

async function collect(stream: AsyncIterable<StreamChunk>): Promise<StreamChunk[]> {
	const chunks: StreamChunk[] = [];
	for await (const chunk of stream) chunks.push(chunk);
	return chunks;
}

describe('OllamaChatModel.generate', () => {
	it("answers with the model's text, usage and finish reason 'stop'", async () => {
		const result = await model('llama3.2').generate(ask('Hello there'));
		const expected = replyFor({
			model: 'llama3.2',
			messages: [{ role: 'user', content: 'Hello there' }],
		});
		expect(result.message.content).toEqual([{ type: 'text', text: expected.response }]);
		expect(result.finishReason).toBe('stop');
		expect(result.usage?.completionTokens).toBe(expected.evalCount);
		expect(result.usage?.promptTokens).toBeGreaterThan(0);
	});

	it("sends bound tools in Ollama's format and returns the call as a tool-call part", async () => {
		const result = await model('llama3.2').withTools([weather]).generate(ask('Weather in Paris?'));
		expect(chatBodies()[0].tools).toEqual([
			{
				type: 'function',
				function: {
					name: 'get_weather',
					description: 'Weather for a city',
					parameters: weather.inputSchema,
				},
			},
		]);
		expect(result.finishReason).toBe('tool-calls');
		const call = result.message.content.find((part) => part.type === 'tool-call');
		expect(call).toMatchObject({ type: 'tool-call', toolName: 'get_weather' });
		expect(JSON.parse((call as { input: string }).input)).toHaveProperty('city');
		expect((call as { toolCallId?: string }).toolCallId).toMatch(/^call_/);
	});

	it('sends the Options (format, think, keep alive, model options) and no tools field without tools', async () => {
		await model('qwen3', {
			request: { format: 'json', think: false, keep_alive: '10m', options: { temperature: 0.2 } },
		}).generate(ask('Hi'), { stopSequences: ['END'] } as never);
		expect(chatBodies()[0]).toEqual({
			model: 'qwen3',
			messages: [{ role: 'user', content: 'Hi' }],
			format: 'json',
			think: false,
			keep_alive: '10m',
			options: { temperature: 0.2, stop: ['END'] },
			stream: true,
		});
	});

	it('withTools returns a copy and leaves the model it was called on unchanged', async () => {
		const plain = model('llama3.2');
		const withOne = plain.withTools([weather]);
		const withTwo = withOne.withTools([{ ...weather, name: 'get_time' }]);
		expect(plain.tools).toEqual([]);
		expect(withOne.tools.map((t) => t.name)).toEqual(['get_weather']);
		expect(withTwo.tools.map((t) => t.name)).toEqual(['get_weather', 'get_time']);
		await plain.generate(ask('Hi'));
		expect(chatBodies()[0]).not.toHaveProperty('tools');
	});

	it("fails with Ollama's model-not-found text and the pull hint", async () => {
		const error = await model('nosuchmodel')
			.generate(ask('Hi'))
			.catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as NodeApiError).message).toMatch(/model ['"]nosuchmodel['"] not found/);
		expect((error as NodeApiError).description).toContain('ollama pull');
	});

	it('pulls a missing model when Pull Model If Missing is on, then answers', async () => {
		const result = await model('mistral', { pullIfMissing: true }).generate(ask('Hi'));
		expect(emulator.requests.map((r) => r.path)).toEqual(['/api/chat', '/api/pull', '/api/chat']);
		expect(result.finishReason).toBe('stop');
	});

	it('names the model when it cannot use the tools it was given', async () => {
		const error = await model('llava')
			.withTools([weather])
			.generate(ask('Hi'))
			.catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as NodeApiError).message).toMatch(
			/^The model "llava" cannot use tools: .*does not support tools/,
		);
		expect((error as NodeApiError).description).toContain('Choose a model that supports tools');
	});
});

describe('OllamaChatModel.stream', () => {
	it("yields text deltas that join to the model's reply, then a finish with usage", async () => {
		const chunks = await collect(model('llama3.2').stream(ask('Hello there')));
		const expected = replyFor({
			model: 'llama3.2',
			messages: [{ role: 'user', content: 'Hello there' }],
		});
		const deltas = chunks.filter((c) => c.type === 'text-delta');
		expect(deltas.length).toBeGreaterThan(1);
		expect(deltas.map((c) => (c as { delta: string }).delta).join('')).toBe(expected.response);
		expect(chunks[chunks.length - 1]).toEqual({
			type: 'finish',
			finishReason: 'stop',
			usage: expect.objectContaining({ completionTokens: expected.evalCount }),
		});
	});

	it('streams reasoning as whole reasoning content parts, before the text', async () => {
		const chunks = await collect(model('qwen3').stream(ask('Think first')));
		const expected = replyFor({
			model: 'qwen3',
			messages: [{ role: 'user', content: 'Think first' }],
		});
		const reasoning = chunks.filter((c) => c.type === 'content');
		expect(reasoning.length).toBeGreaterThan(0);
		expect(
			reasoning
				.map((c) => (c as { content: { type: string; text: string } }).content.text)
				.join(''),
		).toBe(expected.thinking);
		expect(
			reasoning.every((c) => (c as { content: { type: string } }).content.type === 'reasoning'),
		).toBe(true);
		expect(chunks.findIndex((c) => c.type === 'content')).toBeLessThan(
			chunks.findIndex((c) => c.type === 'text-delta'),
		);
	});

	it('yields each tool call complete, with an id, and finishes with tool-calls', async () => {
		const chunks = await collect(model('llama3.2').withTools([weather]).stream(ask('Weather?')));
		const calls = chunks.filter((c) => c.type === 'tool-call-delta');
		expect(calls).toHaveLength(1);
		expect(calls[0]).toMatchObject({ name: 'get_weather', id: expect.stringMatching(/^call_/) });
		expect(JSON.parse((calls[0] as { argumentsDelta: string }).argumentsDelta)).toHaveProperty(
			'city',
		);
		expect(chunks[chunks.length - 1]).toMatchObject({ type: 'finish', finishReason: 'tool-calls' });
	});

	it('throws a failure instead of yielding an error chunk', async () => {
		const seen: StreamChunk[] = [];
		const run = async () => {
			for await (const chunk of model('nosuchmodel').stream(ask('Hi'))) seen.push(chunk);
		};
		await expect(run()).rejects.toThrow(/nosuchmodel/);
		expect(seen).toEqual([]);
	});
});

describe("the caller's abort signal (LangChain's config.signal)", () => {
	it('stops a stream mid-way: the request is cut, the stream throws a cancellation, no finish chunk', async () => {
		emulator.configure({ latency: { tokenMs: 30 } });
		const controller = new AbortController();
		const seen: StreamChunk[] = [];
		const run = async () => {
			const stream = model('llama3.2').stream(ask('Tell me a long story'), {
				signal: controller.signal,
			} as never);
			for await (const chunk of stream) {
				seen.push(chunk);
				if (seen.length === 2) controller.abort();
			}
		};
		await expect(run()).rejects.toMatchObject({ message: expect.stringMatching(/cancelled/) });
		expect(seen.length).toBeGreaterThanOrEqual(2);
		expect(seen.some((chunk) => chunk.type === 'finish')).toBe(false);
		const expected = replyFor({
			model: 'llama3.2',
			messages: [{ role: 'user', content: 'Tell me a long story' }],
		});
		const text = seen.map((chunk) => (chunk.type === 'text-delta' ? chunk.delta : '')).join('');
		expect(text.length).toBeLessThan(expected.response.length);
	});

	it('stops a wait between retries at once, without another attempt', async () => {
		emulator.addFault({ type: 'busy', path: '/api/chat', times: -1 });
		const controller = new AbortController();
		const slow = model('llama3.2', {
			client: clientFor(emulator.url, { retry: { maxAttempts: 5, baseDelayMs: 5_000 } }),
		});
		const started = Date.now();
		const answer = slow.generate(ask('Hi'), { abortSignal: controller.signal });
		setTimeout(() => controller.abort(), 200);
		await expect(answer).rejects.toMatchObject({ message: expect.stringMatching(/cancelled/) });
		expect(Date.now() - started).toBeLessThan(2_000);
		expect(chatBodies()).toHaveLength(1);
	});
});
