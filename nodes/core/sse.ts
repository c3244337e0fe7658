/// <reference types="node" />
// Only the global Buffer is used; an `import 'buffer'` would trip n8n's restricted-imports lint.
import type { Chunk, ChunkReader } from './byteSource';
import { quote, readChunks, toBuffer } from './byteSource';
import { OllamaFailure } from './failures';
import type { StreamContext } from './ndjson';
import { openAiErrorText } from './openaiError';
import { openAiTokenLine } from './openaiTokenLine';

const LF = 0x0a;
const CR = 0x0d;
const BOM = 0xfeff;
const COLON = 0x3a;
const SPACE = 0x20;

/** A line that is no SSE field is kept whole up to this length (an error body is short). */
const STRAY_LIMIT = 64 * 1024;

export interface SseEvent {
	/** The `event:` field; `message` when the event has none. */
	event: string;
	/** The event's `data:` lines, joined by `\n`. */
	data: string;
}

/** The last `\n` or `\r` of `buf`, or -1. Searches `\r` only after the last `\n` when there is one. */
function lastLineEnd(buf: Buffer): number {
	const lf = buf.lastIndexOf(LF);
	if (lf === -1) return buf.lastIndexOf(CR);
	let last = lf;
	for (let cr = buf.indexOf(CR, lf + 1); cr !== -1; cr = buf.indexOf(CR, cr + 1)) last = cr;
	return last;
}

/**
 * Server-sent events (the WHATWG event-stream format) read at the byte level. Lines end at
 * `\r\n`, `\n` or `\r`; none of these bytes occurs inside a UTF-8 sequence, so each chunk's run
 * of complete lines is decoded with one native call and a character split across chunks
 * survives. The bytes after a chunk's last line end wait, as pieces, for the next line end, so
 * a long line costs O(n) and memory stays bounded by the longest event. Events come out lazily,
 * one per `next()`, so nothing after the last one wanted is parsed.
 *
 * Per the format: `:` lines are comments (keep-alives), `data:` lines join with `\n`, an empty
 * line ends an event, an event without data is dropped, `id` and `retry` are ignored, a leading
 * byte-order mark is skipped. One leniency: at EOF an event that has data but no closing empty
 * line is still delivered (the format drops it), as the NDJSON reader flushes a last line without
 * `\n`; the caller decides whether a cut one is a failure.
 */
export class SseParser {
	/** Bytes after the last line end seen: the start of a line whose end has not arrived. */
	private pending: Buffer[] = [];
	/** Complete lines of the chunk fed last, each with its line end. */
	private text = '';
	private pos = 0;
	/** Where the next `\n` and `\r` are in `text` (its length when there is none; -1: not searched). */
	private lf = -1;
	private cr = -1;
	/** The last line ended with `\r` at the end of a chunk: a `\n` opening the next one belongs to it. */
	private afterCR = false;
	private started = false;
	private ended = false;
	/** The current event's first `data:` line, and any further ones. */
	private data: string | undefined;
	private moreData: string[] | undefined;
	private name = '';
	/** The last line that is no SSE field (a JSON or HTML body in place of events), capped. */
	stray: string | undefined;

	feed(chunk: Chunk): void {
		const buf = toBuffer(chunk);
		const last = lastLineEnd(buf);
		if (last === -1) {
			if (buf.length > 0) this.pending.push(buf);
			return;
		}
		let lines = buf.subarray(0, last + 1);
		if (this.pending.length > 0) {
			this.pending.push(lines);
			lines = Buffer.concat(this.pending);
			this.pending = [];
		}
		this.setText(lines.toString('utf8'));
		if (last + 1 < buf.length) this.pending.push(buf.subarray(last + 1));
	}

	/** EOF: a last line without a line end, and an event without its closing empty line, come out of `next()`. */
	end(): void {
		this.ended = true;
		if (this.pending.length === 0) return;
		this.setText(Buffer.concat(this.pending).toString('utf8'));
		this.pending = [];
	}

