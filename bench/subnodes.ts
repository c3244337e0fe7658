// The AI sub-nodes in real n8n (issue 14): the same Basic LLM Chain, AI Agent and Simple Vector
// Store workflows run with our Ollama Chat Model / Ollama Embeddings and with n8n's built-in
// Ollama Chat Model / Embeddings Ollama (credential ollamaApi, same base URL), side by side in one
// n8n user folder against one emulator; then both under a burst of 503s and under a 400. Times
// come from n8n's run data (the root node's wall time); requests from the emulator's log. See
// bench/README.md.
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { join } from 'path';

import type * as N8nScripts from '../scripts/n8n';
import type { Emulator, FaultSpec, ReplyRequest, RequestLogEntry } from '../test/emulator';
import { replyFor, startEmulator } from '../test/emulator';
import { BUILT_IN_CREDENTIAL, OUR_CREDENTIAL, ensureBuilt, n8nScripts } from './batchGenerate';
import { argument } from './cli';

export interface SubnodesOptions {
	/** Questions through the Basic LLM Chain. Default 50. */
	chainItems?: number;
	/** Questions through the AI Agent. Default 3. */
	agentItems?: number;
	/** Texts inserted into the Simple Vector Store. Default 200. */
	texts?: number;
	/** 503s the emulator answers before it serves normally again. Default 2. */
	burst?: number;
	/** The emulator's parallel slots. Default 4. */
	parallel?: number;
	/** Time per request (the emulator's firstTokenMs; tokenMs is 0). Default 25. */
	latencyMs?: number;
	/**
	 * Runs of each healthy workflow per side, alternating ours and the built-in; the fastest
	 * counts (a shared machine swings these by a second). Fault runs run once. Default 2.
	 */
	rounds?: number;
}

export type Side = 'ours' | 'built-in';

export interface SideResult {
	side: Side;
	ok: boolean;
	/**
	 * The root node's wall time: from the end of the node before it to the end of its last run
	 * (an AI Agent runs again after its tools, and n8n keeps only that last run's start).
	 */
	nodeMs: number;
	/** Root start → first request received: n8n loading the chain/agent/store and the sub-node. */
	leadMs: number;
	/** First request received → root end: the requests and the work between them. */
	afterFirstMs: number;
	/** Wall time of the whole `n8n execute` process, start-up included. */
	processMs: number;
	/** nodeMs of every run (the fastest is shown; a failed run is shown if there was one). */
	samplesMs: number[];
	/** Requests the emulator received on the scenario's path, and the statuses it answered. */
	requests: number;
	statuses: Record<string, number>;
	/** Other Ollama requests (e.g. /api/tags, /api/show), by path. */
	others: Record<string, number>;
	/** Outputs that are the emulator's answer for their own item (or, for an insert, stored texts). */
	correct: number;
	expected: number;
	/** First received → last finished on the scenario's path (the time the server saw work). */
	serverSpanMs: number;
	/** The message n8n shows for a failed execution, and the node it names. */
	error?: { message: string; description?: string; node?: string };
}

export interface Scenario {
	key: string;
	label: string;
	path: '/api/chat' | '/api/embed';
	sides: SideResult[];
}

export interface SubnodesResult {
	n8nVersion: string;
	options: Required<SubnodesOptions>;
	scenarios: Scenario[];
}

const CHAT_MODEL = 'llama3.2:latest';
/**
 * An embedding model with 8-number vectors, registered in the emulator: n8n's Embeddings Ollama
 * logs every vector into the run data, and with all-minilm's 384 the 200 vectors make
 * `n8n execute` print a line of megabytes that it does not always finish writing before it exits.
 */
const EMBED_DIMENSIONS = 8;
const EMBED_MODEL = `bench-embed-${EMBED_DIMENSIONS}:latest`;
const SIDES: Side[] = ['ours', 'built-in'];

