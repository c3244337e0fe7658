import type {
	ContentFile,
	FinishReason,
	GenerateResult,
	Message as SdkMessage,
	MessageContent,
	TokenUsage,
	Tool as SdkTool,
	FunctionTool,
} from '@n8n/ai-node-sdk';

import type { ChatResult, GenerationMetrics } from '../core/aggregate';
import type { Message, Tool, ToolCall } from '../core/types';

/** Turns a tool's input schema (zod or JSON schema) into JSON schema; the SDK's getParametersJsonSchema in n8n. */
export type SchemaConverter = (tool: FunctionTool) => unknown;

/** The SDK's conversation as Ollama's /api/chat messages. */
export function toOllamaMessages(messages: SdkMessage[]): Message[] {
	const toolNames = new Map<string, string>();
	const converted: Message[] = [];
	for (const message of messages) {
		if (message.role === 'tool') {
			for (const part of message.content) {
				if (part.type !== 'tool-result') continue;
				const name = toolNames.get(part.toolCallId);
				converted.push({
					role: 'tool',
					content: resultText(part.result),
					...(name !== undefined && { tool_name: name }),
				});
			}
			continue;
		}
		const out: Message = { role: message.role, content: joinText(message.content) };
		if (message.role === 'assistant') {
			const thinking = message.content
				.flatMap((part) => (part.type === 'reasoning' ? [part.text] : []))
				.join('');
			if (thinking !== '') out.thinking = thinking;
			const calls: ToolCall[] = [];
			for (const part of message.content) {
				if (part.type !== 'tool-call') continue;
				if (part.toolCallId !== undefined) toolNames.set(part.toolCallId, part.toolName);
				calls.push({ function: { name: part.toolName, arguments: replayedArguments(part) } });
			}
			if (calls.length) out.tool_calls = calls;
		}
		const images = message.content.flatMap((part) =>
			isImagePart(part) ? [base64Of(part.data)] : [],
		);
		if (images.length) out.images = images;
		converted.push(out);
	}
	return converted;
}

/** Streamed history holds one text part per delta, so parts are joined with nothing between them. */
function joinText(parts: MessageContent[]): string {
	return parts.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('');
}

function resultText(result: unknown): string {
	if (typeof result === 'string') return result;
	// A result given as content parts (LangChain array content): its text.
	if (Array.isArray(result) && result.every((part) => isTextPart(part))) {
		return (result as Array<{ text: string }>).map((part) => part.text).join('');
	}
	return JSON.stringify(result) ?? '';
}

function isTextPart(part: unknown): boolean {
	return (
		typeof part === 'object' &&
		part !== null &&
		(part as { type?: unknown }).type === 'text' &&
		typeof (part as { text?: unknown }).text === 'string'
	);
}

/**
 * A call's arguments as the model sent them: n8n's AI Agent (v3) replays each call with its id
 * added to the arguments, which the model never wrote.
 */
function replayedArguments(part: { input: string; toolCallId?: string }): Record<string, unknown> {
	const args = parseArguments(part.input);
	if (part.toolCallId !== undefined && args.id === part.toolCallId) delete args.id;
	return args;
}

function parseArguments(input: string): Record<string, unknown> {
	try {
		const value: unknown = JSON.parse(input === '' ? '{}' : input);
		return typeof value === 'object' && value !== null && !Array.isArray(value)
			? (value as Record<string, unknown>)
			: {};
	} catch {
		return {};
	}
}

/** A file part that holds an image (a part without a media type counts as one). */
export function isImagePart(part: MessageContent): part is ContentFile {
	return (
		part.type === 'file' && (part.mediaType === undefined || part.mediaType.startsWith('image/'))
	);
}

/** Ollama takes plain base64: a data URL loses its prefix, bytes are encoded. */
function base64Of(data: string | Uint8Array): string {
	if (typeof data !== 'string') return Buffer.from(data).toString('base64');
	const dataUrl = /^data:[^,]*;base64,/.exec(data);
	return dataUrl ? data.slice(dataUrl[0].length) : data;
}

/** The SDK's function tools in Ollama's format; provider tools mean nothing to Ollama. */
export function toOllamaTools(tools: SdkTool[], toJsonSchema: SchemaConverter): Tool[] {
	return tools.flatMap((tool) =>
		tool.type === 'function'
			? [
					{
						type: 'function' as const,
						function: {
							name: tool.name,
							...(tool.description !== undefined && { description: tool.description }),
							parameters: objectSchema(toJsonSchema(tool)),
						},
					},
				]
			: [],
	);
}

function objectSchema(schema: unknown): Tool['function']['parameters'] {
	if (typeof schema === 'object' && schema !== null) {
		const { type, properties } = schema as { type?: unknown; properties?: unknown };
		if (type !== undefined || properties !== undefined) {
			return schema as Tool['function']['parameters'];
		}
	}
	return { type: 'object', properties: {} };
}

/**
 * An id for a tool call that no other call of the same answer has: Ollama's own when it sent one
 * (older servers send none), otherwise `call_<n>`.
 */
export function uniqueToolCallId(call: ToolCall, used: Set<string>): string {
	let id = call.id && !used.has(call.id) ? call.id : `call_${used.size}`;
	for (let n = used.size + 1; used.has(id); n++) id = `call_${n}`;
	used.add(id);
	return id;
}

export function finishReasonOf(
	result: Pick<ChatResult, 'tool_calls' | 'done_reason'>,
): FinishReason {
	if (result.tool_calls.length) return 'tool-calls';
	return result.done_reason === 'length' ? 'length' : 'stop';
}

export function usageOf(metrics: GenerationMetrics): TokenUsage {
	const promptTokens = metrics.promptTokens ?? 0;
	const completionTokens = metrics.outputTokens ?? 0;
	return { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens };
}

/** Ollama's answer as the SDK's result: reasoning, text, then one tool-call part per call. */
export function toGenerateResult(result: ChatResult): GenerateResult {
	const content: MessageContent[] = [];
	if (result.thinking !== '') content.push({ type: 'reasoning', text: result.thinking });
	content.push({ type: 'text', text: result.content });
	const used = new Set<string>();
	for (const call of result.tool_calls) {
		content.push({
			type: 'tool-call',
			toolCallId: uniqueToolCallId(call, used),
			toolName: call.function.name,
			input: JSON.stringify(call.function.arguments ?? {}),
		});
	}
	return {
		finishReason: finishReasonOf(result),
		usage: usageOf(result.metrics),
		message: { role: 'assistant', content },
		rawResponse: result.final,
	};
}
