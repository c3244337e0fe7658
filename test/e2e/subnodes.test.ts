// The AI sub-nodes in real n8n against the emulator: our Ollama Chat Model under a Basic LLM
// Chain and under an AI Agent (with the Calculator tool, then with Simple Memory too), and our
// Ollama Embeddings under a Simple Vector Store (insert, then load; then 200 texts).
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

const chatModelNodeBase = {
	id: 'm',
	name: 'Ollama Chat Model',
	type: 'n8n-nodes-ollama.ollamaChatModel',
	typeVersion: 1,
	position: [400, 200],
	credentials,
};
const chatModelNode = {
	...chatModelNodeBase,
	parameters: { model: byName('llama3.2'), options: {} },
};
const calculatorNode = {
	id: 'k',
	name: 'Calculator',
	type: '@n8n/n8n-nodes-langchain.toolCalculator',
	typeVersion: 1,
	position: [600, 200],
	parameters: {},
};
const memoryNode = {
	id: 'y',
	name: 'Simple Memory',
	type: '@n8n/n8n-nodes-langchain.memoryBufferWindow',
	typeVersion: 1.4, // the latest in n8n 2.41.1
	position: [800, 200],
	parameters: {
		sessionIdType: 'customKey',
		sessionKey: '={{ $json.sessionId }}',
		contextWindowLength: 5,
	},
};

/**
 * One agent run per turn, in sequence in one execution (Simple Memory lives in the n8n process,
 * and the Agent reads one memory per run): Question k (a Code node) → Agent k, every agent with
 * the Ollama Chat Model, the Calculator and, if asked, Simple Memory.
 */
function agentWorkflow(
	id: string,
	name: string,
	turns: Array<Record<string, string>>,
	withMemory = false,
) {
	const subNodes = [chatModelNode, calculatorNode, ...(withMemory ? [memoryNode] : [])];
	const agents = turns.map((_, k) => `Agent ${k + 1}`);
	const to = (type: string) => ({
		[type]: [agents.map((node) => ({ node, type, index: 0 }))],
	});
	const main = (node: string) => ({ main: [[{ node, type: 'main', index: 0 }]] });
	const connections: Record<string, object> = {
		'Manual Trigger': main('Question 1'),
		'Ollama Chat Model': to('ai_languageModel'),
		Calculator: to('ai_tool'),
		...(withMemory && { 'Simple Memory': to('ai_memory') }),
	};
	const steps = turns.flatMap((turn, k) => {
		connections[`Question ${k + 1}`] = main(agents[k]);
		if (k + 1 < turns.length) connections[agents[k]] = main(`Question ${k + 2}`);
		return [
			{
				id: `q${k}`,
				name: `Question ${k + 1}`,
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [200 + 400 * k, 0],
				parameters: { jsCode: `return [{ json: ${JSON.stringify(turn)} }];` },
			},
			{
				id: `a${k}`,
				name: agents[k],
				type: '@n8n/n8n-nodes-langchain.agent',
				typeVersion: 3.1,
				position: [400 + 400 * k, 0],
				parameters: { promptType: 'define', text: '={{ $json.question }}', options: {} },
			},
		];
	});
	return {
		id,
		name,
		nodes: [trigger, ...steps, ...subNodes],
		connections,
		// As the editor saves a workflow. Without it (legacy order) n8n 2.41.1's Agent receives
		// every tool result as "" (n8n-io/n8n#26202).
		settings: { executionOrder: 'v1' },
	};
}

const toolAgent = agentWorkflow('subnodesAgent0001', 'Sub-nodes: AI Agent with a tool', [
	{ question: 'What is 12 times 7?' },
]);

const memoryAgent = agentWorkflow(
	'subnodesMemory001',
	'Sub-nodes: AI Agent with Simple Memory',
	[
		{ sessionId: 'ada', question: 'My name is Ada.' },
		{ sessionId: 'ada', question: 'What is my name?' },
		{ sessionId: 'bob', question: 'What is my name?' },
	],
	true,
);