const question = (i: number) => `Question ${i}: why is the sky blue?`;
const agentQuestion = (i: number) => `What is ${12 + i} times 7?`;
const text = (i: number) =>
	`Note ${i}: the ${['cat', 'river', 'comet', 'violin'][i % 4]} at ${i * 7}.`;

/** As the editor saves a model picked from each node's list (both list /api/tags names). */
function chatModel(side: Side, options: Record<string, unknown> = {}) {
	return side === 'ours'
		? {
				name: 'Chat Model',
				type: 'n8n-nodes-ollama.ollamaChatModel',
				typeVersion: 1,
				parameters: {
					model: { __rl: true, mode: 'list', value: CHAT_MODEL, cachedResultName: CHAT_MODEL },
					options,
				},
				credentials: { ollamaServerApi: { id: OUR_CREDENTIAL.id, name: OUR_CREDENTIAL.name } },
			}
		: {
				name: 'Chat Model',
				type: '@n8n/n8n-nodes-langchain.lmChatOllama',
				typeVersion: 1,
				parameters: { model: CHAT_MODEL, options },
				credentials: {
					ollamaApi: { id: BUILT_IN_CREDENTIAL.id, name: BUILT_IN_CREDENTIAL.name },
				},
			};
}

function embeddings(side: Side, options: Record<string, unknown> = {}) {
	return side === 'ours'
		? {
				name: 'Embeddings',
				type: 'n8n-nodes-ollama.ollamaEmbeddings',
				typeVersion: 1,
				parameters: {
					model: { __rl: true, mode: 'list', value: EMBED_MODEL, cachedResultName: EMBED_MODEL },
					options,
				},
				credentials: { ollamaServerApi: { id: OUR_CREDENTIAL.id, name: OUR_CREDENTIAL.name } },
			}
		: {
				name: 'Embeddings',
				type: '@n8n/n8n-nodes-langchain.embeddingsOllama',
				typeVersion: 1,
				parameters: { model: EMBED_MODEL },
				credentials: {
					ollamaApi: { id: BUILT_IN_CREDENTIAL.id, name: BUILT_IN_CREDENTIAL.name },
				},
			};
}

type Node = { name: string; type: string; typeVersion: number; parameters: object };

/**
 * Start → Items (a Code node making the items) → the root node, with its sub-nodes connected by
 * `links` (sub-node name → connection type). Execution order v1, as the editor saves a workflow
 * (without it n8n 2.41.1's Agent receives every tool result as "", n8n-io/n8n#26202).
 */
function workflow(
	id: string,
	name: string,
	itemsCode: string,
	root: Node,
	subNodes: Array<Node & { link: string }>,
) {
	const at = (k: number, row = 0) => ({ position: [220 * k, 200 * row] });
	return {
		id,
		name,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: `${id}-t`,
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				parameters: {},
				...at(0),
			},
			{
				id: `${id}-i`,
				name: 'Items',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				parameters: { jsCode: itemsCode },
				...at(1),
			},
			{ id: `${id}-r`, ...root, ...at(2) },
			...subNodes.map(({ link: _link, ...node }, k) => ({
				id: `${id}-s${k}`,
				...node,
				...at(2 + k, 1),
			})),
		],
		connections: {
			Start: { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
			Items: { main: [[{ node: root.name, type: 'main', index: 0 }]] },
			...Object.fromEntries(
				subNodes.map((node) => [
					node.name,
					{ [node.link]: [[{ node: root.name, type: node.link, index: 0 }]] },
				]),
			),
		},
	};
}

const itemsOf = (field: string, values: string[]) =>
	`return ${JSON.stringify(values)}.map((value) => ({ json: { ${field}: value } }));`;

const chain = (side: Side, id: string, questions: string[], options?: Record<string, unknown>) =>
	workflow(
		id,
		`Bench: Basic LLM Chain (${side})`,
		itemsOf('question', questions),
		{
			name: 'Basic LLM Chain',
			type: '@n8n/n8n-nodes-langchain.chainLlm',
			typeVersion: 1.9,
			parameters: { promptType: 'define', text: '={{ $json.question }}' },
		},
		[{ ...chatModel(side, options), link: 'ai_languageModel' }],
	);

