// Load through real n8n (issue 7): 5,000 items through Ollama Generate at Concurrency 16 against
// the emulator with 16 parallel slots. Every item is accounted for (one output each, paired with
// its own item, the emulator's answer to its own prompt, exactly one request each, never more than
// 16 at once), and the peak memory of the `n8n execute` process is printed.
import { spawn } from 'child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';

import type { Emulator, RequestLogEntry } from '../emulator';
import { maxInFlight, replyFor, startEmulator } from '../emulator';
import type { Execution } from '../../scripts/n8n';
import { N8nInstance, findExecution, freePort, provision } from '../../scripts/n8n';
import { describeE2e } from './support';

const ITEMS = 5000;
const REPLY_TOKENS = 2;
const CONCURRENCY = 16;
const MODEL = 'llama3.2';
const WORKFLOW_ID = 'e2eLoadGen5000a1';
const CREDENTIAL = { id: 'e2eLoadOllama001', name: 'Ollama (load)', type: 'ollamaServerApi' };

const promptOf = (i: number) => `Load item ${i}`;

function loadWorkflow() {
	return {
		id: WORKFLOW_ID,
		name: 'Load: 5,000 items through Ollama Generate',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: 'load-trigger',
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: 'load-items',
				name: 'Items',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [220, 0],
				parameters: {
					jsCode: `return Array.from({ length: ${ITEMS} }, (_, i) => ({ json: { i, prompt: 'Load item ' + i } }));`,
				},
			},
			{
				id: 'load-generate',
				name: 'Generate',
				type: 'n8n-nodes-ollama.ollamaGenerate',
				typeVersion: 1,
				position: [440, 0],
				parameters: {
					model: { __rl: true, mode: 'name', value: MODEL },
					prompt: '={{ $json.prompt }}',
					options: { concurrency: CONCURRENCY },
				},
				credentials: { ollamaServerApi: { id: CREDENTIAL.id, name: CREDENTIAL.name } },
			},
		],
		connections: {
			Start: { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
			Items: { main: [[{ node: 'Generate', type: 'main', index: 0 }]] },
		},
	};
}

interface Memory {
	/** VmHWM of the n8n process: its peak resident set. */
	peakKb: number;
	/** Largest sum of VmRSS over the n8n process and its children (the task runner), as polled. */
	peakTreeKb: number;
}

function statusField(pid: number, field: string): number | undefined {
	try {
		const status = readFileSync(`/proc/${pid}/status`, 'utf8');
		const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
		return match ? Number(match[1]) : undefined;
	} catch {
		return undefined; // exited
	}
}

function childrenOf(pid: number): number[] {
	try {
		return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
			.trim()
			.split(/\s+/)
			.filter(Boolean)
			.map(Number);
	} catch {
		return [];
	}
}

/**
 * `n8n execute --id` (as N8nInstance.execute runs it), polling /proc for the process's memory
 * while it runs: the instance helper does not expose the PID.
 */
