import { PassThrough, Readable } from 'stream';

import { OllamaFailure } from '../../nodes/core/failures';
import { LineParser, NO_LINE, consumeOllamaStream } from '../../nodes/core/ndjson';

type Chunk = Uint8Array | string;

/** Every JSON value of the stream, line by line, through the production line parser. */
async function* parseNdjson<T = unknown>(src: AsyncIterable<Chunk>): AsyncGenerator<T> {
	const lines = new LineParser();
	let value: unknown;
	for await (const chunk of src) {
		lines.feed(chunk);
		while ((value = lines.next()) !== NO_LINE) yield value as T;
	}
	lines.end();
	while ((value = lines.next()) !== NO_LINE) yield value as T;
}

/** consumeOllamaStream's messages as an iterable, then its failure if any. */
async function* readOllamaStream<T extends object>(
	src: AsyncIterable<Chunk>,
	context?: { path?: string },
): AsyncGenerator<T> {
	const messages: T[] = [];
	const failure = await consumeOllamaStream<T>(src, (m) => messages.push(m), context).then(
		() => undefined,
		(error: unknown) => error ?? new Error('rejected without a reason'),
	);
	yield* messages;
	if (failure) throw failure;
}

/** Splits `buf` at the given byte offsets. */
function splitAt(buf: Buffer, offsets: number[]): Buffer[] {
	const chunks: Buffer[] = [];
	let start = 0;
	for (const offset of [...offsets, buf.length]) {
		chunks.push(buf.subarray(start, offset));
		start = offset;
	}
	return chunks;
}

function chunksOf(buf: Buffer, size: number): Buffer[] {
	const chunks: Buffer[] = [];
	for (let i = 0; i < buf.length; i += size) chunks.push(buf.subarray(i, i + size));
	return chunks;
}

/** Deterministic chunk sizes between 1 and `max` bytes. */
function randomChunks(buf: Buffer, seed: number, max: number): Buffer[] {
	let state = seed;
	const chunks: Buffer[] = [];
	for (let i = 0; i < buf.length;) {
		state = (state * 1103515245 + 12345) % 2147483648;
		const size = 1 + (state % max);
		chunks.push(buf.subarray(i, i + size));
		i += size;
	}
	return chunks;
}

/** Every way of cutting `buf` in two, including empty first and last pieces. */
function everySplit(buf: Buffer): Buffer[][] {
	const splits: Buffer[][] = [];
	for (let offset = 0; offset <= buf.length; offset++) splits.push(splitAt(buf, [offset]));
	return splits;
}

interface Source extends AsyncIterable<Chunk> {
	/** Chunks handed out so far. */
	read: number;
	/** True once the consumer released the source (finished or returned early). */
	released: boolean;
}

function source(chunks: Chunk[], failWith?: Error): Source {
	const state: Source = {
		read: 0,
		released: false,
		async *[Symbol.asyncIterator]() {
			try {
				for (const chunk of chunks) {
					state.read++;
					yield chunk;
				}
				if (failWith) throw failWith;
			} finally {
				state.released = true;
			}
		},
	};
	return state;
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
	const values: T[] = [];
	for await (const value of iterable) values.push(value);
	return values;
}

/** Collects what was yielded before the failure, and the failure. */
async function collectUntilFailure<T>(
	iterable: AsyncIterable<T>,
): Promise<{ values: T[]; error: OllamaFailure }> {
	const values: T[] = [];
	try {
		for await (const value of iterable) values.push(value);
	} catch (error) {
		if (error instanceof OllamaFailure) return { values, error };
		throw error;
	}
	throw new Error('expected a failure');
}

const ndjson = (...objects: unknown[]): Buffer =>
	Buffer.from(objects.map((o) => JSON.stringify(o) + '\n').join(''));