const agent = (side: Side, id: string, questions: string[]) =>
	workflow(
		id,
		`Bench: AI Agent with the Calculator (${side})`,
		itemsOf('question', questions),
		{
			name: 'AI Agent',
			type: '@n8n/n8n-nodes-langchain.agent',
			typeVersion: 3.1,
			parameters: { promptType: 'define', text: '={{ $json.question }}', options: {} },
		},
		[
			{ ...chatModel(side), link: 'ai_languageModel' },
			{
				name: 'Calculator',
				type: '@n8n/n8n-nodes-langchain.toolCalculator',
				typeVersion: 1,
				parameters: {},
				link: 'ai_tool',
			},
		],
	);

const insert = (side: Side, id: string, texts: string[], options?: Record<string, unknown>) =>
	workflow(
		id,
		`Bench: Simple Vector Store insert (${side})`,
		itemsOf('text', texts),
		{
			name: 'Simple Vector Store',
			type: '@n8n/n8n-nodes-langchain.vectorStoreInMemory',
			typeVersion: 1.3,
			parameters: {
				mode: 'insert',
				memoryKey: { __rl: true, mode: 'list', value: 'vector_store_key' },
				clearStore: true,
			},
		},
		[
			{ ...embeddings(side, options), link: 'ai_embedding' },
			{
				name: 'Default Data Loader',
				type: '@n8n/n8n-nodes-langchain.documentDefaultDataLoader',
				typeVersion: 1.1,
				parameters: {
					dataType: 'json',
					jsonMode: 'expressionData',
					jsonData: '={{ $json.text }}',
					textSplittingMode: 'simple',
					options: {},
				},
				link: 'ai_document',
			},
		],
	);

type Check = (run: N8nScripts.Execution, requests: RequestLogEntry[]) => number;

interface Plan {
	key: string;
	label: string;
	path: Scenario['path'];
	/** The root node whose wall time counts. */
	root: string;
	expected: number;
	/** Default both. */
	sides?: Side[];
	/** Run `rounds` times (healthy workflows); fault runs run once. */
	repeat?: boolean;
	faults?: FaultSpec[];
	build: (side: Side, id: string) => ReturnType<typeof workflow>;
	check: Check;
}

type ChatBody = {
	messages: Array<{ role: string; content: string }>;
	tools?: ReplyRequest['tools'];
};

/** The emulator's text answer to a logged chat request (the reply its model would write). */
const answerTo = (entry: RequestLogEntry) => {
	const body = entry.body as ChatBody;
	return replyFor({ model: CHAT_MODEL, messages: body.messages, tools: body.tools }).response;
};

function outputs(run: N8nScripts.Execution, node: string): Array<Record<string, unknown>> {
	return (run.data.resultData.runData[node]?.[0]?.data?.main[0] ?? []).map((item) => item.json);
}

/** Chain outputs that are the emulator's answer to their own item's question. */
function chainCheck(questions: string[]): Check {
	return (run, requests) => {
		const answers = new Map<string, string>();
		for (const entry of requests) {
			if (entry.status !== 200) continue;
			const last = (entry.body as ChatBody).messages.at(-1);
			if (last?.role === 'user') answers.set(last.content, answerTo(entry).trim());
		}
		return outputs(run, 'Basic LLM Chain').filter(
			(output, i) => output.text !== undefined && output.text === answers.get(questions[i]),
		).length;
	};
}

/** Agent outputs that are the emulator's answer, after the tool result, to their question. */
function agentCheck(questions: string[]): Check {
	return (run, requests) => {
		const answers = new Map<string, string>();
		for (const entry of requests) {
			const messages = (entry.body as ChatBody).messages;
			const user = messages.filter((m) => m.role === 'user').at(-1);
			if (entry.status === 200 && messages.at(-1)?.role === 'tool' && user) {
				answers.set(user.content, answerTo(entry));
			}
		}
		return outputs(run, 'AI Agent').filter(
			(output, i) => output.output !== '' && output.output === answers.get(questions[i]),
		).length;
	};
}

