// One HTTP exchange: gin-style replies (c.JSON, c.Status, c.String), NDJSON lines with one write
// per object, and the byte-level faults (split writes, truncation, resets, stalls, error lines).

import type { IncomingMessage, ServerResponse } from 'http';
import { monoNs } from './clock';
import type { FaultSpec } from './faults';
import { MODEL_ERROR } from './faults';
import { goMarshal } from './json';
import { sleep } from './latency';
import type { RequestLogEntry } from './log';

export const JSON_UTF8 = 'application/json; charset=utf-8';
export const JSON_PLAIN = 'application/json';
export const NDJSON = 'application/x-ndjson';

/**
 * How a route's replies reach the wire. Native routes write Ollama's c.JSON and NDJSON as they
 * are; the /v1 routes install one of Ollama's OpenAI writers (O:middleware/openai.go), which
 * receive every reply and stream object the native handler writes, errors included, and
 * re-encode them. `c.String` replies and empty replies are never translated.
 */
export interface Dialect {
	/** A c.JSON reply of the native handler as this dialect writes it. */
	reply(status: number, body: unknown): { body: string; contentType: string };
	/** A native stream object (an error object too) as this dialect writes it ('' writes nothing). */
	line(obj: unknown): string;
	/** The garbageLine fault's text framed as this dialect frames one event. */
	garbage(text: string): string;
	/** Content-Type of a stream. */
	readonly streamType: string;
}

export function readBody(req: IncomingMessage): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const parts: Buffer[] = [];
		req.on('data', (c: Buffer) => parts.push(c));
		req.on('end', () => resolve(Buffer.concat(parts)));
		req.on('error', reject);
	});
}

type MidStreamFault = Extract<
	FaultSpec,
	{ type: 'errorLine' | 'truncate' | 'reset' | 'stall' | 'garbageLine' }
>;

const midStream = (f: FaultSpec | undefined): f is MidStreamFault =>
	!!f &&
	(f.type === 'errorLine' ||
		f.type === 'truncate' ||
		f.type === 'garbageLine' ||
		((f.type === 'reset' || f.type === 'stall') && f.afterChunks !== undefined));

export class Exchange {
	private readonly controller = new AbortController();
	private bodyBytes = 0;
	private lines = 0;
	private faultFired = false;
	/** Set when a fault ended the response on purpose. */
	stopped = false;
	fault?: FaultSpec;
	/** Set by the /v1 routes: the OpenAI writer that re-encodes what the native handler writes. */
	dialect?: Dialect;
	/** monoNs() when the request arrived, for total_duration. */
	readonly startedNs = monoNs();

	constructor(
		readonly req: IncomingMessage,
		readonly res: ServerResponse,
		readonly entry: RequestLogEntry,
	) {
		res.on('close', () => {
			if (!res.writableFinished && !this.stopped) {
				entry.clientDisconnected = true;
				entry.disconnectedAt = Date.now();
			}
			this.controller.abort();
		});
		res.on('finish', () => {
			entry.finishedAt = Date.now();
		});
	}

	get signal(): AbortSignal {
		return this.controller.signal;
	}

	/** The client is gone or the response is over. */
	get closed(): boolean {
		return this.controller.signal.aborted || this.res.destroyed || this.res.writableEnded;
	}

	get headersSent(): boolean {
		return this.res.headersSent;
	}

	/** Aborts the exchange from the server side (emulator shutdown). */
	abort(): void {
		this.controller.abort();
	}

	writeHead(status: number, headers: Record<string, string | number>): void {
		this.res.writeHead(status, headers);
		this.entry.status = status;
		this.entry.headersSentAt = Date.now();
	}

	private async writeBody(buf: Buffer): Promise<void> {
		if (this.closed || buf.length === 0) return;
		this.entry.firstChunkAt ??= Date.now();
		const f = this.fault;
		if (f?.type !== 'splitWrites') {
			this.res.write(buf);
			this.bodyBytes += buf.length;
			return;
		}
		const start = this.bodyBytes;
		const cuts = new Set<number>();
		for (const o of f.offsets ?? []) if (o > start && o < start + buf.length) cuts.add(o - start);
		if (f.every && f.every > 0) {
			const first = f.every - (start % f.every);
			for (let k = first; k < buf.length; k += f.every) cuts.add(k);
		}
		let from = 0;
		for (const cut of [...cuts].sort((a, b) => a - b).concat(buf.length)) {
			if (this.closed) return;
			this.res.write(buf.subarray(from, cut));
			from = cut;
			if (cut < buf.length) await sleep(f.delayMs ?? 2, this.signal);
		}
		this.bodyBytes += buf.length;
	}

