// The example workflows in real n8n (`n8n execute --id`), against the Ollama emulator.
import { createHash } from 'crypto';
import { writeFileSync } from 'fs';
import { join } from 'path';

import type { Emulator } from '../emulator';
import { embeddingFor, replyFor, startEmulator } from '../emulator';
import {
	EXAMPLE_CREDENTIAL,
	N8nInstance,
	OPENAI_EXAMPLE_CREDENTIAL,
	exampleWorkflows,
	provision,
} from '../../scripts/n8n';
import { describeE2e, exampleId, getJson, outputOf, prepare } from './support';

describeE2e('example workflows in real n8n', () => {
	let emulator: Emulator;
	let n8n: N8nInstance;

	beforeAll(async () => {
		provision();
		emulator = await startEmulator();
		n8n = N8nInstance.temporary();
		await prepare(n8n, emulator);
	});
	afterAll(async () => {
		await emulator?.close();
		n8n?.remove();
	});
	beforeEach(() => emulator.reset());

	it('every example uses this package, with a credential npm start creates', () => {
		const created = [EXAMPLE_CREDENTIAL, OPENAI_EXAMPLE_CREDENTIAL].map(({ id, name }) => ({
			ollamaServerApi: { id, name },
		}));
		for (const { workflow } of exampleWorkflows()) {
			const ours = workflow.nodes.filter((node) => node.type.startsWith('n8n-nodes-ollama.'));
			expect(ours.length).toBeGreaterThan(0);
			for (const node of ours) expect(created).toContainEqual(node.credentials);
		}
	});

	it('2. Batch summarization: one summary per document, in order, paired, Generate running 3 at once', async () => {
		emulator.configure({ latency: { parallel: 4, tokenMs: 40 } });

		const { code, run, error } = await n8n.execute(exampleId(/^2\./));

		expect(error).toBeUndefined();
		expect(code).toBe(0);
		expect(outputOf(run, 'Ensure Model Present')).toEqual([
			expect.objectContaining({ model: 'llama3.2', present: true, pulled: false }),
		]);
		const documents = outputOf(run, 'Documents');
		expect(documents).toHaveLength(5);
		const summaries = outputOf(run, 'Summary per Document');
		expect(summaries).toHaveLength(documents.length);
		const system = 'You write short, factual summaries.';
		summaries.forEach((summary, i) => {
			const document = documents[i];
			const prompt = `Summarize this document in one sentence.\n\nTitle: ${String(document.title)}\n\n${String(document.text)}`;
			expect(summary).toEqual({
				id: document.id,
				title: document.title,
				summary: replyFor({ model: 'llama3.2:latest', prompt, system }).response,
				tokens: expect.any(Number),
			});
		});
		// Every Summarize output item is paired with the document it came from.
		const generated = run.data.resultData.runData['Summarize'][0].data!.main[0]!;
		expect(generated.map((item) => (item as { pairedItem?: unknown }).pairedItem)).toEqual(
			documents.map((_, i) => ({ item: i })),
		);

		const generates = emulator.requests.filter((entry) => entry.path === '/api/generate');
		expect(generates).toHaveLength(5);
		// Concurrency 3: at most three requests in flight at once, and three did overlap.
		const inFlight = generates.map(
			(entry) =>
				generates.filter(
					(other) => other.receivedAt <= entry.receivedAt && other.finishedAt! > entry.receivedAt,
				).length,
		);
		expect(Math.max(...inFlight)).toBe(3);
	});

	it('4. Embeddings: the texts in one batched request, ranked by cosine similarity to the query', async () => {
		const { code, run, error } = await n8n.execute(exampleId(/^4\./));

		expect(error).toBeUndefined();
		expect(code).toBe(0);
		const inputs = outputOf(run, 'Query and Texts');
		const embedded = outputOf(run, 'Embed');
		expect(embedded).toHaveLength(inputs.length);
		embedded.forEach((item, i) => {
			expect(item.text).toBe(inputs[i].text);
			const vector = item.embedding as number[];
			expect(vector).toHaveLength(768);
			expect(vector.every((x) => typeof x === 'number' && Number.isFinite(x))).toBe(true);
			const expected = embeddingFor('nomic-embed-text', String(item.text), 768);
			vector.forEach((x, k) => expect(x).toBeCloseTo(expected[k], 6));
		});
		const embeds = emulator.requests.filter((entry) => entry.path === '/api/embed');
		expect(embeds).toHaveLength(1);
		expect((embeds[0].body as { input: string[] }).input).toEqual(inputs.map((i) => i.text));

		const ranking = outputOf(run, 'Rank by Cosine Similarity');
		const texts = inputs.filter((item) => item.role === 'text');
		expect(ranking).toHaveLength(texts.length);
		const query = embeddingFor('nomic-embed-text', String(inputs[0].text), 768);
		const cosine = (a: number[], b: number[]) => a.reduce((sum, x, k) => sum + x * b[k], 0);
		ranking.forEach((entry, position) => {
			expect(entry.rank).toBe(position + 1);
			expect(entry.query).toBe(inputs[0].text);
			expect(entry.text).toBe(texts[entry.index as number].text);
			const vector = embeddingFor('nomic-embed-text', String(entry.text), 768);
			expect(entry.score as number).toBeCloseTo(cosine(query, vector), 5);
			if (position > 0) {
				expect(entry.score as number).toBeLessThanOrEqual(ranking[position - 1].score as number);
			}
		});
		expect(new Set(ranking.map((entry) => entry.index))).toEqual(new Set(texts.map((_, i) => i)));
	});

	it('5. Model housekeeping: reports the version, lists models and running models, unloads them', async () => {
		await getJson(`${emulator.url}/api/generate`, { model: 'llama3.2', prompt: '' });
		const running = (await getJson(`${emulator.url}/api/ps`)).body as { models: unknown[] };
		expect(running.models).toHaveLength(1);

		const { code, run, error } = await n8n.execute(exampleId(/housekeeping/i));

		expect(error).toBeUndefined();
		expect(code).toBe(0);
		expect(outputOf(run, 'Server Version')).toEqual([
			expect.objectContaining({ version: expect.stringMatching(/^\d+\.\d+\.\d+/) }),
		]);
		const models = outputOf(run, 'List Models');
		expect(models.map((m) => m.name)).toEqual(
			expect.arrayContaining(['llama3.2:latest', 'nomic-embed-text:latest']),
		);
		expect(models[0]).toEqual(
			expect.objectContaining({ sizeHuman: expect.stringMatching(/^\d+\.\d (MB|GB)$/) }),
		);
		expect(outputOf(run, 'List Running Models')).toEqual([
			expect.objectContaining({ name: 'llama3.2:latest', keptForever: false }),
		]);
		expect(outputOf(run, 'Unload Model')).toEqual([
			expect.objectContaining({ model: 'llama3.2:latest', action: 'unload' }),
		]);
		const after = (await getJson(`${emulator.url}/api/ps`)).body as { models: unknown[] };
		expect(after.models).toEqual([]);
	});

	type ChatBody = {
		tools?: Array<{ function: { name: string } }>;
		messages: Array<{ role: string; content: string; tool_calls?: unknown[] }>;
	};
	const chatBodies = () =>
		emulator.requests.filter((r) => r.path === '/api/chat').map((r) => r.body as ChatBody);
	const replyTo = (body: ChatBody) =>
		replyFor({ model: 'llama3.2', messages: body.messages, tools: body.tools }).response;

	it('6. AI Agent with a tool: the Calculator runs on the call of the Ollama Chat Model, whose next reply is the answer', async () => {
		emulator.addFault({
			type: 'toolCall',
			path: '/api/chat',
			name: 'Calculator',
			arguments: { input: '12*7' },
		});
		const { code, run, error } = await n8n.execute(exampleId(/^6\./));

		expect(error).toBeUndefined();
		expect(code).toBe(0);
		const [ask, answer, ...more] = chatBodies();
		expect(more).toEqual([]);
		expect(ask.tools?.map((tool) => tool.function.name)).toEqual(['Calculator']);
		expect(ask.messages.map((m) => m.role)).toEqual(['system', 'user']);
		expect(answer.messages.at(-1)).toEqual({
			role: 'tool',
			content: '[{"response":"84"}]',
			tool_name: 'Calculator',
		});
		expect(outputOf(run, 'AI Agent')).toEqual([{ output: replyTo(answer) }]);
	});

	it("6. without a forced call (as npm start runs it on the emulator): the Calculator answers the emulator's made-up input, and the agent still answers", async () => {
		const { code, run, error } = await n8n.execute(exampleId(/^6\./));

		expect(error).toBeUndefined();
		expect(code).toBe(0);
		const [, answer] = chatBodies();
		expect(answer.messages.at(-1)).toMatchObject({ role: 'tool', tool_name: 'Calculator' });
		expect(outputOf(run, 'AI Agent')).toEqual([{ output: replyTo(answer) }]);
	});

	it('9. OpenAI-compatible API: three answers over /v1/chat/completions (two at a time), then their vectors over /v1/embeddings in one request', async () => {
		const { code, run, error } = await n8n.execute(exampleId(/^9\./));

		expect(error).toBeUndefined();
		expect(code).toBe(0);
		const questions = outputOf(run, 'Questions').map((item) => String(item.question));
		const chats = emulator.requests.filter((r) => r.path === '/v1/chat/completions');
		expect(chats).toHaveLength(3);
		expect(emulator.requests.filter((r) => r.path.startsWith('/api/'))).toEqual([]);
		const answers = outputOf(run, 'Ollama Chat');
		answers.forEach((answer, k) => {
			const messages = [
				{ role: 'system', content: 'Answer in one sentence.' },
				{ role: 'user', content: questions[k] },
			];
			const body = chats.find(
				(r) =>
					JSON.stringify((r.body as { messages: unknown }).messages) === JSON.stringify(messages),
			)?.body;
			expect(body).toMatchObject({ model: 'llama3.2', temperature: 0.3, stream: true });
			expect(answer).toMatchObject({
				content: replyFor({ model: 'llama3.2', messages }).response,
				done_reason: 'stop',
			});
		});
		const embeds = emulator.requests.filter((r) => r.path === '/v1/embeddings');
		expect(embeds.map((r) => (r.body as { input: string[] }).input)).toEqual([
			answers.map((answer) => String(answer.content)),
		]);
		const vectors = outputOf(run, 'Ollama Embed');
		vectors.forEach((item, k) => {
			expect(item.content).toBe(answers[k].content); // Keep Input Fields
			const expected = embeddingFor('nomic-embed-text', String(answers[k].content), 768);
			(item.embedding as number[]).forEach((x, i) => expect(x).toBeCloseTo(expected[i], 5));
		});
	});

	it('7. Small RAG: the documents embedded in one request, the closest three retrieved, the answer from that context', async () => {
		const { code, run, error } = await n8n.execute(exampleId(/^7\./));

		expect(error).toBeUndefined();
		expect(code).toBe(0);
		const texts = outputOf(run, 'Documents').map((item) => String(item.text));
		const question = String(outputOf(run, 'Question')[0].question);
		const embeds = emulator.requests
			.filter((entry) => entry.path === '/api/embed')
			.map((entry) => (entry.body as { input: string[] }).input);
		expect(embeds).toEqual([texts, [question]]);

		const cosine = (a: number[], b: number[]) => a.reduce((sum, x, k) => sum + x * b[k], 0);
		const vector = (text: string) => embeddingFor('nomic-embed-text', text, 768);
		const closest = [...texts]
			.sort((a, b) => cosine(vector(b), vector(question)) - cosine(vector(a), vector(question)))
			.slice(0, 3);
		const [context] = outputOf(run, 'Context');
		expect(context.context).toBe(closest.map((text, k) => `${k + 1}. ${text}`).join('\n'));

		const [chat, ...more] = chatBodies();
		expect(more).toEqual([]);
		expect(chat.messages.at(-1)).toEqual({
			role: 'user',
			content: `Answer the question using only this context.\n\nContext:\n${String(context.context)}\n\nQuestion: ${question}`,
		});
		expect(outputOf(run, 'Answer')).toEqual([{ text: replyTo(chat).trim() }]);
	});

	it("a model from a GGUF file in n8n's binary store: hashed, uploaded as a stream once, created by digest; a Modelfile FROM ./file.gguf reuses the blob", async () => {
		// "GGUF" and two zero bytes, then zero bytes: 300,006 bytes, built inside n8n.
		const base64 = `R0dVRgAA${'AAAA'.repeat(100_000)}`;
		const bytes = Buffer.from(base64, 'base64');
		const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
		const file = join(n8n.userFolder, 'create-from-file.json');
		writeFileSync(file, JSON.stringify(createFromFileWorkflow(base64.length)));
		await n8n.importWorkflows([file]);

		const { code, run, error } = await n8n.execute('e2eCreateFromFile');

		expect(error).toBeUndefined();
		expect(code).toBe(0);
		// Kept in n8n's binary store, not in the item: the node reads it with getBinaryStream.
		const stored = run.data.resultData.runData['To File'][0].data?.main[0]?.[0].binary?.data;
		expect(stored).toMatchObject({ id: expect.stringMatching(/^filesystem/) });
		expect(stored?.data).not.toBe(base64);
		expect(outputOf(run, 'Create From Binary')).toEqual([
			expect.objectContaining({
				model: 'tiny-gguf',
				status: 'success',
				files: [{ name: 'tiny.gguf', digest, size: bytes.length, uploaded: true }],
			}),
		]);
		expect(outputOf(run, 'Create From Modelfile')).toEqual([
			expect.objectContaining({
				model: 'tiny-gguf-terse',
				status: 'success',
				files: [{ name: 'tiny.gguf', digest, size: bytes.length, uploaded: false }],
			}),
		]);
		const blobs = emulator.requests.filter((r) => r.path === `/api/blobs/${digest}`);
		expect(blobs.map((r) => [r.method, r.status])).toEqual([
			['HEAD', 404],
			['POST', 201],
			['HEAD', 200],
		]);
		expect(blobs[1].bodyBytes).toBe(bytes.length);
		const creates = emulator.requests.filter((r) => r.path === '/api/create');
		expect(creates.map((r) => r.body)).toEqual([
			{ model: 'tiny-gguf', files: { 'tiny.gguf': digest }, stream: true },
			{
				model: 'tiny-gguf-terse',
				files: { 'tiny.gguf': digest },
				system: 'Answer in five words.',
				stream: true,
			},
		]);
	});

	it("the error path: a missing model fails the execution with Ollama's own text", async () => {
		const { code, signal, run, error } = await n8n.execute(exampleId(/does not exist/i));

		// Under load, n8n 2.41.1 was once killed by a signal after printing the execution: name it.
		expect({ code, signal }).toEqual({ code: 1, signal: null });
		expect(error?.message).toContain("model 'no-such-model:7b' not found");
		expect(run.data.resultData.lastNodeExecuted).toBe('Get Missing Model');
		const nodeRun = run.data.resultData.runData['Get Missing Model'][0];
		expect(nodeRun.error?.message).toContain("model 'no-such-model:7b' not found");
		expect(nodeRun.error?.httpCode).toBe('404');
	});
});