/** Texts the store received (the insert's output) that were embedded, in order, once. */
function insertCheck(texts: string[]): Check {
	return (run, requests) => {
		const embedded = requests
			.filter((entry) => entry.status === 200)
			.flatMap((entry) => (entry.body as { input: string[] }).input);
		const stored = outputs(run, 'Simple Vector Store').map((output) => output.pageContent);
		return JSON.stringify(embedded) === JSON.stringify(texts)
			? stored.filter((content, i) => content === texts[i]).length
			: 0;
	};
}

function plans(options: Required<SubnodesOptions>): Plan[] {
	const questions = Array.from({ length: options.chainItems }, (_, i) => question(i));
	const agentQuestions = Array.from({ length: options.agentItems }, (_, i) => agentQuestion(i));
	const texts = Array.from({ length: options.texts }, (_, i) => text(i));
	const one = [question(0)];
	const busy: FaultSpec = { type: 'busy', times: options.burst };
	return [
		{
			key: 'chain',
			repeat: true,
			label: `Basic LLM Chain, ${options.chainItems} items`,
			path: '/api/chat',
			root: 'Basic LLM Chain',
			expected: questions.length,
			build: (side, id) => chain(side, id, questions),
			check: chainCheck(questions),
		},
		{
			key: 'agent',
			repeat: true,
			label: `AI Agent + Calculator, ${options.agentItems} items`,
			path: '/api/chat',
			root: 'AI Agent',
			expected: agentQuestions.length,
			// Every chat offered the Calculator calls it (the emulator would make up the arguments).
			faults: [{ type: 'toolCall', path: '/api/chat', times: -1, arguments: { input: '12*7' } }],
			build: (side, id) => agent(side, id, agentQuestions),
			check: agentCheck(agentQuestions),
		},
		{
			key: 'insert',
			repeat: true,
			label: `Vector Store insert, ${options.texts} texts`,
			path: '/api/embed',
			root: 'Simple Vector Store',
			expected: texts.length,
			build: (side, id) => insert(side, id, texts),
			check: insertCheck(texts),
		},
		{
			// n8n's vector stores hand the embeddings 200 documents at a time (Embedding Batch
			// Size); ours with a Batch Size to match.
			key: 'insertB200',
			repeat: true,
			label: '  the same, Batch Size 200',
			path: '/api/embed',
			root: 'Simple Vector Store',
			expected: texts.length,
			sides: ['ours'],
			build: (side, id) => insert(side, id, texts, { batchSize: 200 }),
			check: insertCheck(texts),
		},
		{
			key: 'chain503',
			label: `503 × ${options.burst}, chain 1 item`,
			path: '/api/chat',
			root: 'Basic LLM Chain',
			expected: 1,
			faults: [{ ...busy, path: '/api/chat' }],
			build: (side, id) => chain(side, id, one),
			check: chainCheck(one),
		},
		{
			key: 'insert503',
			label: `503 × ${options.burst}, insert ${options.texts}`,
			path: '/api/embed',
			root: 'Simple Vector Store',
			expected: texts.length,
			faults: [{ ...busy, path: '/api/embed' }],
			build: (side, id) => insert(side, id, texts),
			check: insertCheck(texts),
		},
		{
			// Thinking switched on for a model without it: Ollama's own 400, no fault needed.
			key: 'chain400',
			label: '400 (think on llama3.2), chain',
			path: '/api/chat',
			root: 'Basic LLM Chain',
			expected: 0,
			build: (side, id) => chain(side, id, one, { think: side === 'ours' ? 'on' : true }),
			check: chainCheck(one),
		},
		{
			// n8n-io/n8n#13409: a 400 from /api/embed (there `invalid input type`), every time.
			key: 'insert400',
			label: '400 (invalid input type), insert',
			path: '/api/embed',
			root: 'Simple Vector Store',
			expected: 0,
			faults: [
				{ type: 'status', path: '/api/embed', status: 400, error: 'invalid input type', times: -1 },
			],
			build: (side, id) => insert(side, id, texts),
			check: insertCheck(texts),
		},
	];
}

