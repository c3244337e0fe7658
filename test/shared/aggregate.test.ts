import {
	ChatAggregator,
	GenerateAggregator,
	ProgressAggregator,
	readMetrics,
} from '../../nodes/core/aggregate';
import { OllamaFailure } from '../../nodes/core/failures';
import { consumeOllamaStream } from '../../nodes/core/ndjson';
import type {
	ChatResponse,
	GenerateResponse,
	Message,
	ProgressResponse,
	ToolCall,
} from '../../nodes/core/types';

const base = { model: 'llama3.2', created_at: '2024-06-06T01:27:27.256766425Z' };

function gen(fields: Partial<GenerateResponse>): GenerateResponse {
	return { ...base, response: '', done: false, ...fields };
}

function chat(message: Partial<Message>, fields: Partial<ChatResponse> = {}): ChatResponse {
	return {
		...base,
		message: { role: 'assistant', content: '', ...message },
		done: false,
		...fields,
	};
}

const finalMetrics = {
	total_duration: 10706818083,
	load_duration: 6338219291,
	prompt_eval_count: 26,
	prompt_eval_duration: 130079000,
	eval_count: 259,
	eval_duration: 4232710000,
};

async function* bytes(...chunks: string[]): AsyncGenerator<Uint8Array> {
	for (const chunk of chunks) yield Buffer.from(chunk);
}

describe('readMetrics', () => {
	it('converts nanoseconds to milliseconds rounded to the microsecond, and computes tokens/s', () => {
		expect(readMetrics(finalMetrics)).toEqual({
			promptTokens: 26,
			outputTokens: 259,
			totalMs: 10706.818,
			loadMs: 6338.219,
			promptEvalMs: 130.079,
			evalMs: 4232.71,
			tokensPerSecond: 61.19,
		});
	});

	it('leaves absent metrics absent (Ollama omits zeros; a load reply has none)', () => {
		expect(readMetrics(gen({ done: true, done_reason: 'load' }))).toStrictEqual({});
		expect(readMetrics({ eval_count: 3, eval_duration: 1_500_000 })).toStrictEqual({
			outputTokens: 3,
			evalMs: 1.5,
			tokensPerSecond: 2000,
		});
	});

	it('never divides by an absent or zero eval_duration, nor invents a count', () => {
		expect(readMetrics({ eval_count: 5 }).tokensPerSecond).toBeUndefined();
		expect(readMetrics({ eval_count: 5, eval_duration: 0 }).tokensPerSecond).toBeUndefined();
		expect(readMetrics({ eval_duration: 1000 }).tokensPerSecond).toBeUndefined();
	});

	it('reads the metrics of a prompt-cache hit, where prompt_eval_count is omitted', () => {
		const { prompt_eval_count: _omitted, ...cached } = finalMetrics;
		const metrics = readMetrics(cached);
		expect(metrics).not.toHaveProperty('promptTokens');
		expect(metrics.outputTokens).toBe(259);
	});
});

