// Batch generate in real n8n (issue 7): N items through Ollama Generate at Concurrency P, n8n's
// built-in Ollama node (@n8n/n8n-nodes-langchain.ollama, items one by one) and the HTTP Request
// node (POST /api/generate, every item at once), each in its own workflow in the same n8n user
// folder, against one emulator with P parallel slots and a fixed time per request. Each figure is
// the node's own execution time from n8n's run data, against the ideal N·L/P. See bench/README.md.
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'fs';
import { join } from 'path';

import type * as N8nScripts from '../scripts/n8n';
import type { Emulator, RequestLogEntry } from '../test/emulator';
import { maxInFlight, replyFor, startEmulator } from '../test/emulator';
import { argument, root } from './cli';

// scripts/n8n is plain JS outside the bench build: loaded from the repository at run time.
export const n8nScripts = require(join(root, 'scripts', 'n8n')) as typeof N8nScripts;
const projectScripts = require(join(root, 'scripts', 'run')) as { build: () => void };

export interface BatchGenerateOptions {
	/** Items (one prompt each). Default 400. */
	items?: number;
	/** The emulator's parallel slots and our node's Concurrency. Default 4. */
	parallel?: number;
	/** Time per request: the emulator's firstTokenMs (tokenMs is 0). Default 25. */
	latencyMs?: number;
	/**
	 * Runs of ours and of the HTTP Request node, alternating; the fastest counts (a busy machine
	 * swings a 3 s figure by seconds). Default 2. The built-in node (13 s and more) runs once.
	 */
	rounds?: number;
}

export interface PathResult {
	label: string;
	node: string;
	/** The node's executionTime in n8n's run data. */
	nodeMs: number;
	/** Wall time of the whole `n8n execute` process (start-up included), for reference. */
	processMs: number;
	outputs: number;
	/** Outputs that are the emulator's answer to their own item's prompt, paired with that item. */
	correct: number;
	requests: number;
	maxInFlight: number;
	/** First request received − node start, and node end − last request finished. */
	leadMs: number;
	tailMs: number;
	/** Median time the emulator held a request (received → finished), waiting for a slot included. */
	medianRequestMs: number;
	/** Mean time a slot stood idle between two requests while the node ran (P·span − busy)/N. */
	idlePerRequestMs: number;
	/** 503 answers (the queue in front of the slots was full). */
	busy: number;
	/** The node time of every run (the fastest is shown). */
	samplesMs: number[];
}

export interface BatchGenerateResult {
	items: number;
	parallel: number;
	latencyMs: number;
	/** Median received → finished of lone requests (no wait for a slot), measured in the run. */
	measuredLatencyMs: number;
	idealMs: number;
	paths: PathResult[];
	n8nVersion: string;
}

/** Ours must be within this factor of N·L/P (issue 7), faster than the HTTP Request node, bounded. */
export const REQUIRED_RATIO = 1.1;

const MODEL = 'llama3.2';
const OURS = 'Ollama Generate';
/** Ours with twice as many in flight as the server has slots: its queue hides n8n's per-item work. */
const OURS_DOUBLE = 'Ollama Generate (2P)';
const BUILT_IN = 'Ollama (built-in)';
const HTTP = 'HTTP Request';
const BARE = 'bare Node http';
export const OUR_CREDENTIAL = {
	id: 'benchOllamaOurs1',
	name: 'Ollama (bench)',
	type: 'ollamaServerApi',
};
export const BUILT_IN_CREDENTIAL = {
	id: 'benchOllamaApi01',
	name: 'Ollama API (bench)',
	type: 'ollamaApi',
};

const promptOf = (i: number) => `Item ${i}: say something short.`;

/** Manual Trigger → Code (N items) → the node under test. */
function workflow(id: string, name: string, node: Record<string, unknown>, items: number) {
	const itemsCode = `return Array.from({ length: ${items} }, (_, i) => ({ json: { i, prompt: 'Item ' + i + ': say something short.' } }));`;
	return {
		id,
		name,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: `${id}-trigger`,
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: `${id}-items`,
				name: 'Items',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [220, 0],
				parameters: { jsCode: itemsCode },
			},
			{ id: `${id}-node`, position: [440, 0], ...node },
		],
		connections: {
			Start: { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
			Items: { main: [[{ node: node.name, type: 'main', index: 0 }]] },
		},
	};
}

