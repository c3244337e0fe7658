// The AI sub-nodes on an OpenAI-compatible credential: the same model objects, over /v1.
import type { Message, StreamChunk, Tool } from '@n8n/ai-node-sdk';

import { OllamaChatModel } from '../../nodes/ai/chatModel';
import { ollamaEmbeddings } from '../../nodes/ai/embeddings';
import { embeddingFor, replyFor } from '../emulator';
import { NODE, clientFor } from '../ai/host';
import { useEmulator } from '../nodes/emulator.fixture';

const emulator = useEmulator();
const openAi = () => clientFor(emulator.url, { api: 'openai' });
const model = () =>
	new OllamaChatModel({
		node: NODE,
		client: openAi(),
		model: 'llama3.2',
		request: {},
		pullIfMissing: false,
		toJsonSchema: (tool) => tool.inputSchema,
	});
const ask = (text: string): Message[] => [{ role: 'user', content: [{ type: 'text', text }] }];

describe('the sub-nodes on an OpenAI-compatible server', () => {
	it("Chat Model streams the reply's text over /v1/chat/completions, then a finish with usage", async () => {
		const chunks: StreamChunk[] = [];
		for await (const chunk of model().stream(ask('Hello there'))) chunks.push(chunk);
		const expected = replyFor({
			model: 'llama3.2',
			messages: [{ role: 'user', content: 'Hello there' }],
		});
		const text = chunks.map((c) => (c.type === 'text-delta' ? c.delta : '')).join('');
		expect(text).toBe(expected.response);
		expect(chunks.at(-1)).toMatchObject({
			type: 'finish',
			finishReason: 'stop',
			usage: { completionTokens: expected.evalCount },
		});
		expect(emulator.requests.map((r) => r.path)).toEqual(['/v1/chat/completions']);
	});

	it('Chat Model: a bound tool is called, and the call comes back as a tool-call part', async () => {
		const weather: Tool = {
			type: 'function',
			name: 'get_weather',
			description: 'Weather for a city',
			inputSchema: { type: 'object', properties: { city: { type: 'string' } } },
		};
		emulator.addFault({
			type: 'toolCall',
			path: '/v1/chat/completions',
			name: 'get_weather',
			arguments: { city: 'Paris' },
		});
		const result = await model().withTools([weather]).generate(ask('Weather in Paris?'));
		expect(result.finishReason).toBe('tool-calls');
		const call = result.message.content.find((part) => part.type === 'tool-call');
		expect(call).toMatchObject({ toolName: 'get_weather', input: '{"city":"Paris"}' });
	});

	it('Embeddings: documents in batches over /v1/embeddings, vectors in order', async () => {
		const context = {
			getNode: () => NODE,
			addInputData: () => ({ index: 0 }),
			addOutputData: () => undefined,
			logAiEvent: () => undefined,
		};
		const texts = ['one', 'two', 'three'];
		const vectors = await ollamaEmbeddings(
			context,
			openAi(),
			{ model: 'all-minilm', api: 'embed', pullIfMissing: false },
			2,
		).embedDocuments(texts);
		expect(emulator.requests.map((r) => [r.path, (r.body as { input: string[] }).input])).toEqual([
			['/v1/embeddings', ['one', 'two']],
			['/v1/embeddings', ['three']],
		]);
		vectors.forEach((vector, k) => {
			const expected = embeddingFor('all-minilm', texts[k], 384);
			vector.forEach((x, i) => expect(x).toBeCloseTo(expected[i], 5));
		});
	});
});
