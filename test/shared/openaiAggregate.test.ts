import { ChatAggregator, GenerateAggregator } from '../../nodes/core/aggregate';
import { OllamaFailure, isModelNotFound } from '../../nodes/core/failures';
import {
	OpenAiChatAggregator,
	OpenAiCompletionAggregator,
	toDoneReason,
	usageCounts,
} from '../../nodes/core/openaiAggregate';
import { openAiErrorText } from '../../nodes/core/openaiError';
import type {
	ChatCompletionChunk,
	ChatCompletionChunkChoice,
	ChatCompletionChunkDelta,
	CompletionChunk,
} from '../../nodes/core/openaiTypes';
import { consumeSseStream } from '../../nodes/core/sse';
import { httpFailure } from '../../nodes/core/transport';
import type { ChatResponse, GenerateResponse } from '../../nodes/core/types';

const CREATED = 1764547200;
const CREATED_AT = '2025-12-01T00:00:00.000Z';

function chunk(
	delta: ChatCompletionChunkDelta,
	finish: string | null = null,
	extra: Partial<ChatCompletionChunkChoice> = {},
): ChatCompletionChunk {
	return {
		id: 'chatcmpl-1',
		object: 'chat.completion.chunk',
		created: CREATED,
		model: 'llama3.2',
		system_fingerprint: 'fp_ollama',
		choices: [{ index: 0, delta, finish_reason: finish, ...extra }],
	};
}

const usageChunk = (prompt: number, completion: number): ChatCompletionChunk => ({
	id: 'chatcmpl-1',
	object: 'chat.completion.chunk',
	created: CREATED,
	model: 'llama3.2',
	system_fingerprint: 'fp_ollama',
	choices: [],
	usage: {
		prompt_tokens: prompt,
		completion_tokens: completion,
		total_tokens: prompt + completion,
	},
});

function fold(chunks: ChatCompletionChunk[]) {
	const aggregator = new OpenAiChatAggregator();
	const deltas = chunks.map((c) => aggregator.push(c));
	return { aggregator, deltas, result: aggregator.result() };
}

function failureOf(run: () => unknown): OllamaFailure {
	try {
		run();
	} catch (error) {
		if (error instanceof OllamaFailure) return error;
		throw error;
	}
	throw new Error('expected a failure');
}

