// Ollama's ChatWriter (O:middleware/openai.go; O:openai/openai.go ToChatCompletion,
// ToStreamChunks, FinishChunk, ToToolCalls): native /api/chat responses → a chat.completion, or
// chat.completion.chunk events, a finish chunk, an optional usage chunk and `data: [DONE]`.

import { goMarshal } from '../json';
import { encode, FINGERPRINT, OpenAIWriter, sse, SSE_DONE, unixSeconds } from './openaiWire';

interface NativeToolCall {
	id?: string;
	function?: { index?: number; name?: string; arguments?: Record<string, unknown> | null };
}

/** An api.ChatResponse as the writer decodes it (an error object decodes as an empty one). */
interface NativeChat {
	model?: string;
	created_at?: string;
	message?: { role?: string; content?: string; thinking?: string; tool_calls?: NativeToolCall[] };
	done?: boolean;
	done_reason?: string;
	logprobs?: unknown[];
	prompt_eval_count?: number;
	eval_count?: number;
}

/** Go re-encodes nested argument objects as maps, whose keys it sorts; the top level keeps order. */
function sortedKeys(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(sortedKeys);
	if (!value || typeof value !== 'object') return value;
	const out: Record<string, unknown> = {};
	for (const k of Object.keys(value).sort())
		out[k] = sortedKeys((value as Record<string, unknown>)[k]);
	return out;
}

function argumentsText(args: Record<string, unknown> | null | undefined): string {
	if (!args) return '{}';
	const out: Record<string, unknown> = {};
	for (const [k, v] of Object.entries(args)) out[k] = sortedKeys(v);
	return goMarshal(out);
}

/** ToToolCalls: `arguments` becomes a JSON string; `index` moves up from `function`. */
export function toToolCalls(calls: NativeToolCall[] | undefined) {
	return (calls ?? []).map((tc) => ({
		id: tc.id ?? '',
		index: tc.function?.index ?? 0,
		type: 'function',
		function: { name: tc.function?.name ?? '', arguments: argumentsText(tc.function?.arguments) },
	}));
}

export function usageOf(r: { prompt_eval_count?: number; eval_count?: number }) {
	const prompt = r.prompt_eval_count ?? 0;
	const completion = r.eval_count ?? 0;
	return {
		prompt_tokens: prompt,
		completion_tokens: completion,
		total_tokens: prompt + completion,
	};
}

const logprobsOf = (r: NativeChat) => (r.logprobs?.length ? { content: r.logprobs } : undefined);

function toChatCompletion(id: string, r: NativeChat) {
	const m = r.message ?? {};
	const toolCalls = toToolCalls(m.tool_calls);
	let reason = r.done_reason ?? '';
	if (reason === 'stop' && toolCalls.length > 0) reason = 'tool_calls';
	return {
		id,
		object: 'chat.completion',
		created: unixSeconds(r.created_at, false),
		model: r.model ?? '',
		system_fingerprint: FINGERPRINT,
		choices: [
			{
				index: 0,
				message: {
					role: m.role ?? '',
					content: m.content ?? '',
					reasoning: m.thinking || undefined,
					tool_calls: toolCalls.length ? toolCalls : undefined,
				},
				finish_reason: reason || null,
				logprobs: logprobsOf(r),
			},
		],
		usage: usageOf(r),
	};
}

interface Delta {
	role?: string;
	content?: string;
	reasoning?: string;
	tool_calls?: ReturnType<typeof toToolCalls>;
}

function chunk(id: string, r: NativeChat, created: number, delta: Delta, logprobs?: unknown) {
	return {
		id,
		object: 'chat.completion.chunk',
		created,
		model: r.model ?? '',
		system_fingerprint: FINGERPRINT,
		choices: [{ index: 0, delta, finish_reason: null as string | null, logprobs }],
		usage: undefined as ReturnType<typeof usageOf> | undefined,
	};
}

/** ToStreamChunks: one chunk, or two when reasoning shares a response with content or tool calls. */
function toStreamChunks(id: string, r: NativeChat, created: number, includeRole: boolean) {
	const m = r.message ?? {};
	const toolCalls = toToolCalls(m.tool_calls);
	const role = includeRole ? 'assistant' : undefined;
	const content = m.content ?? '';
	const tools = toolCalls.length ? toolCalls : undefined;
	const mixed = !!m.thinking && (content !== '' || toolCalls.length > 0);
	if (!mixed) {
		const delta = { role, content, reasoning: m.thinking || undefined, tool_calls: tools };
		return [chunk(id, r, created, delta, logprobsOf(r))];
	}
	return [
		chunk(id, r, created, { role, reasoning: m.thinking }, logprobsOf(r)),
		chunk(id, r, created, { content, tool_calls: tools }),
	];
}

export class ChatWriter extends OpenAIWriter {
	private toolCallSent = false;
	private firstChunkSent = false;
	/** The first response's time, stamped on every chunk. */
	private created?: number;

	constructor(
		stream: boolean,
		private readonly includeUsage: boolean,
		private readonly id: string,
	) {
		super(stream);
	}

	protected writeResponse(body: unknown): string {
		const r = body as NativeChat;
		if (!this.stream) return encode(toChatCompletion(this.id, r));
		this.created ??= unixSeconds(r.created_at);
		const m = r.message ?? {};
		// The metrics-only done response adds no content chunk (unless it is the first response).
		const emptyTrailer =
			r.done === true &&
			this.firstChunkSent &&
			!m.content &&
			!m.thinking &&
			!m.tool_calls?.length &&
			!r.logprobs?.length;
		let out = '';
		if (!emptyTrailer) {
			for (const c of toStreamChunks(this.id, r, this.created, !this.firstChunkSent)) {
				if (c.choices[0].delta.tool_calls?.length) this.toolCallSent = true;
				out += sse(c);
			}
			this.firstChunkSent = true;
		}
		if (r.done) {
			let reason = r.done_reason || 'stop';
			if (reason === 'stop' && this.toolCallSent) reason = 'tool_calls';
			const finish = chunk(this.id, r, this.created, {});
			finish.choices[0].finish_reason = reason;
			out += sse(finish);
			if (this.includeUsage) out += sse({ ...finish, choices: [], usage: usageOf(r) });
			out += SSE_DONE;
		}
		return out;
	}
}
