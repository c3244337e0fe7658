// What the stream-reader benchmarks (ndjson.ts, sse.ts) share: a body cut as the network cuts
// it, served from memory (to a reader, or to a client's fetch), timed, and its heap peak.

/** Deterministic random cut points: chunks of 1 byte to 16 KiB, as TCP and proxies deliver. */
export function cut(body: Buffer, seed = 42): Buffer[] {
	const chunks: Buffer[] = [];
	let state = seed;
	for (let i = 0; i < body.length;) {
		state = (state * 1103515245 + 12345) % 2147483648;
		const size = 1 + (state % 16384);
		chunks.push(body.subarray(i, i + size));
		i += size;
	}
	return chunks;
}

export async function* fromMemory(chunks: Buffer[]): AsyncGenerator<Buffer> {
	for (const chunk of chunks) yield chunk;
}

/** A `fetch` that answers any request with `chunks` as a streamed body (for a client under test). */
export function memoryFetch(chunks: Buffer[], contentType: string): typeof globalThis.fetch {
	const fetch = async () =>
		new Response(
			new ReadableStream<Uint8Array>({
				start(controller) {
					for (const chunk of chunks) controller.enqueue(chunk);
					controller.close();
				},
			}),
			{ status: 200, headers: { 'content-type': contentType } },
		);
	return fetch as typeof globalThis.fetch;
}

export async function time<T extends object>(run: () => Promise<T>): Promise<T & { ms: number }> {
	const started = process.hrtime.bigint();
	const outcome = await run();
	return { ...outcome, ms: Number(process.hrtime.bigint() - started) / 1e6 };
}

/** How far the heap grew above its level before `run` (sampled every millisecond). */
export async function peakHeapGrowth(run: () => Promise<unknown>): Promise<number> {
	global.gc?.();
	const before = process.memoryUsage().heapUsed;
	let peak = before;
	const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 1);
	await run();
	clearInterval(timer);
	peak = Math.max(peak, process.memoryUsage().heapUsed);
	return peak - before;
}