async function executeMeasured(
	n8n: N8nInstance,
	id: string,
): Promise<{ code: number; run: Execution | undefined; logs: string; ms: number; memory: Memory }> {
	const [command, args] = (
		n8n as unknown as { command(args: string[]): [string, string[]] }
	).command(['execute', `--id=${id}`, '--rawOutput']);
	const env = n8n.env({
		N8N_RUNNERS_BROKER_PORT: await freePort(),
		N8N_LOG_LEVEL: 'info',
		N8N_LOG_FORMAT: 'json',
	});
	const started = Date.now();
	const child = spawn(command, args, {
		env,
		cwd: n8n.userFolder,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const memory: Memory = { peakKb: 0, peakTreeKb: 0 };
	const poll = () => {
		const pid = child.pid!;
		const hwm = statusField(pid, 'VmHWM');
		if (hwm !== undefined) memory.peakKb = Math.max(memory.peakKb, hwm);
		const tree = [pid, ...childrenOf(pid)].reduce(
			(sum, p) => sum + (statusField(p, 'VmRSS') ?? 0),
			0,
		);
		memory.peakTreeKb = Math.max(memory.peakTreeKb, tree);
	};
	const timer = setInterval(poll, 50);
	const chunks: Buffer[] = [];
	child.stdout.on('data', (chunk: Buffer) => {
		chunks.push(chunk);
		poll(); // the result is printed at the end, when memory peaks
	});
	child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
	const code = await new Promise<number>((resolve, reject) => {
		child.once('error', reject);
		child.once('close', (exit, signal) => resolve(exit ?? (signal ? 128 : 1)));
	});
	clearInterval(timer);
	const logs = Buffer.concat(chunks).toString('utf8');
	return { code, run: findExecution(logs), logs, ms: Date.now() - started, memory };
}

describeE2e('load in real n8n', () => {
	let emulator: Emulator;
	let n8n: N8nInstance;

	beforeAll(async () => {
		provision();
		// Two-token answers: n8n execute prints the whole execution through its (asynchronous)
		// logger and exits, which cuts a print of several megabytes short.
		emulator = await startEmulator({
			latency: { parallel: CONCURRENCY, firstTokenMs: 5 },
			replyTokens: REPLY_TOKENS,
		});
		n8n = N8nInstance.temporary('n8n-ollama-load-');
		n8n.installPackage();
		await n8n.importCredentials([
			{ ...CREDENTIAL, data: { baseUrl: emulator.url, authentication: 'none' } },
		]);
		const folder = mkdtempSync(join(n8n.userFolder, 'workflows-'));
		const file = join(folder, `${WORKFLOW_ID}.json`);
		writeFileSync(file, JSON.stringify(loadWorkflow()));
		await n8n.importWorkflows([file]);
	});
	afterAll(async () => {
		await emulator?.close();
		n8n?.remove();
	});

	it(`${ITEMS} items at Concurrency ${CONCURRENCY}: every item answered once, paired, in order; peak memory reported`, async () => {
		emulator.clearRequests();

		const { code, run, logs, ms, memory } = await executeMeasured(n8n, WORKFLOW_ID);

		if (!run)
			throw new Error(`n8n execute printed no execution (exit ${code}):\n${logs.slice(-3000)}`);
		expect(run.data.resultData.error).toBeUndefined();
		expect(code).toBe(0);
		const task = run.data.resultData.runData['Generate'][0] as {
			executionTime?: number;
			data?: { main: Array<Array<{ json: Record<string, unknown>; pairedItem?: unknown }>> };
		};
		const outputs = task.data!.main[0];
		expect(outputs).toHaveLength(ITEMS);
		const wrong: number[] = [];
		outputs.forEach((output, i) => {
			const ok =
				(output.pairedItem as { item?: number } | undefined)?.item === i &&
				output.json.error === undefined &&
				output.json.response ===
					replyFor({ model: MODEL, prompt: promptOf(i), tokens: REPLY_TOKENS }).response;
			if (!ok) wrong.push(i);
		});
		expect(wrong).toEqual([]);

		// Exactly one request per item: 5,000 generate requests, 5,000 distinct prompts, none cut.
		const generates = emulator.requests.filter((entry) => entry.path === '/api/generate');
		expect(generates).toHaveLength(ITEMS);
		const prompts = new Set(generates.map((entry) => (entry.body as { prompt: string }).prompt));
		expect(prompts.size).toBe(ITEMS);
		expect(generates.every((entry) => entry.status === 200 && !entry.clientDisconnected)).toBe(
			true,
		);
		const inFlight = maxInFlight(generates);
		expect(inFlight).toBeLessThanOrEqual(CONCURRENCY);

		const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;
		process.stdout.write(
			`[load] ${ITEMS} items, Concurrency ${CONCURRENCY}: Generate ${((task.executionTime ?? 0) / 1000).toFixed(1)} s ` +
				`(${((task.executionTime ?? 0) / ITEMS).toFixed(2)} ms an item), n8n execute ${(ms / 1000).toFixed(1)} s, ` +
				`at most ${inFlight} requests in flight; n8n peak RSS ${mb(memory.peakKb)} (VmHWM), ` +
				`with its task runner ${mb(memory.peakTreeKb)}\n`,
		);
	});
});
