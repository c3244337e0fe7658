/**
 * The OpenAI-compatible /v1 bodies the core reads, named as the API names them (Ollama's
 * openai/openai.go and OpenAI's chat.completion.chunk / text_completion objects). Every field
 * is optional or nullable where some server in the wild leaves it out; the folds check types
 * rather than trust them.
 */

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'function_call';

/** A piece of one tool call: `index` says which call it continues; `arguments` is JSON text in pieces. */
export interface ChatCompletionChunkToolCall {
	index?: number;
	id?: string;
	type?: 'function';
	function?: {
		name?: string;
		arguments?: string;
	};
}

export interface ChatCompletionChunkDelta {
	/** On the first chunk (Ollama sends it on every one). */
	role?: string;
	content?: string | null;
	/** Ollama's name for the model's thinking. */
	reasoning?: string | null;
	/** The name other servers (vLLM, DeepSeek, llama.cpp) use for the same. */
	reasoning_content?: string | null;
	tool_calls?: ChatCompletionChunkToolCall[];
	refusal?: string | null;
}

export interface ChatCompletionTokenLogprob {
	token: string;
	logprob: number;
	bytes?: number[] | null;
	top_logprobs?: Array<{ token: string; logprob: number; bytes?: number[] | null }>;
}

export interface ChatCompletionChunkChoice {
	index?: number;
	delta?: ChatCompletionChunkDelta;
	/** null on every chunk but the one that ends the choice. */
	finish_reason?: FinishReason | string | null;
	logprobs?: { content?: ChatCompletionTokenLogprob[] | null } | null;
}

export interface CompletionUsage {
	prompt_tokens?: number;
	completion_tokens?: number;
	total_tokens?: number;
}

export interface ChatCompletionChunk {
	id?: string;
	object?: 'chat.completion.chunk' | string;
	/** Unix seconds. */
	created?: number;
	model?: string;
	system_fingerprint?: string;
	/** `[]` on the usage chunk that `stream_options.include_usage` adds. */
	choices?: ChatCompletionChunkChoice[];
	usage?: CompletionUsage | null;
}

export interface CompletionChunkChoice {
	index?: number;
	text?: string | null;
	finish_reason?: FinishReason | string | null;
}

/** A chunk of a /v1/completions stream (`object: "text_completion"`). */
export interface CompletionChunk {
	id?: string;
	object?: 'text_completion' | string;
	created?: number;
	model?: string;
	system_fingerprint?: string;
	choices?: CompletionChunkChoice[];
	usage?: CompletionUsage | null;
}

/** Ollama's /v1 error body (openai.NewError); `type` follows the HTTP status. */
export interface OpenAiErrorResponse {
	error: {
		message: string;
		type?: 'invalid_request_error' | 'not_found_error' | 'api_error' | string;
		param?: unknown;
		code?: string | number | null;
	};
}