/** Code (base64 text) → Convert to File (n8n's binary store) → two creates from that file. */
function createFromFileWorkflow(base64Length: number) {
	const create = (name: string, parameters: object, y: number) => ({
		id: name,
		name,
		type: 'n8n-nodes-ollama.ollamaModels',
		typeVersion: 1,
		position: [600, y],
		parameters: { resource: 'model', operation: 'create', ...parameters },
		credentials: {
			ollamaServerApi: { id: EXAMPLE_CREDENTIAL.id, name: EXAMPLE_CREDENTIAL.name },
		},
	});
	return {
		id: 'e2eCreateFromFile',
		name: 'Create from a GGUF file',
		active: false,
		settings: { executionOrder: 'v1' },
		connections: {
			Start: { main: [[{ node: 'Bytes', type: 'main', index: 0 }]] },
			Bytes: { main: [[{ node: 'To File', type: 'main', index: 0 }]] },
			'To File': {
				main: [
					[
						{ node: 'Create From Binary', type: 'main', index: 0 },
						{ node: 'Create From Modelfile', type: 'main', index: 0 },
					],
				],
			},
		},
		nodes: [
			{
				id: 'start',
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: 'bytes',
				name: 'Bytes',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [200, 0],
				parameters: {
					jsCode: `return [{ json: { b64: 'R0dVRgAA' + 'A'.repeat(${base64Length - 8}) } }];`,
				},
			},
			{
				id: 'toFile',
				name: 'To File',
				type: 'n8n-nodes-base.convertToFile',
				typeVersion: 1.1,
				position: [400, 0],
				parameters: {
					operation: 'toBinary',
					sourceProperty: 'b64',
					binaryPropertyName: 'data',
					options: { fileName: 'tiny.gguf', mimeType: 'application/octet-stream' },
				},
			},
			create('Create From Binary', { modelName: 'tiny-gguf', base: 'binary' }, 0),
			create(
				'Create From Modelfile',
				{
					modelName: 'tiny-gguf-terse',
					source: 'modelfile',
					modelfile: 'FROM ./tiny.gguf\nSYSTEM Answer in five words.',
				},
				200,
			),
		],
	};
}
