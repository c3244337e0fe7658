// What generate and chat share: model checks, scheduling (slot, load), paced token output.

import { bind, readOptions, type RunOptions } from '../bind';
import { MAX_DURATION_NS, monoNs, since } from '../clock';
import { parseGoDuration } from '../keepAlive';
import { goQuote } from '../json';
import { AbortedError, BusyError, sleep } from '../latency';
import type { Capability } from '../models';
import { fullName } from '../names';
import type { Model } from '../registry';
import type { State } from '../state';
import { JSON_PLAIN, type Exchange } from '../wire';

export { bind };

/** keep_alive in ns: the request's, else the server default (which also takes bare seconds). */
export function keepAliveOf(requested: bigint | undefined, state: State): bigint {
	if (requested !== undefined) return requested;
	const d = state.config.defaultKeepAlive;
	const ns =
		typeof d === 'number' ? d * 1e9 : /^-?\d+$/.test(d) ? Number(d) * 1e9 : parseGoDuration(d);
	return ns < 0 ? MAX_DURATION_NS : BigInt(Math.trunc(ns));
}

/**
 * What Ollama refuses before scheduling a generation: a top_logprobs out of range, think on a
 * model without thinking, a model without completion, or a capability the request needs.
 */
export function runRefusal(
	model: Model,
	name: string,
	endpoint: 'generate' | 'chat',
	request: { think?: boolean | string; top_logprobs?: number },
	needs: Capability[],
): string | undefined {
	if (thinkRequested(request.think) && !model.capabilities.includes('thinking')) {
		return `${goQuote(name)} does not support thinking`;
	}
	if (!model.capabilities.includes('completion')) {
		return `${goQuote(name)} does not support ${endpoint}`;
	}
	return missingCapability(model, needs);
}

/** Checked before the model is even looked up, as Ollama does. */
export function topLogprobsRefusal(top: number | undefined): string | undefined {
	return top !== undefined && (top < 0 || top > 20)
		? 'top_logprobs must be between 0 and 20'
		: undefined;
}

/** Capabilities a request needs beyond completion, each with the model's error text. */
export function missingCapability(model: Model, needs: Capability[]): string | undefined {
	for (const c of needs) {
		if (!model.capabilities.includes(c)) return `${fullName(model.name)} does not support ${c}`;
	}
	return undefined;
}

/** Merges the model's PARAMETERs with request options and type-checks them (500 on error). */
export function optionsFor(
	model: Model,
	options: Record<string, unknown> | undefined,
): RunOptions | string {
	return readOptions({ ...model.parameters, ...(options ?? {}) });
}

export function formatError(format: unknown): string | undefined {
	if (format === undefined || format === null || format === '' || format === 'json')
		return undefined;
	if (typeof format === 'object' && !Array.isArray(format)) return undefined;
	return `invalid format: ${goQuote(JSON.stringify(format))}; expected "json" or a valid JSON Schema object`;
}

/**
 * The context window a model runs with: num_ctx, else the server's default, and never more than
 * the model was trained for (Ollama lowers a larger request to that and says so in its log).
 */
export function contextWindow(model: Model, state: State, opts: RunOptions): number {
	return Math.min(opts.numCtx ?? state.config.numCtx, model.contextLength);
}

/**
 * How many prompt tokens a request evaluates: Ollama cuts a prompt longer than the context window
 * without an error, so the count stops at the window.
 */
export function evaluatedPromptTokens(
	count: number,
	model: Model,
	state: State,
	opts: RunOptions,
): number {
	return Math.min(count, contextWindow(model, state, opts));
}

export interface Scheduled {
	loadNs: number;
	/** Frees the slot and starts the keep_alive countdown. */
	done: () => void;
}

/** Takes a parallel slot (503 when the queue is full) and loads the model. Replies itself on failure. */
export async function schedule(
	ex: Exchange,
	state: State,
	model: Model,
	opts: RunOptions,
	keepAliveNs: bigint,
): Promise<Scheduled | undefined> {
	let release: () => void;
	try {
		release = await state.slots.acquire(model.key, ex.signal);
	} catch (e) {
		if (e instanceof BusyError) await ex.json(503, { error: e.message });
		else if (e instanceof AbortedError) ex.entry.status ??= 499;
		else throw e;
		return undefined;
	}
	const numCtx = contextWindow(model, state, opts);
	const loadNs = await state.registry.load(model, numCtx, state.config.latency.loadMs, keepAliveNs);
	if (ex.closed) {
		release();
		ex.entry.status ??= 499;
		return undefined;
	}
	state.registry.begin(model);
	let finished = false;
	return {
		loadNs,
		done: () => {
			if (finished) return;
			finished = true;
			release();
			state.registry.end(model, keepAliveNs);
		},
	};
}

export interface Timing {
	promptNs: number;
	evalNs: number;
}

/** Tokens written back to back between two yields to the event loop when tokenMs is 0. */
const TOKENS_PER_YIELD = 64;

/**
 * Paces `count` tokens: firstTokenMs before the first, tokenMs between the others. Each token is
 * due at a fixed offset from the start, so timer lateness and the emulator's own work do not add
 * up: a slot is held for the configured time, as a runner's compute would hold it. With tokenMs 0
 * the tokens go out back to back, yielding now and then so a long answer does not block the
 * server. `emit` returns false to stop (client gone or a fault ended the stream).
 */
export async function pace(
	ex: Exchange,
	state: State,
	count: number,
	emit: (index: number) => Promise<boolean>,
): Promise<Timing | undefined> {
	const { firstTokenMs, tokenMs } = state.config.latency;
	const start = monoNs();
	const waitUntil = (offsetMs: number) => sleep(offsetMs - since(start) / 1e6, ex.signal);
	if (!(await waitUntil(firstTokenMs))) return undefined;
	const promptNs = since(start);
	const evalStart = monoNs();
	for (let i = 0; i < count; i++) {
		if (i > 0) {
			const due = tokenMs > 0 || i % TOKENS_PER_YIELD === 0;
			if (due && !(await waitUntil(firstTokenMs + i * tokenMs))) return undefined;
		}
		if (!(await emit(i))) return undefined;
	}
	return { promptNs, evalNs: since(evalStart) };
}

/** The runner's error before any output: `application/json` on streams, c.JSON otherwise. */
export async function runnerError(ex: Exchange, stream: boolean, message: string, status = 500) {
	if (stream) await ex.json(status, { error: message }, JSON_PLAIN);
	else await ex.json(status, { error: message });
}

export function thinkRequested(think: unknown): boolean {
	return think === true || typeof think === 'string';
}

/** Logprobs for one emitted piece of text. */
export function logprobsFor(text: string, top: number) {
	if (!text) return [];
	const bytes = [...Buffer.from(text, 'utf8')];
	const lp = -((bytes.reduce((a, b) => a + b, 0) % 997) / 1000) - 0.001;
	const entry: Record<string, unknown> = {
		token: text,
		logprob: Math.round(lp * 1e6) / 1e6,
		bytes,
	};
	if (top > 0) {
		entry.top_logprobs = Array.from({ length: top }, (_, k) => ({
			token: k === 0 ? text : `${text.trim() || '_'}${k}`,
			logprob: Math.round((lp - k * 0.5) * 1e6) / 1e6,
		}));
	}
	return [entry];
}

export { goQuote };
