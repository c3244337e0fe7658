/**
 * NDJSON: our reader (consumeOllamaStream) versus ollama-js's, on the same 64 MB generate stream
 * cut at random byte offsets, measured in the same run. ollama-js parses through its public API
 * (`generate({stream: true})`) with a `fetch` that serves the chunks from memory, so no network
 * time is in either figure. Memory: a stream whose last line is long, to show the reader holds
 * about one line at a time.
 */
import { Ollama } from 'ollama';

import { consumeOllamaStream } from '../nodes/core/ndjson';
import { cut, fromMemory, memoryFetch, peakHeapGrowth, time } from './streamBench';

const TARGET_BYTES = 64 * 1024 * 1024;
const ROUNDS = 3;

function generateStream(): Buffer {
	const words = [
		' the',
		' sky',
		' is',
		' blue',
		' because',
		' of',
		' Rayleigh',
		' scattering',
		' —',
		' ünïcödé',
		' 😀',
	];
	const lines: string[] = [];
	let size = 0;
	for (let i = 0; size < TARGET_BYTES; i++) {
		const line = `${JSON.stringify({
			model: 'llama3.2',
			created_at: `2026-11-22T01:00:00.${String(i).padStart(9, '0')}Z`,
			response: words[i % words.length],
			done: false,
		})}\n`;
		lines.push(line);
		size += Buffer.byteLength(line);
	}
	lines.push(
		`${JSON.stringify({ model: 'llama3.2', created_at: '2026-11-22T01:00:01Z', response: '', done: true, done_reason: 'stop' })}\n`,
	);
	return Buffer.from(lines.join(''));
}

async function ours(chunks: Buffer[]): Promise<{ count: number }> {
	let count = 0;
	await consumeOllamaStream(fromMemory(chunks), () => count++);
	return { count };
}

async function ollamaJs(chunks: Buffer[]): Promise<{ count: number }> {
	const client = new Ollama({
		host: 'http://127.0.0.1:1',
		fetch: memoryFetch(chunks, 'application/x-ndjson'),
	});
	let count = 0;
	for await (const part of await client.generate({
		model: 'llama3.2',
		prompt: 'x',
		stream: true,
	})) {
		if (part) count++;
	}
	return { count };
}

export async function runNdjsonBenchmark(): Promise<string[]> {
	const body = generateStream();
	const chunks = cut(body);
	const mb = body.length / 1024 / 1024;
	const results = { ours: [] as number[], ollamaJs: [] as number[] };
	let lines = 0;
	for (let round = 0; round < ROUNDS; round++) {
		const a = await time(() => ours(chunks));
		const b = await time(() => ollamaJs(chunks));
		if (a.count !== b.count)
			throw new Error(`line counts differ: ours ${a.count}, ollama-js ${b.count}`);
		lines = a.count;
		results.ours.push(a.ms);
		results.ollamaJs.push(b.ms);
	}
	const best = (list: number[]) => Math.min(...list);
	const oursMs = best(results.ours);
	const jsMs = best(results.ollamaJs);

	// Memory: 8 MB of token lines, then one ~40 MB final line (a long context array).
	const longLine = Buffer.from(
		`${JSON.stringify({ model: 'm', response: '', done: true, context: Array.from({ length: 5_000_000 }, (_, i) => 1_000_000 + i) })}\n`,
	);
	const tokens = body.subarray(0, body.indexOf('\n', 8 * 1024 * 1024) + 1);
	const memoryChunks = cut(Buffer.concat([tokens, longLine]), 7);
	const longest = longLine.length / 1024 / 1024;
	const oursHeap = (await peakHeapGrowth(() => ours(memoryChunks))) / 1024 / 1024;

	return [
		`NDJSON reader, ${mb.toFixed(1)} MB generate stream, ${lines} lines, ${chunks.length} chunks of 1 B–16 KiB (best of ${ROUNDS})`,
		`  ours (consumeOllamaStream): ${oursMs.toFixed(0)} ms, ${(mb / (oursMs / 1000)).toFixed(0)} MB/s`,
		`  ollama-js 0.6.4 generate(): ${jsMs.toFixed(0)} ms, ${(mb / (jsMs / 1000)).toFixed(0)} MB/s`,
		`  ratio: ours is ${(jsMs / oursMs).toFixed(2)}× ollama-js's throughput (target ≥ 3×)`,
		`  memory: peak heap growth ${oursHeap.toFixed(0)} MB reading a stream whose longest line is ${longest.toFixed(0)} MB`,
	];
}
