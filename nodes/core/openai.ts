/**
 * The native requests as OpenAI-compatible /v1 bodies, and the /v1 answers that are not streams
 * as the native shapes, so nodes build one request and read one result whichever API the
 * credential names. What has no /v1 equivalent is refused with a message, never sent where a
 * server would ignore it silently.
 */
import { OllamaFailure } from './failures';
import type {
	ChatRequest,
	EmbedRequest,
	EmbedResponse,
	Format,
	GenerateRequest,
	ListResponse,
	Message,
	ModelDetails,
	Options,
	ShowResponse,
	Think,
} from './types';

/** The API a server speaks, as the credential names it. */
export type ServerApi = 'ollama' | 'openai';

export const OPENAI_API_NAME = 'OpenAI-compatible';

/** Native option → its /v1 name. Every other option has none. */
const OPTION_NAMES: Partial<Record<keyof Options, string>> = {
	num_predict: 'max_tokens',
	temperature: 'temperature',
	top_p: 'top_p',
	stop: 'stop',
	seed: 'seed',
	frequency_penalty: 'frequency_penalty',
	presence_penalty: 'presence_penalty',
};

/** Refuses what an OpenAI-compatible server cannot take. `what` names it as the user sees it. */
export function notOnOpenAi(
	what: string,
	instead = 'use a credential with the Ollama API',
): OllamaFailure {
	return new OllamaFailure(
		`${what} is not available on an ${OPENAI_API_NAME} server (the API chosen in the credential): ${instead}.`,
		{ kind: 'configuration' },
	);
}

/** A native option name in the words of the node's Options (the option's own name). */
function optionFields(
	options: Options | undefined,
	allowed = OPTION_NAMES,
): Record<string, unknown> {
	const fields: Record<string, unknown> = {};
	for (const [name, value] of Object.entries(options ?? {})) {
		if (value === undefined) continue;
		const target = allowed[name as keyof Options];
		if (target === undefined) throw notOnOpenAi(`The option "${name}"`, 'remove it');
		fields[target] = value;
	}
	return fields;
}

/** Native fields with no /v1 counterpart: refused when set to anything but their default. */
function refuseNative(request: Record<string, unknown>, defaults: Record<string, unknown>): void {
	for (const [field, fallback] of Object.entries(defaults)) {
		const value = request[field];
		if (value !== undefined && value !== fallback) {
			throw notOnOpenAi(`"${field}"`, 'remove it');
		}
	}
}

/** Ollama's `think` as `reasoning_effort` (Ollama's /v1 takes low, medium, high and none). */
function reasoningEffort(think: Think | undefined): string | undefined {
	if (think === undefined) return undefined;
	if (think === false) return 'none';
	if (think === true) return 'medium';
	return think === 'max' ? 'high' : think;
}

function responseFormat(format: Format | undefined): object | undefined {
	if (format === undefined) return undefined;
	if (format === 'json') return { type: 'json_object' };
	return { type: 'json_schema', json_schema: { name: 'output', schema: format } };
}

const streamed = { stream: true, stream_options: { include_usage: true } };

function logprobFields(request: { logprobs?: boolean; top_logprobs?: number }): object {
	return {
		...(request.logprobs !== undefined && { logprobs: request.logprobs }),
		...(request.top_logprobs !== undefined && { top_logprobs: request.top_logprobs }),
	};
}

/** POST /v1/chat/completions, streamed with usage. */
export function openAiChatBody(request: ChatRequest): object {
	refuseNative(request as unknown as Record<string, unknown>, {
		keep_alive: undefined,
		truncate: true,
		shift: true,
	});
	const effort = reasoningEffort(request.think);
	return {
		model: request.model,
		messages: openAiMessages(request.messages ?? []),
		...(request.tools?.length && { tools: request.tools }),
		...(responseFormat(request.format) && { response_format: responseFormat(request.format) }),
		...(effort !== undefined && { reasoning_effort: effort }),
		...optionFields(request.options),
		...logprobFields(request),
		...streamed,
	};
}

/** POST /v1/completions, streamed with usage: a prompt and a suffix, nothing of Ollama's own. */
export function openAiCompletionBody(request: GenerateRequest): object {
	const own = request as unknown as Record<string, unknown>;
	refuseNative(own, {
		keep_alive: undefined,
		truncate: true,
		shift: true,
		raw: false,
		template: '',
		think: undefined,
	});
	if (request.system)
		throw notOnOpenAi('A system message in Generate', 'use Chat, or put it in the prompt');
	if (request.images?.length) throw notOnOpenAi('An image in Generate', 'use Chat');
	if (request.context?.length) throw notOnOpenAi('"context"', 'use Chat for a conversation');
	if (request.format !== undefined) {
		throw notOnOpenAi('An Output Format in Generate', 'use Chat');
	}
	return {
		model: request.model,
		prompt: request.prompt ?? '',
		...(request.suffix && { suffix: request.suffix }),
		...optionFields(request.options),
		...(request.logprobs && { logprobs: request.top_logprobs ?? 0 }),
		...streamed,
	};
}