/** n8n's 16-character workflow ids: benchSub, the plan's number, the side. */
const workflowId = (plans: Plan[], plan: Plan, side: Side) =>
	`benchSub${String(plans.indexOf(plan)).padStart(2, '0')}${side === 'ours' ? 'Ours00' : 'Bltn00'}`;

async function runSide(
	n8n: N8nScripts.N8nInstance,
	emulator: Emulator,
	id: string,
	plan: Plan,
	side: Side,
): Promise<SideResult> {
	emulator.clearFaults();
	emulator.clearRequests();
	if (plan.faults) emulator.addFault(plan.faults);
	const started = Date.now();
	let execution: N8nScripts.ExecuteResult | undefined;
	let noExecution: Error | undefined;
	try {
		execution = await n8n.execute(id);
	} catch (error) {
		noExecution = error as Error;
	}
	const processMs = Date.now() - started;
	emulator.clearFaults();
	const run = execution?.run;
	const error = noExecution
		? { message: noExecution.message.split('\n')[0] }
		: (execution?.error as N8nScripts.ExecutionError | undefined);
	type Timed = { startTime?: number; executionTime?: number };
	const end = (task?: Timed) => (task?.startTime ?? NaN) + (task?.executionTime ?? NaN);
	const runData = (run?.data.resultData.runData ?? {}) as Record<string, Timed[]>;
	const rootStart = end(runData.Items?.[0]);
	const rootEnd = Math.max(...(runData[plan.root] ?? [{}]).map(end));
	const log = [...emulator.requests];
	const onPath = log.filter((entry) => entry.path === plan.path);
	const statuses: Record<string, number> = {};
	for (const entry of onPath) {
		const status = String(entry.status ?? 'none');
		statuses[status] = (statuses[status] ?? 0) + 1;
	}
	const others: Record<string, number> = {};
	for (const entry of log) {
		if (entry.path !== plan.path) others[entry.path] = (others[entry.path] ?? 0) + 1;
	}
	const finished = onPath.filter((entry) => entry.finishedAt !== undefined);
	const firstRequest = Math.min(...log.map((entry) => entry.receivedAt));
	return {
		side,
		ok: !error,
		nodeMs: rootEnd - rootStart,
		leadMs: firstRequest - rootStart,
		afterFirstMs: rootEnd - firstRequest,
		processMs,
		samplesMs: [rootEnd - rootStart],
		requests: onPath.length,
		statuses,
		others,
		correct: error || !run ? 0 : plan.check(run, onPath),
		expected: plan.expected,
		serverSpanMs: finished.length
			? Math.max(...finished.map((entry) => entry.finishedAt!)) -
				Math.min(...onPath.map((entry) => entry.receivedAt))
			: 0,
		error: error && {
			message: error.message,
			description: typeof error.description === 'string' ? error.description : undefined,
			node: 'node' in error ? error.node?.name : undefined,
		},
	};
}