describe('parseNdjson', () => {
	it('parses several lines arriving in one chunk', async () => {
		const values = await collect(parseNdjson(source([ndjson({ a: 1 }, { b: 2 }, { c: 3 })])));
		expect(values).toEqual([{ a: 1 }, { b: 2 }, { c: 3 }]);
	});

	it('joins one line split over many chunks, one byte each', async () => {
		const line = ndjson({ response: 'a fairly long piece of text', n: [1, 2, 3] });
		const values = await collect(parseNdjson(source(chunksOf(line, 1))));
		expect(values).toEqual([{ response: 'a fairly long piece of text', n: [1, 2, 3] }]);
	});

	it('keeps a two-byte UTF-8 character split across chunks (0xD1 | 0x8C)', async () => {
		const line = Buffer.from('{"response":"ь"}\n');
		const cut = line.indexOf(0xd1) + 1;
		const chunks = splitAt(line, [cut]);
		expect(chunks[0][chunks[0].length - 1]).toBe(0xd1);
		expect(chunks[1][0]).toBe(0x8c);
		expect(await collect(parseNdjson(source(chunks)))).toEqual([{ response: 'ь' }]);
	});

	it('gives the same values for "Привет 😀" lines cut at every byte offset', async () => {
		const expected = [{ response: 'Привет 😀' }, { response: '😀😀', done: true }, { x: 'é' }];
		const body = ndjson(...expected);
		for (const chunks of everySplit(body)) {
			expect(await collect(parseNdjson(source(chunks)))).toEqual(expected);
		}
	});

	it('gives the same values for "Привет 😀" lines cut at every pair of offsets', async () => {
		const expected = [{ response: 'Привет 😀' }, { response: '😀' }];
		const body = ndjson(...expected);
		for (let a = 0; a <= body.length; a++) {
			for (let b = a; b <= body.length; b++) {
				expect(await collect(parseNdjson(source(splitAt(body, [a, b]))))).toEqual(expected);
			}
		}
	});

	it('gives the same values for random chunkings and one-byte chunks', async () => {
		const expected = Array.from({ length: 50 }, (_, i) => ({ i, response: `Привет ${i} 😀` }));
		const body = ndjson(...expected);
		expect(await collect(parseNdjson(source(chunksOf(body, 1))))).toEqual(expected);
		for (let seed = 1; seed <= 20; seed++) {
			expect(await collect(parseNdjson(source(randomChunks(body, seed, 97))))).toEqual(expected);
		}
	});

	it('flushes a final line that has no trailing newline', async () => {
		const body = Buffer.from('{"a":1}\n{"b":"Привет"}');
		expect(await collect(parseNdjson(source([body])))).toEqual([{ a: 1 }, { b: 'Привет' }]);
		for (const chunks of everySplit(body)) {
			expect(await collect(parseNdjson(source(chunks)))).toEqual([{ a: 1 }, { b: 'Привет' }]);
		}
	});

	it('skips empty and whitespace-only lines', async () => {
		const body = Buffer.from('\n{"a":1}\n\n   \n\t\n{"b":2}\n\n');
		expect(await collect(parseNdjson(source([body])))).toEqual([{ a: 1 }, { b: 2 }]);
		for (const chunks of everySplit(body)) {
			expect(await collect(parseNdjson(source(chunks)))).toEqual([{ a: 1 }, { b: 2 }]);
		}
	});

	it('tolerates \\r\\n line endings, also when \\r and \\n fall in different chunks', async () => {
		const body = Buffer.from('{"a":1}\r\n\r\n{"b":"ü"}\r\n{"c":3}\r');
		for (const chunks of everySplit(body)) {
			expect(await collect(parseNdjson(source(chunks)))).toEqual([{ a: 1 }, { b: 'ü' }, { c: 3 }]);
		}
	});

	it('yields nothing for an empty body or one of blank lines', async () => {
		expect(await collect(parseNdjson(source([])))).toEqual([]);
		expect(await collect(parseNdjson(source([Buffer.alloc(0), '', '\n \r\n'])))).toEqual([]);
	});

	it('accepts string chunks, plain Uint8Array chunks and a mix with Buffers', async () => {
		const body = ndjson({ response: 'Привет 😀' }, { n: 2 });
		const half = Math.floor(body.length / 2);
		const plain = new Uint8Array(body.subarray(0, half)); // a copy, not a Buffer
		const chunks: Chunk[] = [plain, body.subarray(half, half + 3), body.subarray(half + 3)];
		expect(await collect(parseNdjson(source(chunks)))).toEqual([
			{ response: 'Привет 😀' },
			{ n: 2 },
		]);
		expect(
			await collect(parseNdjson(source(['{"a":', '"Привет"}\n{"b"', Buffer.from(':2}')]))),
		).toEqual([{ a: 'Привет' }, { b: 2 }]);
	});

	it('reads a Uint8Array that is a view into a larger buffer at an offset', async () => {
		const backing = Buffer.from('xxxx{"a":1}\nyyyy');
		const view = new Uint8Array(backing.buffer, backing.byteOffset + 4, 8);
		expect(await collect(parseNdjson(source([view])))).toEqual([{ a: 1 }]);
	});

	it('parses HTML-escaped JSON with a real parser', async () => {
		const body = Buffer.from('{"response":"\\u003cthink\\u003e \\u0026"}\n');
		expect(await collect(parseNdjson(source([body])))).toEqual([{ response: '<think> &' }]);
	});

	it('reads a 100 MB line fed in 64 KB chunks (no line cap, linear time)', async () => {
		const size = 100 * 1024 * 1024;
		const head = '{"context":[1,2,3],"response":"';
		const tail = '","done":true}\n{"after":true}\n';
		const body = Buffer.alloc(head.length + size + tail.length, 'a');
		body.write(head, 0, 'latin1');
		body.write(tail, head.length + size, 'latin1');
		const values = await collect(
			parseNdjson<Record<string, unknown>>(source(chunksOf(body, 65536))),
		);
		expect(values).toHaveLength(2);
		expect((values[0].response as string).length).toBe(size);
		expect(values[0].done).toBe(true);
		expect(values[1]).toEqual({ after: true });
	});

	it('throws a protocol failure for a line that is not JSON, quoting at most 200 characters', async () => {
		const garbage = 'x'.repeat(150) + 'y'.repeat(150);
		const { values, error } = await collectUntilFailure(
			parseNdjson(source([`{"a":1}\n${garbage}\n{"b":2}\n`])),
		);
		expect(values).toEqual([{ a: 1 }]);
		expect(error.kind).toBe('protocol');
		expect(error.message).toContain('x'.repeat(150) + 'y'.repeat(50));
		expect(error.message).not.toContain('y'.repeat(51));
	});

	it('quotes a short non-JSON line whole (a proxy error page, say)', async () => {
		const { error } = await collectUntilFailure(parseNdjson(source(['<html>502 Bad Gateway'])));
		expect(error.kind).toBe('protocol');
		expect(error.message).toContain('<html>502 Bad Gateway');
	});

	it('quotes a bad line of exactly 200 characters whole, with no ellipsis', async () => {
		const garbage = 'z'.repeat(200);
		const { error } = await collectUntilFailure(parseNdjson(source([garbage + '\n'])));
		expect(error.message).toBe(`Ollama sent a line that is not JSON: ${garbage}`);
	});

	it.each([
		['U+10000', '\u{10000}'],
		['U+10FFFF', '\u{10FFFF}'],
		['an emoji', '😀'],
	])('does not cut %s in half at the 200th character of a quote', async (_name, character) => {
		const garbage = 'x'.repeat(199) + character + 'y'.repeat(50);
		const { error } = await collectUntilFailure(parseNdjson(source([garbage + '\n'])));
		expect(error.message).toBe(`Ollama sent a line that is not JSON: ${'x'.repeat(199)}…`);
	});

	it('keeps a character beyond the surrogates whole at the 200th place of a quote', async () => {
		const garbage = 'x'.repeat(199) + '！' + 'y'.repeat(50);
		const { error } = await collectUntilFailure(parseNdjson(source([garbage + '\n'])));
		expect(error.message).toBe(`Ollama sent a line that is not JSON: ${'x'.repeat(199)}！…`);
	});

	it('does not cut a surrogate pair when quoting a bad line', async () => {
		const garbage = 'x'.repeat(199) + '😀'.repeat(10);
		const { error } = await collectUntilFailure(parseNdjson(source([garbage + '\n'])));
		expect(error.message).toContain('x'.repeat(199) + '…');
		expect(error.message).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
	});
});