function workflows(baseUrl: string, items: number, parallel: number) {
	return [
		{
			label: `ours: Ollama Generate, Concurrency ${parallel}`,
			node: OURS,
			answerField: 'response',
			chat: false,
			workflow: workflow(
				'benchBatchOurs01',
				'Bench: batch generate (ours)',
				{
					name: OURS,
					type: 'n8n-nodes-ollama.ollamaGenerate',
					typeVersion: 1,
					parameters: {
						model: { __rl: true, mode: 'name', value: MODEL },
						prompt: '={{ $json.prompt }}',
						options: { concurrency: parallel },
					},
					credentials: {
						ollamaServerApi: { id: OUR_CREDENTIAL.id, name: OUR_CREDENTIAL.name },
					},
				},
				items,
			),
		},
		{
			label: `ours: Ollama Generate, Concurrency ${2 * parallel}`,
			node: OURS_DOUBLE,
			answerField: 'response',
			chat: false,
			workflow: workflow(
				'benchBatchOurs02',
				'Bench: batch generate (ours, 2P)',
				{
					name: OURS_DOUBLE,
					type: 'n8n-nodes-ollama.ollamaGenerate',
					typeVersion: 1,
					parameters: {
						model: { __rl: true, mode: 'name', value: MODEL },
						prompt: '={{ $json.prompt }}',
						options: { concurrency: 2 * parallel },
					},
					credentials: {
						ollamaServerApi: { id: OUR_CREDENTIAL.id, name: OUR_CREDENTIAL.name },
					},
				},
				items,
			),
		},
		{
			label: 'HTTP Request node, POST /api/generate',
			node: HTTP,
			answerField: 'response',
			chat: false,
			workflow: workflow(
				'benchBatchHttp01',
				'Bench: batch generate (HTTP Request)',
				{
					name: HTTP,
					type: 'n8n-nodes-base.httpRequest',
					typeVersion: 4.2,
					parameters: {
						method: 'POST',
						url: `${baseUrl}/api/generate`,
						sendBody: true,
						specifyBody: 'json',
						jsonBody: `={{ JSON.stringify({ model: '${MODEL}', prompt: $json.prompt, stream: false }) }}`,
						options: {},
					},
				},
				items,
			),
		},
		{
			label: "n8n's built-in Ollama node (Message a Model)",
			node: BUILT_IN,
			answerField: 'content',
			chat: true,
			workflow: workflow(
				'benchBatchBuilt1',
				'Bench: batch generate (built-in Ollama)',
				{
					name: BUILT_IN,
					type: '@n8n/n8n-nodes-langchain.ollama',
					typeVersion: 1,
					parameters: {
						resource: 'text',
						operation: 'message',
						modelId: { __rl: true, mode: 'id', value: MODEL },
						messages: { values: [{ content: '={{ $json.prompt }}', role: 'user' }] },
						simplify: true,
						options: {},
					},
					credentials: {
						ollamaApi: { id: BUILT_IN_CREDENTIAL.id, name: BUILT_IN_CREDENTIAL.name },
					},
				},
				items,
			),
		},
	];
}