/** 200 distinct short texts, and a query close to one of them. */
const subjects = ['cat', 'river', 'engine', 'violin', 'glacier', 'tomato', 'comet', 'ledger'];
const verbs = ['sleeps', 'flows', 'hums', 'sings', 'melts', 'ripens', 'glows', 'balances'];
const manyTexts = Array.from(
	{ length: 200 },
	(_, k) =>
		`Note ${k}: the ${subjects[k % 8]} ${verbs[Math.floor(k / 8) % 8]} near place ${k * 7}.`,
);
const BATCH = 32;
const ragWorkflow = {
	...vectorWorkflow,
	id: 'subnodesRag200001',
	name: 'Sub-nodes: 200 texts',
	nodes: vectorWorkflow.nodes.map((node) => {
		if (node.name === 'Documents') {
			return {
				...node,
				parameters: {
					jsCode: `return ${JSON.stringify(manyTexts)}.map((text) => ({ json: { text } }));`,
				},
			};
		}
		if (node.name === 'Query') {
			return {
				...node,
				parameters: { jsCode: "return [{ json: { query: 'the comet glows near place 70' } }];" },
			};
		}
		if (node.name === 'Insert' || node.name === 'Load') {
			return {
				...node,
				parameters: { ...node.parameters, memoryKey: byName('e2e_subnodes_200') },
			};
		}
		if (node.name === 'Ollama Embeddings') {
			return {
				...node,
				parameters: { model: byName('all-minilm'), options: { batchSize: BATCH } },
			};
		}
		return node;
	}),
};

/** The city facts both structured-output workflows ask for. */
const citySchema = {
	type: 'object',
	properties: {
		city: { type: 'string', description: 'The name of the city' },
		population: { type: 'number', description: 'How many people live there' },
	},
	required: ['city', 'population'],
};
const cityText = 'Paris, the capital of France, has about 2.1 million inhabitants.';
const modelWith = (name: string, options: Record<string, unknown>, y: number) => ({
	...chatModelNodeBase,
	id: name,
	name,
	position: [400, y],
	parameters: { model: byName('llama3.2'), options },
});

/**
 * Basic LLM Chain with n8n's Structured Output Parser (the schema goes into the prompt as format
 * instructions); the Information Extractor with the same facts as attributes, on a Chat Model
 * whose Output Format is that schema (Ollama then constrains the answer to it); and a Basic LLM
 * Chain without a parser on a Chat Model with Output Format JSON (the chain parses the answer).
 */