export async function runSubnodesBenchmark(options: SubnodesOptions = {}): Promise<SubnodesResult> {
	const settings: Required<SubnodesOptions> = {
		chainItems: options.chainItems ?? 50,
		agentItems: options.agentItems ?? 3,
		texts: options.texts ?? 200,
		burst: options.burst ?? 2,
		parallel: options.parallel ?? 4,
		latencyMs: options.latencyMs ?? 25,
		rounds: Math.max(1, options.rounds ?? 2),
	};
	const paths = n8nScripts.provision();
	ensureBuilt();
	const emulator = await startEmulator({
		latency: { parallel: settings.parallel, firstTokenMs: settings.latencyMs, tokenMs: 0 },
	});
	emulator.addModel({
		name: EMBED_MODEL,
		capabilities: ['embedding'],
		family: 'bert',
		contextLength: 512,
		embeddingLength: EMBED_DIMENSIONS,
	});
	const n8n = n8nScripts.N8nInstance.temporary('n8n-ollama-bench-');
	const folder = mkdtempSync(join(n8n.userFolder, 'workflows-'));
	try {
		n8n.installPackage();
		await n8n.importCredentials([
			{ ...OUR_CREDENTIAL, data: { baseUrl: emulator.url, authentication: 'none' } },
			{ ...BUILT_IN_CREDENTIAL, data: { baseUrl: emulator.url, apiKey: '' } },
		]);
		const all = plans(settings);
		const files = all.flatMap((plan) =>
			(plan.sides ?? SIDES).map((side) => {
				const id = workflowId(all, plan, side);
				const file = join(folder, `${id}.json`);
				writeFileSync(file, JSON.stringify(plan.build(side, id), null, '\t'));
				return file;
			}),
		);
		await n8n.importWorkflows(files);
		const scenarios: Scenario[] = [];
		for (const plan of all) {
			const runs = new Map<Side, SideResult[]>((plan.sides ?? SIDES).map((side) => [side, []]));
			for (let round = 0; round < (plan.repeat ? settings.rounds : 1); round++) {
				for (const [side, samples] of runs) {
					samples.push(await runSide(n8n, emulator, workflowId(all, plan, side), plan, side));
				}
			}
			const sides = [...runs.values()].map((samples) => {
				const failed = samples.find((sample) => !sample.ok);
				const best = failed ?? samples.reduce((a, b) => (b.nodeMs < a.nodeMs ? b : a));
				return { ...best, samplesMs: samples.map((sample) => sample.nodeMs) };
			});
			scenarios.push({ key: plan.key, label: plan.label, path: plan.path, sides });
		}
		return { n8nVersion: paths.n8nVersion, options: settings, scenarios };
	} finally {
		await emulator.close();
		rmSync(folder, { recursive: true, force: true });
		n8n.remove();
	}
}

const find = (result: SubnodesResult, key: string, side: Side) =>
	result.scenarios.find((scenario) => scenario.key === key)!.sides.find((s) => s.side === side)!;

/** Ollama's error text in each 400 scenario, which the user must see. */
const OLLAMA_400_TEXTS = {
	chain400: 'does not support thinking',
	insert400: 'invalid input type',
};

/**
 * Ours must: send no more /api/embed requests than the built-in for the insert, succeed under the
 * 503 burst, and send exactly one request under a 400 and fail with Ollama's text. Also every
 * healthy run of ours must give every item its own answer.
 */
export function verdict(result: SubnodesResult): { pass: boolean; reasons: string[] } {
	const reasons: string[] = [];
	const ours = (key: string) => find(result, key, 'ours');
	const insertOurs = ours('insert');
	const insertBuiltIn = find(result, 'insert', 'built-in');
	if (insertOurs.requests > insertBuiltIn.requests) {
		reasons.push(
			`insert: ${insertOurs.requests} embed requests, more than the built-in's ${insertBuiltIn.requests}`,
		);
	}
	for (const key of ['chain', 'agent', 'insert', 'chain503', 'insert503']) {
		const side = ours(key);
		if (!side.ok || side.correct !== side.expected) {
			reasons.push(`${key}: ${side.ok ? `${side.correct}/${side.expected} correct` : 'failed'}`);
		}
	}
	for (const [key, text] of Object.entries(OLLAMA_400_TEXTS)) {
		const side = ours(key);
		if (side.ok) reasons.push(`${key}: succeeded`);
		if (side.requests !== 1) reasons.push(`${key}: ${side.requests} requests, not 1`);
		if (!side.ok && !side.error?.message.includes(text))
			reasons.push(`${key}: the message does not carry Ollama's "${text}"`);
	}
	return { pass: reasons.length === 0, reasons };
}