describe('readOllamaStream', () => {
	const generateChunks = [
		{ model: 'm', created_at: 't', response: 'Привет', done: false },
		{ model: 'm', created_at: 't', response: ' 😀', done: false },
		{ model: 'm', created_at: 't', response: '', done: true, done_reason: 'stop', eval_count: 2 },
	];

	it('yields every chunk up to and including done:true at every split offset', async () => {
		for (const chunks of everySplit(ndjson(...generateChunks))) {
			expect(await collect(readOllamaStream(source(chunks)))).toEqual(generateChunks);
		}
	});

	it('stops after done:true without reading or parsing anything further, and releases the source', async () => {
		const first = Buffer.concat([
			ndjson(generateChunks[0], generateChunks[2]),
			Buffer.from('junk\n'),
		]);
		const src = source([first, 'more junk\n', '{"model":"m","response":"late","done":false}\n']);
		expect(await collect(readOllamaStream(src))).toEqual([generateChunks[0], generateChunks[2]]);
		expect(src.read).toBe(1);
		expect(src.released).toBe(true);
	});

	it('stops after status "success" on a progress stream', async () => {
		const lines = [
			{ status: 'pulling manifest' },
			{ status: 'pulling 8eeb52dfb3bb', digest: 'sha256:8eeb', total: 10, completed: 5 },
			{ status: 'success' },
		];
		const src = source([ndjson(...lines), ndjson({ status: 'extra' })]);
		expect(await collect(readOllamaStream(src))).toEqual(lines);
		expect(src.read).toBe(1);
		expect(src.released).toBe(true);
	});

	it('accepts a single JSON body without newline (a load reply on a stream:true request)', async () => {
		const body = '{"model":"x","created_at":"t","response":"","done":true,"done_reason":"load"}';
		expect(await collect(readOllamaStream(source([body])))).toEqual([
			{ model: 'x', created_at: 't', response: '', done: true, done_reason: 'load' },
		]);
	});

	it('ends normally on done:true without done_reason', async () => {
		const last = { model: 'm', created_at: 't', response: '', done: true };
		expect(await collect(readOllamaStream(source([ndjson(last)])))).toEqual([last]);
	});

	it("throws streamError with Ollama's text after output started (HTTP 200 error line)", async () => {
		const body = Buffer.concat([
			ndjson(generateChunks[0]),
			Buffer.from('{"error":"an error was encountered while running the model"}\n'),
		]);
		for (const chunks of everySplit(body)) {
			const { values, error } = await collectUntilFailure(
				readOllamaStream(source(chunks), { path: '/api/generate' }),
			);
			expect(values).toEqual([generateChunks[0]]);
			expect(error.kind).toBe('streamError');
			expect(error.message).toBe('an error was encountered while running the model');
			expect(error.ollamaMessage).toBe('an error was encountered while running the model');
			expect(error.outputStarted).toBe(true);
			expect(error.path).toBe('/api/generate');
		}
	});

	it('throws streamError with outputStarted false when the error is the whole body', async () => {
		const { values, error } = await collectUntilFailure(
			readOllamaStream(source(['{"error":"rate limit exceeded"}']), { path: '/api/chat' }),
		);
		expect(values).toEqual([]);
		expect(error.kind).toBe('streamError');
		expect(error.ollamaMessage).toBe('rate limit exceeded');
		expect(error.outputStarted).toBe(false);
		expect(error.path).toBe('/api/chat');
	});

	it('surfaces a failed pull of an unknown model after "pulling manifest"', async () => {
		const body =
			'{"status":"pulling manifest"}\n{"error":"pull model manifest: file does not exist"}\n';
		const { values, error } = await collectUntilFailure(readOllamaStream(source([body])));
		expect(values).toEqual([{ status: 'pulling manifest' }]);
		expect(error.kind).toBe('streamError');
		expect(error.message).toBe('pull model manifest: file does not exist');
		expect(error.outputStarted).toBe(true);
	});

	it('reads the message of an error given as an object', async () => {
		const { error } = await collectUntilFailure(
			readOllamaStream(source(['{"error":{"message":"bad thing","type":"api_error"}}\n'])),
		);
		expect(error.kind).toBe('streamError');
		expect(error.message).toBe('bad thing');
	});

	it('throws truncated when the stream ends before done, with outputStarted', async () => {
		const { values, error } = await collectUntilFailure(
			readOllamaStream(source([ndjson(generateChunks[0], generateChunks[1])]), {
				path: '/api/generate',
			}),
		);
		expect(values).toEqual(generateChunks.slice(0, 2));
		expect(error.kind).toBe('truncated');
		expect(error.message).toBe(
			'The stream from Ollama ended before its final message (no "done" or "success" line): ' +
				'the server may have stopped or the connection was cut.',
		);
		expect(error.outputStarted).toBe(true);
		expect(error.path).toBe('/api/generate');
	});

	it('throws truncated with outputStarted false for an empty body', async () => {
		const { error } = await collectUntilFailure(readOllamaStream(source([])));
		expect(error.kind).toBe('truncated');
		expect(error.outputStarted).toBe(false);
		expect(error.path).toBeUndefined();
	});

	it('throws truncated when EOF cuts the last object in half', async () => {
		const body = Buffer.concat([ndjson(generateChunks[0]), Buffer.from('{"model":"m","resp')]);
		for (const chunks of everySplit(body)) {
			const { values, error } = await collectUntilFailure(readOllamaStream(source(chunks)));
			expect(values).toEqual([generateChunks[0]]);
			expect(error.kind).toBe('truncated');
			expect(error.outputStarted).toBe(true);
		}
	});

	it('throws a protocol failure for a final unterminated line that is not JSON at all', async () => {
		const { error } = await collectUntilFailure(readOllamaStream(source(['502 Bad Gateway'])));
		expect(error.kind).toBe('protocol');
		expect(error.message).toContain('502 Bad Gateway');
	});

	it('adds path and outputStarted to a protocol failure', async () => {
		const { error } = await collectUntilFailure(
			readOllamaStream(source([ndjson(generateChunks[0]), 'not json\n']), { path: '/api/chat' }),
		);
		expect(error.kind).toBe('protocol');
		expect(error.path).toBe('/api/chat');
		expect(error.outputStarted).toBe(true);
	});

	it('throws a protocol failure for JSON that is not an object', async () => {
		for (const line of ['42', 'null', '"text"', '[1,2]']) {
			const { error } = await collectUntilFailure(readOllamaStream(source([line + '\n'])));
			expect(error.kind).toBe('protocol');
			expect(error.outputStarted).toBe(false);
		}
	});

	it('passes a source failure through unchanged', async () => {
		const cause = new Error('socket hang up');
		const iterator = readOllamaStream(source([ndjson(generateChunks[0])], cause));
		await expect(collect(iterator)).rejects.toBe(cause);
	});

	it('marks an OllamaFailure thrown by the source with path and outputStarted', async () => {
		const idle = new OllamaFailure('idle', { kind: 'timeoutIdle' });
		const { error } = await collectUntilFailure(
			readOllamaStream(source([ndjson(generateChunks[0])], idle), { path: '/api/pull' }),
		);
		expect(error).toBe(idle);
		expect(error.path).toBe('/api/pull');
		expect(error.outputStarted).toBe(true);
	});
});