const structuredWorkflow = {
	id: 'subnodesStruct001',
	name: 'Sub-nodes: structured output',
	nodes: [
		trigger,
		{
			id: 'x',
			name: 'Text',
			type: 'n8n-nodes-base.code',
			typeVersion: 2,
			position: [200, 0],
			parameters: { jsCode: `return [{ json: { text: ${JSON.stringify(cityText)} } }];` },
		},
		{
			id: 'c',
			name: 'Chain',
			type: '@n8n/n8n-nodes-langchain.chainLlm',
			typeVersion: 1.9,
			position: [400, 0],
			parameters: {
				promptType: 'define',
				text: '=Extract the city facts from: {{ $json.text }}',
				hasOutputParser: true,
			},
		},
		{
			id: 'p',
			name: 'Structured Output Parser',
			type: '@n8n/n8n-nodes-langchain.outputParserStructured',
			typeVersion: 1.3,
			position: [600, 200],
			parameters: { schemaType: 'manual', inputSchema: JSON.stringify(citySchema) },
		},
		{
			id: 'e',
			name: 'Information Extractor',
			type: '@n8n/n8n-nodes-langchain.informationExtractor',
			typeVersion: 1.2,
			position: [800, 0],
			parameters: {
				text: `={{ $('Text').item.json.text }}`,
				schemaType: 'fromAttributes',
				attributes: {
					attributes: [
						{ name: 'city', type: 'string', description: 'The name of the city', required: true },
						{
							name: 'population',
							type: 'number',
							description: 'How many people live there',
							required: true,
						},
					],
				},
				options: {},
			},
		},
		{
			id: 'j',
			name: 'JSON Chain',
			type: '@n8n/n8n-nodes-langchain.chainLlm',
			typeVersion: 1.9,
			position: [1200, 0],
			parameters: { promptType: 'define', text: `={{ $('Text').item.json.text }}` },
		},
		modelWith('Model', {}, 200),
		modelWith('Schema Model', { format: 'schema', jsonSchema: JSON.stringify(citySchema) }, 400),
		modelWith('JSON Model', { format: 'json' }, 600),
	],
	connections: {
		'Manual Trigger': { main: [[{ node: 'Text', type: 'main', index: 0 }]] },
		Text: { main: [[{ node: 'Chain', type: 'main', index: 0 }]] },
		Chain: { main: [[{ node: 'Information Extractor', type: 'main', index: 0 }]] },
		'Information Extractor': { main: [[{ node: 'JSON Chain', type: 'main', index: 0 }]] },
		Model: { ai_languageModel: [[{ node: 'Chain', type: 'ai_languageModel', index: 0 }]] },
		'Structured Output Parser': {
			ai_outputParser: [[{ node: 'Chain', type: 'ai_outputParser', index: 0 }]],
		},
		'Schema Model': {
			ai_languageModel: [[{ node: 'Information Extractor', type: 'ai_languageModel', index: 0 }]],
		},
		'JSON Model': {
			ai_languageModel: [[{ node: 'JSON Chain', type: 'ai_languageModel', index: 0 }]],
		},
	},
	settings: { executionOrder: 'v1' },
};

