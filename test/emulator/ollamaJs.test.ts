import { Ollama } from 'ollama';
import { embeddingFor, legacyEmbeddingFor, replyFor, startEmulator, type Emulator } from './index';

let emu: Emulator;
let ollama: Ollama;

beforeAll(async () => {
	emu = await startEmulator();
	ollama = new Ollama({ host: emu.url });
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

const norm = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

describe('generate', () => {
	test('non-streamed result equals the deterministic reply, with metrics and context', async () => {
		const res = await ollama.generate({ model: 'llama3.2', prompt: 'Why is the sky blue?' });
		const expected = replyFor({ model: 'llama3.2', prompt: 'Why is the sky blue?' });
		expect(res.model).toBe('llama3.2');
		expect(res.response).toBe(expected.response);
		expect(res.done).toBe(true);
		expect(res.done_reason).toBe('stop');
		expect(res.context.length).toBe(res.prompt_eval_count + res.eval_count);
		for (const k of [
			'total_duration',
			'load_duration',
			'prompt_eval_duration',
			'eval_duration',
		] as const) {
			expect(Number.isInteger(res[k]) && res[k] > 0).toBe(true);
		}
		expect(new Date(res.created_at).getTime()).toBeGreaterThan(0);
	});

	test('streamed chunks concatenate to the same text; the done chunk has empty text', async () => {
		const stream = await ollama.generate({ model: 'llama3.2', prompt: 'hello', stream: true });
		const parts: string[] = [];
		let last;
		for await (const chunk of stream) {
			parts.push(chunk.response ?? '');
			last = chunk;
		}
		expect(parts.join('')).toBe(replyFor({ model: 'llama3.2', prompt: 'hello' }).response);
		expect(parts.length).toBeGreaterThan(3);
		expect(last?.done).toBe(true);
		expect(last?.response).toBe('');
	});

	test('num_predict cuts the reply with done_reason length; stop cuts at the sequence', async () => {
		const short = await ollama.generate({
			model: 'llama3.2',
			prompt: 'p',
			options: { num_predict: 3 },
		});
		expect(short.done_reason).toBe('length');
		expect(short.eval_count).toBe(3);
		expect(short.response).toBe(
			replyFor({ model: 'llama3.2', prompt: 'p', numPredict: 3 }).response,
		);

		const full = replyFor({ model: 'llama3.2', prompt: 'p' }).response;
		const stopWord = full.split(' ')[3];
		const stopped = await ollama.generate({
			model: 'llama3.2',
			prompt: 'p',
			options: { stop: [stopWord] },
		});
		expect(stopped.done_reason).toBe('stop');
		expect(stopped.response).toBe(full.slice(0, full.indexOf(stopWord)));
	});

	test('a thinking model returns thinking separately; think:false turns it off', async () => {
		const res = await ollama.generate({ model: 'qwen3', prompt: 'think' });
		const expected = replyFor({ model: 'qwen3', prompt: 'think' });
		expect(res.thinking).toBe(expected.thinking);
		expect(res.thinking!.length).toBeGreaterThan(0);
		expect(res.response).toBe(expected.response);
		const off = await ollama.generate({ model: 'qwen3', prompt: 'think', think: false });
		expect(off.thinking).toBeUndefined();
	});

	test('deepseek-r1 writes <think> inline in its response', async () => {
		const res = await ollama.generate({ model: 'deepseek-r1', prompt: 'q' });
		expect(res.response!.startsWith('<think>\n')).toBe(true);
		expect(res.response).toContain('</think>\n\n');
		expect(res.thinking).toBeUndefined();
	});

	test('format json and schema give parseable JSON that follows the schema', async () => {
		const json = await ollama.generate({ model: 'llama3.2', prompt: 'j', format: 'json' });
		expect(typeof JSON.parse(json.response!)).toBe('object');
		const schema = {
			type: 'object',
			properties: {
				city: { type: 'string' },
				population: { type: 'integer' },
				area: { type: 'number' },
				capital: { type: 'boolean' },
				tags: { type: 'array', items: { type: 'string' } },
				mayor: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
			},
			required: ['city', 'population'],
		};
		const res = await ollama.generate({ model: 'llama3.2', prompt: 'j', format: schema });
		const value = JSON.parse(res.response!);
		expect(typeof value.city).toBe('string');
		expect(Number.isInteger(value.population)).toBe(true);
		expect(typeof value.area).toBe('number');
		expect(typeof value.capital).toBe('boolean');
		expect(Array.isArray(value.tags)).toBe(true);
		expect(typeof value.mayor.name).toBe('string');
	});

	test('load and unload replies', async () => {
		const load = await ollama.generate({ model: 'llama3.2', prompt: '' });
		expect(load.done_reason).toBe('load');
		expect((await ollama.ps()).models.map((m) => m.name)).toEqual(['llama3.2:latest']);
		const unload = await ollama.generate({ model: 'llama3.2', prompt: '', keep_alive: 0 });
		expect(unload.done_reason).toBe('unload');
		expect((await ollama.ps()).models).toEqual([]);
	});

	test('errors are ResponseError with status and the exact text', async () => {
		await expect(ollama.generate({ model: 'llama9', prompt: 'x' })).rejects.toMatchObject({
			name: 'ResponseError',
			status_code: 404,
			error: "model 'llama9' not found",
		});
		await expect(ollama.generate({ model: 'nomic-embed-text', prompt: 'x' })).rejects.toMatchObject(
			{
				status_code: 400,
				error: '"nomic-embed-text" does not support generate',
			},
		);
		await expect(
			ollama.generate({ model: 'llama3.2', prompt: 'x', think: true }),
		).rejects.toMatchObject({
			status_code: 400,
			error: '"llama3.2" does not support thinking',
		});
		await expect(
			ollama.generate({ model: 'llama3.2', prompt: 'x', suffix: 'y' }),
		).rejects.toMatchObject({
			status_code: 400,
			error: 'registry.ollama.ai/library/llama3.2:latest does not support insert',
		});
		const stream = ollama.generate({ model: 'llama9', prompt: 'x', stream: true });
		await expect(stream).rejects.toMatchObject({ status_code: 404 });
	});

	test('suffix works on an insert model and images on a vision model', async () => {
		const fim = await ollama.generate({
			model: 'codellama:code',
			prompt: 'def f(',
			suffix: 'return 1',
		});
		expect(fim.response).toBe(
			replyFor({ model: 'codellama:code', prompt: 'def f(', suffix: 'return 1' }).response,
		);
		const img = await ollama.generate({
			model: 'llava',
			prompt: 'what is this',
			images: [Buffer.from('png')],
		});
		expect(img.done).toBe(true);
	});
});

describe('chat', () => {
	const messages = [{ role: 'user', content: 'Hi there' }];

	test('non-streamed and streamed replies match the deterministic text', async () => {
		const res = await ollama.chat({ model: 'llama3.2', messages });
		const expected = replyFor({ model: 'llama3.2', messages });
		expect(res.message).toEqual({ role: 'assistant', content: expected.response });
		expect(res.done_reason).toBe('stop');
		expect(res.eval_count).toBe(expected.evalCount);

		const stream = await ollama.chat({ model: 'llama3.2', messages, stream: true });
		let text = '';
		for await (const chunk of stream) text += chunk.message.content;
		expect(text).toBe(expected.response);
	});

	test('thinking arrives in message.thinking before the content', async () => {
		const stream = await ollama.chat({ model: 'qwen3', messages, stream: true });
		const kinds: string[] = [];
		let thinking = '';
		for await (const chunk of stream) {
			if (chunk.message.thinking) {
				kinds.push('t');
				thinking += chunk.message.thinking;
			} else if (chunk.message.content) kinds.push('c');
		}
		expect(kinds.join('')).toMatch(/^t+c+$/);
		expect(thinking).toBe(replyFor({ model: 'qwen3', messages }).thinking);
	});

	test('tools produce one complete tool call with arguments from the schema', async () => {
		const tools = [
			{
				type: 'function',
				function: {
					name: 'get_weather',
					description: 'Weather for a city',
					parameters: {
						type: 'object',
						required: ['city'],
						properties: {
							city: { type: 'string', description: 'City' },
							unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
							days: { type: 'integer' },
						},
					},
				},
			},
		];
		const res = await ollama.chat({ model: 'llama3.2', messages, tools });
		const call = res.message.tool_calls![0] as unknown as {
			id: string;
			function: { index: number; name: string; arguments: Record<string, unknown> };
		};
		expect(call.id).toMatch(/^call_[a-z0-9]{8}$/);
		expect(call.function.index).toBe(0);
		expect(call.function.name).toBe('get_weather');
		expect(typeof call.function.arguments.city).toBe('string');
		expect(call.function.arguments.unit).toBe('celsius');
		expect(Number.isInteger(call.function.arguments.days)).toBe(true);

		const after = await ollama.chat({
			model: 'llama3.2',
			tools,
			messages: [
				...messages,
				res.message,
				{ role: 'tool', content: '21 degrees', tool_name: 'get_weather' },
			],
		});
		expect(after.message.tool_calls).toBeUndefined();
		expect(after.message.content.length).toBeGreaterThan(0);

		await expect(ollama.chat({ model: 'deepseek-r1', messages, tools })).rejects.toMatchObject({
			status_code: 400,
			error: 'registry.ollama.ai/library/deepseek-r1:latest does not support tools',
		});
	});

	test('chat errors: empty model, embedding model', async () => {
		await expect(ollama.chat({ model: '', messages })).rejects.toMatchObject({
			status_code: 400,
			error: 'model is required',
		});
		await expect(ollama.chat({ model: 'all-minilm', messages })).rejects.toMatchObject({
			error: '"all-minilm" does not support chat',
		});
	});
});

describe('embeddings', () => {
	test('embed returns unit vectors of the model size, in input order', async () => {
		const res = await ollama.embed({ model: 'nomic-embed-text', input: ['first', 'second'] });
		expect(res.model).toBe('nomic-embed-text');
		expect(res.embeddings).toHaveLength(2);
		for (const v of res.embeddings) {
			expect(v).toHaveLength(768);
			expect(norm(v)).toBeCloseTo(1, 5);
		}
		const expected = embeddingFor('nomic-embed-text', 'second', 768);
		res.embeddings[1].forEach((x, i) => expect(x).toBeCloseTo(expected[i], 6));
		expect(res.prompt_eval_count).toBeGreaterThan(0);
	});

	test('dimensions truncates and re-normalises; empty input gives no vectors', async () => {
		const res = await ollama.embed({ model: 'all-minilm', input: 'x', dimensions: 16 });
		expect(res.embeddings[0]).toHaveLength(16);
		expect(norm(res.embeddings[0])).toBeCloseTo(1, 5);
		const empty = await ollama.embed({ model: 'all-minilm', input: [] });
		expect(empty).toEqual({ model: 'all-minilm', embeddings: [] });
	});

	test('legacy embeddings are not normalised', async () => {
		const res = await ollama.embeddings({ model: 'all-minilm', prompt: 'hello' });
		expect(res.embedding).toEqual(legacyEmbeddingFor('all-minilm', 'hello', 384));
		expect(Math.abs(norm(res.embedding) - 1)).toBeGreaterThan(0.1);
		await expect(ollama.embeddings({ model: 'nope', prompt: 'x' })).rejects.toMatchObject({
			status_code: 404,
			error: 'model "nope" not found, try pulling it first',
		});
	});
});

describe('model management', () => {
	test('list, show, version', async () => {
		const list = await ollama.list();
		const names = list.models.map((m) => m.name);
		expect(names).toEqual(
			expect.arrayContaining([
				'llama3.2:latest',
				'qwen3:latest',
				'nomic-embed-text:latest',
				'codellama:code',
			]),
		);
		const llama = list.models.find((m) => m.name === 'llama3.2:latest')!;
		expect(llama.digest).toMatch(/^[0-9a-f]{64}$/);
		expect(llama.details).toMatchObject({
			format: 'gguf',
			family: 'llama',
			quantization_level: 'Q4_K_M',
		});

		const show = await ollama.show({ model: 'qwen3' });
		expect(show.capabilities).toEqual(['completion', 'tools', 'thinking']);
		const info = show.model_info as unknown as Record<string, unknown>;
		expect(info['general.architecture']).toBe('qwen3');
		expect(info['qwen3.context_length']).toBe(40960);
		expect(show.parameters).toMatch(/^temperature {20}0\.6$/m);
		expect((await ollama.version()).version).toMatch(/^\d+\.\d+\.\d+$/);
	});

	test('pull streams progress and adds the model; unknown model is an error line', async () => {
		const stream = await ollama.pull({ model: 'mistral', stream: true });
		const statuses: string[] = [];
		for await (const p of stream) statuses.push(p.status);
		expect(statuses[0]).toBe('pulling manifest');
		expect(statuses.some((s) => /^pulling [0-9a-f]{12}$/.test(s))).toBe(true);
		expect(statuses.slice(-3)).toEqual(['verifying sha256 digest', 'writing manifest', 'success']);
		expect((await ollama.list()).models.map((m) => m.name)).toContain('mistral:latest');

		const bad = await ollama.pull({ model: 'does-not-exist', stream: true });
		await expect(
			(async () => {
				for await (const _ of bad) void _;
			})(),
		).rejects.toThrow('pull model manifest: file does not exist');
		await expect(ollama.pull({ model: 'does-not-exist' })).rejects.toMatchObject({
			status_code: 500,
		});
	});

	test('create from a local model, then show, copy, delete', async () => {
		const res = await ollama.create({
			model: 'pirate',
			from: 'llama3.2',
			system: 'You are a pirate.',
			parameters: { temperature: 0.2 },
		});
		expect(res.status).toBe('success');
		const show = await ollama.show({ model: 'pirate' });
		expect(show.system).toBe('You are a pirate.');
		expect(show.capabilities).toEqual(['completion', 'tools']);
		expect(show.parameters).toContain('temperature                    0.2');
		expect(show.details.parent_model).toBe('llama3.2:latest');

		await ollama.copy({ source: 'pirate', destination: 'pirate:v2' });
		expect((await ollama.list()).models.map((m) => m.name)).toEqual(
			expect.arrayContaining(['pirate:latest', 'pirate:v2']),
		);
		await ollama.delete({ model: 'pirate:v2' });
		await expect(ollama.show({ model: 'pirate:v2' })).rejects.toMatchObject({
			name: 'ResponseError',
			status_code: 404,
			error: "model 'pirate:v2' not found",
		});
		await expect(ollama.delete({ model: 'pirate:v2' })).rejects.toMatchObject({ status_code: 404 });
		await expect(ollama.copy({ source: 'ghost', destination: 'x' })).rejects.toMatchObject({
			status_code: 404,
			error: 'model "ghost" not found',
		});
	});

	test('create streamed from a remote model pulls it first and quantizes', async () => {
		const stream = await ollama.create({
			model: 'small',
			from: 'phi3',
			quantize: 'q4_K_M',
			stream: true,
		});
		const statuses: string[] = [];
		for await (const p of stream) statuses.push(p.status);
		expect(statuses[0]).toBe('pulling manifest');
		expect(statuses).toContain('quantizing F16 model to Q4_K_M');
		expect(statuses.some((s) => s.startsWith('creating new layer sha256:'))).toBe(true);
		expect(statuses.at(-1)).toBe('success');
		const names = (await ollama.list()).models.map((m) => m.name);
		expect(names).toEqual(expect.arrayContaining(['phi3:latest', 'small:latest']));
	});

	test('push streams progress', async () => {
		const stream = await ollama.push({ model: 'llama3.2', stream: true });
		const statuses: string[] = [];
		for await (const p of stream) statuses.push(p.status);
		expect(statuses[0]).toBe('retrieving manifest');
		expect(statuses.some((s) => /^pushing [0-9a-f]{12}$/.test(s))).toBe(true);
		expect(statuses.slice(-2)).toEqual(['pushing manifest', 'success']);
	});

	test('ps reports loaded models with expiry, size_vram and context length', async () => {
		await ollama.generate({
			model: 'llama3.2',
			prompt: 'x',
			keep_alive: '10m',
			options: { num_ctx: 8192 },
		});
		const [m] = (await ollama.ps()).models;
		expect(m.name).toBe('llama3.2:latest');
		expect(m.size_vram).toBe(m.size);
		expect((m as unknown as { context_length: number }).context_length).toBe(8192);
		const ms = new Date(m.expires_at).getTime() - Date.now();
		expect(ms).toBeGreaterThan(9 * 60_000);
		expect(ms).toBeLessThan(10 * 60_000 + 1000);
	});
});
