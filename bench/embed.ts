// Embedding throughput: N short texts through the real Ollama Embed node (n8n-core's WorkflowExecute,
// real HTTP) against the emulator with a fixed latency per request, batched versus one request per
// text, both measured in the same run. See bench/README.md for how to run it.

import { OllamaEmbed } from '../nodes/OllamaEmbed/OllamaEmbed.node';
import type { Emulator } from '../test/emulator';
import { startEmulator } from '../test/emulator';
import { runNode } from '../test/harness/run';
import { argument } from './cli';

export interface EmbedBenchmarkOptions {
	/** Texts (one per item). Default 10,000. */
	items?: number;
	/** Latency the emulator adds to every /api/embed request (its firstTokenMs), in ms. Default 3. */
	latencyMs?: number;
	/** Batch Size of the batched path. Default 32 (the node's default). */
	batchSize?: number;
	/**
	 * Length of the vectors of the emulator's model. Default 8: the emulator formats every float32
	 * the way Go does (~3 µs a number), a cost per text that a real Ollama does not have and that
	 * would otherwise dominate the batched path (384 dimensions: ~1.2 ms per text).
	 */
	dimensions?: number;
}

export interface PathResult {
	label: string;
	batchSize: number;
	/** /api/embed requests the emulator received (in one pass). */
	requests: number;
	/** Wall time of the pass (for the batched path: the median of its passes). */
	wallMs: number;
	vectors: number;
	/** Wall time of every measured pass. */
	samplesMs: number[];
}

export interface EmbedBenchmarkResult {
	items: number;
	latencyMs: number;
	model: string;
	dimensions: number;
	batched: PathResult;
	single: PathResult;
	/** How many times faster the batched path is (one-per-text wall time / batched wall time). */
	ratio: number;
}

/** The ratio the batched path must reach (issue 4). */
export const REQUIRED_RATIO = 20;

function shortTexts(count: number): Array<{ text: string }> {
	return Array.from({ length: count }, (_, i) => ({
		text: `Invoice ${i}: ${['paid', 'overdue', 'disputed', 'refunded'][i % 4]} by customer ${i % 97}`,
	}));
}

async function embedAll(
	emulator: Emulator,
	model: string,
	items: Array<{ text: string }>,
	batchSize: number,
	label: string,
): Promise<PathResult & { dimensions: number }> {
	emulator.clearRequests();
	const started = process.hrtime.bigint();
	const { items: output, error } = await runNode({
		node: {
			type: OllamaEmbed,
			parameters: {
				model: { __rl: true, mode: 'name', value: model },
				text: '={{ $json.text }}',
				batchSize,
				concurrency: 1,
			},
		},
		credentials: { baseUrl: emulator.url, authentication: 'none' },
		items,
	});
	const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
	if (error) throw new Error(`${label}: the node failed: ${error.message}`);
	if (output.length !== items.length) {
		throw new Error(`${label}: ${output.length} output items for ${items.length} texts`);
	}
	const dimensions = (output[0].json.embedding as number[]).length;
	for (const item of output) {
		const vector = item.json.embedding;
		if (!Array.isArray(vector) || vector.length !== dimensions || typeof vector[0] !== 'number') {
			throw new Error(`${label}: an item has no proper vector: ${JSON.stringify(item.json)}`);
		}
	}
	const requests = emulator.requests.filter((r) => r.path === '/api/embed').length;
	return {
		label,
		batchSize,
		requests,
		wallMs,
		vectors: output.length,
		samplesMs: [wallMs],
		dimensions,
	};
}

export async function runEmbedBenchmark(
	options: EmbedBenchmarkOptions = {},
): Promise<EmbedBenchmarkResult> {
	const count = options.items ?? 10_000;
	const latencyMs = options.latencyMs ?? 3;
	const batchSize = options.batchSize ?? 32;
	const dimensions = options.dimensions ?? 8;
	const model = `bench-embed-${dimensions}`;
	const emulator = await startEmulator({ latency: { firstTokenMs: latencyMs } });
	emulator.addModel({
		name: `${model}:latest`,
		capabilities: ['embedding'],
		family: 'bert',
		contextLength: 512,
		embeddingLength: dimensions,
	});
	try {
		const texts = shortTexts(count);
		// Warm up (JIT, connections, model load) so neither measured path pays for it.
		await embedAll(emulator, model, texts, batchSize, 'warm-up');
		await embedAll(emulator, model, texts.slice(0, 50), 1, 'warm-up');

		// The batched pass is short, so the load of a shared machine can swing it: it runs before
		// and twice after the slow path, and its median counts.
		const label = `batched (Batch Size ${batchSize})`;
		const first = await embedAll(emulator, model, texts, batchSize, label);
		const single = await embedAll(emulator, model, texts, 1, 'one request per text (Batch Size 1)');
		const passes = [first];
		for (let k = 0; k < 2; k++)
			passes.push(await embedAll(emulator, model, texts, batchSize, label));
		const samplesMs = passes.map((pass) => pass.wallMs);
		const batched = { ...first, wallMs: median(samplesMs), samplesMs };
		return {
			items: count,
			latencyMs,
			model,
			dimensions: batched.dimensions,
			batched,
			single,
			ratio: single.wallMs / batched.wallMs,
		};
	} finally {
		await emulator.close();
	}
}

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function formatResult(result: EmbedBenchmarkResult): string {
	const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
	const row = (path: PathResult) =>
		[
			path.label.padEnd(38),
			String(path.requests).padStart(8),
			seconds(path.wallMs).padStart(10),
			`${(path.wallMs / path.vectors).toFixed(3)} ms`.padStart(12),
		].join('  ');
	return [
		`Ollama Embed: ${result.items} items, one short text each, model ${result.model} (${result.dimensions} dimensions),`,
		`emulator latency ${result.latencyMs} ms per request, Concurrency 1, real n8n WorkflowExecute + HTTP`,
		'',
		[
			'path'.padEnd(38),
			'requests'.padStart(8),
			'wall time'.padStart(10),
			'per text'.padStart(12),
		].join('  '),
		row(result.batched),
		row(result.single),
		'',
		`batched passes: ${result.batched.samplesMs.map(seconds).join(', ')} (median shown; one before the slow path, two after)`,
		`ratio: batched is ${result.ratio.toFixed(1)}x faster (required: at least ${REQUIRED_RATIO}x) — ${
			result.ratio >= REQUIRED_RATIO ? 'PASS' : 'FAIL'
		}`,
	].join('\n');
}

/** For bench/run.ts (`npm run bench`): the printed lines, PASS or FAIL included. */
export async function embedBenchmarkLines(options: EmbedBenchmarkOptions = {}): Promise<string[]> {
	return formatResult(await runEmbedBenchmark(options)).split('\n');
}

if (require.main === module) {
	runEmbedBenchmark({
		items: argument('items'),
		latencyMs: argument('latency'),
		batchSize: argument('batch-size'),
		dimensions: argument('dimensions'),
	})
		.then((result) => {
			console.log(formatResult(result));
			process.exitCode = result.ratio >= REQUIRED_RATIO ? 0 : 1;
		})
		.catch((error: unknown) => {
			console.error(error);
			process.exitCode = 1;
		});
}
