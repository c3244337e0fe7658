/// <reference types="node" />
// Only the global Buffer is used; an `import 'buffer'` would trip n8n's restricted-imports lint.
//
// What a byte-stream reader needs around its parser: chunks as Buffers, a short quote of a bad
// line, and the loop that feeds a parser from an async iterable or a Node Readable. The SSE
// and NDJSON readers (sse.ts, ndjson.ts) use it.

export type Chunk = Uint8Array | string;

const QUOTE_LIMIT = 200;

export function toBuffer(chunk: Chunk): Buffer {
	if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
	if (Buffer.isBuffer(chunk)) return chunk;
	return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/** At most 200 characters of `text`, with `…` when cut, never half a surrogate pair. */
export function quote(text: string): string {
	if (text.length <= QUOTE_LIMIT) return text;
	const code = text.charCodeAt(QUOTE_LIMIT - 1);
	const end = code >= 0xd800 && code <= 0xdbff ? QUOTE_LIMIT - 1 : QUOTE_LIMIT;
	return `${text.slice(0, end)}…`;
}

/** A parser fed chunk by chunk: `chunk` is true once the final message was delivered. */
export interface ChunkReader {
	chunk(chunk: Chunk): boolean;
	/** EOF: throws when the stream ended before its final message. */
	end(): void;
}

/** What a Node Readable offers that the reader uses (n8n hands responses over as one). */
interface NodeReadable extends AsyncIterable<Chunk> {
	on(event: 'data', listener: (chunk: Chunk) => void): unknown;
	on(event: 'end' | 'close', listener: () => void): unknown;
	on(event: 'error', listener: (error: unknown) => void): unknown;
	resume(): unknown;
	destroy(error?: Error): unknown;
	readonly destroyed?: boolean;
}

function isNodeReadable(source: AsyncIterable<Chunk>): source is NodeReadable {
	const candidate = source as Partial<NodeReadable>;
	return typeof candidate.on === 'function' && typeof candidate.resume === 'function';
}

/**
 * Feeds `reader` until it has its final message (the rest of the source is not read) or the
 * source ends. Node streams are read through their events rather than for-await: leaving a
 * for-await at the final message destroys the response with an AbortError at every layer (n8n
 * wraps it twice), and capturing those stack traces cost more than the rest of a short answer's
 * handling. After the final message the response drains to its end and is dropped.
 */
export async function readChunks(source: AsyncIterable<Chunk>, reader: ChunkReader): Promise<void> {
	if (isNodeReadable(source)) {
		await readEvents(source, reader);
		return;
	}
	for await (const chunk of source) if (reader.chunk(chunk)) return;
	reader.end();
}

function readEvents(source: NodeReadable, reader: ChunkReader): Promise<void> {
	return new Promise<void>((resolve, reject) => {
		let settled = false;
		const settle = (error?: unknown) => {
			if (settled) return;
			settled = true;
			if (error === undefined) resolve();
			else reject(error);
		};
		source.on('data', (chunk: Chunk) => {
			if (settled) return;
			try {
				if (reader.chunk(chunk)) settle();
			} catch (error) {
				settle(error);
				source.destroy();
			}
		});
		source.on('end', () => {
			if (settled) return;
			try {
				reader.end();
				settle();
			} catch (error) {
				settle(error);
			}
		});
		// Stays attached after the final message: a late error must not become an unhandled one.
		source.on('error', (error: unknown) => settle(error));
		source.on('close', () => {
			if (!settled) settle(prematureClose());
		});
		if (source.destroyed) settle(prematureClose());
	});
}

function prematureClose(): Error {
	return Object.assign(new Error('The stream closed before it ended.'), {
		code: 'ERR_STREAM_PREMATURE_CLOSE',
	});
}
