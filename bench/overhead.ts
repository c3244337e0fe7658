/**
 * Per-item overhead in the harness (n8n-core's real WorkflowExecute, real HTTP): Ollama Generate
 * over N items against a zero-latency emulator, versus the same requests sent with plain Node
 * `http` and no n8n at all, in the same run. The emulator runs in its own process, as Ollama does,
 * so the figures hold only what the client side costs. The difference per item is what n8n and
 * our node add to each item.
 */
import { join } from 'path';

import { OllamaGenerate } from '../nodes/OllamaGenerate/OllamaGenerate.node';
import { HelperFloor } from '../test/harness/fixtures/HelperFloor.node';
import { runNode } from '../test/harness/run';
import { bareGenerate } from './bareClient';
import { root } from './cli';

const ITEMS = 1000;
const ROUNDS = 3;

const { startEmulatorProcess } = require(join(root, 'scripts', 'n8n', 'emulator')) as {
	startEmulatorProcess: (args: string[]) => Promise<{ url: string; stop: () => Promise<void> }>;
};

interface Sample {
	wallMs: number;
	cpuMs: number;
}

async function measured(run: () => Promise<unknown>): Promise<Sample> {
	const cpu = process.cpuUsage();
	const started = process.hrtime.bigint();
	await run();
	const used = process.cpuUsage(cpu);
	return {
		wallMs: Number(process.hrtime.bigint() - started) / 1e6 / ITEMS,
		cpuMs: (used.user + used.system) / 1000 / ITEMS,
	};
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];

export async function overheadLines(): Promise<string[]> {
	const emulator = await startEmulatorProcess(['--parallel', '64', '--reply-tokens', '3']);
	try {
		const items = Array.from({ length: ITEMS }, (_, i) => ({ prompt: `item ${i}` }));
		const node = (concurrency: number) =>
			runNode({
				node: {
					type: OllamaGenerate,
					parameters: {
						model: { __rl: true, mode: 'name', value: 'llama3.2' },
						prompt: '={{ $json.prompt }}',
						options: { concurrency },
					},
				},
				credentials: { baseUrl: emulator.url, authentication: 'none' },
				items,
			});
		const floor = () =>
			runNode({
				node: { type: HelperFloor, parameters: { baseUrl: emulator.url, model: 'llama3.2' } },
				credentials: { baseUrl: emulator.url, authentication: 'none' },
				items,
			});
		const bare = async () => {
			for (const { prompt } of items) {
				await bareGenerate(emulator.url, { model: 'llama3.2', prompt, stream: true });
			}
		};
		// Warm-up: module loading, JIT, the emulator's model load.
		await node(8);
		await node(1);
		await bare();
		await floor();
		const samples = {
			bare: [] as Sample[],
			floor: [] as Sample[],
			serial: [] as Sample[],
			parallel: [] as Sample[],
		};
		// Alternating rounds, medians: a shared machine swings a single pass by half.
		for (let round = 0; round < ROUNDS; round++) {
			samples.bare.push(await measured(bare));
			samples.floor.push(await measured(floor));
			samples.serial.push(await measured(() => node(1)));
			samples.parallel.push(await measured(() => node(8)));
		}
		const wall = (list: Sample[]) => median(list.map((s) => s.wallMs));
		const cpu = (list: Sample[]) => median(list.map((s) => s.cpuMs));
		const overhead = wall(samples.serial) - wall(samples.bare);
		const mandatory = wall(samples.floor) - wall(samples.bare);
		const all = (list: Sample[]) => list.map((s) => s.wallMs.toFixed(2)).join(', ');
		return [
			`Per-item overhead in the harness, ${ITEMS} items, zero-latency emulator in its own process (3-token answers), median of ${ROUNDS} alternating rounds`,
			`  bare Node http, one request after another: ${wall(samples.bare).toFixed(2)} ms per item (CPU ${cpu(samples.bare).toFixed(2)} ms; rounds ${all(samples.bare)})`,
			`  n8n's HTTP helper alone, one call per item (stream false; what any community node pays): ${wall(samples.floor).toFixed(2)} ms per item (CPU ${cpu(samples.floor).toFixed(2)} ms; rounds ${all(samples.floor)})`,
			`  Ollama Generate, Concurrency 1: ${wall(samples.serial).toFixed(2)} ms per item (CPU ${cpu(samples.serial).toFixed(2)} ms; rounds ${all(samples.serial)})`,
			`  Ollama Generate, Concurrency 8: ${wall(samples.parallel).toFixed(2)} ms per item (${(wall(samples.bare) / wall(samples.parallel)).toFixed(2)}× the bare serial rate)`,
			`  overhead: ${overhead.toFixed(2)} ms per item over the bare call (target ≤ 1 ms) — ${overhead <= 1 ? 'PASS' : 'FAIL'}; of it, n8n's helper path alone: ${mandatory.toFixed(2)} ms, ours on top of the helper: ${(overhead - mandatory).toFixed(2)} ms`,
		];
	} finally {
		await emulator.stop();
	}
}