export function median(values: number[]): number {
	if (values.length === 0) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Builds dist/ when a source under nodes/ or credentials/ is newer than it (or it is missing). */
export function ensureBuilt(): void {
	const built = join(root, 'dist', 'nodes', 'OllamaGenerate', 'OllamaGenerate.node.js');
	let builtAt = 0;
	try {
		builtAt = statSync(built).mtimeMs;
	} catch {
		// not built
	}
	const newest = (dir: string): number =>
		readdirSync(dir, { withFileTypes: true }).reduce((latest, entry) => {
			const path = join(dir, entry.name);
			return Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
		}, 0);
	const sources = Math.max(newest(join(root, 'nodes')), newest(join(root, 'credentials')));
	if (sources > builtAt) projectScripts.build();
}

/** L as the emulator serves it: lone requests, one at a time, received → finished. */
async function measureLatency(emulator: Emulator): Promise<number> {
	emulator.clearRequests();
	for (let k = 0; k < 20; k++) {
		await n8nScripts.request(`${emulator.url}/api/generate`, {
			method: 'POST',
			body: { model: MODEL, prompt: promptOf(k), stream: false },
		});
	}
	const times = emulator.requests.map((entry) => (entry.finishedAt ?? NaN) - entry.receivedAt);
	emulator.clearRequests();
	return median(times);
}

async function runPath(
	n8n: N8nScripts.N8nInstance,
	emulator: Emulator,
	path: ReturnType<typeof workflows>[number],
	items: number,
	parallel: number,
): Promise<PathResult> {
	emulator.clearRequests();
	const started = Date.now();
	const { run, error } = await n8n.execute(path.workflow.id);
	const processMs = Date.now() - started;
	if (error) throw new Error(`${path.label}: the execution failed: ${error.message}`);
	const task = run.data.resultData.runData[path.node]?.[0] as
		(N8nScripts.NodeRun & { startTime?: number; executionTime?: number }) | undefined;
	if (!task || task.executionTime === undefined || task.startTime === undefined) {
		throw new Error(`${path.label}: no run data for "${path.node}"`);
	}
	const outputs = (task.data?.main[0] ?? []) as Array<{
		json: Record<string, unknown>;
		pairedItem?: { item: number };
	}>;
	const correct = outputs.filter((output, i) => {
		const prompt = promptOf(output.pairedItem?.item ?? i);
		const expected = path.chat
			? replyFor({ model: MODEL, messages: [{ role: 'user', content: prompt }] }).response
			: replyFor({ model: MODEL, prompt }).response;
		return (output.pairedItem?.item ?? i) === i && output.json[path.answerField] === expected;
	}).length;

	const served = serverSide(emulator, parallel, items);
	const nodeEnd = task.startTime + task.executionTime;
	return {
		label: path.label,
		node: path.node,
		nodeMs: task.executionTime,
		processMs,
		outputs: outputs.length,
		correct,
		...served,
		leadMs: served.firstReceived - task.startTime,
		tailMs: nodeEnd - served.lastFinished,
		samplesMs: [task.executionTime],
	};
}

/** What the emulator's log says about a run: requests, overlap, slot idle time, 503s. */
function serverSide(emulator: Emulator, parallel: number, items: number) {
	const entries = emulator.requests.filter(
		(entry) => entry.path === '/api/generate' || entry.path === '/api/chat',
	);
	const finished = entries.filter((entry) => entry.finishedAt !== undefined);
	const firstReceived = Math.min(...entries.map((entry) => entry.receivedAt));
	const lastFinished = Math.max(...finished.map((entry) => entry.finishedAt!));
	const busyMs = finished.reduce((sum, entry) => sum + entry.finishedAt! - entry.receivedAt, 0);
	const span = lastFinished - firstReceived;
	return {
		firstReceived,
		lastFinished,
		requests: entries.length,
		maxInFlight: maxInFlight(entries),
		medianRequestMs: median(finished.map((entry) => entry.finishedAt! - entry.receivedAt)),
		idlePerRequestMs: Math.max(0, (parallel * span - busyMs) / items),
		busy: entries.filter((entry) => entry.status === 503).length,
	};
}

/**
 * The floor on this machine: bare Node http with keep-alive, P lanes, in a process of its own
 * (bench/bareClient.ts). No n8n node can beat it; it shows how much of the distance to the ideal
 * is the machine and the emulator rather than n8n.
 */
async function runBareFloor(
	emulator: Emulator,
	items: number,
	parallel: number,
): Promise<PathResult> {
	emulator.clearRequests();
	const started = Date.now();
	const result = await n8nScripts.runCommand(process.execPath, [
		join(__dirname, 'bareClient.js'),
		emulator.url,
		String(items),
		String(parallel),
		MODEL,
	]);
	const processMs = Date.now() - started;
	if (result.code !== 0) throw new Error(`bare client failed: ${result.stderr}`);
	const { ms } = JSON.parse(result.stdout.trim().split('\n').pop() ?? '{}') as { ms: number };
	const served = serverSide(emulator, parallel, items);
	return {
		label: `bare Node http, keep-alive, ${parallel} lanes (no n8n)`,
		node: BARE,
		nodeMs: ms,
		processMs,
		outputs: served.requests,
		correct: served.requests,
		...served,
		leadMs: 0,
		tailMs: 0,
		samplesMs: [ms],
	};
}

export async function runBatchGenerateBenchmark(
	options: BatchGenerateOptions = {},
): Promise<BatchGenerateResult> {
	const items = options.items ?? 400;
	const parallel = options.parallel ?? 4;
	const latencyMs = options.latencyMs ?? 25;
	const rounds = Math.max(1, options.rounds ?? 2);
	const paths = n8nScripts.provision();
	ensureBuilt();
	const emulator = await startEmulator({
		latency: { parallel, firstTokenMs: latencyMs, tokenMs: 0 },
	});
	const n8n = n8nScripts.N8nInstance.temporary('n8n-ollama-bench-');
	const folder = mkdtempSync(join(n8n.userFolder, 'workflows-'));
	try {
		n8n.installPackage();
		await n8n.importCredentials([
			{ ...OUR_CREDENTIAL, data: { baseUrl: emulator.url, authentication: 'none' } },
			{ ...BUILT_IN_CREDENTIAL, data: { baseUrl: emulator.url } },
		]);
		const all = workflows(emulator.url, items, parallel);
		const files = all.map(({ workflow: w }) => {
			const file = join(folder, `${w.id}.json`);
			writeFileSync(file, JSON.stringify(w, null, '\t'));
			return file;
		});
		await n8n.importWorkflows(files);
		const measuredLatencyMs = await measureLatency(emulator);
		const runs = new Map<string, PathResult[]>(all.map((path) => [path.node, []]));
		runs.set(BARE, []);
		for (let round = 0; round < rounds; round++) {
			for (const path of all) {
				if (path.node === BUILT_IN && round > 0) continue;
				runs.get(path.node)!.push(await runPath(n8n, emulator, path, items, parallel));
			}
			runs.get(BARE)!.push(await runBareFloor(emulator, items, parallel));
		}
		const results = [...all.map((path) => path.node), BARE].map((node) => {
			const samples = runs.get(node)!;
			const best = samples.reduce((a, b) => (b.nodeMs < a.nodeMs ? b : a));
			return { ...best, samplesMs: samples.map((sample) => sample.nodeMs) };
		});
		return {
			items,
			parallel,
			latencyMs,
			measuredLatencyMs,
			idealMs: (items * latencyMs) / parallel,
			paths: results,
			n8nVersion: paths.n8nVersion,
		};
	} finally {
		await emulator.close();
		rmSync(folder, { recursive: true, force: true });
		n8n.remove();
	}
}

/** Ours within REQUIRED_RATIO of ideal, faster than the HTTP Request node, at most P in flight. */
export function verdict(result: BatchGenerateResult): { pass: boolean; reasons: string[] } {
	const ours = result.paths.find((path) => path.node === OURS)!;
	const http = result.paths.find((path) => path.node === HTTP)!;
	const reasons: string[] = [];
	if (ours.nodeMs > REQUIRED_RATIO * result.idealMs) {
		reasons.push(`${(ours.nodeMs / result.idealMs).toFixed(2)}x ideal > ${REQUIRED_RATIO}x`);
	}
	if (ours.nodeMs >= http.nodeMs) reasons.push('not faster than the HTTP Request node');
	if (ours.maxInFlight > result.parallel)
		reasons.push(`${ours.maxInFlight} in flight > ${result.parallel}`);
	for (const path of result.paths) {
		if (path.node === OURS && (path.correct !== result.items || path.requests !== result.items))
			reasons.push(`${path.label}: ${path.correct}/${result.items} outputs correct`);
	}
	return { pass: reasons.length === 0, reasons };
}

export function formatResult(result: BatchGenerateResult): string[] {
	const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
	const row = (path: PathResult) =>
		[
			path.label.padEnd(46),
			seconds(path.nodeMs).padStart(8),
			`${(path.nodeMs / result.idealMs).toFixed(2)}x`.padStart(7),
			String(path.maxInFlight).padStart(9),
			String(path.requests).padStart(8),
			`${path.correct}/${result.items}`.padStart(9),
			`${path.idlePerRequestMs.toFixed(1)} ms`.padStart(10),
		].join('  ');
	const { pass, reasons } = verdict(result);
	return [
		`Batch generate in real n8n ${result.n8nVersion} (n8n execute, node time from run data): ${result.items} items,`,
		`emulator: ${result.parallel} parallel slots, ${result.latencyMs} ms per request (measured: ${result.measuredLatencyMs.toFixed(1)} ms), ideal N·L/P = ${seconds(result.idealMs)}`,
		'',
		[
			'node'.padEnd(46),
			'time'.padStart(8),
			'/ideal'.padStart(7),
			'in flight'.padStart(9),
			'requests'.padStart(8),
			'outputs'.padStart(9),
			'idle/req'.padStart(10),
		].join('  '),
		...result.paths.map(row),
		'',
		...result.paths.map(
			(path) =>
				`${path.node}: runs ${path.samplesMs.map(seconds).join(', ')} (fastest shown); first request ${path.leadMs} ms after node start, node end ${path.tailMs} ms after the last; median request ${path.medianRequestMs} ms; 503s: ${path.busy}; n8n execute process ${seconds(path.processMs)}`,
		),
		...floorLine(result),
		`ours: within ${REQUIRED_RATIO}x of ideal, faster than the HTTP Request node, at most ${result.parallel} in flight — ${
			pass ? 'PASS' : `FAIL (${reasons.join('; ')})`
		}`,
	];
}

/** How far ours is from what a bare client achieves against the same emulator and machine. */
function floorLine(result: BatchGenerateResult): string[] {
	const ours = result.paths.find((path) => path.node === OURS);
	const bare = result.paths.find((path) => path.node === BARE);
	if (!ours || !bare) return [];
	return [
		`floor: a bare keep-alive client with ${result.parallel} lanes needs ${(bare.nodeMs / result.idealMs).toFixed(2)}x ideal here; ours at Concurrency ${result.parallel} is ${(ours.nodeMs / bare.nodeMs).toFixed(2)}x that floor`,
	];
}

/** For bench/run.ts (`npm run bench`): the printed lines, PASS or FAIL included. */
export async function batchGenerateLines(options: BatchGenerateOptions = {}): Promise<string[]> {
	return formatResult(await runBatchGenerateBenchmark(options));
}

if (require.main === module) {
	runBatchGenerateBenchmark({
		items: argument('items'),
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
