/**
 * Per-item overhead in the harness (n8n-core's real WorkflowExecute, real HTTP): Ollama Generate
 * over N items against a zero-latency emulator, versus the same requests sent with plain Node
 * `http` and no n8n at all, in the same run. The difference per item is what n8n and our node
 * add to each item.
 */
import { request } from 'http';

import { OllamaGenerate } from '../nodes/OllamaGenerate/OllamaGenerate.node';
import { startEmulator } from '../test/emulator';
import { runNode } from '../test/harness/run';

const ITEMS = 1000;

async function bareRequest(url: string, prompt: string): Promise<void> {
	const body = JSON.stringify({ model: 'llama3.2', prompt, stream: true });
	await new Promise<void>((resolve, reject) => {
		const req = request(`${url}/api/generate`, { method: 'POST' }, (res) => {
			res.on('data', () => undefined);
			res.on('end', resolve);
			res.on('error', reject);
		});
		req.on('error', reject);
		req.end(body);
	});
}

async function timed(run: () => Promise<unknown>): Promise<number> {
	const started = process.hrtime.bigint();
	await run();
	return Number(process.hrtime.bigint() - started) / 1e6;
}

export async function overheadLines(): Promise<string[]> {
	const emulator = await startEmulator({ replyTokens: 3, latency: { parallel: 64 } });
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
		await node(8); // warm-up: module loading, JIT
		const bareMs = await timed(async () => {
			for (const { prompt } of items) await bareRequest(emulator.url, prompt);
		});
		const serialMs = await timed(() => node(1));
		const parallelMs = await timed(() => node(8));
		const per = (ms: number) => ms / ITEMS;
		return [
			`Per-item overhead in the harness, ${ITEMS} items, zero-latency emulator (3-token answers)`,
			`  bare Node http, one request after another: ${per(bareMs).toFixed(2)} ms per item`,
			`  Ollama Generate, Concurrency 1: ${per(serialMs).toFixed(2)} ms per item → overhead ${(per(serialMs) - per(bareMs)).toFixed(2)} ms per item over the bare call (target ≤ 1 ms)`,
			`  Ollama Generate, Concurrency 8: ${per(parallelMs).toFixed(2)} ms per item (${(bareMs / parallelMs).toFixed(2)}× the bare serial rate)`,
		];
	} finally {
		await emulator.close();
	}
}