describe('OpenAiChatAggregator', () => {
	it('gives the result the native ChatAggregator gives for the same answer', () => {
		const native: ChatResponse[] = [
			{
				model: 'llama3.2',
				created_at: 't',
				message: { role: 'assistant', content: '', thinking: 'Hmm, ' },
				done: false,
			},
			{
				model: 'llama3.2',
				created_at: 't',
				message: { role: 'assistant', content: '', thinking: 'the sky.' },
				done: false,
			},
			{
				model: 'llama3.2',
				created_at: 't',
				message: { role: 'assistant', content: 'Привет' },
				done: false,
			},
			{
				model: 'llama3.2',
				created_at: 't',
				message: { role: 'assistant', content: ' 😀' },
				done: false,
			},
			{
				model: 'llama3.2',
				created_at: 't',
				message: { role: 'assistant', content: '' },
				done: true,
				done_reason: 'stop',
				prompt_eval_count: 26,
				eval_count: 4,
			},
		];
		const nativeFold = new ChatAggregator();
		for (const c of native) nativeFold.push(c);
		const expected = nativeFold.result();

		const { result } = fold([
			chunk({ role: 'assistant', reasoning: 'Hmm, ' }),
			chunk({ reasoning: 'the sky.' }),
			chunk({ content: 'Привет' }),
			chunk({ content: ' 😀' }),
			chunk({}, 'stop'),
			usageChunk(26, 4),
		]);
		expect(result.content).toBe(expected.content);
		expect(result.thinking).toBe(expected.thinking);
		expect(result.tool_calls).toEqual(expected.tool_calls);
		expect(result.done_reason).toBe(expected.done_reason);
		expect(result.metrics).toEqual(expected.metrics);
		expect(result.message).toEqual(expected.message);
		expect(result.logprobs).toEqual(expected.logprobs);
		expect(Object.keys(result).sort()).toEqual([...Object.keys(expected), 'finish_reason'].sort());
		expect(result.final).toEqual({
			model: 'llama3.2',
			created_at: CREATED_AT,
			message: expected.message,
			done: true,
			done_reason: 'stop',
			prompt_eval_count: 26,
			eval_count: 4,
		});
	});

	it('joins content deltas and returns each chunk’s new text from push', () => {
		const { deltas, result } = fold([
			chunk({ role: 'assistant', content: '' }),
			chunk({ content: 'Hello' }),
			chunk({ content: null }),
			chunk({ content: ', world' }),
			chunk({}, 'stop'),
		]);
		expect(result.content).toBe('Hello, world');
		expect(result.message).toEqual({ role: 'assistant', content: 'Hello, world' });
		expect(deltas.map((d) => d.content)).toEqual(['', 'Hello', '', ', world', '']);
		expect(deltas.every((d) => d.thinking === '' && d.tool_calls.length === 0)).toBe(true);
	});

	it('reads thinking from reasoning (Ollama) and from reasoning_content (vLLM, DeepSeek, llama.cpp)', () => {
		expect(
			fold([chunk({ reasoning: 'a' }), chunk({ reasoning: 'b', content: 'x' }), chunk({}, 'stop')])
				.result.thinking,
		).toBe('ab');
		const other = fold([
			chunk({ reasoning_content: 'c', content: null }),
			chunk({ reasoning_content: 'd' }),
			chunk({ content: 'y' }, 'stop'),
		]);
		expect(other.result.thinking).toBe('cd');
		expect(other.result.message).toEqual({ role: 'assistant', content: 'y', thinking: 'cd' });
		expect(other.deltas.map((d) => d.thinking)).toEqual(['c', 'd', '']);
	});

	it('takes reasoning once when a server sends both names for the same text', () => {
		const { result } = fold([chunk({ reasoning: 'a', reasoning_content: 'a' }), chunk({}, 'stop')]);
		expect(result.thinking).toBe('a');
	});

	it('joins tool-call pieces by index and parses the arguments to an object (native shape)', () => {
		const { deltas, result } = fold([
			chunk({
				role: 'assistant',
				tool_calls: [
					{
						index: 0,
						id: 'call_a',
						type: 'function',
						function: { name: 'get_weather', arguments: '' },
					},
				],
			}),
			chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }),
			chunk({
				tool_calls: [
					{
						index: 1,
						id: 'call_b',
						type: 'function',
						function: { name: 'get_time', arguments: '{"tz"' },
					},
				],
			}),
			chunk({ tool_calls: [{ index: 0, function: { arguments: '"Paris 😀"}' } }] }),
			chunk({ tool_calls: [{ index: 1, function: { arguments: ':"CET","n":[1,2]}' } }] }),
			chunk({}, 'tool_calls'),
			usageChunk(10, 20),
		]);
		const calls = [
			{
				id: 'call_a',
				function: { index: 0, name: 'get_weather', arguments: { city: 'Paris 😀' } },
			},
			{
				id: 'call_b',
				function: { index: 1, name: 'get_time', arguments: { tz: 'CET', n: [1, 2] } },
			},
		];
		expect(result.tool_calls).toEqual(calls);
		expect(result.message).toEqual({ role: 'assistant', content: '', tool_calls: calls });
		expect(result.final.message.tool_calls).toEqual(calls);
		expect(result.done_reason).toBe('stop');
		expect(result.finish_reason).toBe('tool_calls');
		// Whole calls come out once, with the finish_reason.
		expect(deltas.map((d) => d.tool_calls)).toEqual([[], [], [], [], [], calls, []]);
	});

	it('reads a tool call sent whole in one chunk, as Ollama sends it', () => {
		const { result } = fold([
			chunk({
				role: 'assistant',
				content: '',
				tool_calls: [
					{
						id: 'call_x1',
						index: 0,
						type: 'function',
						function: { name: 'add', arguments: '{"a":1,"b":2}' },
					},
					{ id: 'call_x2', index: 1, type: 'function', function: { name: 'add', arguments: '{}' } },
				],
			}),
			chunk({}, 'tool_calls'),
		]);
		expect(result.tool_calls).toEqual([
			{ id: 'call_x1', function: { index: 0, name: 'add', arguments: { a: 1, b: 2 } } },
			{ id: 'call_x2', function: { index: 1, name: 'add', arguments: {} } },
		]);
	});

	it('orders tool calls by index whatever order they started in', () => {
		const { result } = fold([
			chunk({ tool_calls: [{ index: 1, id: 'b', function: { name: 'second', arguments: '{}' } }] }),
			chunk({ tool_calls: [{ index: 0, id: 'a', function: { name: 'first', arguments: '{}' } }] }),
		]);
		expect(result.tool_calls.map((c) => c.function.name)).toEqual(['first', 'second']);
	});

	it('keeps the last id and name a server repeats on every piece, and joins only the arguments', () => {
		const { result } = fold([
			chunk({
				tool_calls: [{ index: 0, id: 'call_1', function: { name: 'f', arguments: '{"a"' } }],
			}),
			chunk({
				tool_calls: [{ index: 0, id: 'call_1', function: { name: 'f', arguments: ':1}' } }],
			}),
		]);
		expect(result.tool_calls).toEqual([
			{ id: 'call_1', function: { index: 0, name: 'f', arguments: { a: 1 } } },
		]);
	});

	it('joins pieces without index to the last call, and starts a new call at a new id', () => {
		const { result } = fold([
			chunk({ tool_calls: [{ id: 'call_1', function: { name: 'f', arguments: '{"a":' } }] }),
			chunk({ tool_calls: [{ function: { arguments: '1}' } }] }),
			chunk({ tool_calls: [{ id: 'call_2', function: { name: 'g', arguments: '{}' } }] }),
			chunk({ tool_calls: [{ id: 'call_1', function: { arguments: '' } }] }),
		]);
		expect(result.tool_calls).toEqual([
			{ id: 'call_1', function: { index: 0, name: 'f', arguments: { a: 1 } } },
			{ id: 'call_2', function: { index: 1, name: 'g', arguments: {} } },
		]);
	});

	it('reads empty arguments as none, arguments sent as an object, and a call without id', () => {
		const { result } = fold([
			chunk({
				tool_calls: [
					{ index: 0, function: { name: 'now' } },
					{ index: 1, function: { name: 'add', arguments: { a: 1 } as unknown as string } },
				],
			}),
		]);
		expect(result.tool_calls).toEqual([
			{ function: { index: 0, name: 'now', arguments: {} } },
			{ function: { index: 1, name: 'add', arguments: { a: 1 } } },
		]);
	});

	it('fails clearly when a tool call’s arguments are not valid JSON', () => {
		const aggregator = new OpenAiChatAggregator();
		aggregator.push(
			chunk({
				tool_calls: [
					{ index: 0, id: 'c', function: { name: 'get_weather', arguments: '{"city":"Par' } },
				],
			}),
		);
		const failure = failureOf(() => aggregator.push(chunk({}, 'tool_calls')));
		expect(failure.kind).toBe('protocol');
		expect(failure.message).toBe(
			'The arguments of tool call 0 ("get_weather") are not valid JSON: {"city":"Par',
		);
		expect(failureOf(() => aggregator.result()).message).toBe(failure.message);
	});

	it('fails clearly when a tool call’s arguments are JSON but not an object, or it has no name', () => {
		const array = new OpenAiChatAggregator();
		array.push(chunk({ tool_calls: [{ index: 0, function: { name: 'f', arguments: '[1,2]' } }] }));
		expect(failureOf(() => array.result()).message).toBe(
			'The arguments of tool call 0 ("f") are not a JSON object: [1,2]',
		);
		const nameless = new OpenAiChatAggregator();
		nameless.push(chunk({ tool_calls: [{ index: 2, function: { arguments: '{}' } }] }));
		expect(failureOf(() => nameless.result()).message).toBe(
			'Tool call 2 came without a function name.',
		);
	});

	it.each([
		['stop', 'stop'],
		['length', 'length'],
		['tool_calls', 'stop'],
		['function_call', 'stop'],
		['content_filter', undefined],
		['something_new', undefined],
	])('maps finish_reason %s to done_reason %s and keeps it as sent', (finish, done) => {
		const { result } = fold([chunk({ content: 'x' }), chunk({}, finish)]);
		expect(result.done_reason).toBe(done);
		expect(result.final.done_reason).toBe(done);
		expect(result.finish_reason).toBe(finish);
	});

	it('leaves done_reason and finish_reason out when no chunk finished', () => {
		const { result } = fold([chunk({ content: 'x' })]);
		expect(result.done_reason).toBeUndefined();
		expect(result.finish_reason).toBeUndefined();
		expect('done_reason' in result.final).toBe(false);
	});

	it('maps usage to prompt_eval_count / eval_count and the token metrics', () => {
		const { result } = fold([chunk({ content: 'x' }, 'stop'), usageChunk(12, 34)]);
		expect(result.final.prompt_eval_count).toBe(12);
		expect(result.final.eval_count).toBe(34);
		expect(result.metrics).toEqual({ promptTokens: 12, outputTokens: 34 });
	});

	it('reports no metrics without usage, and the last usage when a server repeats it', () => {
		expect(fold([chunk({ content: 'x' }, 'stop')]).result.metrics).toEqual({});
		const running = fold([
			{ ...chunk({ content: 'a' }), usage: { prompt_tokens: 5, completion_tokens: 1 } },
			{ ...chunk({ content: 'b' }, 'stop'), usage: { prompt_tokens: 5, completion_tokens: 2 } },
		]);
		expect(running.result.metrics).toEqual({ promptTokens: 5, outputTokens: 2 });
	});

	it('gathers logprobs in the native form', () => {
		const { result } = fold([
			chunk({ content: 'Hi' }, null, {
				logprobs: {
					content: [
						{
							token: 'Hi',
							logprob: -0.1,
							bytes: [72, 105],
							top_logprobs: [
								{ token: 'Hi', logprob: -0.1, bytes: [72, 105] },
								{ token: 'Yo', logprob: -2.5, bytes: null },
							],
						},
					],
				},
			}),
			chunk({ content: '!' }, 'stop', {
				logprobs: { content: [{ token: '!', logprob: -0.3, bytes: null }] },
			}),
		]);
		const logprobs = [
			{
				token: 'Hi',
				logprob: -0.1,
				bytes: [72, 105],
				top_logprobs: [
					{ token: 'Hi', logprob: -0.1, bytes: [72, 105] },
					{ token: 'Yo', logprob: -2.5 },
				],
			},
			{ token: '!', logprob: -0.3 },
		];
		expect(result.logprobs).toEqual(logprobs);
		expect(result.final.logprobs).toEqual(logprobs);
	});

	it('folds choice 0 only, and reads chunks whose choices are empty or absent', () => {
		const other: ChatCompletionChunk = {
			...chunk({ content: 'other' }),
			choices: [{ index: 1, delta: { content: 'other' }, finish_reason: 'length' }],
		};
		const { result } = fold([
			chunk({ content: 'mine' }),
			other,
			{ id: 'x', object: 'chat.completion.chunk' },
			chunk({}, 'stop'),
		]);
		expect(result.content).toBe('mine');
		expect(result.done_reason).toBe('stop');
	});

	it('takes model and the first created time into the native final chunk', () => {
		const { result } = fold([
			{ ...chunk({ content: 'a' }), created: CREATED },
			{ ...chunk({}, 'stop'), created: CREATED + 5, model: 'qwen3:8b' },
		]);
		expect(result.final.model).toBe('qwen3:8b');
		expect(result.final.created_at).toBe(CREATED_AT);
		expect(result.final.done).toBe(true);
		const bare = new OpenAiChatAggregator();
		bare.push({ choices: [{ delta: { content: 'x' }, finish_reason: 'stop' }] });
		expect(bare.result().final).toEqual({
			model: '',
			created_at: '',
			done: true,
			done_reason: 'stop',
			message: { role: 'assistant', content: 'x' },
		});
	});

	it('counts chunks and fails as the native fold does when there was none', () => {
		const aggregator = new OpenAiChatAggregator();
		const failure = failureOf(() => aggregator.result());
		expect(failure.kind).toBe('protocol');
		expect(failure.message).toBe('Ollama sent no response to aggregate.');
		aggregator.push(chunk({ content: 'x' }));
		aggregator.push(usageChunk(1, 1));
		expect(aggregator.chunkCount).toBe(2);
	});
});