describe('GenerateAggregator', () => {
	it('concatenates response pieces and returns each delta from push', () => {
		const aggregator = new GenerateAggregator();
		expect(aggregator.push(gen({ response: 'The' }))).toEqual({ response: 'The', thinking: '' });
		expect(aggregator.push(gen({ response: ' sky' }))).toEqual({ response: ' sky', thinking: '' });
		aggregator.push(gen({ response: '', done: true, done_reason: 'stop', context: [1, 2, 3] }));
		const result = aggregator.result();
		expect(result.response).toBe('The sky');
		expect(result.thinking).toBe('');
		expect(result.context).toEqual([1, 2, 3]);
		expect(result.done_reason).toBe('stop');
		expect(aggregator.chunkCount).toBe(3);
	});

	it('keeps thinking apart from the response, also when both arrive in one chunk', () => {
		const aggregator = new GenerateAggregator();
		aggregator.push(gen({ thinking: 'Let me' }));
		aggregator.push(gen({ thinking: ' think.' }));
		expect(aggregator.push(gen({ thinking: ' Done.', response: 'Hi' }))).toEqual({
			response: 'Hi',
			thinking: ' Done.',
		});
		aggregator.push(gen({ response: '!', done: true, done_reason: 'stop' }));
		const result = aggregator.result();
		expect(result.thinking).toBe('Let me think. Done.');
		expect(result.response).toBe('Hi!');
		expect(result.final.thinking).toBe('Let me think. Done.');
	});

	it('takes text carried by the final chunk too', () => {
		const aggregator = new GenerateAggregator();
		aggregator.push(gen({ response: 'a' }));
		aggregator.push(gen({ response: 'b', done: true, done_reason: 'stop' }));
		expect(aggregator.result().response).toBe('ab');
	});

	it('builds final as stream:false would return it: last chunk with text and logprobs concatenated', () => {
		const aggregator = new GenerateAggregator();
		aggregator.push(gen({ response: 'Hi', logprobs: [{ token: 'Hi', logprob: -0.1 }] }));
		aggregator.push(gen({ logprobs: [{ token: '', logprob: -0.5 }] }));
		aggregator.push(gen({ response: '!', logprobs: [{ token: '!', logprob: -0.2 }] }));
		const last = gen({ done: true, done_reason: 'stop', context: [7], ...finalMetrics });
		aggregator.push(last);
		const { final, logprobs, metrics } = aggregator.result();
		expect(final).toEqual({
			...last,
			response: 'Hi!',
			logprobs: [
				{ token: 'Hi', logprob: -0.1 },
				{ token: '', logprob: -0.5 },
				{ token: '!', logprob: -0.2 },
			],
		});
		expect(final).not.toHaveProperty('thinking');
		expect(logprobs).toHaveLength(3);
		expect(metrics.outputTokens).toBe(259);
	});

	it('keeps done_reason undefined when done:true comes without it', () => {
		const aggregator = new GenerateAggregator();
		aggregator.push(gen({ response: 'x' }));
		aggregator.push(gen({ done: true }));
		const result = aggregator.result();
		expect(result.done_reason).toBeUndefined();
		expect(result.final).not.toHaveProperty('done_reason');
	});

	it('reports done_reason "length" when num_predict was reached', () => {
		const aggregator = new GenerateAggregator();
		aggregator.push(gen({ response: 'cut', done: true, done_reason: 'length' }));
		expect(aggregator.result().done_reason).toBe('length');
	});

	it('folds a load reply into an empty result without metrics', () => {
		const aggregator = new GenerateAggregator();
		aggregator.push(gen({ done: true, done_reason: 'load' }));
		const result = aggregator.result();
		expect(result).toMatchObject({ response: '', thinking: '', done_reason: 'load', metrics: {} });
		expect(result.tool_calls).toBeUndefined();
		expect(result.logprobs).toBeUndefined();
	});

	it('collects tool calls from the final chunk', () => {
		const call: ToolCall = { function: { index: 0, name: 'f', arguments: { a: 1 } } };
		const aggregator = new GenerateAggregator();
		aggregator.push(gen({ done: true, done_reason: 'stop', tool_calls: [call] }));
		expect(aggregator.result().tool_calls).toEqual([call]);
		expect(aggregator.result().final.tool_calls).toEqual([call]);
	});

	it('folds 100k chunks quickly', () => {
		const aggregator = new GenerateAggregator();
		for (let i = 0; i < 100_000; i++) aggregator.push(gen({ response: 'ab' }));
		aggregator.push(gen({ done: true, done_reason: 'stop' }));
		expect(aggregator.result().response.length).toBe(200_000);
		expect(aggregator.chunkCount).toBe(100_001);
	});

	it('throws when no chunk was pushed', () => {
		expect(() => new GenerateAggregator().result()).toThrow(OllamaFailure);
		expect(() => new GenerateAggregator().result()).toThrow(
			'Ollama sent no response to aggregate.',
		);
	});

	it('takes a chunk without a response field as no text', () => {
		const aggregator = new GenerateAggregator();
		aggregator.push(gen({ response: 'Hi' }));
		const bare = { ...base, done: true, done_reason: 'stop' } as GenerateResponse;
		expect(aggregator.push(bare)).toEqual({ response: '', thinking: '' });
		expect(aggregator.result().response).toBe('Hi');
	});

	it('folds a streamed generate read from chunked bytes', async () => {
		const body = [
			'{"model":"m","created_at":"t","response":"","thinking":"Hmm","done":false}\n',
			'{"model":"m","created_at":"t","response":"При',
			'вет","done":false}\n{"model":"m","created_at":"t","response":"","done":true,',
			'"done_reason":"stop","eval_count":2,"eval_duration":1000000}',
		];
		const aggregator = new GenerateAggregator();
		const chunks: GenerateResponse[] = [];
		await consumeOllamaStream<GenerateResponse>(bytes(...body), (c) => chunks.push(c));
		for (const chunk of chunks) {
			aggregator.push(chunk);
		}
		const result = aggregator.result();
		expect(result).toMatchObject({ response: 'Привет', thinking: 'Hmm', done_reason: 'stop' });
		expect(result.metrics).toEqual({ outputTokens: 2, evalMs: 1, tokensPerSecond: 2000 });
	});
});

