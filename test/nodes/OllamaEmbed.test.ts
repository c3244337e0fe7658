import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { OllamaEmbed } from '../../nodes/OllamaEmbed/OllamaEmbed.node';
import type { ItemJob, RequestSettings } from '../../nodes/OllamaEmbed/plan';
import { plainJsonPath } from '../../nodes/n8n/itemValues';
import { planBatches } from '../../nodes/OllamaEmbed/plan';
import { likeEmbed, vectorProblem } from '../../nodes/OllamaEmbed/vectors';
import type { Emulator, RequestLogEntry } from '../emulator';
import { embeddingFor, legacyEmbeddingFor } from '../emulator';
import type { RunOptions } from '../harness/run';
import { runNode, startRun } from '../harness/run';
import { useEmulator } from './emulator.fixture';

const emulator = useEmulator();

const byName = (value: string) => ({ __rl: true, mode: 'name', value });
const MODEL = 'all-minilm'; // 384-dimensional vectors, context 512 tokens

function embedNode(
	parameters: INodeParameters,
	items: IDataObject[],
	extra: Partial<RunOptions> & { continueOnFail?: boolean } = {},
): RunOptions {
	const { continueOnFail = true, ...rest } = extra;
	return {
		node: {
			type: OllamaEmbed,
			parameters: { model: byName(MODEL), text: '={{ $json.text }}', ...parameters },
			continueOnFail,
		},
		credentials: { baseUrl: emulator.url, authentication: 'none' },
		items,
		...rest,
	};
}

async function embed(
	parameters: INodeParameters,
	items: IDataObject[],
	extra: Partial<RunOptions> & { continueOnFail?: boolean } = {},
) {
	const result = await runNode(embedNode(parameters, items, extra));
	return { ...result, json: result.items.map((item) => item.json) };
}

const texts = (n: number, prefix = 'doc') =>
	Array.from({ length: n }, (_, i) => ({ text: `${prefix} ${i}` }));

/** The vector the emulator makes for a text, as float32 values. */
const expected = (text: string, model = MODEL, length = 384, dimensions?: number) =>
	embeddingFor(model, text, length, dimensions);
const asFloat32 = (vector: unknown) => (vector as number[]).map((x) => Math.fround(x));

const embedRequests = (): RequestLogEntry[] =>
	emulator.requests.filter((r) => r.path === '/api/embed');
const inputsOf = (request: RequestLogEntry) => (request.body as { input: string[] }).input;

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
	const start = Date.now();
	while (!condition()) {
		if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}

describe('planning batches (pure)', () => {
	const settings: RequestSettings = { model: 'm', api: 'auto', pullIfMissing: false };
	const job = (itemIndex: number, count: number, s = settings): ItemJob => ({
		itemIndex,
		texts: Array.from({ length: count }, (_, k) => `${itemIndex}.${k}`),
		list: count > 1,
		settings: s,
	});

	it('fills batches across items and splits an item that does not fit', () => {
		const batches = planBatches([job(0, 3), job(1, 3), job(2, 1)], 4);
		expect(batches.map((b) => b.slices.map((s) => [s.itemIndex, s.from, s.texts.length]))).toEqual([
			[
				[0, 0, 3],
				[1, 0, 1],
			],
			[
				[1, 1, 2],
				[2, 0, 1],
			],
		]);
	});

	it('never mixes models (or any other request setting) in one batch', () => {
		const other = { ...settings, model: 'n' };
		const batches = planBatches([job(0, 1), job(1, 1, other), job(2, 1), job(3, 1, other)], 10);
		expect(batches.map((b) => [b.settings.model, b.slices.map((s) => s.itemIndex)])).toEqual([
			['m', [0, 2]],
			['n', [1, 3]],
		]);
	});
});

describe('reading Text straight from the item (pure)', () => {
	it.each([
		['={{ $json.text }}', ['text']],
		['={{$json.doc.body}}', ['doc', 'body']],
		['={{ $json["my text"] }}', ['my text']],
		["={{ $json.doc['x'].y }}", ['doc', 'x', 'y']],
	])('%s is a plain path', (raw, keys) => expect(plainJsonPath(raw)).toEqual(keys));

	it.each([
		'={{ $json.text.trim() }}',
		'={{ $json.text }} and more',
		'={{ $("Other").item.json.text }}',
		'={{ $json[0] }}',
		'plain text',
		42,
	])('%s goes through n8n’s expression engine', (raw) =>
		expect(plainJsonPath(raw)).toBeUndefined(),
	);
});

