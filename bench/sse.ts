/**
 * SSE: our reader and fold (consumeSseStream + OpenAiChatAggregator) versus the official `openai`
 * client's stream, on the same 64 MB /v1/chat/completions event stream cut at random byte
 * offsets, measured in the same run. The openai client parses through its public API
 * (`chat.completions.create({stream: true})`) with a `fetch` that serves the chunks from memory,
 * so no network time is in either figure, and joins the content deltas (the least a caller does
 * with a stream); both texts must be equal. Memory: a stream whose longest event is ~40 MB, to
 * show the reader holds about one event at a time.
 */
import OpenAI from 'openai';
import { VERSION } from 'openai/version';

import { OpenAiChatAggregator } from '../nodes/core/openaiAggregate';
import type { ChatCompletionChunk } from '../nodes/core/openaiTypes';
import { consumeSseStream } from '../nodes/core/sse';
import { cut, fromMemory, memoryFetch, peakHeapGrowth, time } from './streamBench';

const TARGET_BYTES = 64 * 1024 * 1024;
const ROUNDS = 3;
const REQUIRED_RATIO = 3;
const CREATED = 1764547200;

const event = (payload: object): string => `data: ${JSON.stringify(payload)}\n\n`;

/** A chunk as Ollama's /v1 writes it (openai.ToChunk: role and content on every delta). */
function chunk(delta: object, finishReason: string | null = null): object {
	return {
		id: 'chatcmpl-123',
		object: 'chat.completion.chunk',
		created: CREATED,
		model: 'llama3.2',
		system_fingerprint: 'fp_ollama',
		choices: [{ index: 0, delta, finish_reason: finishReason }],
	};
}

function ending(): string {
	const usage = {
		id: 'chatcmpl-123',
		object: 'chat.completion.chunk',
		created: CREATED,
		model: 'llama3.2',
		system_fingerprint: 'fp_ollama',
		choices: [],
		usage: { prompt_tokens: 26, completion_tokens: 1000, total_tokens: 1026 },
	};
	return `${event(chunk({ role: 'assistant', content: '' }, 'stop'))}${event(usage)}data: [DONE]\n\n`;
}

function chatStream(): Buffer {
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
	const events: string[] = [];
	let size = 0;
	for (let i = 0; size < TARGET_BYTES; i++) {
		const text = event(chunk({ role: 'assistant', content: words[i % words.length] }));
		events.push(text);
		size += Buffer.byteLength(text);
	}
	events.push(ending());
	return Buffer.from(events.join(''));
}

interface Outcome {
	events: number;
	content: string;
}

async function ours(chunks: Buffer[]): Promise<Outcome> {
	const fold = new OpenAiChatAggregator();
	await consumeSseStream<ChatCompletionChunk>(fromMemory(chunks), (payload) => fold.push(payload));
	return { events: fold.chunkCount, content: fold.result().content };
}

async function openAiClient(chunks: Buffer[]): Promise<Outcome> {
	const client = new OpenAI({
		apiKey: 'ollama',
		baseURL: 'http://127.0.0.1:1/v1',
		fetch: memoryFetch(chunks, 'text/event-stream'),
		maxRetries: 0,
	});
	const stream = await client.chat.completions.create({
		model: 'llama3.2',
		messages: [{ role: 'user', content: 'x' }],
		stream: true,
	});
	const pieces: string[] = [];
	let events = 0;
	for await (const part of stream) {
		events++;
		const content = part.choices[0]?.delta?.content;
		if (content) pieces.push(content);
	}
	return { events, content: pieces.join('') };
}

export interface SseBenchmark {
	lines: string[];
	ratio: number;
}

export async function runSseBenchmark(): Promise<SseBenchmark> {
	const body = chatStream();
	const chunks = cut(body);
	const mb = body.length / 1024 / 1024;
	const results = { ours: [] as number[], openai: [] as number[] };
	let events = 0;
	for (let round = 0; round < ROUNDS; round++) {
		const a = await time(() => ours(chunks));
		const b = await time(() => openAiClient(chunks));
		if (a.events !== b.events || a.content !== b.content) {
			throw new Error(
				`results differ: ours ${a.events} events, ${a.content.length} characters; openai ${b.events} events, ${b.content.length} characters`,
			);
		}
		events = a.events;
		results.ours.push(a.ms);
		results.openai.push(b.ms);
	}
	const best = (list: number[]) => Math.min(...list);
	const oursMs = best(results.ours);
	const openAiMs = best(results.openai);
	const ratio = openAiMs / oursMs;

	// Memory: 8 MB of token events, then one ~40 MB event (a long content delta), then the end.
	const longEvent = Buffer.from(
		event(chunk({ role: 'assistant', content: 'lorem ipsum dolor sit amet '.repeat(1_550_000) })),
	);
	const tokens = body.subarray(0, body.indexOf('\n\n', 8 * 1024 * 1024) + 2);
	const memoryChunks = cut(Buffer.concat([tokens, longEvent, Buffer.from(ending())]), 7);
	const longest = longEvent.length / 1024 / 1024;
	let delivered = 0;
	const oursHeap =
		(await peakHeapGrowth(() =>
			consumeSseStream(fromMemory(memoryChunks), () => {
				delivered++;
			}),
		)) /
		1024 /
		1024;

	const version = VERSION;
	const verdict = ratio >= REQUIRED_RATIO ? 'PASS' : 'FAIL';
	return {
		ratio,
		lines: [
			`SSE reader + fold, ${mb.toFixed(1)} MB /v1/chat/completions stream, ${events} events, ${chunks.length} chunks of 1 B–16 KiB (best of ${ROUNDS})`,
			`  ours (consumeSseStream + OpenAiChatAggregator): ${oursMs.toFixed(0)} ms, ${(mb / (oursMs / 1000)).toFixed(0)} MB/s`,
			`  openai ${version} chat.completions.create({stream: true}), content joined: ${openAiMs.toFixed(0)} ms, ${(mb / (openAiMs / 1000)).toFixed(0)} MB/s`,
			`  ratio: ours is ${ratio.toFixed(2)}× the openai client's throughput (target ≥ ${REQUIRED_RATIO}×) — ${verdict}`,
			`  memory: peak heap growth ${oursHeap.toFixed(0)} MB reading a stream whose longest event is ${longest.toFixed(0)} MB (${delivered} events, reader alone)`,
		],
	};
}

/** The printed lines, the shape `bench/run.ts` takes (the verdict is in them; the exit code is this script's). */
export async function sseBenchmarkLines(): Promise<string[]> {
	return (await runSseBenchmark()).lines;
}

if (require.main === module) {
	runSseBenchmark()
		.then(({ lines, ratio }) => {
			for (const line of lines) process.stdout.write(`${line}\n`);
			if (ratio < REQUIRED_RATIO) process.exit(1);
		})
		.catch((error: unknown) => {
			process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
			process.exit(1);
		});
}