/** POST /v1/embeddings: a list of texts, `dimensions`; vectors as floats. */
export function openAiEmbedBody(request: EmbedRequest): object {
	refuseNative(request as unknown as Record<string, unknown>, {
		keep_alive: undefined,
		truncate: true,
	});
	optionFields(request.options, {});
	return {
		model: request.model,
		input: typeof request.input === 'string' ? [request.input] : request.input,
		...(request.dimensions !== undefined && { dimensions: request.dimensions }),
		encoding_format: 'float',
	};
}

interface EmbeddingList {
	model?: string;
	data?: Array<{ index?: number; embedding?: unknown }> | null;
	usage?: { prompt_tokens?: number } | null;
}

/** A /v1 embedding list as /api/embed's answer: vectors in input order, the token count. */
export function fromOpenAiEmbeddings(body: unknown, model: string): EmbedResponse {
	const list = body as EmbeddingList;
	const data = Array.isArray(list?.data) ? [...list.data] : undefined;
	if (!data || data.some((entry) => !Array.isArray(entry?.embedding))) {
		throw new OllamaFailure(
			`The answer to /v1/embeddings is not an embedding list: expected {"data":[{"embedding":[…]}]}, got ${JSON.stringify(body)?.slice(0, 120)}.`,
			{ kind: 'protocol', path: '/v1/embeddings' },
		);
	}
	data.sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
	const response: EmbedResponse = {
		model: typeof list.model === 'string' && list.model !== '' ? list.model : model,
		embeddings: data.map((entry) => entry.embedding as number[]),
	};
	const tokens = list.usage?.prompt_tokens;
	if (typeof tokens === 'number') response.prompt_eval_count = tokens;
	return response;
}

interface OpenAiModel {
	id?: unknown;
	created?: unknown;
	owned_by?: unknown;
}

const NO_DETAILS: ModelDetails = {
	parent_model: '',
	format: '',
	family: '',
	families: null,
	parameter_size: '',
	quantization_level: '',
};

function modifiedAt(created: unknown): string {
	return typeof created === 'number' && Number.isFinite(created)
		? new Date(created * 1000).toISOString()
		: '';
}

/** GET /v1/models as /api/tags: a name and a date per model; sizes and details are unknown. */
export function fromOpenAiModels(body: unknown): ListResponse {
	const data = (body as { data?: unknown } | null)?.data;
	// Ollama answers `data: null` when it has no models.
	if (data !== null && data !== undefined && !Array.isArray(data)) {
		throw new OllamaFailure(
			`The answer to /v1/models is not a model list: expected {"data":[…]}, got ${JSON.stringify(body)?.slice(0, 120)}.`,
			{ kind: 'protocol', path: '/v1/models' },
		);
	}
	return {
		models: ((data ?? []) as OpenAiModel[])
			.filter((model) => typeof model?.id === 'string')
			.map((model) => ({
				name: model.id as string,
				model: model.id as string,
				modified_at: modifiedAt(model.created),
				size: 0,
				digest: '',
				details: NO_DETAILS,
			})),
	};
}

/** GET /v1/models/:model as much of /api/show as it says: who owns it and when it was made. */
export function fromOpenAiModel(body: unknown): ShowResponse & { owned_by?: string } {
	const model = (body ?? {}) as OpenAiModel;
	return {
		details: NO_DETAILS,
		model_info: {},
		modified_at: modifiedAt(model.created),
		...(typeof model.owned_by === 'string' && { owned_by: model.owned_by }),
	};
}

/** The media type of base64 image bytes, from their first bytes (PNG when unknown). */
function imageType(base64: string): string {
	if (base64.startsWith('/9j/')) return 'image/jpeg';
	if (base64.startsWith('R0lGOD')) return 'image/gif';
	if (base64.startsWith('UklGR')) return 'image/webp';
	return 'image/png';
}

/**
 * The conversation in OpenAI's form: images as content parts with data URLs, tool calls with
 * ids and JSON-text arguments, and each tool result tied to the call it answers (by its id, else
 * the earliest unanswered call of that tool, else the earliest unanswered call).
 */
export function openAiMessages(messages: Message[]): object[] {
	const unanswered: Array<{ id: string; name: string }> = [];
	let calls = 0;
	return messages.map((message) => {
		if (message.role === 'tool') {
			const at = unanswered.findIndex((call) =>
				message.tool_call_id !== undefined
					? call.id === message.tool_call_id
					: call.name === message.tool_name,
			);
			const answered = unanswered.splice(at >= 0 ? at : 0, 1)[0];
			const id = message.tool_call_id ?? answered?.id ?? `call_${calls++}`;
			return { role: 'tool', tool_call_id: id, content: message.content };
		}
		const out: Record<string, unknown> = { role: message.role, content: message.content };
		if (message.images?.length) {
			out.content = [
				...(message.content !== '' ? [{ type: 'text', text: message.content }] : []),
				...message.images.map((image) => ({
					type: 'image_url',
					image_url: { url: `data:${imageType(image)};base64,${image}` },
				})),
			];
		}
		if (message.tool_calls?.length) {
			out.tool_calls = message.tool_calls.map((call) => {
				const id = call.id ?? `call_${calls++}`;
				unanswered.push({ id, name: call.function.name });
				return {
					id,
					type: 'function',
					function: {
						name: call.function.name,
						arguments: JSON.stringify(call.function.arguments ?? {}),
					},
				};
			});
		}
		return out;
	});
}