describe('vectors (pure)', () => {
	it('cuts a vector to Dimensions and normalises it again, as Ollama does', () => {
		expect(likeEmbed([3, 4, 12], 2)).toEqual([0.6, 0.8]);
		expect(likeEmbed([3, 4])).toEqual([0.6, 0.8]);
		expect(likeEmbed([0, 0])).toEqual([0, 0]);
	});

	it('refuses empty, non-numeric and too short vectors', () => {
		expect(vectorProblem([])).toBe('an empty vector');
		expect(vectorProblem(['0.1', 0.2])).toMatch(/not numbers/);
		expect(vectorProblem([0.1, 0.2], 4)).toMatch(/2-dimensional vectors, fewer than the 4/);
		expect(vectorProblem([0.1, 0.2, 0.3], 2)).toBeUndefined();
	});
});

describe('Ollama Embed', () => {
	it('embeds every item in one request and gives each its own vector, as numbers, paired', async () => {
		const { json, items } = await embed({}, texts(3));
		expect(embedRequests()).toHaveLength(1);
		expect(inputsOf(embedRequests()[0])).toEqual(['doc 0', 'doc 1', 'doc 2']);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		json.forEach((output, i) => {
			expect(Object.keys(output).sort()).toEqual(['batch', 'dimensions', 'embedding', 'model']);
			// The one request all three texts went in: its token count and time, as Ollama reported them.
			expect(output.batch).toMatchObject({
				texts: 3,
				promptTokens: expect.any(Number),
				totalMs: expect.any(Number),
			});
			expect((output.batch as { promptTokens: number }).promptTokens).toBeGreaterThan(0);
			expect(output.model).toBe(MODEL);
			expect(output.dimensions).toBe(384);
			expect((output.embedding as unknown[]).every((x) => typeof x === 'number')).toBe(true);
			expect(asFloat32(output.embedding)).toEqual(expected(`doc ${i}`));
		});
	});

	it('cuts N items into batches of Batch Size when N is not a multiple of it, keeping order', async () => {
		const { json } = await embed({ batchSize: 32 }, texts(70));
		expect(embedRequests().map((r) => inputsOf(r).length)).toEqual([32, 32, 6]);
		expect(embedRequests().flatMap(inputsOf)).toEqual(texts(70).map((t) => t.text));
		expect(json).toHaveLength(70);
		for (const i of [0, 31, 32, 63, 64, 69]) {
			expect(asFloat32(json[i].embedding)).toEqual(expected(`doc ${i}`));
		}
	});

	it('gives an item with a list of texts a list of vectors, also when the list spans batches', async () => {
		const items = [{ text: ['a1', 'a2', 'a3'] }, { text: 'b' }, { text: ['c1', 'c2', 'c3', 'c4'] }];
		const { json } = await embed({ batchSize: 3, options: { includeText: true } }, items);
		expect(embedRequests().map(inputsOf)).toEqual([
			['a1', 'a2', 'a3'],
			['b', 'c1', 'c2'],
			['c3', 'c4'],
		]);
		expect(json[0].text).toEqual(['a1', 'a2', 'a3']);
		expect((json[0].embedding as unknown[]).map(asFloat32)).toEqual(
			['a1', 'a2', 'a3'].map((t) => expected(t)),
		);
		expect(json[1]).toMatchObject({ text: 'b', dimensions: 384 });
		expect(asFloat32(json[1].embedding)).toEqual(expected('b'));
		expect((json[2].embedding as unknown[]).map(asFloat32)).toEqual(
			['c1', 'c2', 'c3', 'c4'].map((t) => expected(t)),
		);
	});

	it('keeps item order under concurrency even when batches finish out of order', async () => {
		emulator.configure({ latency: { parallel: 4, firstTokenMs: 20 } });
		emulator.addFault({ type: 'stall', path: '/api/embed', ms: 300 });
		const { json } = await embed({ batchSize: 5, concurrency: 4 }, texts(40));
		const requests = embedRequests();
		expect(requests).toHaveLength(8);
		// The first batch was held back while the others went through.
		expect(requests[0].finishedAt!).toBeGreaterThan(requests[1].finishedAt!);
		const inFlight = requests.filter((r) => r.receivedAt < requests[0].finishedAt!);
		expect(inFlight.length).toBeGreaterThanOrEqual(4);
		json.forEach((output, i) => expect(asFloat32(output.embedding)).toEqual(expected(`doc ${i}`)));
	});

	it('sends dimensions, truncate, keep_alive and the load options on the wire', async () => {
		const { json } = await embed(
			{
				options: {
					dimensions: 128,
					truncate: false,
					keep_alive: '300',
					num_ctx: 512,
					num_thread: 4,
					num_gpu: 0,
				},
			},
			texts(2),
		);
		expect(embedRequests()[0].body).toEqual({
			model: MODEL,
			input: ['doc 0', 'doc 1'],
			truncate: false,
			dimensions: 128,
			keep_alive: 300,
			options: { num_ctx: 512, num_thread: 4, num_gpu: 0 },
		});
		expect(json[0].dimensions).toBe(128);
		expect(asFloat32(json[0].embedding)).toEqual(expected('doc 0', MODEL, 384, 128));
	});

	it('sends only what was set: no truncate, dimensions or options by default', async () => {
		await embed({}, texts(1));
		expect(embedRequests()[0].body).toEqual({ model: MODEL, input: ['doc 0'] });
	});

	it('refuses Dimensions larger than the model’s vectors instead of passing on the wrong size', async () => {
		const { json } = await embed({ options: { dimensions: 1024 } }, texts(2));
		expect(json).toHaveLength(2);
		for (const output of json) {
			expect(output.error).toMatch(
				/384-dimensional vectors, fewer than the 1024 set in "Dimensions"/,
			);
		}
	});

	it('rejects empty, whitespace-only and non-string texts per item, naming item and parameter, before sending', async () => {
		const items = [
			{ text: 'fine 0' },
			{ text: '' },
			{ text: '   \n' },
			{ text: 42 },
			{ text: ['ok', ''] },
			{ text: ['ok', null] },
			{ text: [] },
			{},
			{ text: 'fine 8' },
		];
		const { json, items: output } = await embed({}, items);
		expect(output.map((item) => item.pairedItem)).toEqual(items.map((_, i) => ({ item: i })));
		expect(json[1].error).toBe(
			'The "Text" of item 1 is empty or only whitespace: Ollama returns no vector for it.',
		);
		expect(json[1].description).toBe('Check the "Text" parameter of item 1.');
		expect(json[2].error).toMatch(/"Text" of item 2 is empty or only whitespace/);
		expect(json[3].error).toBe(
			'The "Text" of item 3 is a number (42), not a string or a list of strings.',
		);
		expect(json[4].error).toMatch(/Entry 1 of the "Text" list of item 4 is empty/);
		expect(json[5].error).toBe('Entry 1 of the "Text" list of item 5 is null, not a string.');
		expect(json[6].error).toMatch(/"Text" of item 6 is an empty list/);
		expect(json[7].error).toMatch(/"Text" of item 7 is missing/);
		expect(asFloat32(json[0].embedding)).toEqual(expected('fine 0'));
		expect(asFloat32(json[8].embedding)).toEqual(expected('fine 8'));
		expect(embedRequests().map(inputsOf)).toEqual([['fine 0', 'fine 8']]);
	});

	it('checks model, keep alive and dimensions per item, naming the item', async () => {
		const items = [
			{ text: 'a', model: 'bad name!', keep: '5m', dims: 64 },
			{ text: 'b', model: MODEL, keep: 'soon', dims: 64 },
			{ text: 'c', model: MODEL, keep: '5m', dims: -1 },
			{ text: 'd', model: MODEL, keep: '-1', dims: 64 },
		];
		const { json } = await embed(
			{
				model: byName('={{ $json.model }}'),
				options: { keep_alive: '={{ $json.keep }}', dimensions: '={{ $json.dims }}' },
			},
			items,
		);
		expect(json[0]).toMatchObject({
			error: expect.stringMatching(/contains spaces/),
			description: 'Check the "Model" parameter of item 0.',
		});
		expect(json[1]).toMatchObject({
			error: expect.stringMatching(/Keep Alive "soon" is not a duration/),
			description: 'Check the "Keep Alive" parameter of item 1.',
		});
		expect(json[2].error).toBe(
			'The "Dimensions" of item 2 must be a whole number of 1 or more, not -1.',
		);
		expect(json[3]).toMatchObject({ dimensions: 64 });
		expect(embedRequests().map((r) => r.body)).toEqual([
			{ model: MODEL, input: ['d'], dimensions: 64, keep_alive: -1 },
		]);
	});

	it('without Continue On Fail, a bad text stops the node before anything is sent', async () => {
		const { error } = await embed({}, [{ text: 'fine' }, { text: ' ' }], {
			continueOnFail: false,
		});
		expect(error?.message).toMatch(/"Text" of item 1 is empty/);
		expect(emulator.requests).toHaveLength(0);
	});

	it('isolates the failing item of a failed batch, so the other items still get their vectors', async () => {
		const long = Array.from({ length: 600 }, (_, k) => `word${k}`).join(' ');
		const items = [...texts(2), { text: long }, ...texts(2, 'more')];
		const { json } = await embed({ batchSize: 10, options: { truncate: false } }, items);
		expect(json[2].error).toBe('the input length exceeds the context length');
		expect(json[2].httpCode).toBe('400');
		expect(asFloat32(json[0].embedding)).toEqual(expected('doc 0'));
		expect(asFloat32(json[4].embedding)).toEqual(expected('more 1'));
		// One batch, then each item on its own; a 400 is never retried.
		expect(embedRequests().map((r) => inputsOf(r).length)).toEqual([5, 1, 1, 1, 1, 1]);
	});

	it('isolates a batch that the server refused as a whole (400) and fails only what fails alone', async () => {
		emulator.addFault({ type: 'status', path: '/api/embed', status: 400, error: 'invalid input' });
		const { json } = await embed({ batchSize: 4 }, texts(6));
		expect(json.every((output) => Array.isArray(output.embedding))).toBe(true);
		expect(embedRequests().map((r) => inputsOf(r).length)).toEqual([4, 1, 1, 1, 1, 2]);
	});

	it('without Continue On Fail, names the item that fails and starts no further batch', async () => {
		const long = Array.from({ length: 600 }, (_, k) => `word${k}`).join(' ');
		const items = [...texts(3), { text: long }, ...texts(12, 'later')];
		const { error } = await embed({ batchSize: 4, options: { truncate: false } }, items, {
			continueOnFail: false,
		});
		expect(error?.message).toBe('the input length exceeds the context length');
		expect((error as unknown as { context: IDataObject }).context.itemIndex).toBe(3);
		expect(embedRequests().flatMap(inputsOf)).not.toContain('later 0');
	});

	it('groups items by model (resolved per item) so a batch holds one model’s texts', async () => {
		const items = [
			{ text: 'x0', model: 'all-minilm' },
			{ text: 'x1', model: 'nomic-embed-text' },
			{ text: 'x2', model: 'all-minilm' },
			{ text: 'x3', model: 'nomic-embed-text' },
		];
		const { json } = await embed({ model: byName('={{ $json.model }}') }, items);
		expect(embedRequests().map((r) => [(r.body as IDataObject).model, inputsOf(r)])).toEqual([
			['all-minilm', ['x0', 'x2']],
			['nomic-embed-text', ['x1', 'x3']],
		]);
		expect(json.map((output) => [output.model, output.dimensions])).toEqual([
			['all-minilm', 384],
			['nomic-embed-text', 768],
			['all-minilm', 384],
			['nomic-embed-text', 768],
		]);
		expect(asFloat32(json[3].embedding)).toEqual(expected('x3', 'nomic-embed-text', 768));
	});

	it('gives the same texts for a plain $json path as for any other expression', async () => {
		const items = [{ doc: { body: 'first' } }, { doc: { body: 'second' } }, { doc: {} }];
		const plain = await embed({ text: '={{ $json.doc.body }}' }, items);
		const general = await embed(
			{ text: '={{ $json.doc.body ? $json.doc.body : undefined }}' },
			items,
		);
		const literal = await embed({ text: 'the same for all' }, items.slice(0, 1));
		expect(embedRequests().map(inputsOf)).toEqual([
			['first', 'second'],
			['first', 'second'],
			['the same for all'],
		]);
		expect(plain.json[2].error).toBe(general.json[2].error);
		expect(plain.json[2].error).toMatch(/"Text" of item 2 is missing/);
		expect(asFloat32(plain.json[1].embedding)).toEqual(asFloat32(general.json[1].embedding));
		expect(asFloat32(literal.json[0].embedding)).toEqual(expected('the same for all'));
	});

	it('writes the vector to the Output Field and can keep the input fields', async () => {
		const { json } = await embed({ outputField: 'vector', options: { keepInputFields: true } }, [
			{ text: 'hello', id: 7 },
		]);
		expect(json[0]).toMatchObject({ id: 7, text: 'hello', dimensions: 384, model: MODEL });
		expect(json[0].vector).toHaveLength(384);
		expect(json[0]).not.toHaveProperty('embedding');
	});

	describe('a server without /api/embed', () => {
		beforeEach(() => emulator.configure({ legacyOnly: true }));

		it('is detected (404 page not found) and /api/embeddings is used one text at a time, saying so', async () => {
			const { json } = await embed({ batchSize: 32 }, texts(3));
			const paths = emulator.requests.map((r) => r.path);
			expect(paths).toEqual([
				'/api/embed',
				'/api/embeddings',
				'/api/embeddings',
				'/api/embeddings',
			]);
			expect(emulator.requests[1].body).toEqual({ model: MODEL, prompt: 'doc 0' });
			expect(json).toHaveLength(3);
			json.forEach((output, i) => {
				expect(output).toMatchObject({ api: 'embeddings', dimensions: 384, model: MODEL });
				expect(output.notice).toMatch(/no \/api\/embed/);
				const raw = legacyEmbeddingFor(MODEL, `doc ${i}`, 384);
				const norm = Math.hypot(...raw);
				const vector = output.embedding as number[];
				vector.forEach((x, k) => expect(x).toBeCloseTo(raw[k] / norm, 6));
			});
		});

		it('applies Dimensions itself on the legacy endpoint (cut, then normalised)', async () => {
			const { json } = await embed({ options: { api: 'embeddings', dimensions: 64 } }, texts(1));
			expect(emulator.requests.map((r) => r.path)).toEqual(['/api/embeddings']);
			const vector = json[0].embedding as number[];
			expect(vector).toHaveLength(64);
			expect(Math.hypot(...vector)).toBeCloseTo(1, 9);
		});

		it('fails with the server’s 404 when API is set to Embed only', async () => {
			const { json } = await embed({ options: { api: 'embed' } }, texts(2));
			expect(json[0]).toMatchObject({ error: '404 page not found', httpCode: '404' });
			expect(emulator.requests.map((r) => r.path)).toEqual(['/api/embed']);
		});
	});

	describe('a model the server does not have', () => {
		const seed = {
			name: 'mxbai-embed-large:latest',
			capabilities: ['embedding' as const],
			family: 'bert',
			contextLength: 512,
			embeddingLength: 1024,
		};

		it('is Ollama’s 404 with a hint, not retried', async () => {
			const { json } = await embed({ model: byName('mxbai-embed-large') }, texts(2));
			expect(json[0]).toMatchObject({
				error: 'model "mxbai-embed-large" not found, try pulling it first',
				httpCode: '404',
			});
			expect(json[0].description).toMatch(/Pull Model If Missing/);
			expect(embedRequests()).toHaveLength(1);
		});

		it('is pulled once with Pull Model If Missing, then every batch goes through', async () => {
			emulator.addModel(seed, { remote: true });
			emulator.configure({ latency: { parallel: 2 } });
			const { json } = await embed(
				{
					model: byName('mxbai-embed-large'),
					batchSize: 2,
					concurrency: 2,
					reliability: { pullIfMissing: true },
				},
				texts(4),
			);
			expect(emulator.requests.filter((r) => r.path === '/api/pull')).toHaveLength(1);
			expect(emulator.requests.find((r) => r.path === '/api/pull')?.body).toMatchObject({
				model: 'mxbai-embed-large',
			});
			expect(json).toHaveLength(4);
			json.forEach((output, i) =>
				expect(asFloat32(output.embedding)).toEqual(
					expected(`doc ${i}`, 'mxbai-embed-large', 1024),
				),
			);
		});

		it('reports a failed pull on the item, with what was tried', async () => {
			const { json } = await embed(
				{ model: byName('no-such-embedder'), reliability: { pullIfMissing: true } },
				texts(1),
			);
			expect(json[0].error).toBe('pull model manifest: file does not exist');
			expect(json[0].description).toMatch(/pulling it \(Pull Model If Missing\) failed/);
		});
	});

	it('stops when the execution is cancelled: the request in flight is closed, no batch follows', async () => {
		emulator.configure({ latency: { firstTokenMs: 400 } });
		const execution = startRun(embedNode({ batchSize: 2 }, texts(10)));
		await waitFor(() => embedRequests().length === 1);
		const cancelledAt = Date.now();
		execution.cancel();
		await execution.result.catch(() => undefined);
		await waitFor(() => embedRequests()[0].clientDisconnected);
		expect(embedRequests()[0].disconnectedAt! - cancelledAt).toBeLessThan(1000);
		await new Promise((resolve) => setTimeout(resolve, 500));
		expect(embedRequests()).toHaveLength(1);
	});

	it('refuses a Batch Size below 1 before sending', async () => {
		const { error } = await embed({ batchSize: 0 }, texts(1));
		expect(error?.message).toMatch(/"Batch Size" must be a whole number of 1 or more/);
		expect(emulator.requests).toHaveLength(0);
	});
});
