/**
 * Request and response bodies of Ollama's native /api, named as the API names them
 * (github.com/ollama/ollama api/types.go). A field is optional where Go omits it when empty
 * (`omitempty`) or where the server does not require it in a request.
 */

export type Capability =
	'completion' | 'tools' | 'insert' | 'vision' | 'embedding' | 'thinking' | 'image' | 'audio';

/** `true` lets a thinking model think; a level also sets how hard (`max` is newer). */
export type Think = boolean | 'low' | 'medium' | 'high' | 'max';

export type JsonSchema = { [key: string]: unknown };

/** `"json"`, or a JSON Schema object the output must match. */
export type Format = 'json' | JsonSchema;

/** A number is seconds; a string is a Go duration (`"5m"`, `"1h30m"`); negative = forever, 0 = unload. */
export type KeepAlive = string | number;

/** `length` = `num_predict` reached. `done_reason` may also be absent on `done:true`. */
export type DoneReason = 'stop' | 'length' | 'load' | 'unload';

export type Role = 'system' | 'user' | 'assistant' | 'tool';

export interface Options {
	// Read when the model is loaded.
	num_ctx?: number;
	num_batch?: number;
	num_gpu?: number;
	main_gpu?: number;
	use_mmap?: boolean;
	num_thread?: number;
	draft_num_predict?: number;
	// Read per request.
	num_keep?: number;
	seed?: number;
	num_predict?: number;
	top_k?: number;
	top_p?: number;
	min_p?: number;
	typical_p?: number;
	repeat_last_n?: number;
	temperature?: number;
	repeat_penalty?: number;
	presence_penalty?: number;
	frequency_penalty?: number;
	stop?: string[];
}

export interface ToolCall {
	/** `call_` + 8 characters; absent from older servers. */
	id?: string;
	function: {
		/** Absent from older servers. */
		index?: number;
		name: string;
		/** An object on the native API (a JSON string only on /v1). */
		arguments: Record<string, unknown>;
	};
}

export interface ToolProperty {
	type?: string | string[];
	description?: string;
	enum?: unknown[];
	items?: unknown;
	anyOf?: ToolProperty[];
	properties?: Record<string, ToolProperty>;
	required?: string[];
}

export interface Tool {
	type: 'function';
	function: {
		name: string;
		description?: string;
		parameters: {
			type: string;
			$defs?: unknown;
			items?: unknown;
			required?: string[];
			properties: Record<string, ToolProperty>;
		};
	};
}

export interface Message {
	role: Role;
	/** Always present in responses, possibly `""`. */
	content: string;
	thinking?: string;
	/** Plain base64, no `data:` prefix. */
	images?: string[];
	tool_calls?: ToolCall[];
	/** On a `tool` message: which tool produced this result. */
	tool_name?: string;
	tool_call_id?: string;
}

export interface TokenLogprob {
	token: string;
	logprob: number;
	bytes?: number[];
}

export interface Logprob extends TokenLogprob {
	top_logprobs?: TokenLogprob[];
}

/** Durations are integer nanoseconds; every field is omitted when zero. */
export interface Metrics {
	total_duration?: number;
	load_duration?: number;
	prompt_eval_count?: number;
	prompt_eval_duration?: number;
	eval_count?: number;
	eval_duration?: number;
}

export interface GenerateRequest {
	model: string;
	/** `""` or absent with no other input only loads the model. */
	prompt?: string;
	suffix?: string;
	system?: string;
	template?: string;
	/** Deprecated: send the conversation with /api/chat instead. */
	context?: number[];
	/** Defaults to true. */
	stream?: boolean;
	raw?: boolean;
	format?: Format;
	images?: string[];
	options?: Options;
	keep_alive?: KeepAlive;
	think?: Think;
	truncate?: boolean;
	shift?: boolean;
	logprobs?: boolean;
	/** 0 to 20. */
	top_logprobs?: number;
}

export interface GenerateResponse extends Metrics {
	/** Echoes the request's model string exactly. */
	model: string;
	remote_model?: string;
	remote_host?: string;
	created_at: string;
	response: string;
	thinking?: string;
	done: boolean;
	done_reason?: DoneReason;
	/** Deprecated; on the final chunk only, and not with `raw`. */
	context?: number[];
	tool_calls?: ToolCall[];
	logprobs?: Logprob[];
}

export interface ChatRequest {
	model: string;
	/** Empty or absent only loads (or with `keep_alive: 0` unloads) the model. */
	messages?: Message[];
	tools?: Tool[];
	/** Defaults to true. */
	stream?: boolean;
	format?: Format;
	options?: Options;
	keep_alive?: KeepAlive;
	think?: Think;
	truncate?: boolean;
	shift?: boolean;
	logprobs?: boolean;
	/** 0 to 20. */
	top_logprobs?: number;
}