describe('ChatAggregator', () => {
	const weather: ToolCall = {
		id: 'call_i9r62nxq',
		function: { index: 0, name: 'get_weather', arguments: { city: 'Paris' } },
	};
	const time: ToolCall = {
		id: 'call_a1b2c3d4',
		function: { index: 1, name: 'get_time', arguments: {} },
	};
	const older: ToolCall = { function: { name: 'legacy', arguments: { x: 1 } } };

	it('concatenates content and thinking separately and returns deltas from push', () => {
		const aggregator = new ChatAggregator();
		expect(aggregator.push(chat({ thinking: 'Let me' }))).toEqual({
			content: '',
			thinking: 'Let me',
			tool_calls: [],
		});
		aggregator.push(chat({ thinking: ' see', content: 'It' }));
		aggregator.push(chat({ content: ' is.' }));
		aggregator.push(chat({}, { done: true, done_reason: 'stop', ...finalMetrics }));
		const result = aggregator.result();
		expect(result.content).toBe('It is.');
		expect(result.thinking).toBe('Let me see');
		expect(result.tool_calls).toEqual([]);
		expect(result.metrics.tokensPerSecond).toBe(61.19);
		expect(aggregator.chunkCount).toBe(4);
	});

	it('collects every tool call in order, from any chunk including the done one', () => {
		const aggregator = new ChatAggregator();
		aggregator.push(chat({}));
		expect(aggregator.push(chat({ tool_calls: [weather] })).tool_calls).toEqual([weather]);
		aggregator.push(chat({ content: 'Checking.', tool_calls: [time] }));
		aggregator.push(chat({ tool_calls: [older] }, { done: true, done_reason: 'stop' }));
		const result = aggregator.result();
		expect(result.tool_calls).toEqual([weather, time, older]);
		expect(result.message).toEqual({
			role: 'assistant',
			content: 'Checking.',
			tool_calls: [weather, time, older],
		});
		expect(result.final.message.tool_calls).toEqual([weather, time, older]);
	});

	it('gives an assistant message ready for the history, without empty thinking or tool_calls', () => {
		const aggregator = new ChatAggregator();
		aggregator.push(chat({ content: 'Hello' }));
		aggregator.push(chat({}, { done: true, done_reason: 'stop' }));
		const { message, final } = aggregator.result();
		expect(message).toEqual({ role: 'assistant', content: 'Hello' });
		expect(final.message).toEqual({ role: 'assistant', content: 'Hello' });
	});

	it('puts thinking on the history message when there was some', () => {
		const aggregator = new ChatAggregator();
		aggregator.push(chat({ thinking: 'Because' }));
		aggregator.push(chat({ content: 'Yes' }, { done: true, done_reason: 'stop' }));
		expect(aggregator.result().message).toEqual({
			role: 'assistant',
			content: 'Yes',
			thinking: 'Because',
		});
	});

	it('builds final as stream:false would return it', () => {
		const aggregator = new ChatAggregator();
		aggregator.push(chat({ content: 'A' }, { logprobs: [{ token: 'A', logprob: -1 }] }));
		aggregator.push(chat({ thinking: 'T' }));
		const last = chat({}, { done: true, done_reason: 'length', ...finalMetrics });
		aggregator.push(last);
		const result = aggregator.result();
		expect(result.final).toEqual({
			...last,
			message: { role: 'assistant', content: 'A', thinking: 'T' },
			logprobs: [{ token: 'A', logprob: -1 }],
		});
		expect(result.done_reason).toBe('length');
		expect(result.logprobs).toEqual([{ token: 'A', logprob: -1 }]);
	});

	it('keeps done_reason undefined when done:true comes without it', () => {
		const aggregator = new ChatAggregator();
		aggregator.push(chat({ content: 'x' }, { done: true }));
		expect(aggregator.result().done_reason).toBeUndefined();
	});

	it('folds thinking followed by restarted structured output (format on a thinking model)', () => {
		const aggregator = new ChatAggregator();
		for (const piece of ['I should', ' answer', ' in JSON.'])
			aggregator.push(chat({ thinking: piece }));
		for (const piece of ['{"a"', ':', '1}']) aggregator.push(chat({ content: piece }));
		aggregator.push(chat({}, { done: true, done_reason: 'stop' }));
		const result = aggregator.result();
		expect(result.thinking).toBe('I should answer in JSON.');
		expect(JSON.parse(result.content)).toEqual({ a: 1 });
	});

	it('folds a load reply (no messages) into an empty assistant message', () => {
		const aggregator = new ChatAggregator();
		aggregator.push(chat({}, { done: true, done_reason: 'load' }));
		const result = aggregator.result();
		expect(result.message).toEqual({ role: 'assistant', content: '' });
		expect(result.done_reason).toBe('load');
		expect(result.metrics).toEqual({});
	});

	it('folds 100k chunks quickly', () => {
		const aggregator = new ChatAggregator();
		for (let i = 0; i < 100_000; i++) aggregator.push(chat({ content: 'ab', thinking: 'c' }));
		const result = aggregator.result();
		expect(result.content.length).toBe(200_000);
		expect(result.thinking.length).toBe(100_000);
	});

	it('throws when no chunk was pushed', () => {
		expect(() => new ChatAggregator().result()).toThrow('Ollama sent no response to aggregate.');
	});

	it('takes a chunk without a message (a non-Ollama server) as no text', () => {
		const aggregator = new ChatAggregator();
		aggregator.push(chat({ content: 'Hi', thinking: 'Hm' }));
		const bare = { ...base, done: true, done_reason: 'stop' } as ChatResponse;
		expect(aggregator.push(bare)).toEqual({ content: '', thinking: '', tool_calls: [] });
		const result = aggregator.result();
		expect(result.message).toEqual({ role: 'assistant', content: 'Hi', thinking: 'Hm' });
		expect(result.final.message).toEqual(result.message);
	});

	it('leaves empty thinking, tool calls and logprobs out of final, also when the last chunk sent them', () => {
		const aggregator = new ChatAggregator();
		aggregator.push(chat({ content: 'Hello' }));
		aggregator.push(chat({ thinking: '', tool_calls: [] }, { done: true, done_reason: 'stop' }));
		const result = aggregator.result();
		expect(result.final.message).toStrictEqual({ role: 'assistant', content: 'Hello' });
		expect(result.final).not.toHaveProperty('logprobs');
		expect(result.logprobs).toBeUndefined();
	});

	it('folds the real tool-call capture read from chunked bytes', async () => {
		const body =
			'{"model":"qwen3-coder:30b","message":{"role":"assistant","content":"","tool_calls":[{"id":"call_i9r62nxq","function":{"index":0,"name":"createFile","arguments":{"path":"Program.cs","content":"…"}}}]},"done":false}\n' +
			'{"model":"qwen3-coder:30b","message":{"role":"assistant","content":""},"done":true,"done_reason":"stop","prompt_eval_count":312,"eval_count":55,"eval_duration":903309000}\n';
		const buf = Buffer.from(body);
		const aggregator = new ChatAggregator();
		async function* source(): AsyncGenerator<Uint8Array> {
			for (let i = 0; i < buf.length; i += 7) yield buf.subarray(i, i + 7);
		}
		await consumeOllamaStream<ChatResponse>(source(), (chunk) => aggregator.push(chunk));
		const result = aggregator.result();
		expect(result.tool_calls).toEqual([
			{
				id: 'call_i9r62nxq',
				function: { index: 0, name: 'createFile', arguments: { path: 'Program.cs', content: '…' } },
			},
		]);
		expect(result.metrics).toEqual({
			promptTokens: 312,
			outputTokens: 55,
			evalMs: 903.309,
			tokensPerSecond: 60.89,
		});
	});
});

