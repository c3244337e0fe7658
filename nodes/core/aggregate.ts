/**
 * Folds generate, chat and progress streams into one result, chunk by chunk, so the caller can
 * forward each delta live and still get what `stream:false` would have returned.
 */
import { OllamaFailure } from './failures';
import type {
	ChatResponse,
	DoneReason,
	GenerateResponse,
	Logprob,
	Message,
	Metrics,
	ProgressResponse,
	ToolCall,
} from './types';

/** Durations in milliseconds, rounded to the microsecond (0.001 ms); tokens/s to 0.01. */
export interface GenerationMetrics {
	promptTokens?: number;
	outputTokens?: number;
	totalMs?: number;
	loadMs?: number;
	promptEvalMs?: number;
	evalMs?: number;
	tokensPerSecond?: number;
}

const toMs = (ns: number | undefined): number | undefined =>
	ns === undefined ? undefined : Math.round(ns / 1e3) / 1e3;

/**
 * Ollama omits every metric that is zero, so an absent field stays absent here rather than
 * being reported as 0 (a load reply, for instance, carries no metrics at all).
 */
export function readMetrics(final: Partial<Metrics>): GenerationMetrics {
	const metrics: GenerationMetrics = {};
	if (final.prompt_eval_count !== undefined) metrics.promptTokens = final.prompt_eval_count;
	if (final.eval_count !== undefined) metrics.outputTokens = final.eval_count;
	const entries: Array<[keyof GenerationMetrics, number | undefined]> = [
		['totalMs', toMs(final.total_duration)],
		['loadMs', toMs(final.load_duration)],
		['promptEvalMs', toMs(final.prompt_eval_duration)],
		['evalMs', toMs(final.eval_duration)],
	];
	for (const [key, ms] of entries) if (ms !== undefined) metrics[key] = ms;
	const { eval_count: count, eval_duration: ns } = final;
	if (count !== undefined && ns !== undefined && ns > 0) {
		metrics.tokensPerSecond = Math.round((count / (ns / 1e9)) * 100) / 100;
	}
	return metrics;
}

function noChunks(): OllamaFailure {
	return new OllamaFailure('Ollama sent no response to aggregate.', { kind: 'protocol' });
}

function append<T>(target: T[], items: T[] | undefined): void {
	if (items) for (const item of items) target.push(item);
}

export interface GenerateResult {
	response: string;
	thinking: string;
	context?: number[];
	done_reason?: DoneReason;
	tool_calls?: ToolCall[];
	logprobs?: Logprob[];
	metrics: GenerationMetrics;
	/** The last chunk with response, thinking and logprobs concatenated: the `stream:false` reply. */
	final: GenerateResponse;
}

export class GenerateAggregator {
	private readonly responses: string[] = [];
	private readonly thinkings: string[] = [];
	private readonly toolCalls: ToolCall[] = [];
	private readonly logprobs: Logprob[] = [];
	private last: GenerateResponse | undefined;
	private count = 0;

	push(chunk: GenerateResponse): { response: string; thinking: string } {
		this.count++;
		this.last = chunk;
		const response = chunk.response ?? '';
		const thinking = chunk.thinking ?? '';
		if (response !== '') this.responses.push(response);
		if (thinking !== '') this.thinkings.push(thinking);
		append(this.toolCalls, chunk.tool_calls);
		append(this.logprobs, chunk.logprobs);
		return { response, thinking };
	}

	get chunkCount(): number {
		return this.count;
	}

	result(): GenerateResult {
		if (this.last === undefined) throw noChunks();
		const response = this.responses.join('');
		const thinking = this.thinkings.join('');
		const final: GenerateResponse = { ...this.last, response };
		delete final.thinking;
		delete final.tool_calls;
		delete final.logprobs;
		if (thinking !== '') final.thinking = thinking;
		if (this.toolCalls.length > 0) final.tool_calls = [...this.toolCalls];
		if (this.logprobs.length > 0) final.logprobs = [...this.logprobs];
		return {
			response,
			thinking,
			context: final.context,
			done_reason: final.done_reason,
			tool_calls: final.tool_calls,
			logprobs: final.logprobs,
			metrics: readMetrics(final),
			final,
		};
	}
}