describe('lines that are not messages', () => {
	it('names a JSON line that is not an object', async () => {
		const { error } = await collectUntilFailure(readOllamaStream(source(['[1,2]\n'])));
		expect(error).toMatchObject({
			kind: 'protocol',
			message: 'Ollama sent a line that is not a JSON object: [1,2]',
		});
	});

	it.each([
		[{ error: 'model requires more system memory' }, 'model requires more system memory'],
		[{ error: { message: 'quota exceeded' } }, 'quota exceeded'],
		[{ error: { code: 7 } }, '{"code":7}'],
		[{ error: 503 }, '503'],
		[{ error: null }, 'null'],
	])('fails an error line %j with the text %j', async (line, text) => {
		const { error } = await collectUntilFailure(readOllamaStream(source([ndjson(line)])));
		expect(error).toMatchObject({ kind: 'streamError', message: text, ollamaMessage: text });
	});
});

describe('consumeOllamaStream on a Node stream (how n8n hands over a response)', () => {
	const lines = [
		{ model: 'm', created_at: 't', response: 'Привет', done: false },
		{ model: 'm', created_at: 't', response: ' 😀', done: false },
		{ model: 'm', created_at: 't', response: '', done: true, done_reason: 'stop', eval_count: 2 },
	];

	async function consume(stream: Readable, context?: { path?: string; onChunk?: () => void }) {
		const messages: object[] = [];
		const error = await consumeOllamaStream(stream, (m) => messages.push(m), context).then(
			() => undefined,
			(failure: unknown) => failure as OllamaFailure & { code?: string },
		);
		return { messages, error };
	}

	it('delivers every message at every split offset', async () => {
		for (const chunks of everySplit(ndjson(...lines))) {
			const { messages, error } = await consume(Readable.from(chunks));
			expect(error).toBeUndefined();
			expect(messages).toEqual(lines);
		}
	});

	it('resolves at the final message before the response ends, ignores what follows, and lets the response end on its own', async () => {
		const response = new PassThrough();
		const errors: unknown[] = [];
		response.on('error', (error) => errors.push(error));
		response.write(ndjson(...lines));
		const { messages, error } = await consume(response);
		expect(error).toBeUndefined();
		expect(messages).toEqual(lines);
		expect(response.readableEnded).toBe(false);
		response.end('{"model":"m","response":"late","done":false}\n');
		await new Promise((resolve) => response.once('end', resolve));
		expect(messages).toHaveLength(3);
		expect(errors).toEqual([]);
	});

	it('survives an error after the final message (no unhandled error event)', async () => {
		const response = new PassThrough();
		response.write(ndjson(...lines));
		await consume(response);
		response.destroy(new Error('socket hang up'));
		await new Promise((resolve) => response.once('close', resolve));
	});

	it('counts every chunk for the idle-time bookkeeping', async () => {
		let chunks = 0;
		await consume(Readable.from(splitAt(ndjson(...lines), [5, 50, 90])), {
			onChunk: () => chunks++,
		});
		expect(chunks).toBe(4);
	});

	it("fails with Ollama's text on an error line and closes the response", async () => {
		const response = new PassThrough();
		response.write(ndjson(lines[0], { error: 'an error was encountered while running the model' }));
		const { messages, error } = await consume(response);
		expect(messages).toEqual([lines[0]]);
		expect(error?.kind).toBe('streamError');
		expect(error?.message).toBe('an error was encountered while running the model');
		expect(error?.outputStarted).toBe(true);
		expect(response.destroyed).toBe(true);
	});

	it('fails as truncated when the response ends before the final message', async () => {
		const { messages, error } = await consume(Readable.from([ndjson(lines[0])]), {
			path: '/api/generate',
		});
		expect(messages).toEqual([lines[0]]);
		expect(error?.kind).toBe('truncated');
		expect(error?.path).toBe('/api/generate');
	});

	it('passes the stream error through when the connection fails mid-stream', async () => {
		const response = new PassThrough();
		response.write(ndjson(lines[0]));
		const cause = Object.assign(new Error('aborted'), { code: 'ECONNRESET' });
		setImmediate(() => response.destroy(cause));
		const { messages, error } = await consume(response);
		expect(messages).toEqual([lines[0]]);
		expect(error).toBe(cause);
	});

	it('delivers nothing that came after the final message in the same chunk', async () => {
		const response = new PassThrough();
		response.write(
			Buffer.concat([
				ndjson(...lines),
				Buffer.from('{"model":"m","response":"late","done":false}'),
			]),
		);
		const { messages } = await consume(response);
		response.end();
		await new Promise((resolve) => response.once('close', resolve));
		expect(messages).toEqual(lines);
	});

	it('fails as a premature close when the response was destroyed before reading began', async () => {
		const response = new PassThrough();
		response.destroy();
		await new Promise((resolve) => response.once('close', resolve));
		const { error } = await consume(response);
		expect(error?.code).toBe('ERR_STREAM_PREMATURE_CLOSE');
	});

	it('fails as a premature close when the response is destroyed without an error', async () => {
		const response = new PassThrough();
		response.write(ndjson(lines[0]));
		setImmediate(() => response.destroy());
		const { error } = await consume(response);
		expect(error?.code).toBe('ERR_STREAM_PREMATURE_CLOSE');
	});
});

