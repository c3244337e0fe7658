/**
 * Folds the chunks of Ollama's OpenAI-compatible streams (/v1/chat/completions and
 * /v1/completions with `stream: true`) into the results the native folds give (aggregate.ts),
 * so a node reads one shape whichever API answered: content and thinking joined, tool-call
 * pieces joined by index and their arguments parsed to an object, finish_reason as done_reason,
 * usage as token counts. Only choice 0 is folded (Ollama answers with one choice).
 */
import type { ChatResult, GenerateResult } from './aggregate';
import { readMetrics } from './aggregate';
import { quote } from './byteSource';
import { OllamaFailure } from './failures';
import type {
	ChatCompletionChunk,
	ChatCompletionChunkDelta,
	ChatCompletionChunkToolCall,
	ChatCompletionTokenLogprob,
	CompletionChunk,
	CompletionUsage,
} from './openaiTypes';
import type {
	ChatResponse,
	DoneReason,
	GenerateResponse,
	Logprob,
	Message,
	Metrics,
	TokenLogprob,
	ToolCall,
} from './types';

/**
 * finish_reason as Ollama's done_reason: `stop`, `tool_calls` and the legacy `function_call`
 * are Ollama's `stop` (its /v1 turns `stop` into `tool_calls` when the answer calls a tool);
 * `length` stays; anything else (`content_filter`, an unknown reason, none) has no native
 * counterpart and gives undefined, as a native final chunk without done_reason does.
 */
export function toDoneReason(finishReason: string | null | undefined): DoneReason | undefined {
	switch (finishReason) {
		case 'stop':
		case 'tool_calls':
		case 'function_call':
			return 'stop';
		case 'length':
			return 'length';
		default:
			return undefined;
	}
}

/** usage as the native counts: prompt_tokens → prompt_eval_count, completion_tokens → eval_count. */
export function usageCounts(usage: CompletionUsage | null | undefined): Partial<Metrics> {
	const counts: Partial<Metrics> = {};
	if (typeof usage?.prompt_tokens === 'number') counts.prompt_eval_count = usage.prompt_tokens;
	if (typeof usage?.completion_tokens === 'number') counts.eval_count = usage.completion_tokens;
	return counts;
}

function noChunks(): OllamaFailure {
	return new OllamaFailure('Ollama sent no response to aggregate.', { kind: 'protocol' });
}

/** `created` (Unix seconds) as the native `created_at` (RFC 3339); `''` when absent. */
function createdAt(created: number | undefined): string {
	return created !== undefined && Number.isFinite(created)
		? new Date(created * 1000).toISOString()
		: '';
}

/** A string field, else `''`. */
function text(value: unknown): string {
	return typeof value === 'string' ? value : '';
}

/** The model's thinking: Ollama calls it `reasoning`, vLLM, DeepSeek and llama.cpp `reasoning_content`. */
function reasoningOf(delta: ChatCompletionChunkDelta): string {
	const reasoning = text(delta.reasoning);
	return reasoning !== '' ? reasoning : text(delta.reasoning_content);
}

function tokenLogprob(entry: ChatCompletionTokenLogprob): Logprob {
	const logprob: Logprob = { token: entry.token, logprob: entry.logprob };
	if (Array.isArray(entry.bytes)) logprob.bytes = entry.bytes;
	if (Array.isArray(entry.top_logprobs)) {
		logprob.top_logprobs = entry.top_logprobs.map((top) => {
			const alternative: TokenLogprob = { token: top.token, logprob: top.logprob };
			if (Array.isArray(top.bytes)) alternative.bytes = top.bytes;
			return alternative;
		});
	}
	return logprob;
}

function isChoiceZero(choice: unknown): boolean {
	if (typeof choice !== 'object' || choice === null) return false;
	const index = (choice as { index?: unknown }).index;
	return index === undefined || index === 0;
}

interface ToolCallParts {
	index: number;
	id?: string;
	name: string;
	/** The `arguments` pieces, in order. */
	pieces: string[];
	/** Arguments some servers send already as an object. */
	object?: Record<string, unknown>;
}

function badArguments(message: string, cause?: unknown): OllamaFailure {
	return new OllamaFailure(message, { kind: 'protocol', cause });
}