export function formatResult(result: SubnodesResult): string[] {
	const { options } = result;
	const seconds = (ms: number) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(2)} s` : '—');
	const statuses = (side: SideResult) =>
		Object.entries(side.statuses)
			.map(([status, count]) => `${count}×${status}`)
			.join(' ');
	const columns = (cells: string[]) =>
		[
			cells[0].padEnd(34),
			cells[1].padEnd(8),
			cells[2].padEnd(7),
			cells[3].padStart(8),
			cells[4].padStart(8),
			cells[5].padStart(9),
			cells[6].padStart(8),
			cells[7].padEnd(13),
			cells[8].padStart(7),
		].join('  ');
	const row = (scenario: Scenario, side: SideResult) =>
		columns([
			scenario.label,
			side.side,
			side.ok ? 'ok' : 'failed',
			seconds(side.nodeMs),
			seconds(side.leadMs),
			seconds(side.afterFirstMs),
			String(side.requests),
			statuses(side),
			side.expected ? `${side.correct}/${side.expected}` : '—',
		]);
	const { pass, reasons } = verdict(result);
	const lines = [
		`AI sub-nodes in real n8n ${result.n8nVersion} (n8n execute): ours (Ollama Chat Model / Ollama Embeddings)`,
		`vs n8n's built-in (lmChatOllama / embeddingsOllama, credential ollamaApi), both with the editor's defaults;`,
		`emulator: ${options.parallel} parallel slots, ${options.latencyMs} ms per request; ${CHAT_MODEL}, ${EMBED_MODEL}.`,
		`time: the root node's wall time from run data = lead (until the first request: n8n loading the`,
		`nodes) + rest; fastest of ${options.rounds} alternating runs for the healthy workflows, one run under faults`,
		'',
		columns([
			'workflow',
			'sub-node',
			'outcome',
			'time',
			'lead',
			'rest',
			'requests',
			'statuses',
			'outputs',
		]),
		...result.scenarios.flatMap((scenario) => scenario.sides.map((side) => row(scenario, side))),
		'',
	];
	for (const scenario of result.scenarios) {
		for (const side of scenario.sides) {
			const other = Object.entries(side.others)
				.map(([path, count]) => `${count}× ${path}`)
				.join(', ');
			const message = side.error
				? `; n8n shows${side.error.node ? ` on "${side.error.node}"` : ''}: «${oneLine(side.error.message)}»${
						side.error.description ? ` (${oneLine(side.error.description)})` : ''
					}`
				: '';
			lines.push(
				`${scenario.key} ${side.side}: ${side.requests} ${scenario.path} in ${seconds(side.serverSpanMs)} (first received → last finished)${
					other ? `, also ${other}` : ''
				}; ${
					side.samplesMs.length > 1 ? `runs ${side.samplesMs.map(seconds).join(', ')}; ` : ''
				}n8n execute ${seconds(side.processMs)}${message}`,
			);
		}
	}
	lines.push(
		`ours: every item its own answer, no more embed requests than the built-in for ${options.texts} texts, success under ${options.burst} 503s, one request and Ollama's text under a 400 — ${
			pass ? 'PASS' : `FAIL (${reasons.join('; ')})`
		}`,
	);
	return lines;
}

const oneLine = (text: string) => {
	const flat = text.replace(/\s+/g, ' ').trim();
	return flat.length > 300 ? `${flat.slice(0, 297)}...` : flat;
};

/** For bench/run.ts (`npm run bench`): the printed lines, PASS or FAIL included. */
export async function subnodesLines(options: SubnodesOptions = {}): Promise<string[]> {
	return formatResult(await runSubnodesBenchmark(options));
}

if (require.main === module) {
	runSubnodesBenchmark({
		chainItems: argument('items'),
		agentItems: argument('agent-items'),
		texts: argument('texts'),
		burst: argument('burst'),
		parallel: argument('parallel'),
		latencyMs: argument('latency'),
		rounds: argument('rounds'),
	})
		.then((result) => {
			for (const line of formatResult(result)) console.log(line);
			process.exitCode = verdict(result).pass ? 0 : 1;
		})
		.catch((error: unknown) => {
			console.error(error);
			process.exitCode = 1;
		});
}