	/** The next complete event, or undefined once the chunk fed last is used up. */
	next(): SseEvent | undefined {
		const { text } = this;
		const length = text.length;
		while (this.pos < length) {
			const start = this.pos;
			if (this.afterCR) {
				this.afterCR = false;
				if (text.charCodeAt(start) === LF) {
					this.pos = start + 1;
					continue;
				}
			}
			if (this.lf < start) this.lf = indexOrLength(text, '\n', start);
			if (this.cr < start) this.cr = indexOrLength(text, '\r', start);
			const end = this.lf < this.cr ? this.lf : this.cr;
			if (end === length) this.pos = length;
			else if (end === this.lf) this.pos = end + 1;
			else if (end + 1 === length) {
				this.pos = length;
				this.afterCR = true;
			} else this.pos = text.charCodeAt(end + 1) === LF ? end + 2 : end + 1;
			const event = this.line(text, start, end);
			if (event !== undefined) return event;
		}
		return this.ended ? this.dispatch() : undefined;
	}

	private setText(text: string): void {
		this.text = text;
		this.lf = -1;
		this.cr = -1;
		this.pos = 0;
		if (!this.started) {
			this.started = true;
			if (text.charCodeAt(0) === BOM) this.pos = 1;
		}
	}

	/** Reads the line text[start, end): an event when it is the empty line that ends one. */
	private line(text: string, start: number, end: number): SseEvent | undefined {
		if (start === end) return this.dispatch();
		const first = text.charCodeAt(start);
		if (first === COLON) return undefined;
		// The common line first, without slicing out its field name.
		if (first === 0x64 /* d */ && text.startsWith('data:', start)) {
			this.addData(text.slice(text.charCodeAt(start + 5) === SPACE ? start + 6 : start + 5, end));
			return undefined;
		}
		const line = text.slice(start, end);
		const colon = line.indexOf(':');
		const field = colon === -1 ? line : line.slice(0, colon);
		const valueStart = colon === -1 ? line.length : colon + 1;
		const value = line.slice(line.charCodeAt(valueStart) === SPACE ? valueStart + 1 : valueStart);
		switch (field) {
			case 'data':
				this.addData(value);
				break;
			case 'event':
				this.name = value;
				break;
			case 'id':
			case 'retry':
				break;
			default:
				this.stray = line.length <= STRAY_LIMIT ? line : quote(line);
		}
		return undefined;
	}

	private addData(value: string): void {
		if (this.data === undefined) this.data = value;
		else (this.moreData ??= []).push(value);
	}

	private dispatch(): SseEvent | undefined {
		const { data, moreData } = this;
		const name = this.name;
		this.data = undefined;
		this.moreData = undefined;
		this.name = '';
		if (data === undefined) return undefined;
		return {
			event: name === '' ? 'message' : name,
			data: moreData === undefined ? data : `${data}\n${moreData.join('\n')}`,
		};
	}
}

function indexOrLength(text: string, search: string, from: number): number {
	const index = text.indexOf(search, from);
	return index === -1 ? text.length : index;
}

const DONE = '[DONE]';

function streamError(text: string, outputStarted: boolean): OllamaFailure {
	const message = text !== '' ? text : 'Ollama sent an error event with no message.';
	return new OllamaFailure(message, { kind: 'streamError', ollamaMessage: text, outputStarted });
}

function truncated(outputStarted: boolean, context: StreamContext): OllamaFailure {
	return new OllamaFailure(
		'The stream from Ollama ended before its final message (no "data: [DONE]" and no ' +
			'finish_reason): the server may have stopped or the connection was cut.',
		{ kind: 'truncated', outputStarted, path: context.path },
	);
}

function notJson(data: string, cause: unknown): OllamaFailure {
	return new OllamaFailure(`Ollama sent an event whose data is not JSON: ${quote(data)}`, {
		kind: 'protocol',
		cause,
	});
}

/** True when a choice of the payload carries a finish_reason: the answer itself is complete. */
function finishes(payload: object): boolean {
	const choices = (payload as { choices?: unknown }).choices;
	if (!Array.isArray(choices)) return false;
	for (const choice of choices) {
		const reason = (choice as { finish_reason?: unknown } | null)?.finish_reason;
		if (typeof reason === 'string' && reason !== '') return true;
	}
	return false;
}