function parseArguments(call: ToolCallParts): Record<string, unknown> {
	if (call.pieces.length === 0 && call.object !== undefined) return call.object;
	const json = call.pieces.join('');
	// No arguments at all: a tool that takes none.
	if (json.trim() === '') return {};
	const what = `The arguments of tool call ${call.index} ("${call.name}")`;
	let value: unknown;
	try {
		value = JSON.parse(json);
	} catch (cause) {
		throw badArguments(`${what} are not valid JSON: ${quote(json)}`, cause);
	}
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		throw badArguments(`${what} are not a JSON object: ${quote(json)}`);
	}
	return value as Record<string, unknown>;
}

export interface OpenAiChatResult extends ChatResult {
	/** The finish_reason as sent, for what done_reason cannot say (`tool_calls`, `content_filter`). */
	finish_reason?: string;
}

export interface OpenAiGenerateResult extends GenerateResult {
	finish_reason?: string;
}

type FinalFields = Metrics & {
	model: string;
	created_at: string;
	done: true;
	done_reason?: DoneReason;
};

/** What both folds keep besides the text: model, time, usage, finish_reason, count. */
class ChunkFacts {
	model = '';
	created: number | undefined;
	usage: CompletionUsage | undefined;
	finishReason: string | undefined;
	count = 0;

	take(chunk: ChatCompletionChunk | CompletionChunk): void {
		this.count++;
		if (typeof chunk.model === 'string' && chunk.model !== '') this.model = chunk.model;
		// Ollama gives every chunk the first one's `created`.
		if (this.created === undefined && typeof chunk.created === 'number') {
			this.created = chunk.created;
		}
		// The last usage seen counts (some servers send a running total on every chunk).
		if (chunk.usage) this.usage = chunk.usage;
	}

	/** Records a finish_reason; true when the choice ended with this chunk. */
	finish(reason: unknown): boolean {
		if (typeof reason !== 'string' || reason === '') return false;
		this.finishReason = reason;
		return true;
	}

	/** The native final chunk's common fields. */
	final(): FinalFields {
		if (this.count === 0) throw noChunks();
		const final: FinalFields = {
			model: this.model,
			created_at: createdAt(this.created),
			done: true,
		};
		const doneReason = toDoneReason(this.finishReason);
		if (doneReason !== undefined) final.done_reason = doneReason;
		return Object.assign(final, usageCounts(this.usage));
	}
}

/**
 * Folds chat.completion.chunk objects into the ChatResult the native ChatAggregator gives.
 * `push` returns the chunk's new content and thinking; the tool calls come out whole, once, on
 * the chunk that carries the finish_reason (their pieces are incomplete before it), and always
 * in `result()`.
 */
export class OpenAiChatAggregator {
	private readonly contents: string[] = [];
	private readonly thinkings: string[] = [];
	private readonly logprobs: Logprob[] = [];
	private readonly calls = new Map<number, ToolCallParts>();
	private lastCall: ToolCallParts | undefined;
	private parsedCalls: ToolCall[] | undefined;
	private readonly facts = new ChunkFacts();

	push(chunk: ChatCompletionChunk): { content: string; thinking: string; tool_calls: ToolCall[] } {
		this.facts.take(chunk);
		let content = '';
		let thinking = '';
		let toolCalls: ToolCall[] = [];
		for (const choice of Array.isArray(chunk.choices) ? chunk.choices : []) {
			if (!isChoiceZero(choice)) continue;
			const delta = choice.delta;
			if (delta) {
				const piece = text(delta.content);
				const reasoning = reasoningOf(delta);
				if (piece !== '') this.contents.push(piece);
				if (reasoning !== '') this.thinkings.push(reasoning);
				content += piece;
				thinking += reasoning;
				if (Array.isArray(delta.tool_calls)) {
					for (const call of delta.tool_calls) this.addToolCall(call);
				}
			}
			const logprobs = choice.logprobs?.content;
			if (Array.isArray(logprobs))
				for (const entry of logprobs) this.logprobs.push(tokenLogprob(entry));
			if (this.facts.finish(choice.finish_reason) && this.parsedCalls === undefined) {
				toolCalls = this.toolCalls();
			}
		}
		return { content, thinking, tool_calls: toolCalls };
	}

