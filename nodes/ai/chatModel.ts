import type {
	ChatModel,
	ChatModelConfig,
	GenerateResult,
	Message as SdkMessage,
	StreamChunk,
	Tool as SdkTool,
} from '@n8n/ai-node-sdk';
import type { INode } from 'n8n-workflow';

import type { ChatAggregator, ChatResult } from '../core/aggregate';
import type { OllamaClient, StreamCallOptions } from '../core/client';
import { withPullIfMissing } from '../core/pullIfMissing';
import type { ChatRequest, Options } from '../core/types';
import { chatBody } from '../OllamaChat/body';
import type { GenerationFields } from '../parameters/generationSettings';
import type { ImageFetcher } from '../n8n/images';
import { chatModelError } from './errors';
import { withFetchedImages } from './images';
import type { SchemaConverter } from './messages';
import {
	finishReasonOf,
	toGenerateResult,
	toOllamaMessages,
	toOllamaTools,
	uniqueToolCallId,
	usageOf,
} from './messages';

export interface OllamaChatModelSettings {
	node: INode;
	client: OllamaClient;
	model: string;
	/** format, think, keep_alive and model options from the node's Options. */
	request: GenerationFields;
	pullIfMissing: boolean;
	toJsonSchema: SchemaConverter;
	/** Fetches images the conversation gives by URL (n8n's request helper, in the node). */
	fetchImage?: ImageFetcher;
}

/**
 * LangChain's call options arrive as the config: an agent's stop sequences, and the caller's
 * abort signal as `signal` (the SDK's own name for it is `abortSignal`).
 */
type CallConfig = ChatModelConfig & { stop?: string[]; signal?: AbortSignal };

/**
 * The SDK's chat model over our client and Ollama's native /api/chat. n8n wraps it for LangChain
 * (supplyModel). Plain fields only: `withTools` copies the object field by field.
 */
export class OllamaChatModel implements ChatModel {
	readonly provider = 'ollama';

	readonly modelId: string;

	constructor(
		readonly settings: OllamaChatModelSettings,
		readonly tools: SdkTool[] = [],
	) {
		this.modelId = settings.model;
	}

	withTools(tools: SdkTool[]): OllamaChatModel {
		return new OllamaChatModel(this.settings, [...this.tools, ...tools]);
	}

	async generate(messages: SdkMessage[], config?: CallConfig): Promise<GenerateResult> {
		const body = await this.body(messages, config);
		return toGenerateResult(await this.send(body, signalOf(config)));
	}

	/**
	 * Ollama's chunks as the SDK's: reasoning as whole `content` parts (LangChain's adapter drops
	 * reasoning deltas), every tool call complete with its own id (the adapter merges deltas that
	 * share one), a failure thrown (the adapter would turn an `error` chunk into an empty answer).
	 */
	async *stream(messages: SdkMessage[], config?: CallConfig): AsyncIterable<StreamChunk> {
		const body = await this.body(messages, config);
		const queue: StreamChunk[] = [];
		const ids = new Set<string>();
		let wake: (() => void) | undefined;
		let settled = false;
		let failure: { error: unknown } | undefined;
		const push = (chunk: StreamChunk) => {
			queue.push(chunk);
			wake?.();
		};
		void this.send(body, signalOf(config), (delta) => {
			if (delta.thinking !== '') {
				push({ type: 'content', content: { type: 'reasoning', text: delta.thinking } });
			}
			if (delta.content !== '') push({ type: 'text-delta', delta: delta.content });
			for (const call of delta.tool_calls) {
				push({
					type: 'tool-call-delta',
					id: uniqueToolCallId(call, ids),
					name: call.function.name,
					argumentsDelta: JSON.stringify(call.function.arguments ?? {}),
				});
			}
			return queue.length > 0 || delta.content !== '' || delta.thinking !== '';
		})
			.then(
				(result) =>
					push({
						type: 'finish',
						finishReason: finishReasonOf(result),
						usage: usageOf(result.metrics),
					}),
				(error: unknown) => {
					failure = { error };
				},
			)
			.finally(() => {
				settled = true;
				wake?.();
			});
		for (;;) {
			const chunk = queue.shift();
			if (chunk !== undefined) {
				yield chunk;
				continue;
			}
			if (settled) break;
			await new Promise<void>((resolve) => (wake = resolve));
			wake = undefined;
		}
		if (failure) throw failure.error;
	}

	private async body(messages: SdkMessage[], config: CallConfig = {}): Promise<ChatRequest> {
		const { fetchImage, node } = this.settings;
		const conversation = await withFetchedImages(messages, fetchImage, node, signalOf(config));
		const tools = toOllamaTools(this.tools, this.settings.toJsonSchema);
		const request = { ...this.settings.request };
		const options = { ...request.options, ...callOptions(config) };
		if (Object.keys(options).length) request.options = options;
		return chatBody(
			this.modelId,
			{ messages: toOllamaMessages(conversation), tools: tools.length ? tools : undefined },
			request,
		);
	}

	private async send(
		body: ChatRequest,
		signal: AbortSignal | undefined,
		onDelta?: StreamCallOptions<ReturnType<ChatAggregator['push']>>['onDelta'],
	): Promise<ChatResult> {
		const { client, pullIfMissing } = this.settings;
		const run = async () => await client.chat(body, { onDelta, signal });
		try {
			return pullIfMissing ? await withPullIfMissing(client, this.modelId, run) : await run();
		} catch (error) {
			throw chatModelError(this.settings.node, error, {
				model: this.modelId,
				toolsBound: body.tools !== undefined,
			});
		}
	}
}

function signalOf(config: CallConfig = {}): AbortSignal | undefined {
	return config.signal ?? config.abortSignal;
}

/** What a caller sets per call (n8n's nodes set only stop sequences, if anything). */
function callOptions(config: CallConfig): Options {
	const options: Options = {};
	const stop = config.stopSequences ?? config.stop;
	if (stop?.length) options.stop = stop;
	if (config.maxTokens !== undefined) options.num_predict = config.maxTokens;
	if (config.temperature !== undefined) options.temperature = config.temperature;
	if (config.topP !== undefined) options.top_p = config.topP;
	if (config.topK !== undefined) options.top_k = config.topK;
	if (config.seed !== undefined) options.seed = config.seed;
	if (config.presencePenalty !== undefined) options.presence_penalty = config.presencePenalty;
	if (config.frequencyPenalty !== undefined) options.frequency_penalty = config.frequencyPenalty;
	return options;
}