describe('token-line fast path', () => {
	const parse = (line: string) => {
		const lines = new LineParser();
		lines.feed(`${line}\n`);
		return lines.next();
	};

	it.each([
		'{"model":"llama3.2","created_at":"2026-11-22T01:00:00.1Z","response":" plain","done":false}',
		'{"model":"llama3.2","created_at":"2026-11-22T01:00:00.1Z","response":"\\u003cthink\\u003e \\"q\\" a\\\\b\\nc \\u0026 😀 Привет","done":false}',
		'{"model":"qwen3","created_at":"t","response":"","thinking":"Let me \\"see\\"","done":false}',
		'{"model":"m","created_at":"t","message":{"role":"assistant","content":"Hi \\u003e there"},"done":false}',
		'{"model":"m","created_at":"t","message":{"role":"assistant","content":"","thinking":"hmm"},"done":false}',
		'{"model":"m","created_at":"t","response":"x","done":false,"extra":1}',
		'{"model":"m","created_at":"t","message":{"role":"assistant","content":"","tool_calls":[{"function":{"index":0,"name":"f","arguments":{}}}]},"done":false}',
		'{"model":"m","created_at":"t","response":"","done":true,"done_reason":"stop","context":[1,2]}',
		'{"model":"m\\"x","created_at":"t","response":"a","done":false}',
	])('gives exactly what JSON.parse gives: %s', (line) => {
		expect(parse(line)).toEqual(JSON.parse(line));
	});
});