/** The event parser plus what a failure needs: whether output began, whether the answer finished. */
class EventReader<T extends object> implements ChunkReader {
	private events = new SseParser();
	private outputStarted = false;
	private finished = false;
	/** Set at EOF: an event delivered then was left open, and data that does not parse was cut off. */
	private eof = false;

	constructor(
		private onPayload: (payload: T, event: string) => void,
		private context: StreamContext,
	) {}

	/** Feeds a chunk; true once `[DONE]` arrived (the rest is not read). */
	chunk(chunk: Chunk): boolean {
		this.context.onChunk?.();
		this.events.feed(chunk);
		let event: SseEvent | undefined;
		while ((event = this.events.next()) !== undefined) if (this.deliver(event)) return true;
		return false;
	}

	/** EOF: delivers an event left open; fails unless `[DONE]` or a finish_reason came. */
	end(): void {
		this.events.end();
		this.eof = true;
		let event: SseEvent | undefined;
		while ((event = this.events.next()) !== undefined) if (this.deliver(event)) return;
		if (this.finished) return;
		throw this.strayFailure() ?? truncated(this.outputStarted, this.context);
	}

	/** Adds what the stream knows to a failure; other errors (the source's own) pass unchanged. */
	annotate(error: unknown): unknown {
		if (!(error instanceof OllamaFailure)) return error;
		error.path ??= this.context.path;
		error.outputStarted ||= this.outputStarted;
		return error;
	}

	/** A body that is no event stream: an error object's text, or a protocol failure quoting it. */
	private strayFailure(): OllamaFailure | undefined {
		const { stray } = this.events;
		if (stray === undefined) return undefined;
		if (stray.startsWith('{')) {
			try {
				const value = JSON.parse(stray) as unknown;
				if (typeof value === 'object' && value !== null && 'error' in value) {
					return streamError(openAiErrorText(value), this.outputStarted);
				}
			} catch {
				// not JSON: a protocol failure below
			}
		}
		if (this.outputStarted) return undefined;
		return new OllamaFailure(`Ollama's answer is not an event stream: ${quote(stray)}`, {
			kind: 'protocol',
		});
	}

	private deliver(event: SseEvent): boolean {
		const { data } = event;
		if (data.length <= 8 && data.trim() === DONE) return true;
		if (event.event === 'error') throw streamError(openAiErrorText(data), this.outputStarted);
		let payload: unknown;
		try {
			payload = openAiTokenLine(data) ?? JSON.parse(data);
		} catch (cause) {
			throw this.eof ? truncated(this.outputStarted, this.context) : notJson(data, cause);
		}
		if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
			if (this.eof) throw truncated(this.outputStarted, this.context);
			throw new OllamaFailure(
				`Ollama sent an event whose data is not a JSON object: ${quote(data)}`,
				{ kind: 'protocol' },
			);
		}
		if ('error' in payload) throw streamError(openAiErrorText(payload), this.outputStarted);
		this.outputStarted = true;
		this.onPayload(payload as T, event.event);
		if (!this.finished && finishes(payload)) this.finished = true;
		return false;
	}
}

/**
 * Reads an OpenAI-style event stream (Ollama's /v1 with `stream: true`) and hands each event's
 * JSON payload to `onPayload` with the event's name, synchronously within a chunk, as
 * `consumeOllamaStream` does for NDJSON. `data: [DONE]` ends the read (nothing after it is read);
 * an `error` event or a `{"error":…}` payload fails with the server's message (kind
 * `streamError`); EOF before `[DONE]` fails as `truncated` unless a choice already carried its
 * finish_reason (a server that does not send `[DONE]`). A body of one JSON error object in place
 * of events fails with its message.
 */
export async function consumeSseStream<T extends object>(
	source: AsyncIterable<Chunk>,
	onPayload: (payload: T, event: string) => void,
	context: StreamContext = {},
): Promise<void> {
	const reader = new EventReader<T>(onPayload, context);
	try {
		await readChunks(source, reader);
	} catch (error) {
		throw reader.annotate(error);
	}
}