export interface ChatResponse extends Metrics {
	model: string;
	remote_model?: string;
	remote_host?: string;
	created_at: string;
	message: Message;
	done: boolean;
	done_reason?: DoneReason;
	logprobs?: Logprob[];
}

export interface EmbedRequest {
	model: string;
	input: string | string[];
	/** Defaults to true; false turns an over-long input into an error. */
	truncate?: boolean;
	dimensions?: number;
	keep_alive?: KeepAlive;
	options?: Options;
}

export interface EmbedResponse {
	model: string;
	/** L2-normalised, in the order of `input`. */
	embeddings: number[][];
	total_duration?: number;
	load_duration?: number;
	prompt_eval_count?: number;
}

/** Deprecated: use EmbedRequest (/api/embed). */
export interface EmbeddingsRequest {
	model: string;
	prompt: string;
	keep_alive?: KeepAlive;
	options?: Options;
}

/** Deprecated: use EmbedResponse (/api/embed). Not normalised. */
export interface EmbeddingsResponse {
	embedding: number[];
}

export interface ModelDetails {
	parent_model: string;
	format: string;
	family: string;
	/** Go writes a nil slice as `null`. */
	families: string[] | null;
	parameter_size: string;
	quantization_level: string;
	context_length?: number;
	embedding_length?: number;
}

export interface ShowRequest {
	model: string;
	verbose?: boolean;
	system?: string;
	/** Deprecated. */
	template?: string;
	options?: Options;
	/** Deprecated: use `model`. */
	name?: string;
}

export interface Tensor {
	name: string;
	type: string;
	shape: number[];
}

export interface ShowResponse {
	license?: string;
	modelfile?: string;
	/** Newline-separated `key   value` text. */
	parameters?: string;
	template?: string;
	system?: string;
	renderer?: string;
	parser?: string;
	details: ModelDetails;
	messages?: Message[];
	remote_model?: string;
	remote_host?: string;
	model_info: Record<string, unknown>;
	projector_info?: Record<string, unknown>;
	/** With `verbose` only. */
	tensors?: Tensor[];
	capabilities?: Capability[];
	modified_at: string;
	requires?: string;
}

/** One entry of /api/tags. */
export interface ModelResponse {
	/** Normalised `name:tag`. */
	name: string;
	model: string;
	remote_model?: string;
	remote_host?: string;
	modified_at: string;
	size: number;
	/** 64 hex characters, no `sha256:` prefix. */
	digest: string;
	details: ModelDetails;
	capabilities?: Capability[];
}

export interface ListResponse {
	models: ModelResponse[];
}

/** One entry of /api/ps. */
export interface ProcessModel {
	name: string;
	model: string;
	size: number;
	digest: string;
	details: ModelDetails;
	/** About the year 2318 when kept alive forever. */
	expires_at: string;
	size_vram: number;
	context_length: number;
}

export interface ProcessResponse {
	models: ProcessModel[];
}

export interface PullRequest {
	model: string;
	/** Deprecated: ignored by current servers. */
	insecure?: boolean;
	/** Defaults to true. */
	stream?: boolean;
	/** Deprecated: use `model`. */
	name?: string;
}

export interface PushRequest {
	model: string;
	insecure?: boolean;
	/** Defaults to true. */
	stream?: boolean;
	/** Deprecated: use `model`. */
	name?: string;
}

export interface CreateRequest {
	model: string;
	/** A model name; pulled first if it is not local. */
	from?: string;
	/** File name → blob digest (`sha256:…`). */
	files?: Record<string, string>;
	adapters?: Record<string, string>;
	template?: string;
	license?: string | string[];
	system?: string;
	parameters?: Options;
	messages?: Message[];
	quantize?: string;
	renderer?: string;
	parser?: string;
	requires?: string;
	/** Defaults to true. */
	stream?: boolean;
	/** Deprecated: use `model`. */
	name?: string;
	/** Deprecated: use `quantize`. */
	quantization?: string;
}

/** A line of a pull, push or create stream; the last one is `{"status":"success"}`. */
export interface ProgressResponse {
	status: string;
	digest?: string;
	/** Bytes; omitted when 0. */
	total?: number;
	/** Bytes; omitted when 0. */
	completed?: number;
}

export interface CopyRequest {
	source: string;
	destination: string;
}

export interface DeleteRequest {
	model: string;
	/** Deprecated: use `model`. */
	name?: string;
}

export interface VersionResponse {
	version: string;
}

/** /api/status */
export interface StatusResponse {
	cloud: { disabled: boolean; source: string };
}

export interface ErrorResponse {
	error: string;
	/** On a 401 for a cloud model when the server is not signed in. */
	signin_url?: string;
}