export interface ChatResult {
	content: string;
	thinking: string;
	/** Every tool call, in order, from any chunk including the final one. */
	tool_calls: ToolCall[];
	done_reason?: DoneReason;
	logprobs?: Logprob[];
	metrics: GenerationMetrics;
	/** The assistant message, ready to append to a conversation. */
	message: Message;
	/** The last chunk with content, thinking, tool calls and logprobs gathered: the `stream:false` reply. */
	final: ChatResponse;
}

export class ChatAggregator {
	private readonly contents: string[] = [];
	private readonly thinkings: string[] = [];
	private readonly toolCalls: ToolCall[] = [];
	private readonly logprobs: Logprob[] = [];
	private last: ChatResponse | undefined;
	private count = 0;

	push(chunk: ChatResponse): { content: string; thinking: string; tool_calls: ToolCall[] } {
		this.count++;
		this.last = chunk;
		const content = chunk.message?.content ?? '';
		const thinking = chunk.message?.thinking ?? '';
		const toolCalls = chunk.message?.tool_calls ?? [];
		if (content !== '') this.contents.push(content);
		if (thinking !== '') this.thinkings.push(thinking);
		append(this.toolCalls, toolCalls);
		append(this.logprobs, chunk.logprobs);
		return { content, thinking, tool_calls: toolCalls };
	}

	get chunkCount(): number {
		return this.count;
	}

	result(): ChatResult {
		if (this.last === undefined) throw noChunks();
		const content = this.contents.join('');
		const thinking = this.thinkings.join('');
		const message: Message = { role: 'assistant', content };
		if (thinking !== '') message.thinking = thinking;
		if (this.toolCalls.length > 0) message.tool_calls = [...this.toolCalls];
		const final: ChatResponse = { ...this.last, message: { ...this.last.message, ...message } };
		if (thinking === '') delete final.message.thinking;
		if (this.toolCalls.length === 0) delete final.message.tool_calls;
		delete final.logprobs;
		if (this.logprobs.length > 0) final.logprobs = [...this.logprobs];
		return {
			content,
			thinking,
			tool_calls: [...this.toolCalls],
			done_reason: final.done_reason,
			logprobs: final.logprobs,
			metrics: readMetrics(final),
			message,
			final,
		};
	}
}

export interface ProgressLayer {
	digest: string;
	total?: number;
	completed?: number;
	/** 0–100, rounded down to 0.01; only when `total` > 0. */
	percent?: number;
}

export interface ProgressResult {
	/** The last status seen: `success` once done. */
	status: string;
	/** Distinct statuses, in order of first appearance. */
	statuses: string[];
	/** Per digest, latest values, in order of first appearance. */
	layers: ProgressLayer[];
	/** Sums over the layers whose total is known. */
	totalBytes: number;
	completedBytes: number;
	lines: number;
}

export class ProgressAggregator {
	private status = '';
	private readonly statuses = new Set<string>();
	private readonly layers = new Map<string, { total?: number; completed?: number }>();
	private lines = 0;

	push(progress: ProgressResponse): void {
		this.lines++;
		if (typeof progress.status === 'string') {
			this.status = progress.status;
			this.statuses.add(progress.status);
		}
		if (!progress.digest) return;
		let layer = this.layers.get(progress.digest);
		if (layer === undefined) {
			layer = {};
			this.layers.set(progress.digest, layer);
		}
		// Zero is omitted on the wire, so an absent field keeps the value seen before.
		if (progress.total !== undefined) layer.total = progress.total;
		if (progress.completed !== undefined) layer.completed = progress.completed;
	}

	result(): ProgressResult {
		const layers: ProgressLayer[] = [];
		let totalBytes = 0;
		let completedBytes = 0;
		for (const [digest, { total, completed }] of this.layers) {
			const layer: ProgressLayer = { digest };
			if (total !== undefined) layer.total = total;
			if (completed !== undefined) layer.completed = completed;
			if (total !== undefined && total > 0) {
				const done = Math.min(completed ?? 0, total);
				layer.percent = Math.floor((done / total) * 10000) / 100;
				totalBytes += total;
				completedBytes += completed ?? 0;
			}
			layers.push(layer);
		}
		return {
			status: this.status,
			statuses: [...this.statuses],
			layers,
			totalBytes,
			completedBytes,
			lines: this.lines,
		};
	}
}