	get chunkCount(): number {
		return this.facts.count;
	}

	result(): OpenAiChatResult {
		const common = this.facts.final();
		const content = this.contents.join('');
		const thinking = this.thinkings.join('');
		const toolCalls = this.toolCalls();
		const message: Message = { role: 'assistant', content };
		if (thinking !== '') message.thinking = thinking;
		if (toolCalls.length > 0) message.tool_calls = [...toolCalls];
		const final: ChatResponse = { ...common, message: { ...message } };
		if (this.logprobs.length > 0) final.logprobs = [...this.logprobs];
		const result: OpenAiChatResult = {
			content,
			thinking,
			tool_calls: [...toolCalls],
			done_reason: final.done_reason,
			logprobs: final.logprobs,
			metrics: readMetrics(final),
			message,
			final,
		};
		if (this.facts.finishReason !== undefined) result.finish_reason = this.facts.finishReason;
		return result;
	}

	/**
	 * Joins a piece to its call: by `index`; a server that leaves `index` out continues the last
	 * call unless the piece names a new `id`.
	 */
	private addToolCall(piece: ChatCompletionChunkToolCall): void {
		if (typeof piece !== 'object' || piece === null) return;
		const id = text(piece.id);
		let call: ToolCallParts | undefined;
		if (typeof piece.index === 'number') call = this.calls.get(piece.index);
		else if (id !== '') call = [...this.calls.values()].find((known) => known.id === id);
		else call = this.lastCall;
		if (call === undefined) {
			const index =
				typeof piece.index === 'number' ? piece.index : Math.max(-1, ...this.calls.keys()) + 1;
			call = { index, name: '', pieces: [] };
			this.calls.set(index, call);
		}
		if (id !== '') call.id = id;
		const fn = piece.function;
		if (typeof fn === 'object' && fn !== null) {
			const name = text(fn.name);
			if (name !== '') call.name = name;
			const args: unknown = fn.arguments;
			if (typeof args === 'string' && args !== '') call.pieces.push(args);
			else if (typeof args === 'object' && args !== null && !Array.isArray(args)) {
				call.object = args as Record<string, unknown>;
			}
		}
		this.lastCall = call;
		this.parsedCalls = undefined;
	}

	/** The calls in index order, arguments parsed; a bad arguments string or a missing name fails. */
	private toolCalls(): ToolCall[] {
		if (this.parsedCalls !== undefined) return this.parsedCalls;
		const calls = [...this.calls.values()].sort((a, b) => a.index - b.index);
		this.parsedCalls = calls.map((call) => {
			if (call.name === '') {
				throw new OllamaFailure(`Tool call ${call.index} came without a function name.`, {
					kind: 'protocol',
				});
			}
			const fn = { index: call.index, name: call.name, arguments: parseArguments(call) };
			return call.id !== undefined ? { id: call.id, function: fn } : { function: fn };
		});
		return this.parsedCalls;
	}
}

/** Folds text_completion chunks (/v1/completions) into the GenerateResult the native GenerateAggregator gives. */
export class OpenAiCompletionAggregator {
	private readonly responses: string[] = [];
	private readonly facts = new ChunkFacts();

	push(chunk: CompletionChunk): { response: string; thinking: string } {
		this.facts.take(chunk);
		let response = '';
		for (const choice of Array.isArray(chunk.choices) ? chunk.choices : []) {
			if (!isChoiceZero(choice)) continue;
			const piece = text(choice.text);
			if (piece !== '') this.responses.push(piece);
			response += piece;
			this.facts.finish(choice.finish_reason);
		}
		return { response, thinking: '' };
	}

	get chunkCount(): number {
		return this.facts.count;
	}

	result(): OpenAiGenerateResult {
		const response = this.responses.join('');
		const final: GenerateResponse = { ...this.facts.final(), response };
		const result: OpenAiGenerateResult = {
			response,
			thinking: '',
			context: undefined,
			done_reason: final.done_reason,
			tool_calls: undefined,
			logprobs: undefined,
			metrics: readMetrics(final),
			final,
		};
		if (this.facts.finishReason !== undefined) result.finish_reason = this.facts.finishReason;
		return result;
	}
}