type ChatBody = {
	tools?: Array<{ function: { name: string } }>;
	messages: Array<{ role: string; content: string; tool_name?: string; tool_calls?: unknown[] }>;
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
		const files = [
			chainWorkflow,
			vectorWorkflow,
			toolAgent,
			memoryAgent,
			ragWorkflow,
			structuredWorkflow,
		].map((workflow) => {
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

	const run = async (id: string) => {
		const result = await n8n.execute(id);
		if (result.error)
			throw new Error(`${JSON.stringify(result.error)}\n${result.logs.slice(-3000)}`);
		expect(result.code).toBe(0);
		return result.run;
	};
	const chatBodies = () =>
		emulator.requests.filter((r) => r.path === '/api/chat').map((r) => r.body as ChatBody);
	/** The emulator's text reply to a chat request (its last message a tool result or a question). */
	const replyTo = (body: ChatBody) =>
		replyFor({ model: 'llama3.2', messages: body.messages, tools: body.tools }).response;
	const calculate = { type: 'toolCall', path: '/api/chat', name: 'Calculator' } as const;

	it('AI Agent: the model asks for the Calculator, n8n runs it, the result goes back to Ollama as a tool message, the answer is the next reply', async () => {
		emulator.addFault({ ...calculate, arguments: { input: '12*7' } });
		const result = await run(toolAgent.id);

		const [ask, answer, ...more] = chatBodies();
		expect(more).toEqual([]);
		expect(ask.tools?.map((tool) => tool.function.name)).toEqual(['Calculator']);
		expect(ask.messages.at(-1)).toEqual({ role: 'user', content: 'What is 12 times 7?' });
		expect(answer.messages.slice(ask.messages.length)).toEqual([
			{
				role: 'assistant',
				content: '',
				tool_calls: [{ function: { name: 'Calculator', arguments: { input: '12*7' } } }],
			},
			// The Agent gives the model the tool's output items as JSON.
			{ role: 'tool', content: '[{"response":"84"}]', tool_name: 'Calculator' },
		]);
		const [{ output }] = outputOf(result, 'Agent 1');
		expect(output).toBe(replyTo(answer));
		expect(output).not.toBe('');
	});

	it('AI Agent with Simple Memory: the second question of a session is sent with the first exchange, another session without it', async () => {
		emulator.addFault({ ...calculate, times: -1, arguments: { input: '1+1' } });
		const result = await run(memoryAgent.id);

		const bodies = chatBodies();
		// Each run: the tool call, then the answer after the tool result.
		expect(bodies).toHaveLength(6);
		const outputs = [1, 2, 3].map((k) => outputOf(result, `Agent ${k}`)[0].output);
		expect(outputs[0]).toBe(replyTo(bodies[1]));
		const said = (body: ChatBody) =>
			body.messages
				.filter((m) => m.role === 'user' || (m.role === 'assistant' && m.content !== ''))
				.map((m) => [m.role, m.content]);
		expect(said(bodies[2])).toEqual([
			['user', 'My name is Ada.'],
			['assistant', outputs[0]],
			['user', 'What is my name?'],
		]);
		expect(outputs[1]).toBe(replyTo(bodies[3]));
		expect(said(bodies[4])).toEqual([['user', 'What is my name?']]);
	});

	it('Simple Vector Store: 200 texts through Ollama Embeddings in few requests, and the nearest text comes back first', async () => {
		const result = await run(ragWorkflow.id);

		const embeds = emulator.requests
			.filter((entry) => entry.path === '/api/embed')
			.map((entry) => (entry.body as { input: string[] }).input);
		const query = 'the comet glows near place 70';
		expect(embeds.length).toBeLessThanOrEqual(Math.ceil(200 / BATCH) + 1);
		expect(embeds.slice(0, -1).flat()).toEqual(manyTexts);
		expect(embeds.at(-1)).toEqual([query]);

		const target = embeddingFor('all-minilm', query, 384);
		const ranked = [...manyTexts].sort(
			(a, b) =>
				cosine(embeddingFor('all-minilm', b, 384), target) -
				cosine(embeddingFor('all-minilm', a, 384), target),
		);
		const loaded = outputOf(result, 'Load') as Array<{ document: { pageContent: string } }>;
		expect(loaded.map((item) => item.document.pageContent)).toEqual(ranked.slice(0, 3));
	});
	it('structured output: the schema reaches Ollama (as format instructions, and as `format` from the Output Format option), and each node outputs the parsed object', async () => {
		// The first model follows the parser's format instructions as a real model would: JSON in a
		// fenced block, wrapped in the parser's "output" key.
		const facts = { city: 'Paris', population: 2100000 };
		emulator.addFault({
			type: 'text',
			path: '/api/chat',
			text: '```json\n' + JSON.stringify({ output: facts }) + '\n```',
		});
		const result = await run(structuredWorkflow.id);

		const [chain, extractor, json, ...more] = emulator.requests
			.filter((entry) => entry.path === '/api/chat')
			.map((entry) => entry.body as ChatBody & { format?: unknown });
		expect(more).toEqual([]);
		const prompt = (body: ChatBody) => body.messages.map((m) => m.content).join('\n');
		// The parser's instructions carry the schema's fields and descriptions.
		for (const body of [chain, extractor]) {
			expect(prompt(body)).toContain('"population"');
			expect(prompt(body)).toContain('How many people live there');
		}
		expect(chain).not.toHaveProperty('format');
		expect(outputOf(result, 'Chain')).toEqual([{ output: facts }]);

		expect(extractor.format).toEqual(citySchema);
		const constrained = JSON.parse(
			replyFor({ model: 'llama3.2', messages: extractor.messages, format: citySchema }).response,
		) as Record<string, unknown>;
		expect(Object.keys(constrained).sort()).toEqual(['city', 'population']);
		expect(outputOf(result, 'Information Extractor')).toEqual([{ output: constrained }]);

		expect(json.format).toBe('json');
		const parsed = JSON.parse(
			replyFor({ model: 'llama3.2', messages: json.messages, format: 'json' }).response,
		) as Record<string, unknown>;
		// Parsed by the chain (the model says it writes JSON), not the text under "text".
		expect(outputOf(result, 'JSON Chain')).toEqual([parsed]);
	});
});
