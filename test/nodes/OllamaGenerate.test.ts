import { OllamaGenerate } from '../../nodes/OllamaGenerate/OllamaGenerate.node';
import { replyFor, startEmulator } from '../emulator';
import { startRun } from '../harness/run';
import { PNG, byName, nodeRun, outputOf, sentTo } from './generation.fixture';
import { useEmulator } from './emulator.fixture';

const emulator = useEmulator();

const generate = (parameters: Record<string, unknown>, extra = {}) =>
	nodeRun(
		emulator,
		OllamaGenerate,
		{ model: byName('llama3.2'), prompt: 'Why is the sky blue?', ...parameters },
		extra,
	);

describe('Ollama Generate', () => {
	it('answers the prompt with the text, done reason, model and readable metrics', async () => {
		const [out] = await outputOf(generate({}));
		const expected = replyFor({ model: 'llama3.2', prompt: 'Why is the sky blue?' });
		expect(out.response).toBe(expected.response);
		expect(out).toMatchObject({ done_reason: 'stop', model: 'llama3.2' });
		expect(out.metrics).toMatchObject({
			outputTokens: expected.evalCount,
			promptTokens: expect.any(Number),
		});
		expect(out).not.toHaveProperty('thinking');
		expect(sentTo(emulator, '/api/generate')).toMatchObject({
			stream: true,
			model: 'llama3.2',
			prompt: 'Why is the sky blue?',
		});
	});

	it('puts every option in its place on the wire: model options inside options, the rest top level', async () => {
		await outputOf(
			generate({
				options: {
					system: 'Be brief.',
					suffix: '',
					template: '{{ .Prompt }}',
					num_ctx: 2048,
					num_predict: 64,
					temperature: 0.2,
					top_k: 10,
					top_p: 0.5,
					min_p: 0.05,
					typical_p: 0.9,
					repeat_last_n: 32,
					repeat_penalty: 1.2,
					presence_penalty: 0.1,
					frequency_penalty: 0.3,
					seed: 7,
					stop: ['END', ''],
					num_keep: 5,
					num_batch: 256,
					num_gpu: 0,
					main_gpu: 0,
					use_mmap: false,
					num_thread: 2,
					format: 'json',
					think: 'off',
					keep_alive: '300',
					logprobs: true,
					top_logprobs: 3,
				},
			}),
		);
		const body = sentTo(emulator, '/api/generate');
		expect(body).toEqual({
			model: 'llama3.2',
			prompt: 'Why is the sky blue?',
			system: 'Be brief.',
			template: '{{ .Prompt }}',
			stream: true,
			format: 'json',
			think: false,
			keep_alive: 300,
			logprobs: true,
			top_logprobs: 3,
			options: {
				num_ctx: 2048,
				num_predict: 64,
				temperature: 0.2,
				top_k: 10,
				top_p: 0.5,
				min_p: 0.05,
				typical_p: 0.9,
				repeat_last_n: 32,
				repeat_penalty: 1.2,
				presence_penalty: 0.1,
				frequency_penalty: 0.3,
				seed: 7,
				stop: ['END'],
				num_keep: 5,
				num_batch: 256,
				num_gpu: 0,
				main_gpu: 0,
				use_mmap: false,
				num_thread: 2,
			},
		});
	});

	it('keeps thinking in a separate field by default, drops it, or includes it inline', async () => {
		const base = { model: byName('qwen3'), prompt: 'Think about it' };
		const [separate] = await outputOf(generate(base));
		const expected = replyFor({ model: 'qwen3', prompt: 'Think about it' });
		expect(separate.thinking).toBe(expected.thinking);
		expect(separate.response).toBe(expected.response);

		const [dropped] = await outputOf(generate({ ...base, options: { thinkingMode: 'drop' } }));
		expect(dropped).not.toHaveProperty('thinking');
		expect(dropped.response).toBe(expected.response);

		const [inline] = await outputOf(generate({ ...base, options: { thinkingMode: 'inline' } }));
		expect(inline.response).toBe(`<think>\n${expected.thinking}\n</think>\n\n${expected.response}`);
	});

	it('strips <think> tags that older models write into the text', async () => {
		emulator.addFault({
			type: 'text',
			text: '<think>Hmm, 2+2.</think>\n\nIt is 4.',
			path: '/api/generate',
		});
		const [out] = await outputOf(generate({}));
		expect(out.response).toBe('It is 4.');
		expect(out.thinking).toBe('Hmm, 2+2.');
	});

	it('parses structured output with a JSON schema sent top level', async () => {
		const schema = {
			type: 'object',
			properties: { city: { type: 'string' }, people: { type: 'integer' } },
			required: ['city', 'people'],
		};
		const [out] = await outputOf(
			generate({ options: { format: 'schema', jsonSchema: JSON.stringify(schema) } }),
		);
		expect(sentTo(emulator, '/api/generate').format).toEqual(schema);
		expect(out.json).toEqual({ city: expect.any(String), people: expect.any(Number) });
	});

	it('fails an answer that is not the JSON asked for, quoting the first 200 characters', async () => {
		const text = `Sure! Here is your JSON: ${'x'.repeat(300)}`;
		emulator.addFault({ type: 'text', text, path: '/api/generate' });
		const [out] = await outputOf(generate({ options: { format: 'json' } }));
		expect(out.error).toBe(
			`The model's answer is not valid JSON: ${JSON.stringify(`${text.slice(0, 200)}…`)}`,
		);
	});

	it('refuses a JSON schema that is not JSON, before sending', async () => {
		const [out] = await outputOf(
			generate({ options: { format: 'schema', jsonSchema: '{not json' } }),
		);
		expect(out.error).toMatch(/^JSON Schema is not valid JSON/);
		expect(out.description).toBe('Check the "JSON Schema" option.');
		expect(emulator.requests).toHaveLength(0);
	});

	it('says when the answer was cut at Max Tokens', async () => {
		const [out] = await outputOf(generate({ options: { num_predict: 3 } }));
		expect(out.done_reason).toBe('length');
		expect(out.hint).toMatch(/Raise Max Tokens/);
		expect(out.metrics).toMatchObject({ outputTokens: 3 });
	});

	it('gives Ollama’s final object as is with Raw Response', async () => {
		const [out] = await outputOf(generate({ options: { rawResponse: true } }));
		expect(out).toMatchObject({
			model: 'llama3.2',
			done: true,
			done_reason: 'stop',
			context: expect.any(Array),
		});
		expect(out.eval_count).toEqual(expect.any(Number));
		expect(typeof out.response).toBe('string');
	});

	it('sends images from binary properties as plain base64', async () => {
		const item = {
			json: {},
			binary: { photo: { data: PNG.toString('base64'), mimeType: 'image/png', fileName: 'a.png' } },
		};
		const [out] = await outputOf(
			generate({ model: byName('llava'), options: { images: 'photo' } }, { items: [item] }),
		);
		expect(out.error).toBeUndefined();
		expect(sentTo(emulator, '/api/generate').images).toEqual([PNG.toString('base64')]);
	});

	it('refuses a missing binary property and a binary that is not an image, naming the parameter', async () => {
		const item = {
			json: {},
			binary: { doc: { data: 'aGk=', mimeType: 'application/pdf', fileName: 'a.pdf' } },
		};
		const [missing] = await outputOf(generate({ options: { images: 'photo' } }, { items: [item] }));
		expect(missing.error).toBe('Item 0 has no binary property "photo".');
		const [notImage] = await outputOf(generate({ options: { images: 'doc' } }, { items: [item] }));
		expect(notImage.error).toBe('Binary property "doc" is application/pdf, not an image.');
		expect(emulator.requests).toHaveLength(0);
	});

	it('continues a conversation with Context and returns the new context', async () => {
		const [first] = await outputOf(generate({ options: { returnContext: true } }));
		expect(first.context).toEqual(expect.arrayContaining([expect.any(Number)]));
		await outputOf(
			generate({ prompt: 'And then?', options: { context: JSON.stringify(first.context) } }),
		);
		expect(sentTo(emulator, '/api/generate').context).toEqual(first.context);
	});

	it('refuses Raw together with System before sending (Ollama would answer 400)', async () => {
		const [out] = await outputOf(generate({ options: { raw: true, system: 'x' } }));
		expect(out.error).toMatch(/Raw cannot be combined with System, Template or Context/);
		expect(emulator.requests).toHaveLength(0);
	});

	it('refuses an empty prompt, keep alive "abc" and thinking "extreme" per item, other items unaffected', async () => {
		const { items } = await import('../harness/run').then(({ runNode }) =>
			runNode(
				generate(
					{
						prompt: '={{ $json.prompt }}',
						options: { keep_alive: '={{ $json.keep }}', think: '={{ $json.think }}' },
					},
					{
						items: [
							{ prompt: 'ok', keep: '5m', think: 'default' },
							{ prompt: '  ', keep: '5m', think: 'default' },
							{ prompt: 'ok', keep: 'abc', think: 'default' },
							{ prompt: 'ok', keep: '5m', think: 'extreme' },
							{ prompt: 'fine', keep: '-1', think: 'off' },
						],
					},
				),
			),
		);
		expect(items.map((i) => i.json.error)).toEqual([
			undefined,
			'The prompt is empty.',
			expect.stringMatching(/^Keep Alive "abc" is not a duration/),
			expect.stringMatching(/^Thinking must be one of default, on, off/),
			undefined,
		]);
		expect(emulator.requests.map((r) => (r.body as { prompt: string }).prompt)).toEqual([
			'ok',
			'fine',
		]);
	});

	it('reads a model given per item by expression for each item, and a fixed bad option fails every item', async () => {
		const { runNode } = await import('../harness/run');
		const perItem = await runNode(
			generate(
				{ model: byName('={{ $json.model }}'), prompt: '={{ $json.prompt }}' },
				{
					items: [
						{ model: 'llama3.2', prompt: 'a' },
						{ model: 'qwen3', prompt: 'b' },
					],
				},
			),
		);
		expect(perItem.items.map((i) => i.json.model)).toEqual(['llama3.2', 'qwen3']);
		expect(emulator.requests.map((r) => (r.body as { model: string }).model)).toEqual([
			'llama3.2',
			'qwen3',
		]);

		emulator.clearRequests();
		const fixed = await runNode(
			generate(
				{ prompt: '={{ $json.prompt }}', options: { keep_alive: 'abc' } },
				{ items: [{ prompt: 'a' }, { prompt: 'b' }, { prompt: 'c' }] },
			),
		);
		expect(fixed.items.map((i) => i.json.error)).toEqual(
			Array(3).fill(expect.stringMatching(/^Keep Alive "abc" is not a duration/)),
		);
		expect(emulator.requests).toHaveLength(0);
	});

	it('passes Ollama’s capability error through with a hint', async () => {
		const [out] = await outputOf(generate({ model: byName('nomic-embed-text') }));
		expect(out.error).toBe('"nomic-embed-text" does not support generate');
		expect(out.description).toMatch(/Choose a model with that capability/);
	});

	it('pulls a missing model and tries once more with Pull Model If Missing, once for all items', async () => {
		const { runNode } = await import('../harness/run');
		const { items } = await runNode(
			generate(
				{
					model: byName('mistral'),
					prompt: '={{ $json.p }}',
					reliability: { pullIfMissing: true },
					options: { concurrency: 2 },
				},
				{ items: [{ p: 'one' }, { p: 'two' }] },
			),
		);
		expect(items.map((i) => i.json.error)).toEqual([undefined, undefined]);
		expect(items[0].json.response).toBe(replyFor({ model: 'mistral', prompt: 'one' }).response);
		expect(emulator.requests.filter((r) => r.path === '/api/pull')).toHaveLength(1);
		const generates = emulator.requests
			.filter((r) => r.path === '/api/generate')
			.map((r) => r.status);
		expect(generates.sort()).toEqual([200, 200, 404, 404]);
	});

	it('without Pull Model If Missing, a missing model is an error with the pull hint', async () => {
		const [out] = await outputOf(generate({ model: byName('mistral') }));
		expect(out.error).toBe("model 'mistral' not found");
		expect(out.description).toMatch(/Pull Model If Missing/);
		expect(emulator.requests.some((r) => r.path === '/api/pull')).toBe(false);
	});

	it('runs items concurrently, keeps their order and pairs them', async () => {
		emulator.configure({ latency: { parallel: 4, tokenMs: 20 } });
		const prompts = Array.from({ length: 8 }, (_, i) => ({ p: `prompt ${i}` }));
		const { runNode } = await import('../harness/run');
		const started = Date.now();
		const { items } = await runNode(
			generate({ prompt: '={{ $json.p }}', options: { concurrency: 4 } }, { items: prompts }),
		);
		const elapsed = Date.now() - started;
		expect(items.map((i) => i.json.response)).toEqual(
			prompts.map(({ p }) => replyFor({ model: 'llama3.2', prompt: p }).response),
		);
		expect(items.map((i) => i.pairedItem)).toEqual(prompts.map((_, item) => ({ item })));
		const overlapping = emulator.requests.filter(
			(r) => r.receivedAt < emulator.requests[0].finishedAt!,
		).length;
		expect(overlapping).toBe(4);
		expect(elapsed).toBeLessThan(8 * 12 * 20);
	});

	it('streams tokens live to a streaming trigger, first chunk before the generation ends', async () => {
		emulator.configure({ latency: { tokenMs: 30 } });
		const { runNode } = await import('../harness/run');
		const { chunks, items } = await runNode(generate({}, { streaming: true }));
		const tokens = chunks.filter((c) => c.type === 'item');
		expect(chunks.map((c) => c.type)).toEqual(['begin', ...tokens.map(() => 'item'), 'end']);
		expect(tokens.map((c) => c.content).join('')).toBe(items[0].json.response);
		expect(tokens.length).toBeGreaterThan(3);
		expect(chunks[0].metadata).toMatchObject({ itemIndex: 0, nodeName: 'Ollama Under Test' });
		const finishedAt = emulator.requests[0].finishedAt!;
		expect(tokens[0].metadata.timestamp).toBeLessThan(finishedAt - 100);
	});

	it('stops: in-flight requests are aborted and no new item starts', async () => {
		emulator.configure({ latency: { tokenMs: 100, parallel: 2 }, replyTokens: 100 });
		const execution = startRun(
			generate(
				{ prompt: '={{ $json.p }}', options: { concurrency: 2 } },
				{ items: [{ p: 'a' }, { p: 'b' }, { p: 'c' }, { p: 'd' }] },
			),
		);
		while (!emulator.requests.some((r) => r.firstChunkAt))
			await new Promise((r) => setTimeout(r, 10));
		const stoppedAt = Date.now();
		execution.cancel();
		await execution.result.catch(() => undefined);
		await new Promise((r) => setTimeout(r, 300));
		expect(emulator.requests).toHaveLength(2);
		for (const request of emulator.requests) {
			expect(request.clientDisconnected).toBe(true);
			expect(request.disconnectedAt! - stoppedAt).toBeLessThan(1000);
		}
	});
});

describe('Ollama Generate: what Ollama reports', () => {
	it('puts the log probabilities in the simplified output when asked for, and the prompt and generation times in the metrics', async () => {
		const [out] = await outputOf(generate({ options: { logprobs: true, top_logprobs: 2 } }));
		const logprobs = out.logprobs as Array<{
			token: string;
			logprob: number;
			top_logprobs: unknown[];
		}>;
		expect(logprobs.map((entry) => entry.token).join('')).toBe(out.response);
		expect(logprobs.every((entry) => entry.logprob <= 0 && entry.top_logprobs.length === 2)).toBe(
			true,
		);
		expect(out.metrics).toMatchObject({
			promptEvalMs: expect.any(Number),
			evalMs: expect.any(Number),
		});

		const [plain] = await outputOf(generate({}));
		expect(plain).not.toHaveProperty('logprobs');
	});
});
