// POST /v1/chat/completions: Ollama's ChatMiddleware (O:middleware/openai.go) binds the OpenAI
// request, converts it (O:openai/openai.go FromChatRequest) and runs the native chat handler
// with a ChatWriter in front of it.

import { base64Error } from '../base64';
import { ChatCompletionRequest, type StreamOptionsBody } from '../openaiBind';
import type { State } from '../state';
import type { ToolLike } from '../text';
import type { Exchange } from '../wire';
import { chat } from './chat';
import { ChatWriter } from './openaiChatWriter';
import { abort, bindOpenAI, completionId, goType } from './openaiWire';

interface OpenAIToolCall {
	id?: string;
	function?: { name?: string; arguments?: string };
}

interface OpenAIMessage {
	role?: string;
	content?: unknown;
	reasoning?: string;
	tool_calls?: OpenAIToolCall[];
	name?: string;
	tool_call_id?: string;
}

interface ChatCompletionBody {
	model?: string;
	messages?: OpenAIMessage[];
	stream?: boolean;
	stream_options?: StreamOptionsBody;
	max_tokens?: number;
	seed?: number;
	stop?: unknown;
	temperature?: number;
	frequency_penalty?: number;
	presence_penalty?: number;
	top_p?: number;
	response_format?: { type?: string; json_schema?: { schema?: unknown } };
	tools?: ToolLike[];
	reasoning?: { effort?: string };
	reasoning_effort?: string;
	logprobs?: boolean;
	top_logprobs?: number;
}

interface NativeMessage {
	role?: string;
	content?: string;
	thinking?: string;
	images?: string[];
	tool_calls?: { id?: string; function: { name?: string; arguments: unknown } }[];
	tool_name?: string;
	tool_call_id?: string;
}

class Refused extends Error {}

/** decodeImageURL: a data URI (jpeg, jpg, png, webp, or no type) → the image as plain base64. */
function imageFromURL(url: string): string {
	if (url.startsWith('http://') || url.startsWith('https://')) {
		throw new Refused(
			'image URLs are not currently supported, please use base64 encoded data instead',
		);
	}
	let data: string | undefined;
	if (url.startsWith('data:;base64,')) data = url.slice('data:;base64,'.length);
	for (const t of ['jpeg', 'jpg', 'png', 'webp']) {
		const prefix = `data:image/${t};base64,`;
		if (data === undefined && url.startsWith(prefix)) data = url.slice(prefix.length);
	}
	if (data === undefined || base64Error(data)) throw new Refused('invalid image input');
	return Buffer.from(data, 'base64').toString('base64');
}

/** FromCompletionToolCall: `arguments` must be a JSON object in a string. */
function fromToolCalls(calls: OpenAIToolCall[]) {
	return calls.map((tc) => {
		let args: unknown;
		try {
			args = JSON.parse(tc.function?.arguments ?? '');
		} catch {
			throw new Refused('invalid tool call arguments');
		}
		if (!args || typeof args !== 'object' || Array.isArray(args)) {
			throw new Refused('invalid tool call arguments');
		}
		return { id: tc.id || undefined, function: { name: tc.function?.name, arguments: args } };
	});
}

/** nameFromToolCallID: the name of the last call with this id. */
function toolNameFor(messages: OpenAIMessage[], id: string): string {
	for (let i = messages.length - 1; i >= 0; i--) {
		const call = messages[i].tool_calls?.find((tc) => tc.id === id);
		if (call) return call.function?.name ?? '';
	}
	return '';
}

function part(role: string | undefined, data: unknown): NativeMessage {
	if (!data || typeof data !== 'object' || Array.isArray(data)) {
		throw new Refused('invalid message format');
	}
	const p = data as Record<string, unknown>;
	switch (p.type) {
		case 'text':
			if (typeof p.text !== 'string') throw new Refused('invalid message format');
			return { role, content: p.text };
		case 'image_url': {
			const field = p.image_url;
			const url =
				field && typeof field === 'object' && !Array.isArray(field)
					? (field as { url?: unknown }).url
					: field;
			if (typeof url !== 'string') throw new Refused('invalid message format');
			return { role, images: [imageFromURL(url)] };
		}
		case 'input_audio': {
			const audio = p.input_audio;
			if (!audio || typeof audio !== 'object' || Array.isArray(audio)) {
				throw new Refused('invalid input_audio format');
			}
			const b64 = (audio as { data?: unknown }).data;
			if (typeof b64 !== 'string') throw new Refused('invalid input_audio format: missing data');
			const bad = base64Error(b64);
			if (bad) throw new Refused(`invalid input_audio base64 data: ${bad}`);
			return { role, images: [Buffer.from(b64, 'base64').toString('base64')] };
		}
		default:
			throw new Refused('invalid message format');
	}
}

