import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { OllamaModels } from '../../nodes/OllamaModels/OllamaModels.node';
import type { Emulator } from '../emulator';
import { startEmulator } from '../emulator';
import type { RunOptions } from '../harness/run';
import { runNode } from '../harness/run';

let emulator: Emulator;
beforeAll(async () => {
	emulator = await startEmulator();
});
afterAll(async () => {
	await emulator.close();
});
beforeEach(() => emulator.reset());

const byName = (value: string) => ({ __rl: true, mode: 'name', value });

function models(parameters: INodeParameters, extra: Partial<RunOptions> = {}): RunOptions {
	return {
		node: { type: OllamaModels, parameters, continueOnFail: true },
		credentials: { baseUrl: emulator.url, authentication: 'none' },
		...extra,
	};
}

async function json(
	parameters: INodeParameters,
	extra: Partial<RunOptions> = {},
): Promise<IDataObject[]> {
	const { items, error } = await runNode(models(parameters, extra));
	if (error) throw error;
	return items.map((item) => item.json);
}

const list = () => json({ resource: 'model', operation: 'list' });
const names = async () => (await list()).map((m) => m.name);

describe('Ollama Model Management', () => {
	it('lists models with sizes a person can read, one item per model', async () => {
		const output = await list();
		expect(output.length).toBeGreaterThan(3);
		const llama = output.find((m) => m.name === 'llama3.2:latest') as IDataObject;
		expect(llama).toMatchObject({
			model: 'llama3.2:latest',
			digest: expect.stringMatching(/^[0-9a-f]{64}$/),
		});
		expect(llama.sizeHuman).toMatch(/^\d+\.\d (MB|GB)$/);
	});

	it('filters the list by name and by capability', async () => {
		const embedding = await json({
			resource: 'model',
			operation: 'list',
			filters: { capabilities: ['embedding'], nameContains: 'NOMIC' },
		});
		expect(embedding.map((m) => m.name)).toEqual(['nomic-embed-text:latest']);
		expect(embedding[0].capabilities).toEqual(['embedding']);
	});

	it('gets a model with its parameters parsed into typed values and kept as text', async () => {
		const [shown] = await json({ resource: 'model', operation: 'get', model: byName('llama3.2') });
		expect(shown.capabilities).toEqual(expect.arrayContaining(['completion', 'tools']));
		expect(typeof shown.parametersText).toBe('string');
		expect(shown.parameters).toEqual({
			stop: ['<|start_header_id|>', '<|end_header_id|>', '<|eot_id|>'],
		});
		expect(shown.model_info).toEqual(expect.any(Object));
		// Numbers as numbers, a repeated stop as a list, in every parameter the model sets.
		const [qwen] = await json({ resource: 'model', operation: 'get', model: byName('qwen3') });
		expect(qwen.parameters).toEqual({
			repeat_penalty: 1,
			stop: ['<|im_start|>', '<|im_end|>'],
			temperature: 0.6,
			top_k: 20,
			top_p: 0.95,
		});
		expect(qwen.parametersText).toMatch(/^temperature\s+0\.6$/m);
	});

	it('pulls a model: progress aggregated into one result, and the model is then listed', async () => {
		expect(await names()).not.toContain('mistral:latest');
		const [pulled] = await json({ resource: 'model', operation: 'pull', modelName: 'mistral' });
		expect(pulled).toMatchObject({ model: 'mistral', status: 'success' });
		expect(pulled.statuses).toEqual(
			expect.arrayContaining(['pulling manifest', 'verifying sha256 digest', 'success']),
		);
		expect((pulled.layers as IDataObject[]).length).toBeGreaterThan(0);
		expect(pulled.totalBytes).toBeGreaterThan(0);
		expect(pulled.completedBytes).toBe(pulled.totalBytes);
		expect(await names()).toContain('mistral:latest');
	});

	it('reports an unknown model on pull with Ollama’s text from the stream', async () => {
		const [failed] = await json({
			resource: 'model',
			operation: 'pull',
			modelName: 'no-such-model',
		});
		expect(failed.error).toBe('pull model manifest: file does not exist');
	});

	it('Ensure Present pulls only when missing and is idempotent (llama3.2 equals llama3.2:latest)', async () => {
		const [present] = await json({
			resource: 'model',
			operation: 'ensurePresent',
			modelName: 'llama3.2',
		});
		expect(present).toMatchObject({ present: true, pulled: false, name: 'llama3.2:latest' });
		expect(emulator.requests.some((r) => r.path === '/api/pull')).toBe(false);

		const [first] = await json({
			resource: 'model',
			operation: 'ensurePresent',
			modelName: 'gemma3',
		});
		expect(first).toMatchObject({ present: true, pulled: true, status: 'success' });
		const [second] = await json({
			resource: 'model',
			operation: 'ensurePresent',
			modelName: 'gemma3:latest',
		});
		expect(second).toMatchObject({ present: true, pulled: false });
	});

	it('copies then deletes; a deleted model is a 404 afterwards', async () => {
		const [copied] = await json({
			resource: 'model',
			operation: 'copy',
			model: byName('llama3.2'),
			destination: 'my-llama:v1',
		});
		expect(copied).toEqual({ source: 'llama3.2', destination: 'my-llama:v1', copied: true });
		expect(await names()).toContain('my-llama:v1');

		const [deleted] = await json({
			resource: 'model',
			operation: 'delete',
			model: byName('my-llama:v1'),
		});
		expect(deleted).toEqual({ model: 'my-llama:v1', deleted: true });
		const [gone] = await json({
			resource: 'model',
			operation: 'get',
			model: byName('my-llama:v1'),
		});
		expect(gone.error).toBe("model 'my-llama:v1' not found");
	});

	it('refuses to copy a model onto itself before sending anything', async () => {
		const [refused] = await json({
			resource: 'model',
			operation: 'copy',
			model: byName('llama3.2'),
			destination: 'llama3.2:latest',
		});
		expect(refused.error).toBe('Cannot copy "llama3.2" onto itself.');
		expect(emulator.requests).toHaveLength(0);
	});

	it('deletes a missing model as an error, or as "missing" with Ignore If Missing', async () => {
		const [strict] = await json({ resource: 'model', operation: 'delete', model: byName('ghost') });
		expect(strict.error).toBe("model 'ghost' not found");
		const [lenient] = await json({
			resource: 'model',
			operation: 'delete',
			model: byName('ghost'),
			ignoreIfMissing: true,
		});
		expect(lenient).toEqual({ model: 'ghost', deleted: false, missing: true });
	});

	it('creates a model from a Modelfile, translated into fields (never the old modelfile field)', async () => {
		const modelfile = [
			'# a comment',
			'FROM llama3.2',
			'SYSTEM """You are',
			'a pirate."""',
			'PARAMETER temperature 0.3',
			'PARAMETER num_ctx 4096',
			'PARAMETER stop "<|end|>"',
			'PARAMETER stop "User:"',
			'MESSAGE user Hello',
			'MESSAGE assistant Arr!',
			'LICENSE MIT',
		].join('\n');
		const [created] = await json({
			resource: 'model',
			operation: 'create',
			modelName: 'pirate',
			source: 'modelfile',
			modelfile,
		});
		expect(created).toMatchObject({ model: 'pirate', status: 'success', from: 'llama3.2' });
		const sent = emulator.requests.find((r) => r.path === '/api/create')?.body as IDataObject;
		expect(sent).toMatchObject({
			model: 'pirate',
			from: 'llama3.2',
			system: 'You are\na pirate.',
			parameters: { temperature: 0.3, num_ctx: 4096, stop: ['<|end|>', 'User:'] },
			messages: [
				{ role: 'user', content: 'Hello' },
				{ role: 'assistant', content: 'Arr!' },
			],
			license: ['MIT'],
		});
		expect(sent).not.toHaveProperty('modelfile');
		const [shown] = await json({ resource: 'model', operation: 'get', model: byName('pirate') });
		expect(shown.system).toBe('You are\na pirate.');
	});

	it('creates a model from fields with typed parameters', async () => {
		await json({
			resource: 'model',
			operation: 'create',
			modelName: 'terse',
			source: 'fields',
			from: 'qwen3',
			system: 'Be terse.',
			parameters: {
				parameter: [
					{ name: 'top_k', value: '20' },
					{ name: 'use_mmap', value: 'false' },
				],
			},
		});
		const sent = emulator.requests.find((r) => r.path === '/api/create')?.body as IDataObject;
		expect(sent).toMatchObject({
			from: 'qwen3',
			system: 'Be terse.',
			parameters: { top_k: 20, use_mmap: false },
		});
	});

	it.each([
		['FROM llama3.2\nFOO bar', /line 2: unknown instruction "FOO"/],
		['FROM llama3.2\nSYSTEM """never closed', /line 2: a """ value is never closed/],
		['FROM ./model.gguf', /line 1: FROM \.\/model\.gguf names a local file/],
		['FROM llama3.2\nADAPTER ./lora.gguf', /line 2: ADAPTER needs a file upload/],
		['FROM llama3.2\nPARAMETER temperature hot', /line 2: temperature must be a number/],
		['SYSTEM hi', /no FROM instruction/],
	])('refuses a bad Modelfile before sending: %j', async (modelfile, message) => {
		const [refused] = await json({
			resource: 'model',
			operation: 'create',
			modelName: 'bad',
			source: 'modelfile',
			modelfile,
		});
		expect(refused.error).toMatch(message);
		expect(emulator.requests.filter((r) => r.path === '/api/create')).toHaveLength(0);
	});

	it('retries a create refused before any output (503), but never repeats a create whose stream had begun', async () => {
		const create = {
			resource: 'model',
			operation: 'create',
			modelName: 'again',
			source: 'fields',
			from: 'llama3.2',
		};
		emulator.addFault({ type: 'busy', path: '/api/create' });
		const [retried] = await json({ ...create, reliability: { maxAttempts: 3 } });
		expect(retried.status).toBe('success');
		expect(emulator.requests.filter((r) => r.path === '/api/create').map((r) => r.status)).toEqual([
			503, 200,
		]);

		emulator.clearRequests();
		emulator.addFault({ type: 'reset', afterChunks: 1, path: '/api/create' });
		const [cut] = await json({ ...create, modelName: 'again2', reliability: { maxAttempts: 3 } });
		expect(cut.error).toMatch(/connection to Ollama was cut while \/api\/create was streaming/);
		expect(emulator.requests.filter((r) => r.path === '/api/create')).toHaveLength(1);
	});

	it('pushes a model with its progress aggregated', async () => {
		await json({
			resource: 'model',
			operation: 'copy',
			model: byName('llama3.2'),
			destination: 'me/llama:v1',
		});
		const [pushed] = await json({
			resource: 'model',
			operation: 'push',
			model: byName('me/llama:v1'),
		});
		expect(pushed).toMatchObject({ model: 'me/llama:v1', status: 'success' });
		expect(pushed.statuses).toEqual(
			expect.arrayContaining(['retrieving manifest', 'pushing manifest', 'success']),
		);
		expect(pushed.completedBytes).toBe(pushed.totalBytes);
	});

	it('quantizes on create when asked', async () => {
		await json({
			resource: 'model',
			operation: 'create',
			modelName: 'small',
			source: 'fields',
			from: 'llama3.2',
			options: { quantize: 'q4_K_M' },
		});
		expect(emulator.requests.find((r) => r.path === '/api/create')?.body).toMatchObject({
			quantize: 'q4_K_M',
		});
	});

	it('loads and unloads a model; List Running shows it, with expiry in seconds or forever', async () => {
		const [loaded] = await json({
			resource: 'running',
			operation: 'load',
			model: byName('llama3.2'),
			keepAlive: '10m',
		});
		expect(loaded).toEqual({ model: 'llama3.2', action: 'load' });
		let running = await json({ resource: 'running', operation: 'list' });
		expect(running[0]).toMatchObject({ name: 'llama3.2:latest', keptForever: false });
		expect(running[0].expiresInSeconds).toBeGreaterThan(590);

		await json({
			resource: 'running',
			operation: 'load',
			model: byName('llama3.2'),
			keepAlive: '-1',
		});
		running = await json({ resource: 'running', operation: 'list' });
		expect(running[0]).toMatchObject({
			keptForever: true,
			expires_at: null,
			expiresInSeconds: null,
		});

		const [unloaded] = await json({
			resource: 'running',
			operation: 'unload',
			model: byName('llama3.2'),
		});
		expect(unloaded).toEqual({ model: 'llama3.2', action: 'unload' });
		expect(await json({ resource: 'running', operation: 'list' })).toEqual([]);
	});

	it('loads an embedding-only model through /api/embed', async () => {
		const [loaded] = await json({
			resource: 'running',
			operation: 'load',
			model: byName('nomic-embed-text'),
		});
		expect(loaded).toEqual({ model: 'nomic-embed-text', action: 'load' });
		expect(emulator.requests.map((r) => r.path)).toContain('/api/embed');
		const running = await json({ resource: 'running', operation: 'list' });
		expect(running.map((m) => m.name)).toEqual(['nomic-embed-text:latest']);
	});

	it('sends a unitless keep alive as a number and refuses one that is not a duration', async () => {
		await json({
			resource: 'running',
			operation: 'load',
			model: byName('llama3.2'),
			keepAlive: '300',
		});
		expect(emulator.requests.find((r) => r.path === '/api/generate')?.body).toMatchObject({
			keep_alive: 300,
		});
		const [refused] = await json({
			resource: 'running',
			operation: 'load',
			model: byName('llama3.2'),
			keepAlive: 'abc',
		});
		expect(refused.error).toMatch(/Keep Alive "abc" is not a duration/);
	});

	it('tells the server version', async () => {
		const [version] = await json({ resource: 'server', operation: 'version' });
		expect(version).toEqual({
			version: expect.stringMatching(/^\d+\.\d+\.\d+/),
			baseUrl: emulator.url,
		});
	});

	it('resolves parameters per item and pairs every output with its item', async () => {
		const { items } = await runNode(
			models(
				{
					resource: 'model',
					operation: 'get',
					model: { __rl: true, mode: 'name', value: '={{ $json.name }}' },
				},
				{ items: [{ name: 'llama3.2' }, { name: 'bad name!' }, { name: 'qwen3' }] },
			),
		);
		expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items[0].json.capabilities).toContain('tools');
		expect(items[1].json.error).toMatch(/contains spaces/);
		expect(items[2].json.capabilities).toContain('thinking');
	});

	it('sends pull progress live when the execution streams and Stream Progress is on', async () => {
		const { chunks } = await runNode(
			models(
				{
					resource: 'model',
					operation: 'pull',
					modelName: 'phi3',
					options: { streamProgress: true },
				},
				{ streaming: true },
			),
		);
		expect(chunks[0].type).toBe('begin');
		expect(chunks[chunks.length - 1].type).toBe('end');
		const lines = chunks.filter((c) => c.type === 'item').map((c) => c.content);
		expect(lines[0]).toBe('pulling manifest\n');
		expect(lines).toContain('success\n');
	});

	it('streams Ollama’s error text when a streamed pull fails, and a note when nothing needs pulling', async () => {
		const failed = await runNode(
			models(
				{
					resource: 'model',
					operation: 'pull',
					modelName: 'no-such-model',
					options: { streamProgress: true },
				},
				{ streaming: true },
			),
		);
		expect(failed.chunks.map((c) => c.type)).toEqual(['begin', 'item', 'error', 'end']);
		expect(failed.chunks[2].content).toBe('pull model manifest: file does not exist');

		const present = await runNode(
			models(
				{
					resource: 'model',
					operation: 'ensurePresent',
					modelName: 'llama3.2',
					options: { streamProgress: true },
				},
				{ streaming: true },
			),
		);
		expect(present.chunks.map((c) => [c.type, c.content])).toEqual([
			['begin', undefined],
			['item', 'llama3.2:latest is already present\n'],
			['end', undefined],
		]);
	});
});
