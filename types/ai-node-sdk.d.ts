// The part of @n8n/ai-node-sdk 0.31.1 this package uses, declared here so that type checking
// does not need the SDK (and the LangChain stack it brings) installed. Inside n8n the module
// resolves from n8n's own node_modules.
declare module '@n8n/ai-node-sdk' {
	import type { ISupplyDataFunctions, SupplyData } from 'n8n-workflow';

	export interface ContentMetadata {
		providerMetadata?: Record<string, unknown>;
	}
	export type ContentText = ContentMetadata & { type: 'text'; text: string };
	export type ContentReasoning = ContentMetadata & { type: 'reasoning'; text: string };
	export type ContentFile = ContentMetadata & {
		type: 'file';
		mediaType?: string;
		data: string | Uint8Array;
	};
	/** `input` is JSON text. */
	export type ContentToolCall = ContentMetadata & {
		type: 'tool-call';
		toolCallId?: string;
		toolName: string;
		input: string;
	};
	export type ContentToolResult = ContentMetadata & {
		type: 'tool-result';
		toolCallId: string;
		result: unknown;
		isError?: boolean;
	};
	export type ContentInvalidToolCall = ContentMetadata & {
		type: 'invalid-tool-call';
		toolCallId?: string;
		error?: string;
		args?: string;
		name?: string;
	};
	export type ContentCitation = ContentMetadata & { type: 'citation'; text?: string };
	export type ContentProvider = ContentMetadata & {
		type: 'provider';
		value: Record<string, unknown>;
	};
	export type MessageContent =
		| ContentText
		| ContentToolCall
		| ContentInvalidToolCall
		| ContentToolResult
		| ContentReasoning
		| ContentFile
		| ContentCitation
		| ContentProvider;
	export type MessageRole = 'system' | 'user' | 'assistant' | 'tool';
	export interface Message {
		role: MessageRole;
		content: MessageContent[];
		name?: string;
		id?: string;
	}

	export type FinishReason =
		'stop' | 'length' | 'content-filter' | 'tool-calls' | 'error' | 'other';
	export interface TokenUsage {
		promptTokens: number;
		completionTokens: number;
		totalTokens: number;
		inputTokenDetails?: { cacheRead?: number };
		outputTokenDetails?: { reasoning?: number };
	}
	export interface GenerateResult {
		id?: string;
		finishReason?: FinishReason;
		usage?: TokenUsage;
		message: Message;
		providerMetadata?: Record<string, unknown>;
		rawResponse?: unknown;
	}
	export type StreamChunk = ContentMetadata &
		(
			| { type: 'text-delta'; id?: string; delta: string }
			| { type: 'reasoning-delta'; id?: string; delta: string }
			| { type: 'tool-call-delta'; id?: string; name?: string; argumentsDelta?: string }
			| { type: 'finish'; finishReason: FinishReason; usage?: TokenUsage }
			| { type: 'error'; error: unknown }
			| { type: 'content'; content: MessageContent; id?: string }
		);

	/** `inputSchema` is a JSON schema or a zod schema (see getParametersJsonSchema). */
	export interface FunctionTool {
		type: 'function';
		name: string;
		description?: string;
		inputSchema: unknown;
		strict?: boolean;
		providerOptions?: Record<string, unknown>;
	}
	export interface ProviderTool {
		type: 'provider';
		name: string;
		args?: Record<string, unknown>;
	}
	export type Tool = FunctionTool | ProviderTool;

	export interface ChatModelConfig {
		maxTokens?: number;
		temperature?: number;
		topP?: number;
		topK?: number;
		presencePenalty?: number;
		frequencyPenalty?: number;
		stopSequences?: string[];
		seed?: number;
		maxRetries?: number;
		timeout?: number;
		abortSignal?: AbortSignal;
		headers?: Record<string, string | undefined>;
	}
	export interface ChatModel<TConfig extends ChatModelConfig = ChatModelConfig> {
		provider: string;
		modelId: string;
		defaultConfig?: TConfig;
		generate(messages: Message[], config?: TConfig): Promise<GenerateResult>;
		stream(messages: Message[], config?: TConfig): AsyncIterable<StreamChunk>;
		withTools(tools: Tool[]): ChatModel<TConfig>;
		withStructuredOutput?(schema: Record<string, unknown>): ChatModel<TConfig>;
	}

	/** Zod schemas become JSON schema; a JSON schema is returned as it is. */
	export function getParametersJsonSchema(tool: FunctionTool): Record<string, unknown>;
	export function supplyModel(ctx: ISupplyDataFunctions, model: ChatModel): SupplyData;
}