function fromMessages(all: OpenAIMessage[]): NativeMessage[] {
	const out: NativeMessage[] = [];
	for (const msg of all) {
		let toolName = '';
		if ((msg.role ?? '').toLowerCase() === 'tool') {
			toolName = msg.name || (msg.tool_call_id ? toolNameFor(all, msg.tool_call_id) : '');
		}
		const common = {
			thinking: msg.reasoning || undefined,
			tool_name: toolName || undefined,
			tool_call_id: msg.tool_call_id || undefined,
		};
		if (typeof msg.content === 'string') {
			const calls = fromToolCalls(msg.tool_calls ?? []);
			out.push({
				role: msg.role,
				content: msg.content,
				...common,
				tool_calls: calls.length ? calls : undefined,
			});
		} else if (Array.isArray(msg.content)) {
			for (const p of msg.content) out.push(part(msg.role, p));
			// The message's tool calls go to the last message added so far.
			if (out.length > 0 && msg.tool_calls?.length) {
				Object.assign(out[out.length - 1], { tool_calls: fromToolCalls(msg.tool_calls) }, common);
			}
		} else {
			// Content may be missing only when the message has tool calls.
			if (msg.tool_calls === undefined) {
				throw new Refused(`invalid message content type: ${goType(msg.content)}`);
			}
			const calls = fromToolCalls(msg.tool_calls);
			out.push({
				role: msg.role,
				thinking: common.thinking,
				tool_calls: calls.length ? calls : undefined,
				tool_call_id: common.tool_call_id,
			});
		}
	}
	return out;
}

/** thinkFromReasoningEffort: OpenAI's effort scale clamped onto Ollama's think values. */
function thinkFrom(effort: string): boolean | string | undefined {
	switch (effort) {
		case '':
			return undefined;
		case 'none':
			return false;
		case 'minimal':
			return 'low';
		case 'low':
		case 'medium':
		case 'high':
		case 'max':
			return effort;
		case 'xhigh':
		case 'ultra':
			return 'max';
		default:
			throw new Refused(
				`invalid reasoning value: ${JSON.stringify(effort)} (must be "minimal", "low", "medium", "high", "xhigh", "ultra", "max", or "none")`,
			);
	}
}

/** FromChatRequest: the native /api/chat request, options in Ollama's mapping. */
export function fromChatRequest(r: ChatCompletionBody): Record<string, unknown> {
	const messages = fromMessages(r.messages ?? []);
	const options: Record<string, unknown> = {};
	if (typeof r.stop === 'string') options.stop = [r.stop];
	else if (Array.isArray(r.stop)) {
		const stops = r.stop.filter((s): s is string => typeof s === 'string');
		options.stop = stops.length ? stops : null;
	}
	if (r.max_tokens !== undefined) options.num_predict = r.max_tokens;
	options.temperature = r.temperature ?? 1.0;
	if (r.seed !== undefined) options.seed = r.seed;
	if (r.frequency_penalty !== undefined) options.frequency_penalty = r.frequency_penalty;
	if (r.presence_penalty !== undefined) options.presence_penalty = r.presence_penalty;
	options.top_p = r.top_p ?? 1.0;

	let format: unknown;
	const type = (r.response_format?.type ?? '').trim().toLowerCase();
	if (type === 'json_object') format = 'json';
	else if (type === 'json_schema') format = r.response_format?.json_schema?.schema;

	const effort = r.reasoning ? (r.reasoning.effort ?? '') : (r.reasoning_effort ?? '');
	return {
		model: r.model ?? '',
		messages,
		format,
		options,
		stream: r.stream === true,
		tools: r.tools?.length ? r.tools : undefined,
		think: thinkFrom(effort),
		logprobs: r.logprobs === true || undefined,
		top_logprobs: r.top_logprobs || undefined,
	};
}

export async function openaiChat(ex: Exchange, body: Buffer, state: State): Promise<void> {
	const bound = bindOpenAI<ChatCompletionBody>(body, ChatCompletionRequest);
	if (!bound.ok) return abort(ex, 400, bound.error);
	const req = bound.value;
	if (!req.messages?.length) return abort(ex, 400, "[] is too short - 'messages'");
	let native: Record<string, unknown>;
	try {
		native = fromChatRequest(req);
	} catch (e) {
		if (e instanceof Refused) return abort(ex, 400, e.message);
		throw e;
	}
	const includeUsage = req.stream_options?.include_usage === true;
	ex.dialect = new ChatWriter(req.stream === true, includeUsage, completionId('chatcmpl', ex));
	await chat(ex, Buffer.from(JSON.stringify(native), 'utf8'), state);
}
