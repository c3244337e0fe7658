import { PassThrough, Readable } from 'stream';

import { OllamaFailure } from '../../nodes/core/failures';
import { openAiTokenLine } from '../../nodes/core/openaiTokenLine';
import type { SseEvent } from '../../nodes/core/sse';
import { SseParser, consumeSseStream } from '../../nodes/core/sse';

type Chunk = Uint8Array | string;

/** Every event of the stream through the production parser, then those EOF releases. */
function parseSse(chunks: Chunk[]): SseEvent[] {
	const parser = new SseParser();
	const events: SseEvent[] = [];
	let event: SseEvent | undefined;
	for (const chunk of chunks) {
		parser.feed(chunk);
		while ((event = parser.next()) !== undefined) events.push(event);
	}
	parser.end();
	while ((event = parser.next()) !== undefined) events.push(event);
	return events;
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

interface Delivered {
	payload: object;
	event: string;
}

/** What consumeSseStream delivered, and its failure if any. */
async function consume(
	src: AsyncIterable<Chunk>,
	context?: { path?: string; onChunk?: () => void },
): Promise<{ delivered: Delivered[]; error?: OllamaFailure & { code?: string } }> {
	const delivered: Delivered[] = [];
	const error = await consumeSseStream(
		src,
		(payload, event) => delivered.push({ payload, event }),
		context,
	).then(
		() => undefined,
		(failure: unknown) => (failure ?? new Error('rejected without a reason')) as OllamaFailure,
	);
	return { delivered, error };
}

const payloads = (delivered: Delivered[]) => delivered.map((d) => d.payload);

const data = (...objects: object[]): string =>
	objects.map((o) => `data: ${JSON.stringify(o)}\n\n`).join('');

const message = (event: string, text: string): SseEvent => ({ event, data: text });

describe('SseParser: the event-stream format', () => {
	it('reads several events arriving in one chunk', () => {
		expect(parseSse(['data: a\n\ndata: b\n\nevent: x\ndata: c\n\n'])).toEqual([
			message('message', 'a'),
			message('message', 'b'),
			message('x', 'c'),
		]);
	});

	it('joins one event split over many chunks, one byte each', () => {
		const body = Buffer.from('event: delta\ndata: {"text":"a fairly long piece"}\n\n');
		expect(parseSse(chunksOf(body, 1))).toEqual([
			message('delta', '{"text":"a fairly long piece"}'),
		]);
	});

	it('keeps a two-byte UTF-8 character split across chunks (0xD1 | 0x8C)', () => {
		const body = Buffer.from('data: ь\n\n');
		const cut = body.indexOf(0xd1) + 1;
		const chunks = splitAt(body, [cut]);
		expect(chunks[0][chunks[0].length - 1]).toBe(0xd1);
		expect(chunks[1][0]).toBe(0x8c);
		expect(parseSse(chunks)).toEqual([message('message', 'ь')]);
	});

	it('gives the same events for "Привет 😀" events cut at every byte offset', () => {
		const body = Buffer.from('data: Привет 😀\n\nevent: e\ndata: 😀😀\ndata: é\n\n: ping\n\n');
		const expected = [message('message', 'Привет 😀'), message('e', '😀😀\né')];
		for (const chunks of everySplit(body)) expect(parseSse(chunks)).toEqual(expected);
	});

	it('gives the same events cut at every pair of offsets', () => {
		const body = Buffer.from('data: Привет\r\n\r\nevent: e\rdata: 😀\r\r');
		const expected = [message('message', 'Привет'), message('e', '😀')];
		for (let a = 0; a <= body.length; a++) {
			for (let b = a; b <= body.length; b++) {
				expect(parseSse(splitAt(body, [a, b]))).toEqual(expected);
			}
		}
	});

	it('gives the same events for random chunkings and one-byte chunks', () => {
		const expected = Array.from({ length: 50 }, (_, i) => message('message', `Привет ${i} 😀`));
		const body = Buffer.from(expected.map((e) => `data: ${e.data}\n\n`).join(''));
		expect(parseSse(chunksOf(body, 1))).toEqual(expected);
		for (let seed = 1; seed <= 20; seed++) {
			expect(parseSse(randomChunks(body, seed, 97))).toEqual(expected);
		}
	});

	it.each([
		['LF', '\n'],
		['CRLF', '\r\n'],
		['CR', '\r'],
	])('reads %s line ends, cut anywhere (a CRLF split between chunks is one line end)', (_, eol) => {
		const body = Buffer.from(
			['event: a', 'data: 1', 'data: 2', '', ': keep-alive', '', 'data: ü', '', ''].join(eol),
		);
		const expected = [message('a', '1\n2'), message('message', 'ü')];
		for (const chunks of everySplit(body)) expect(parseSse(chunks)).toEqual(expected);
		expect(parseSse(chunksOf(body, 1))).toEqual(expected);
	});

	it('reads mixed line ends in one stream', () => {
		expect(parseSse(['data: a\r\n\ndata: b\r\rdata: c\n\r'])).toEqual([
			message('message', 'a'),
			message('message', 'b'),
			message('message', 'c'),
		]);
	});

	it('skips comments and keep-alive lines, and empty lines that end no event', () => {
		const body = ': this is a comment\n\n:\n\n\n\n: ping\ndata: x\n: inside an event\n\n\n';
		expect(parseSse([body])).toEqual([message('message', 'x')]);
	});

	it('joins multi-line data with \\n, keeping empty data lines', () => {
		expect(parseSse(['data: line one\ndata:\ndata: line three\n\n'])).toEqual([
			message('message', 'line one\n\nline three'),
		]);
		expect(parseSse(['data\ndata\n\n'])).toEqual([message('message', '\n')]);
	});

	it('removes one space after the colon, no more, and reads a value without one', () => {
		expect(parseSse(['data:x\n\ndata:  two spaces\n\nevent:e\ndata: y\n\n'])).toEqual([
			message('message', 'x'),
			message('message', ' two spaces'),
			message('e', 'y'),
		]);
	});

	it('names events by their last event: line and resets the name after each event', () => {
		expect(parseSse(['event: a\nevent: b\ndata: 1\n\ndata: 2\n\nevent: c\n\ndata: 3\n\n'])).toEqual(
			[message('b', '1'), message('message', '2'), message('message', '3')],
		);
	});

	it('ignores id and retry fields and does not deliver an event without data', () => {
		expect(parseSse(['id: 7\nretry: 1000\n\nid: 8\ndata: x\n\n'])).toEqual([
			message('message', 'x'),
		]);
	});

	it('ignores a field it does not know, keeping the line for diagnostics', () => {
		const parser = new SseParser();
		parser.feed('foo: bar\ndata: x\n\n');
		expect(parser.next()).toEqual(message('message', 'x'));
		expect(parser.stray).toBe('foo: bar');
	});

	it('skips a byte-order mark at the start, also when its bytes are split', () => {
		const body = Buffer.from('\ufeffdata: x\n\n');
		for (const chunks of everySplit(body))
			expect(parseSse(chunks)).toEqual([message('message', 'x')]);
		// Only at the start: later, U+FEFF is part of the field name.
		expect(parseSse(['data: a\n\n\ufeffdata: b\n\n'])).toEqual([message('message', 'a')]);
	});

	it('delivers at EOF an event whose closing empty line, or last line end, is missing', () => {
		expect(parseSse(['data: a\n\ndata: b\n'])).toEqual([
			message('message', 'a'),
			message('message', 'b'),
		]);
		expect(parseSse(['data: a\n\ndata: b'])).toEqual([
			message('message', 'a'),
			message('message', 'b'),
		]);
		expect(parseSse(['event: e\ndata: b\r'])).toEqual([message('e', 'b')]);
	});

	it('delivers nothing for an empty body or one of blank lines and comments', () => {
		expect(parseSse([])).toEqual([]);
		expect(parseSse([Buffer.alloc(0), '', '\n\r\n: x\n'])).toEqual([]);
	});

	it('accepts string chunks, plain Uint8Array chunks and a view into a larger buffer', () => {
		const body = Buffer.from('data: Привет 😀\n\n');
		const half = Math.floor(body.length / 2);
		const plain = new Uint8Array(body.subarray(0, half)); // a copy, not a Buffer
		expect(parseSse([plain, body.subarray(half)])).toEqual([message('message', 'Привет 😀')]);
		const backing = Buffer.from('xxxxdata: a\n\nyyyy');
		const view = new Uint8Array(backing.buffer, backing.byteOffset + 4, 9);
		expect(parseSse(['data: ', 'q\n', '\n', view])).toEqual([
			message('message', 'q'),
			message('message', 'a'),
		]);
	});

	it('reads a 40 MB event fed in 16 KiB chunks (no cap, linear time)', () => {
		const size = 40 * 1024 * 1024;
		const head = 'data: {"content":"';
		const tail = '"}\n\ndata: after\n\n';
		const body = Buffer.alloc(head.length + size + tail.length, 'a');
		body.write(head, 0, 'latin1');
		body.write(tail, head.length + size, 'latin1');
		const started = Date.now();
		const events = parseSse(chunksOf(body, 16384));
		expect(Date.now() - started).toBeLessThan(10_000);
		expect(events).toHaveLength(2);
		expect(events[0].data.length).toBe(size + '{"content":""}'.length);
		expect(events[1]).toEqual(message('message', 'after'));
	});
});

describe('consumeSseStream: OpenAI-style streams', () => {
	const chunk = (content: string, finish: string | null = null) => ({
		id: 'chatcmpl-1',
		object: 'chat.completion.chunk',
		created: 1764547200,
		model: 'm',
		choices: [{ index: 0, delta: { content }, finish_reason: finish }],
	});
	const usage = {
		id: 'chatcmpl-1',
		object: 'chat.completion.chunk',
		choices: [],
		usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
	};
	const stream = [chunk('Привет'), chunk(' 😀'), chunk('', 'stop'), usage];
	const body = Buffer.from(`${data(...stream)}data: [DONE]\n\n`);

	it('hands every payload over, with its event name, through [DONE] at every split offset', async () => {
		for (const chunks of everySplit(body)) {
			const { delivered, error } = await consume(source(chunks));
			expect(error).toBeUndefined();
			expect(payloads(delivered)).toEqual(stream);
			expect(delivered.every((d) => d.event === 'message')).toBe(true);
		}
	});

	it('gives the same result for random chunkings of a long stream', async () => {
		const long = Array.from({ length: 200 }, (_, i) => chunk(`токен ${i} 😀`));
		const text = Buffer.from(`${data(...long, chunk('', 'stop'))}data: [DONE]\n\n`);
		for (let seed = 1; seed <= 10; seed++) {
			const { delivered, error } = await consume(source(randomChunks(text, seed, 301)));
			expect(error).toBeUndefined();
			expect(payloads(delivered)).toEqual([...long, chunk('', 'stop')]);
		}
	});

	it('passes event names on', async () => {
		const { delivered } = await consume(
			source(['event: response.output_text.delta\ndata: {"delta":"x"}\n\n', 'data: [DONE]\n\n']),
		);
		expect(delivered).toEqual([{ payload: { delta: 'x' }, event: 'response.output_text.delta' }]);
	});

	it('stops at [DONE] without reading or parsing anything further, and releases the source', async () => {
		const first = `${data(chunk('a', 'stop'))}data: [DONE]\n\ndata: not json\n\n`;
		const src = source([first, 'data: {"late":true}\n\n', 'garbage']);
		const { delivered, error } = await consume(src);
		expect(error).toBeUndefined();
		expect(payloads(delivered)).toEqual([chunk('a', 'stop')]);
		expect(src.read).toBe(1);
		expect(src.released).toBe(true);
	});

	it('ends at [DONE] even when nothing came before it', async () => {
		const { delivered, error } = await consume(source(['data: [DONE]\n\n']));
		expect(error).toBeUndefined();
		expect(delivered).toEqual([]);
	});

	it('accepts an EOF without [DONE] once a choice carried its finish_reason', async () => {
		for (const chunks of everySplit(Buffer.from(data(chunk('a'), chunk('', 'length'), usage)))) {
			const { delivered, error } = await consume(source(chunks));
			expect(error).toBeUndefined();
			expect(payloads(delivered)).toEqual([chunk('a'), chunk('', 'length'), usage]);
		}
	});

	it('accepts keep-alive comments and CRLF line ends between events', async () => {
		const text = `: ping\r\n\r\n${data(chunk('a')).replace(/\n/g, '\r\n')}:\r\n\r\ndata: [DONE]\r\n\r\n`;
		for (const chunks of everySplit(Buffer.from(text))) {
			const { delivered, error } = await consume(source(chunks));
			expect(error).toBeUndefined();
			expect(payloads(delivered)).toEqual([chunk('a')]);
		}
	});

	it('fails as streamError with the server\'s message on a {"error":{…}} payload mid-stream', async () => {
		const text = Buffer.from(
			`${data(chunk('a'))}data: {"error":{"message":"an error was encountered while running the model","type":"api_error","param":null,"code":null}}\n\n`,
		);
		for (const chunks of everySplit(text)) {
			const { delivered, error } = await consume(source(chunks), { path: '/v1/chat/completions' });
			expect(payloads(delivered)).toEqual([chunk('a')]);
			expect(error).toBeInstanceOf(OllamaFailure);
			expect(error?.kind).toBe('streamError');
			expect(error?.message).toBe('an error was encountered while running the model');
			expect(error?.ollamaMessage).toBe('an error was encountered while running the model');
			expect(error?.outputStarted).toBe(true);
			expect(error?.path).toBe('/v1/chat/completions');
		}
	});

	it('fails as streamError on Ollama\'s native {"error":"…"} form as an event', async () => {
		const { error } = await consume(source([`${data(chunk('a'))}data: {"error":"boom"}\n\n`]));
		expect(error?.kind).toBe('streamError');
		expect(error?.message).toBe('boom');
	});

	it('fails as streamError on an error event, whatever its data', async () => {
		const cases: Array<[string, string]> = [
			['{"error":{"message":"overloaded","type":"api_error"}}', 'overloaded'],
			['{"type":"error","code":"server_error","message":"bad gateway"}', 'bad gateway'],
			['upstream timed out', 'upstream timed out'],
		];
		for (const [errorData, text] of cases) {
			const body = Buffer.from(`${data(chunk('a'))}event: error\ndata: ${errorData}\n\n`);
			for (const chunks of everySplit(body)) {
				const { delivered, error } = await consume(source(chunks));
				expect(payloads(delivered)).toEqual([chunk('a')]);
				expect(error?.kind).toBe('streamError');
				expect(error?.message).toBe(text);
				expect(error?.outputStarted).toBe(true);
			}
		}
	});

	it('names an error event without a message by its type and code, or says it had none', async () => {
		const typed = await consume(
			source([
				'event: error\ndata: {"error":{"message":"","type":"api_error","code":"overloaded"}}\n\n',
			]),
		);
		expect(typed.error?.message).toBe('api_error, overloaded (the server gave no message)');
		expect(typed.error?.outputStarted).toBe(false);
		const empty = await consume(source(['event: error\ndata:\n\n']));
		expect(empty.error?.kind).toBe('streamError');
		expect(empty.error?.message).toBe('Ollama sent an error event with no message.');
		expect(empty.error?.ollamaMessage).toBe('');
	});

	it('fails as truncated when the stream ends without [DONE] and without a finish_reason', async () => {
		for (const chunks of everySplit(Buffer.from(data(chunk('a'), chunk('b'))))) {
			const { delivered, error } = await consume(source(chunks), { path: '/v1/chat/completions' });
			expect(payloads(delivered)).toEqual([chunk('a'), chunk('b')]);
			expect(error?.kind).toBe('truncated');
			expect(error?.message).toBe(
				'The stream from Ollama ended before its final message (no "data: [DONE]" and no ' +
					'finish_reason): the server may have stopped or the connection was cut.',
			);
			expect(error?.outputStarted).toBe(true);
			expect(error?.path).toBe('/v1/chat/completions');
		}
	});

	it('fails as truncated, output not started, on an empty body or one of keep-alives', async () => {
		for (const chunks of [[], [': ping\n\n', '\n']]) {
			const { error } = await consume(source(chunks));
			expect(error?.kind).toBe('truncated');
			expect(error?.outputStarted).toBe(false);
		}
	});

	it('fails as truncated when EOF cuts the last event in half, at every offset of the cut', async () => {
		const whole = `data: ${JSON.stringify(chunk('Привет 😀'))}`;
		const head = Buffer.from(data(chunk('a')));
		// Every cut that leaves an open event with part of its JSON.
		for (let end = 'data: {'.length; end < Buffer.byteLength(whole) - 1; end++) {
			const body = Buffer.concat([head, Buffer.from(whole).subarray(0, end)]);
			const { delivered, error } = await consume(source(randomChunks(body, end, 13)));
			expect(payloads(delivered)).toEqual([chunk('a')]);
			expect(error?.kind).toBe('truncated');
			expect(error?.outputStarted).toBe(true);
		}
	});

	it('delivers a complete last event whose closing empty line EOF cut off', async () => {
		const { delivered, error } = await consume(
			source([`data: ${JSON.stringify(chunk('a', 'stop'))}`]),
		);
		expect(error).toBeUndefined();
		expect(payloads(delivered)).toEqual([chunk('a', 'stop')]);
	});

	it('fails as protocol for data that is not JSON, quoting at most 200 characters', async () => {
		const garbage = 'x'.repeat(150) + 'y'.repeat(150);
		const { delivered, error } = await consume(
			source([`${data(chunk('a'))}data: ${garbage}\n\n${data(chunk('b'))}`]),
			{ path: '/v1/chat/completions' },
		);
		expect(payloads(delivered)).toEqual([chunk('a')]);
		expect(error?.kind).toBe('protocol');
		expect(error?.message).toContain('x'.repeat(150) + 'y'.repeat(50) + '…');
		expect(error?.message).not.toContain('y'.repeat(51));
		expect(error?.outputStarted).toBe(true);
		expect(error?.path).toBe('/v1/chat/completions');
	});

	it('fails as protocol for data that is JSON but not an object', async () => {
		for (const value of ['42', 'null', '"text"', '[1,2]']) {
			const { error } = await consume(source([`data: ${value}\n\n`]));
			expect(error?.kind).toBe('protocol');
			expect(error?.message).toContain('not a JSON object');
			expect(error?.outputStarted).toBe(false);
		}
	});

	it('fails with the message of a JSON error body sent in place of events', async () => {
		for (const body of [
			'{"error":{"message":"model \'x\' not found","type":"not_found_error","param":null,"code":null}}',
			'{"error":"model \'x\' not found"}\n',
		]) {
			const { delivered, error } = await consume(source([body]));
			expect(delivered).toEqual([]);
			expect(error?.kind).toBe('streamError');
			expect(error?.message).toBe("model 'x' not found");
		}
	});

	it('fails as protocol, quoting it, on a body that is no event stream', async () => {
		const { error } = await consume(source(['<html><body>502 Bad Gateway</body></html>\n']), {
			path: '/v1/completions',
		});
		expect(error?.kind).toBe('protocol');
		expect(error?.message).toBe(
			"Ollama's answer is not an event stream: <html><body>502 Bad Gateway</body></html>",
		);
		expect(error?.path).toBe('/v1/completions');
		const native = await consume(source(['{"model":"m","response":"a","done":false}\n']));
		expect(native.error?.kind).toBe('protocol');
	});

	it('passes a source failure through unchanged', async () => {
		const cause = new Error('socket hang up');
		const { error } = await consume(source([data(chunk('a'))], cause));
		expect(error).toBe(cause);
	});

	it('marks an OllamaFailure thrown by the source with path and outputStarted', async () => {
		const idle = new OllamaFailure('idle', { kind: 'timeoutIdle' });
		const { error } = await consume(source([data(chunk('a'))], idle), { path: '/v1/completions' });
		expect(error).toBe(idle);
		expect(error?.path).toBe('/v1/completions');
		expect(error?.outputStarted).toBe(true);
	});

	it('counts every chunk for the idle-time bookkeeping', async () => {
		let chunks = 0;
		await consume(source(splitAt(body, [5, 50, 90])), { onChunk: () => chunks++ });
		expect(chunks).toBe(4);
	});
});

describe('consumeSseStream on a Node stream (how n8n hands over a response)', () => {
	const chunk = (content: string, finish: string | null = null) => ({
		choices: [{ index: 0, delta: { content }, finish_reason: finish }],
	});
	const stream = [chunk('Привет'), chunk(' 😀'), chunk('', 'stop')];
	const body = Buffer.from(`${data(...stream)}data: [DONE]\n\n`);

	it('delivers every payload at every split offset', async () => {
		for (const chunks of everySplit(body)) {
			const { delivered, error } = await consume(Readable.from(chunks));
			expect(error).toBeUndefined();
			expect(payloads(delivered)).toEqual(stream);
		}
	});

	it('resolves at [DONE] before the response ends, ignores what follows, and lets it end on its own', async () => {
		const response = new PassThrough();
		const errors: unknown[] = [];
		response.on('error', (error) => errors.push(error));
		response.write(body);
		const { delivered, error } = await consume(response);
		expect(error).toBeUndefined();
		expect(payloads(delivered)).toEqual(stream);
		expect(response.readableEnded).toBe(false);
		response.end('data: {"late":true}\n\n');
		await new Promise((resolve) => response.once('end', resolve));
		expect(delivered).toHaveLength(3);
		expect(errors).toEqual([]);
	});

	it("fails with the server's message on an error payload and closes the response", async () => {
		const response = new PassThrough();
		response.write(`${data(stream[0])}data: {"error":{"message":"boom"}}\n\n`);
		const { delivered, error } = await consume(response);
		expect(payloads(delivered)).toEqual([stream[0]]);
		expect(error?.kind).toBe('streamError');
		expect(error?.message).toBe('boom');
		expect(response.destroyed).toBe(true);
	});

	it('fails as truncated when the response ends before [DONE] and any finish_reason', async () => {
		const { error } = await consume(Readable.from([data(stream[0])]), {
			path: '/v1/chat/completions',
		});
		expect(error?.kind).toBe('truncated');
		expect(error?.path).toBe('/v1/chat/completions');
	});

	it('passes the stream error through when the connection fails mid-stream', async () => {
		const response = new PassThrough();
		response.write(data(stream[0]));
		const cause = Object.assign(new Error('aborted'), { code: 'ECONNRESET' });
		setImmediate(() => response.destroy(cause));
		const { delivered, error } = await consume(response);
		expect(payloads(delivered)).toEqual([stream[0]]);
		expect(error).toBe(cause);
	});

	it('fails as a premature close when the response is destroyed without an error', async () => {
		const response = new PassThrough();
		response.write(data(stream[0]));
		setImmediate(() => response.destroy());
		const { error } = await consume(response);
		expect(error?.code).toBe('ERR_STREAM_PREMATURE_CLOSE');
	});
});

describe('token-chunk fast path', () => {
	const tokenChunks = [
		'{"id":"chatcmpl-123","object":"chat.completion.chunk","created":1764547200,"model":"llama3.2","system_fingerprint":"fp_ollama","choices":[{"index":0,"delta":{"role":"assistant","content":" the"},"finish_reason":null}]}',
		'{"id":"chatcmpl-7","object":"chat.completion.chunk","created":0,"model":"m","system_fingerprint":"fp_ollama","choices":[{"index":0,"delta":{"content":"\\u003cthink\\u003e \\"q\\" a\\\\b\\nc \\u0026 😀 Привет"},"finish_reason":null}]}',
		'{"id":"chatcmpl-7","object":"chat.completion.chunk","created":5,"model":"qwen3","system_fingerprint":"fp_ollama","choices":[{"index":0,"delta":{"role":"assistant","content":"","reasoning":"Let me \\"see\\""},"finish_reason":null}]}',
		'{"id":"chatcmpl-7","object":"chat.completion.chunk","created":5,"model":"qwen3","system_fingerprint":"fp_ollama","choices":[{"index":0,"delta":{"reasoning":"hmm"},"finish_reason":null}]}',
		'{"id":"cmpl-9","object":"text_completion","created":1764547200,"choices":[{"text":"Привет \\u003e","index":0,"finish_reason":null}],"model":"m","system_fingerprint":"fp_ollama"}',
	];
	const otherChunks = [
		'{"id":"chatcmpl-7","object":"chat.completion.chunk","created":5,"model":"m","system_fingerprint":"fp_ollama","choices":[{"index":0,"delta":{"content":""},"finish_reason":"stop"}]}',
		'{"id":"chatcmpl-7","object":"chat.completion.chunk","created":5,"model":"m","system_fingerprint":"fp_ollama","choices":[{"index":0,"delta":{"content":"a"},"finish_reason":null}],"extra":1}',
		'{"id":"chatcmpl-7","object":"chat.completion.chunk","created":5,"model":"m","system_fingerprint":"fp_ollama","choices":[{"index":0,"delta":{"role":"assistant","content":"","tool_calls":[{"id":"call_1","index":0,"type":"function","function":{"name":"f","arguments":"{}"}}]},"finish_reason":null}]}',
		'{"id":"chatcmpl-7","object":"chat.completion.chunk","created":5,"model":"m","system_fingerprint":"fp_ollama","choices":[],"usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}}',
		// A leading zero is not JSON: the fast path must not accept what JSON.parse refuses.
		'{"id":"c","object":"chat.completion.chunk","created":01,"model":"m","system_fingerprint":"f","choices":[{"index":0,"delta":{"content":"a"},"finish_reason":null}]}',
		'{"error":{"message":"x"}}',
	];

	it.each(tokenChunks)('decodes a token chunk exactly as JSON.parse, keys in order: %s', (text) => {
		const fast = openAiTokenLine(text);
		expect(fast).toBeDefined();
		expect(JSON.stringify(fast)).toBe(JSON.stringify(JSON.parse(text)));
	});

	it.each(otherChunks)('leaves any other data to JSON.parse: %s', (text) => {
		expect(openAiTokenLine(text)).toBeUndefined();
	});

	it('leaves data longer than a token chunk to JSON.parse', () => {
		const long = JSON.parse(tokenChunks[0]) as { choices: Array<{ delta: { content: string } }> };
		long.choices[0].delta.content = 'x'.repeat(5000);
		expect(openAiTokenLine(JSON.stringify(long))).toBeUndefined();
	});

	it('delivers through the reader what JSON.parse gives, fast path or not', async () => {
		const valid = [...tokenChunks, ...otherChunks.slice(0, 4)];
		const text = `${valid.map((t) => `data: ${t}\n\n`).join('')}data: [DONE]\n\n`;
		const { delivered, error } = await consume(source([text]));
		expect(error).toBeUndefined();
		expect(payloads(delivered).map((p) => JSON.stringify(p))).toEqual(
			valid.map((t) => JSON.stringify(JSON.parse(t))),
		);
	});
});