	/** gin c.JSON: compact Go JSON, no trailing newline. */
	async json(
		status: number,
		body: unknown,
		contentType = JSON_UTF8,
		headers: Record<string, string> = {},
	): Promise<void> {
		if (this.closed) return;
		const encoded = this.dialect
			? this.dialect.reply(status, body)
			: { body: goMarshal(body), contentType };
		contentType = encoded.contentType;
		const buf = Buffer.from(encoded.body, 'utf8');
		const f = this.fault;
		if (
			f &&
			status < 300 &&
			(f.type === 'truncate' || (f.type === 'reset' && f.afterChunks !== undefined))
		) {
			this.faultFired = true;
			this.stopped = true;
			const keep =
				f.type === 'truncate' && f.afterBytes !== undefined
					? f.afterBytes
					: Math.floor(buf.length / 2);
			this.writeHead(status, { 'Content-Type': contentType, ...headers });
			await this.writeBody(buf.subarray(0, keep));
			if (f.type === 'reset') await this.destroySoon();
			else this.res.end();
			return;
		}
		if (f?.type === 'stall' && f.afterChunks !== undefined && !this.faultFired) {
			this.faultFired = true;
			await sleep(f.ms, this.signal);
			if (this.closed) return;
		}
		this.writeHead(status, {
			'Content-Type': contentType,
			'Content-Length': buf.length,
			...headers,
		});
		if (this.req.method === 'HEAD') return void this.res.end();
		await this.writeBody(buf);
		this.res.end();
	}

	/** gin c.Status: no body, no Content-Type. */
	empty(status: number): void {
		if (this.closed) return;
		this.writeHead(status, { 'Content-Length': 0 });
		this.res.end();
	}

	async text(
		status: number,
		body: string,
		contentType: string,
		headers: Record<string, string> = {},
	): Promise<void> {
		if (this.closed) return;
		const buf = Buffer.from(body, 'utf8');
		this.writeHead(status, {
			'Content-Type': contentType,
			'Content-Length': buf.length,
			...headers,
		});
		if (this.req.method === 'HEAD') return void this.res.end();
		await this.writeBody(buf);
		this.res.end();
	}

	/**
	 * Writes one NDJSON object (headers go out with the first). `final` marks the done/success line:
	 * mid-stream faults that have not fired yet fire before it. Returns false when the stream must stop.
	 */
	async line(obj: unknown, final = false): Promise<boolean> {
		if (this.closed) return false;
		const f = this.fault;
		if (midStream(f) && !this.faultFired) {
			const at = f.afterChunks ?? 1;
			if (this.lines >= at || final) {
				this.faultFired = true;
				if (!(await this.fire(f))) return false;
			}
		}
		await this.writeLine(obj);
		return !this.closed;
	}

	private async writeLine(obj: unknown): Promise<void> {
		this.startStream();
		(this.entry.lineWrittenAt ??= []).push(Date.now());
		await this.writeBody(Buffer.from(this.encodeLine(obj), 'utf8'));
		this.lines++;
	}

	private encodeLine(obj: unknown): string {
		return this.dialect ? this.dialect.line(obj) : goMarshal(obj) + '\n';
	}

	private startStream(): void {
		if (!this.res.headersSent) {
			this.writeHead(200, { 'Content-Type': this.dialect?.streamType ?? NDJSON });
		}
	}

	private async fire(f: MidStreamFault): Promise<boolean> {
		switch (f.type) {
			case 'stall':
				return sleep(f.ms, this.signal);
			case 'garbageLine': {
				this.startStream();
				const garbage = f.line ?? 'this is not json';
				const text = this.dialect ? this.dialect.garbage(garbage) : garbage + '\n';
				await this.writeBody(Buffer.from(text, 'utf8'));
				return !this.closed;
			}
			case 'errorLine':
				this.stopped = true;
				await this.streamError(f.error ?? MODEL_ERROR);
				return false;
			case 'truncate':
				this.stopped = true;
				this.startStream();
				this.res.end();
				return false;
			case 'reset':
				this.stopped = true;
				this.startStream();
				await this.destroySoon();
				return false;
		}
	}

	private async destroySoon(): Promise<void> {
		if (!this.res.headersSent) this.res.flushHeaders();
		// Let what was written reach the client before the connection is cut.
		await sleep(5);
		this.req.socket.destroy();
	}

	/** An error inside a stream: c.JSON with `application/json` before any byte, else an error line. */
	async streamError(message: string, status = 500): Promise<void> {
		if (this.closed) return;
		this.stopped = true;
		if (!this.res.headersSent) return this.json(status, { error: message }, JSON_PLAIN);
		await this.writeBody(Buffer.from(this.encodeLine({ error: message }), 'utf8'));
		this.res.end();
	}

	end(): void {
		if (!this.res.writableEnded) {
			if (!this.res.headersSent) this.startStream();
			this.res.end();
		}
	}
}
