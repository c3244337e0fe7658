import type { Message } from '@n8n/ai-node-sdk';

import type { ChatResult } from '../../nodes/core/aggregate';
import {
	toGenerateResult,
	toOllamaMessages,
	toOllamaTools,
	uniqueToolCallId,
} from '../../nodes/ai/messages';

const PNG =
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

describe('SDK messages → Ollama messages', () => {
	it('joins text parts without a separator (streamed history has one part per delta)', () => {
		const messages: Message[] = [
			{
				role: 'system',
				content: [
					{ type: 'text', text: 'Be ' },
					{ type: 'text', text: 'brief.' },
				],
			},
			{
				role: 'user',
				content: [
					{ type: 'text', text: 'Hel' },
					{ type: 'text', text: 'lo' },
				],
			},
		];
		expect(toOllamaMessages(messages)).toEqual([
			{ role: 'system', content: 'Be brief.' },
			{ role: 'user', content: 'Hello' },
		]);
	});

	it('sends images as plain base64, from a data URL or from bytes', () => {
		const bytes = Uint8Array.from(Buffer.from(PNG, 'base64'));
		const [message] = toOllamaMessages([
			{
				role: 'user',
				content: [
					{ type: 'text', text: 'What is this?' },
					{ type: 'file', mediaType: 'image/png', data: `data:image/png;base64,${PNG}` },
					{ type: 'file', mediaType: 'image/png', data: bytes },
					{ type: 'file', mediaType: 'image/png', data: PNG },
				],
			},
		]);
		expect(message).toEqual({ role: 'user', content: 'What is this?', images: [PNG, PNG, PNG] });
	});

	it('turns an assistant turn into content, thinking and tool calls, and tool results into tool messages with the tool name', () => {
		const converted = toOllamaMessages([
			{ role: 'user', content: [{ type: 'text', text: 'Weather in Paris and 2+2?' }] },
			{
				role: 'assistant',
				content: [
					{ type: 'reasoning', text: 'Two tools.' },
					{ type: 'text', text: '' },
					{
						type: 'tool-call',
						toolCallId: 'a',
						toolName: 'get_weather',
						input: '{"city":"Paris"}',
					},
					{ type: 'tool-call', toolCallId: 'b', toolName: 'calculator', input: '{"input":"2+2"}' },
				],
			},
			{ role: 'tool', content: [{ type: 'tool-result', toolCallId: 'b', result: '4' }] },
			{ role: 'tool', content: [{ type: 'tool-result', toolCallId: 'a', result: { temp: 21 } }] },
		]);
		expect(converted).toEqual([
			{ role: 'user', content: 'Weather in Paris and 2+2?' },
			{
				role: 'assistant',
				content: '',
				thinking: 'Two tools.',
				tool_calls: [
					{ function: { name: 'get_weather', arguments: { city: 'Paris' } } },
					{ function: { name: 'calculator', arguments: { input: '2+2' } } },
				],
			},
			{ role: 'tool', content: '4', tool_name: 'calculator' },
			{ role: 'tool', content: '{"temp":21}', tool_name: 'get_weather' },
		]);
	});

	it("sends a replayed call's arguments as the model wrote them: without the id n8n's Agent adds, keeping an id argument of the model's own", () => {
		const replay = (toolCallId: string, input: string) =>
			toOllamaMessages([
				{
					role: 'assistant',
					content: [{ type: 'tool-call', toolCallId, toolName: 'Calculator', input }],
				},
			])[0].tool_calls;
		expect(replay('call_1', '{"input":"12*7","id":"call_1"}')).toEqual([
			{ function: { name: 'Calculator', arguments: { input: '12*7' } } },
		]);
		expect(replay('call_1', '{"id":"order-7"}')).toEqual([
			{ function: { name: 'Calculator', arguments: { id: 'order-7' } } },
		]);
	});

	it('converts function tools with the schema converter and leaves provider tools out', () => {
		const schema = { type: 'object', properties: { city: { type: 'string' } } };
		const tools = toOllamaTools(
			[
				{ type: 'function', name: 'get_weather', description: 'Weather', inputSchema: 'zod' },
				{ type: 'function', name: 'no_schema', inputSchema: {} },
				{ type: 'provider', name: 'web_search' },
			],
			(tool) => (tool.inputSchema === 'zod' ? schema : tool.inputSchema),
		);
		expect(tools).toEqual([
			{
				type: 'function',
				function: { name: 'get_weather', description: 'Weather', parameters: schema },
			},
			{
				type: 'function',
				function: { name: 'no_schema', parameters: { type: 'object', properties: {} } },
			},
		]);
	});
});

describe("Ollama's answer → SDK result", () => {
	const answer = (over: Partial<ChatResult>): ChatResult => ({
		content: '',
		thinking: '',
		tool_calls: [],
		done_reason: 'stop',
		metrics: { promptTokens: 10, outputTokens: 5 },
		message: { role: 'assistant', content: '' },
		final: { model: 'm', created_at: '', message: { role: 'assistant', content: '' }, done: true },
		...over,
	});

	it('gives reasoning, text, usage and finish reason', () => {
		const result = toGenerateResult(
			answer({ content: 'Hi', thinking: 'Hmm', done_reason: 'length' }),
		);
		expect(result.message).toEqual({
			role: 'assistant',
			content: [
				{ type: 'reasoning', text: 'Hmm' },
				{ type: 'text', text: 'Hi' },
			],
		});
		expect(result.finishReason).toBe('length');
		expect(result.usage).toEqual({ promptTokens: 10, completionTokens: 5, totalTokens: 15 });
	});

	it('gives every tool call its own id, also when Ollama sends none or repeats one', () => {
		const result = toGenerateResult(
			answer({
				tool_calls: [
					{ function: { name: 'a', arguments: { x: 1 } } },
					{ function: { name: 'b', arguments: {} } },
					{ id: 'call_x', function: { name: 'c', arguments: {} } },
					{ id: 'call_x', function: { name: 'd', arguments: {} } },
				],
			}),
		);
		const calls = result.message.content.filter((part) => part.type === 'tool-call');
		const ids = calls.map((part) => (part as { toolCallId: string }).toolCallId);
		expect(new Set(ids).size).toBe(4);
		expect(ids[2]).toBe('call_x');
		expect(calls[0]).toMatchObject({ toolName: 'a', input: '{"x":1}' });
		expect(result.finishReason).toBe('tool-calls');
	});

	it('never reuses an id within one set', () => {
		const used = new Set(['call_1']);
		expect(uniqueToolCallId({ function: { name: 'a', arguments: {} } }, used)).not.toBe('call_1');
		expect(used.size).toBe(2);
	});
});
