import type { IDataObject } from 'n8n-workflow';

import { OllamaChat } from '../../nodes/OllamaChat/OllamaChat.node';
import { replyFor, startEmulator } from '../emulator';
import { runNode } from '../harness/run';
import { PNG, byName, nodeRun, outputOf, sentTo } from './generation.fixture';
import { useEmulator } from './emulator.fixture';

const emulator = useEmulator();

const hello = { message: [{ role: 'user', content: 'Hello there' }] };
const chat = (parameters: Record<string, unknown>, extra = {}) =>
	nodeRun(
		emulator,
		OllamaChat,
		{ model: byName('llama3.2'), messagesSource: 'define', messages: hello, ...parameters },
		extra,
	);

const weatherTool = {
	type: 'function',
	function: {
		name: 'get_weather',
		description: 'Weather for a city',
		parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
	},
};

describe('Ollama Chat', () => {
	it('answers with the content, the assistant message for the history, and metrics', async () => {
		const [out] = await outputOf(chat({}));
		const expected = replyFor({
			model: 'llama3.2',
			messages: [{ role: 'user', content: 'Hello there' }],
		});
		expect(out.content).toBe(expected.response);
		expect(out.message).toEqual({ role: 'assistant', content: expected.response });
		expect(out).toMatchObject({ done_reason: 'stop', model: 'llama3.2' });
		expect(out.metrics).toMatchObject({ outputTokens: expected.evalCount });
		expect(sentTo(emulator, '/api/chat')).toEqual({
			model: 'llama3.2',
			messages: [{ role: 'user', content: 'Hello there' }],
			stream: true,
		});
	});

	it('prepends the System Message', async () => {
		await outputOf(chat({ options: { systemMessage: 'You are terse.' } }));
		expect(sentTo(emulator, '/api/chat').messages).toEqual([
			{ role: 'system', content: 'You are terse.' },
			{ role: 'user', content: 'Hello there' },
		]);
	});

	it('takes the history as JSON from the input item', async () => {
		const history = [
			{ role: 'user', content: 'Hi' },
			{ role: 'assistant', content: 'Hello!' },
			{ role: 'USER', content: 'What is 2+2?' },
		];
		await outputOf(
			chat(
				{ messagesSource: 'json', messagesJson: '={{ JSON.stringify($json.history) }}' },
				{ items: [{ history }] },
			),
		);
		expect(sentTo(emulator, '/api/chat').messages).toEqual([
			{ role: 'user', content: 'Hi' },
			{ role: 'assistant', content: 'Hello!' },
			{ role: 'user', content: 'What is 2+2?' },
		]);
	});

	it.each([
		['{"role":"user"}', 'Messages must be a JSON array of {"role": …, "content": …} objects.'],
		['[{"content":"hi"}]', 'Message 1 has no "role".'],
		[
			'[{"role":"user","content":"a"},{"role":"wizard","content":"b"}]',
			'Message 2 has the unknown role "wizard" (use system, user, assistant or tool).',
		],
		['[{"role":"user","content":5}]', 'Message 1 has a "content" that is not text.'],
		['[not json', /^Messages is not valid JSON/],
	])('refuses bad messages JSON %s before sending', async (messagesJson, message) => {
		const [out] = await outputOf(chat({ messagesSource: 'json', messagesJson }));
		if (typeof message === 'string') expect(out.error).toBe(message);
		else expect(out.error).toMatch(message);
		expect(out.description).toBe('Check the "Messages (JSON)" parameter.');
		expect(emulator.requests).toHaveLength(0);
	});

	it('sends tools and outputs the complete tool calls with arguments as objects', async () => {
		const [out] = await outputOf(chat({ options: { tools: JSON.stringify([weatherTool]) } }));
		expect(sentTo(emulator, '/api/chat').tools).toEqual([weatherTool]);
		const calls = out.tool_calls as IDataObject[];
		expect(calls).toHaveLength(1);
		expect(calls[0]).toMatchObject({
			function: { name: 'get_weather', arguments: { city: expect.any(String) } },
		});
		expect((out.message as IDataObject).tool_calls).toEqual(calls);
	});

	it('accepts the short tool form and refuses a tool without a function name', async () => {
		await outputOf(
			chat({
				options: {
					tools: JSON.stringify([
						{ name: 'lookup', parameters: { type: 'object', properties: {} } },
					]),
				},
			}),
		);
		expect(sentTo(emulator, '/api/chat').tools).toEqual([
			{
				type: 'function',
				function: { name: 'lookup', parameters: { type: 'object', properties: {} } },
			},
		]);
		emulator.clearRequests();
		const [out] = await outputOf(
			chat({ options: { tools: JSON.stringify([{ function: { description: 'x' } }]) } }),
		);
		expect(out.error).toBe('Tool 1 has no function name.');
		expect(out.description).toBe('Check the "Tools (JSON)" parameter.');
		expect(emulator.requests).toHaveLength(0);
	});

	it('passes the tools capability error through for a model without tools', async () => {
		const [out] = await outputOf(
			chat({ model: byName('llava'), options: { tools: JSON.stringify([weatherTool]) } }),
		);
		expect(out.error).toBe('registry.ollama.ai/library/llava:latest does not support tools');
		expect(out.description).toMatch(/cannot do "tools"/);
	});

	it('answers a tool result in a following chat (role tool, tool_name)', async () => {
		const history = [
			{ role: 'user', content: 'Weather in Paris?' },
			{
				role: 'assistant',
				content: '',
				tool_calls: [{ function: { name: 'get_weather', arguments: { city: 'Paris' } } }],
			},
			{ role: 'tool', content: '18°C and sunny', tool_name: 'get_weather' },
		];
		const [out] = await outputOf(
			chat({ messagesSource: 'json', messagesJson: JSON.stringify(history) }),
		);
		expect(out.error).toBeUndefined();
		expect(sentTo(emulator, '/api/chat').messages).toEqual(history);
	});

	it('sends images of a message from binary properties as plain base64', async () => {
		const item = {
			json: {},
			binary: { photo: { data: PNG.toString('base64'), mimeType: 'image/png', fileName: 'a.png' } },
		};
		await outputOf(
			chat(
				{
					model: byName('llava'),
					messages: { message: [{ role: 'user', content: 'What is this?', images: 'photo' }] },
				},
				{ items: [item] },
			),
		);
		expect(sentTo(emulator, '/api/chat').messages).toEqual([
			{ role: 'user', content: 'What is this?', images: [PNG.toString('base64')] },
		]);
	});

	it('streams the reasoning only when asked, and separates it in the output', async () => {
		const { chunks, items } = await runNode(chat({ model: byName('qwen3') }, { streaming: true }));
		const expected = replyFor({
			model: 'qwen3',
			messages: [{ role: 'user', content: 'Hello there' }],
		});
		const streamed = chunks
			.filter((c) => c.type === 'item')
			.map((c) => c.content)
			.join('');
		expect(streamed).toBe(expected.response);
		expect(items[0].json.thinking).toBe(expected.thinking);

		const withThinking = await runNode(
			chat({ model: byName('qwen3'), options: { streamThinking: true } }, { streaming: true }),
		);
		const all = withThinking.chunks
			.filter((c) => c.type === 'item')
			.map((c) => c.content)
			.join('');
		expect(all).toBe(expected.thinking + expected.response);
	});

	it('does not stream when Stream Response is off, and not when the trigger does not stream', async () => {
		const off = await runNode(chat({ options: { streamResponse: false } }, { streaming: true }));
		expect(off.chunks).toEqual([]);
		const notStreaming = await runNode(chat({}));
		expect(notStreaming.chunks).toEqual([]);
	});

	it('sends think levels top level; a model without thinking gets Ollama’s own refusal', async () => {
		await outputOf(chat({ model: byName('qwen3'), options: { think: 'high' } }));
		expect(sentTo(emulator, '/api/chat').think).toBe('high');
		const [refused] = await outputOf(chat({ options: { think: 'on' } }));
		expect(refused.error).toBe('"llama3.2" does not support thinking');
	});

	it('isolates one bad item among good ones with Continue On Fail', async () => {
		const { items } = await runNode(
			chat(
				{
					model: { __rl: true, mode: 'name', value: '={{ $json.model }}' },
					options: { concurrency: 3 },
				},
				{ items: [{ model: 'llama3.2' }, { model: 'ghost' }, { model: 'qwen3' }] },
			),
		);
		expect(items.map((i) => Boolean(i.json.error))).toEqual([false, true, false]);
		expect(items[1].json.error).toBe("model 'ghost' not found");
		expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	it('pulls a missing model when asked, streaming stays one begin/end pair', async () => {
		const { items, chunks } = await runNode(
			chat({ model: byName('gemma3'), reliability: { pullIfMissing: true } }, { streaming: true }),
		);
		expect(items[0].json.error).toBeUndefined();
		expect(emulator.requests.map((r) => r.path)).toEqual(['/api/chat', '/api/pull', '/api/chat']);
		expect(chunks.filter((c) => c.type === 'begin')).toHaveLength(1);
		expect(chunks.filter((c) => c.type === 'end')).toHaveLength(1);
	});

	it('refuses a conversation with nothing to answer', async () => {
		const [out] = await outputOf(chat({ messages: { message: [{ role: 'user', content: '' }] } }));
		expect(out.error).toMatch(/There is no message to answer/);
		expect(emulator.requests).toHaveLength(0);
	});
});