describe('OpenAiChatAggregator behind consumeSseStream', () => {
	const stream = [
		chunk({ role: 'assistant', reasoning: 'Думаю 😀' }),
		chunk({ content: 'Ответ: ' }),
		chunk({
			content: '',
			tool_calls: [
				{
					id: 'call_1',
					index: 0,
					type: 'function',
					function: { name: 'f', arguments: '{"q":"Привет"}' },
				},
			],
		}),
		chunk({}, 'tool_calls'),
		usageChunk(7, 9),
	];
	const body = Buffer.from(
		`${stream.map((c) => `data: ${JSON.stringify(c)}\n\n`).join('')}data: [DONE]\n\n`,
	);

	async function read(chunks: Buffer[]) {
		const aggregator = new OpenAiChatAggregator();
		async function* from() {
			yield* chunks;
		}
		await consumeSseStream<ChatCompletionChunk>(from(), (payload) => aggregator.push(payload));
		return aggregator.result();
	}

	it('gives the same result with the stream cut at every byte offset', async () => {
		const whole = await read([body]);
		expect(whole.content).toBe('Ответ: ');
		expect(whole.thinking).toBe('Думаю 😀');
		expect(whole.tool_calls).toEqual([
			{ id: 'call_1', function: { index: 0, name: 'f', arguments: { q: 'Привет' } } },
		]);
		expect(whole.metrics).toEqual({ promptTokens: 7, outputTokens: 9 });
		for (let offset = 0; offset <= body.length; offset++) {
			expect(await read([body.subarray(0, offset), body.subarray(offset)])).toEqual(whole);
		}
	});

	it('fails the stream with the fold’s failure when arguments are bad', async () => {
		const bad = Buffer.from(
			`data: ${JSON.stringify(chunk({ tool_calls: [{ index: 0, function: { name: 'f', arguments: '{' } }] }))}\n\n` +
				`data: ${JSON.stringify(chunk({}, 'tool_calls'))}\n\ndata: [DONE]\n\n`,
		);
		await expect(read([bad])).rejects.toMatchObject({
			kind: 'protocol',
			message: 'The arguments of tool call 0 ("f") are not valid JSON: {',
			outputStarted: true,
		});
		// Also when the finish chunk is an event EOF left open (no [DONE], no closing empty line).
		const open = Buffer.from(bad.toString().replace(/\n\ndata: \[DONE\]\n\n$/, ''));
		expect(open.toString().endsWith('"finish_reason":"tool_calls"}]}')).toBe(true);
		await expect(read([open])).rejects.toMatchObject({
			kind: 'protocol',
			message: 'The arguments of tool call 0 ("f") are not valid JSON: {',
		});
	});
});

