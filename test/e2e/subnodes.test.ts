// The AI sub-nodes in real n8n: our Ollama Chat Model under a Basic LLM Chain, and our Ollama
// Embeddings under a Simple Vector Store (insert, then load), against the emulator.
import fs from 'fs';
import os from 'os';
import path from 'path';

import type { Emulator } from '../emulator';
import { embeddingFor, replyFor, startEmulator } from '../emulator';
import { EXAMPLE_CREDENTIAL, N8nInstance, exampleCredential, provision } from '../../scripts/n8n';
import { describeE2e, outputOf } from './support';

const credentials = {
	ollamaServerApi: { id: EXAMPLE_CREDENTIAL.id, name: EXAMPLE_CREDENTIAL.name },
};
const byName = (value: string) => ({ __rl: true, mode: 'name', value });
const trigger = {
	id: 't',
	name: 'Manual Trigger',
	type: 'n8n-nodes-base.manualTrigger',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

const chainWorkflow = {
	id: 'subnodesChain0001',
	name: 'Sub-nodes: Basic LLM Chain',
	nodes: [
		trigger,
		{
			id: 'q',
			name: 'Question',
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			position: [200, 0],
			parameters: {
				assignments: {
					assignments: [
						{ id: 'a', name: 'question', value: 'Why is the sky blue?', type: 'string' },
					],
				},
				options: {},
			},
		},
		{
			id: 'c',
			name: 'Chain',
			type: '@n8n/n8n-nodes-langchain.chainLlm',
			typeVersion: 1.9,
			position: [400, 0],
			parameters: { promptType: 'define', text: '={{ $json.question }}' },
		},
		{
			id: 'm',
			name: 'Ollama Chat Model',
			type: 'n8n-nodes-ollama.ollamaChatModel',
			typeVersion: 1,
			position: [400, 200],
			credentials,
			parameters: { model: byName('llama3.2'), options: { temperature: 0.3, keep_alive: '2m' } },
		},
	],
	connections: {
		'Manual Trigger': { main: [[{ node: 'Question', type: 'main', index: 0 }]] },
		Question: { main: [[{ node: 'Chain', type: 'main', index: 0 }]] },
		'Ollama Chat Model': {
			ai_languageModel: [[{ node: 'Chain', type: 'ai_languageModel', index: 0 }]],
		},
	},
	settings: {},
};

const texts = ['Cats purr when content.', 'Rust has a borrow checker.', 'Paris is in France.'];
const vectorWorkflow = {
	id: 'subnodesVector001',
	name: 'Sub-nodes: Simple Vector Store',
	nodes: [
		trigger,
		{
			id: 'd',
			name: 'Documents',
			type: 'n8n-nodes-base.code',
			typeVersion: 2,
			position: [200, 0],
			parameters: {
				jsCode: `return ${JSON.stringify(texts)}.map((text) => ({ json: { text } }));`,
			},
		},
		{
			id: 'l',
			name: 'Loader',
			type: '@n8n/n8n-nodes-langchain.documentDefaultDataLoader',
			typeVersion: 1.1,
			position: [500, 200],
			parameters: {
				dataType: 'json',
				jsonMode: 'expressionData',
				jsonData: '={{ $json.text }}',
				textSplittingMode: 'simple',
				options: {},
			},
		},
		{
			id: 'i',
			name: 'Insert',
			type: '@n8n/n8n-nodes-langchain.vectorStoreInMemory',
			typeVersion: 1.3,
			position: [400, 0],
			parameters: { mode: 'insert', memoryKey: byName('e2e_subnodes'), clearStore: true },
		},
		{
			id: 'q',
			name: 'Query',
			type: 'n8n-nodes-base.code',
			typeVersion: 2,
			position: [600, 0],
			parameters: {
				jsCode: "return [{ json: { query: 'Which city is in France?' } }];",
			},
		},
		{
			id: 'o',
			name: 'Load',
			type: '@n8n/n8n-nodes-langchain.vectorStoreInMemory',
			typeVersion: 1.3,
			position: [800, 0],
			parameters: {
				mode: 'load',
				memoryKey: byName('e2e_subnodes'),
				prompt: '={{ $json.query }}',
				topK: 3,
			},
		},
		{
			id: 'e',
			name: 'Ollama Embeddings',
			type: 'n8n-nodes-ollama.ollamaEmbeddings',
			typeVersion: 1,
			position: [600, 200],
			credentials,
			parameters: { model: byName('all-minilm'), options: { batchSize: 2 } },
		},
	],
	connections: {
		'Manual Trigger': { main: [[{ node: 'Documents', type: 'main', index: 0 }]] },
		Documents: { main: [[{ node: 'Insert', type: 'main', index: 0 }]] },
		Insert: { main: [[{ node: 'Query', type: 'main', index: 0 }]] },
		Query: { main: [[{ node: 'Load', type: 'main', index: 0 }]] },
		Loader: { ai_document: [[{ node: 'Insert', type: 'ai_document', index: 0 }]] },
		'Ollama Embeddings': {
			ai_embedding: [
				[
					{ node: 'Insert', type: 'ai_embedding', index: 0 },
					{ node: 'Load', type: 'ai_embedding', index: 0 },
				],
			],
		},
	},
	settings: {},
};

const cosine = (a: number[], b: number[]) => a.reduce((sum, x, i) => sum + x * b[i], 0);

describeE2e('AI sub-nodes in real n8n', () => {
	let emulator: Emulator;
	let n8n: N8nInstance;

	beforeAll(async () => {
		provision();
		emulator = await startEmulator();
		n8n = N8nInstance.temporary();
		n8n.installPackage();
		await n8n.importCredentials([exampleCredential(emulator.url)]);
		const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-ollama-subnodes-'));
		const files = [chainWorkflow, vectorWorkflow].map((workflow) => {
			const file = path.join(folder, `${workflow.id}.json`);
			fs.writeFileSync(file, JSON.stringify(workflow));
			return file;
		});
		await n8n.importWorkflows(files);
		fs.rmSync(folder, { recursive: true, force: true });
	});
	afterAll(async () => {
		await emulator?.close();
		n8n?.remove();
	});
	beforeEach(() => emulator.reset());

	it("Basic LLM Chain with the Ollama Chat Model answers with the model's reply over /api/chat", async () => {
		const { code, run, error, logs } = await n8n.execute(chainWorkflow.id);
		if (error) throw new Error(`${JSON.stringify(error)}\n${logs.slice(-3000)}`);
		expect(code).toBe(0);

		const chats = emulator.requests.filter((entry) => entry.path === '/api/chat');
		expect(chats).toHaveLength(1);
		const body = chats[0].body as { messages: Array<{ role: string; content: string }> };
		expect(body).toMatchObject({
			model: 'llama3.2',
			keep_alive: '2m',
			options: { temperature: 0.3 },
			stream: true,
		});
		expect(body).not.toHaveProperty('tools');
		const expected = replyFor({ model: 'llama3.2', messages: body.messages });
		expect(body.messages[body.messages.length - 1]).toEqual({
			role: 'user',
			content: 'Why is the sky blue?',
		});
		expect(outputOf(run, 'Chain')).toEqual([{ text: expected.response.trim() }]);
	});

	it('Simple Vector Store inserts with Ollama Embeddings in batches and loads the closest document first', async () => {
		const { code, run, error, logs } = await n8n.execute(vectorWorkflow.id);
		if (error) throw new Error(`${JSON.stringify(error)}\n${logs.slice(-3000)}`);
		expect(code).toBe(0);

		const embeds = emulator.requests
			.filter((entry) => entry.path === '/api/embed')
			.map((entry) => (entry.body as { input: string[] }).input);
		// Insert: the three documents in batches of 2; load: the query.
		expect(embeds).toEqual([texts.slice(0, 2), texts.slice(2), ['Which city is in France?']]);

		const loaded = outputOf(run, 'Load') as Array<{
			document: { pageContent: string };
			score: number;
		}>;
		const query = embeddingFor('all-minilm', 'Which city is in France?', 384);
		const ranked = [...texts].sort(
			(a, b) =>
				cosine(embeddingFor('all-minilm', b, 384), query) -
				cosine(embeddingFor('all-minilm', a, 384), query),
		);
		expect(loaded.map((item) => item.document.pageContent)).toEqual(ranked);
		expect(loaded[0].score).toBeCloseTo(
			cosine(embeddingFor('all-minilm', ranked[0], 384), query),
			4,
		);
	});
});