describe('ProgressAggregator', () => {
	const a = 'sha256:8eeb52dfb3bb0000';
	const b = 'sha256:73b313b5552d0000';

	function fold(lines: ProgressResponse[]) {
		const aggregator = new ProgressAggregator();
		for (const line of lines) aggregator.push(line);
		return aggregator.result();
	}

	it('follows a pull with interleaved, repeated layer lines to success', () => {
		const result = fold([
			{ status: 'pulling manifest' },
			{ status: 'pulling 8eeb52dfb3bb', digest: a, total: 1000 },
			{ status: 'pulling 73b313b5552d', digest: b, total: 200, completed: 50 },
			{ status: 'pulling 8eeb52dfb3bb', digest: a, total: 1000, completed: 300 },
			{ status: 'pulling 8eeb52dfb3bb', digest: a, total: 1000, completed: 300 },
			{ status: 'pulling 73b313b5552d', digest: b, total: 200, completed: 200 },
			{ status: 'pulling 8eeb52dfb3bb', digest: a, total: 1000, completed: 1000 },
			{ status: 'verifying sha256 digest' },
			{ status: 'writing manifest' },
			{ status: 'success' },
		]);
		expect(result).toEqual({
			status: 'success',
			statuses: [
				'pulling manifest',
				'pulling 8eeb52dfb3bb',
				'pulling 73b313b5552d',
				'verifying sha256 digest',
				'writing manifest',
				'success',
			],
			layers: [
				{ digest: a, total: 1000, completed: 1000, percent: 100 },
				{ digest: b, total: 200, completed: 200, percent: 100 },
			],
			totalBytes: 1200,
			completedBytes: 1200,
			lines: 10,
		});
	});

	it('reports the state part way, with percent rounded down', () => {
		const result = fold([
			{ status: 'pulling manifest' },
			{ status: 'pulling 8eeb52dfb3bb', digest: a, total: 3 },
			{ status: 'pulling 8eeb52dfb3bb', digest: a, total: 3, completed: 2 },
			{ status: 'pulling 73b313b5552d', digest: b, total: 200000, completed: 199999 },
		]);
		expect(result.status).toBe('pulling 73b313b5552d');
		expect(result.layers).toEqual([
			{ digest: a, total: 3, completed: 2, percent: 66.66 },
			{ digest: b, total: 200000, completed: 199999, percent: 99.99 },
		]);
		expect(result.totalBytes).toBe(200003);
		expect(result.completedBytes).toBe(200001);
	});

	it('treats a missing completed as 0 and gives no percent without a total', () => {
		const result = fold([
			{ status: 'pulling 8eeb52dfb3bb', digest: a },
			{ status: 'pulling 73b313b5552d', digest: b, total: 10 },
		]);
		expect(result.layers).toStrictEqual([{ digest: a }, { digest: b, total: 10, percent: 0 }]);
		expect(result.totalBytes).toBe(10);
		expect(result.completedBytes).toBe(0);
	});

	it('shows a cached layer jumping straight to complete', () => {
		const result = fold([
			{ status: 'pulling 8eeb52dfb3bb', digest: a, total: 500, completed: 500 },
		]);
		expect(result.layers).toEqual([{ digest: a, total: 500, completed: 500, percent: 100 }]);
	});

	it('keeps the bytes done when a later line for the digest omits them', () => {
		const result = fold([
			{ status: 'pulling 8eeb52dfb3bb', digest: a, total: 100, completed: 40 },
			{ status: 'pulling 8eeb52dfb3bb', digest: a, total: 100 },
		]);
		expect(result.layers).toStrictEqual([{ digest: a, total: 100, completed: 40, percent: 40 }]);
		expect(result.completedBytes).toBe(40);
	});

	it('keeps the last status through a line that carries none', () => {
		const result = fold([
			{ status: 'pulling 8eeb52dfb3bb', digest: a, total: 100 },
			{ digest: a, total: 100, completed: 50 } as ProgressResponse,
		]);
		expect(result.status).toBe('pulling 8eeb52dfb3bb');
		expect(result.statuses).toEqual(['pulling 8eeb52dfb3bb']);
	});

	it('gives no percent for a layer whose total is 0', () => {
		const result = fold([{ status: 'pulling 8eeb52dfb3bb', digest: a, total: 0 }]);
		expect(result.layers).toStrictEqual([{ digest: a, total: 0 }]);
	});

	it('keeps a known total when a later line for the digest omits it', () => {
		const result = fold([
			{ status: 'pulling 8eeb52dfb3bb', digest: a, total: 100, completed: 10 },
			{ status: 'pulling 8eeb52dfb3bb', digest: a, completed: 20 },
		]);
		expect(result.layers).toEqual([{ digest: a, total: 100, completed: 20, percent: 20 }]);
	});

	it('follows a create that quantizes and writes layers', () => {
		const result = fold([
			{ status: 'parsing GGUF' },
			{
				status: 'quantizing F16 model to Q4_K_M',
				digest: '0000000000000000000',
				total: 40,
				completed: 20,
			},
			{ status: 'using existing layer sha256:abc' },
			{ status: 'creating new layer sha256:def' },
			{ status: 'writing manifest' },
			{ status: 'success' },
		]);
		expect(result.status).toBe('success');
		expect(result.statuses).toHaveLength(6);
		expect(result.layers).toEqual([
			{ digest: '0000000000000000000', total: 40, completed: 20, percent: 50 },
		]);
	});

	it('gives an empty result before any line', () => {
		expect(new ProgressAggregator().result()).toEqual({
			status: '',
			statuses: [],
			layers: [],
			totalBytes: 0,
			completedBytes: 0,
			lines: 0,
		});
	});
});