describe('OpenAiCompletionAggregator (/v1/completions)', () => {
	const piece = (text: string, finish: string | null = null): CompletionChunk => ({
		id: 'cmpl-1',
		object: 'text_completion',
		created: CREATED,
		choices: [{ text, index: 0, finish_reason: finish }],
		model: 'llama3.2',
		system_fingerprint: 'fp_ollama',
	});

	it('gives the result the native GenerateAggregator gives for the same answer', () => {
		const native: GenerateResponse[] = [
			{ model: 'llama3.2', created_at: 't', response: 'The sky', done: false },
			{ model: 'llama3.2', created_at: 't', response: ' is 😀', done: false },
			{
				model: 'llama3.2',
				created_at: 't',
				response: '',
				done: true,
				done_reason: 'length',
				prompt_eval_count: 3,
				eval_count: 2,
			},
		];
		const nativeFold = new GenerateAggregator();
		for (const c of native) nativeFold.push(c);
		const expected = nativeFold.result();

		const aggregator = new OpenAiCompletionAggregator();
		const deltas = [
			piece('The sky'),
			piece(' is 😀'),
			piece('', 'length'),
			{
				...piece(''),
				choices: [],
				usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
			},
		].map((c) => aggregator.push(c));
		const result = aggregator.result();
		expect(deltas).toEqual([
			{ response: 'The sky', thinking: '' },
			{ response: ' is 😀', thinking: '' },
			{ response: '', thinking: '' },
			{ response: '', thinking: '' },
		]);
		expect(result.response).toBe(expected.response);
		expect(result.thinking).toBe(expected.thinking);
		expect(result.done_reason).toBe('length');
		expect(result.metrics).toEqual(expected.metrics);
		expect(result.context).toBeUndefined();
		expect(result.tool_calls).toBeUndefined();
		expect(result.logprobs).toBeUndefined();
		expect(result.finish_reason).toBe('length');
		expect(Object.keys(result).sort()).toEqual([...Object.keys(expected), 'finish_reason'].sort());
		expect(result.final).toEqual({
			model: 'llama3.2',
			created_at: CREATED_AT,
			response: 'The sky is 😀',
			done: true,
			done_reason: 'length',
			prompt_eval_count: 3,
			eval_count: 2,
		});
		expect(aggregator.chunkCount).toBe(4);
	});

	it('folds choice 0 only and fails as the native fold does without chunks', () => {
		const aggregator = new OpenAiCompletionAggregator();
		expect(failureOf(() => aggregator.result()).message).toBe(
			'Ollama sent no response to aggregate.',
		);
		aggregator.push({
			choices: [
				{ index: 1, text: 'other' },
				{ text: 'mine', finish_reason: 'stop' },
			],
		});
		expect(aggregator.result().response).toBe('mine');
		expect(aggregator.result().done_reason).toBe('stop');
	});
});

describe('toDoneReason and usageCounts', () => {
	it('has no done_reason for no finish_reason', () => {
		expect(toDoneReason(null)).toBeUndefined();
		expect(toDoneReason(undefined)).toBeUndefined();
	});

	it('keeps zero counts (OpenAI sends them) and skips absent or non-numeric ones', () => {
		expect(usageCounts({ prompt_tokens: 0, completion_tokens: 4 })).toEqual({
			prompt_eval_count: 0,
			eval_count: 4,
		});
		expect(usageCounts(null)).toEqual({});
		expect(usageCounts({ total_tokens: 3 })).toEqual({});
	});
});

describe('openAiErrorText', () => {
	const body = {
		error: {
			message: "model 'llama9' not found",
			type: 'not_found_error',
			param: null,
			code: null,
		},
	};

	it('reads error.message from a parsed body, JSON text or a Buffer', () => {
		expect(openAiErrorText(body)).toBe("model 'llama9' not found");
		expect(openAiErrorText(JSON.stringify(body))).toBe("model 'llama9' not found");
		expect(openAiErrorText(Buffer.from(`  ${JSON.stringify(body)}`))).toBe(
			"model 'llama9' not found",
		);
	});

	it('names an error without a message by its type and code', () => {
		expect(openAiErrorText({ error: { message: '', type: 'api_error', code: 'overloaded' } })).toBe(
			'api_error, overloaded (the server gave no message)',
		);
		expect(openAiErrorText({ error: { type: 'invalid_request_error', code: 429 } })).toBe(
			'invalid_request_error, 429 (the server gave no message)',
		);
	});

	it('reads a bare error object and Ollama’s native {"error":"…"}', () => {
		expect(openAiErrorText({ type: 'error', code: 'x', message: 'rate limited' })).toBe(
			'rate limited',
		);
		expect(openAiErrorText({ error: 'rate limit exceeded' })).toBe('rate limit exceeded');
		expect(openAiErrorText('{"error":"rate limit exceeded"}')).toBe('rate limit exceeded');
	});

	it('reads plain text and HTML bodies as transport does', () => {
		expect(openAiErrorText('404 page not found')).toBe('404 page not found');
		expect(openAiErrorText('<html><head><title>502 Bad Gateway</title></head></html>')).toBe(
			'502 Bad Gateway (an HTML error page, not from Ollama)',
		);
		expect(openAiErrorText('{not json')).toBe('{not json');
		expect(openAiErrorText('')).toBe('');
		expect(openAiErrorText(undefined)).toBe('');
		expect(openAiErrorText({ error: { type: '' } })).toBe('{"error":{"type":""}}');
	});

	it('agrees with what transport already makes of a /v1 HTTP error answer', () => {
		for (const answer of [body, JSON.stringify(body), Buffer.from(JSON.stringify(body))]) {
			const failure = httpFailure(404, {}, answer, '/v1/chat/completions');
			expect(failure.message).toBe(openAiErrorText(answer));
			expect(failure.ollamaMessage).toBe("model 'llama9' not found");
			expect(isModelNotFound(failure)).toBe(true);
		}
	});
});
