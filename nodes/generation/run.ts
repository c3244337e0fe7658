import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError, accumulateTokenUsage } from 'n8n-workflow';

import type { GenerationSettings } from '../parameters/generationSettings';
import { readConcurrency, readGenerationSettings } from '../parameters/generationSettings';
import { readModel } from '../parameters/model';
import { readPullIfMissing } from '../parameters/pullIfMissing';
import { readClientSettings } from '../parameters/reliability';
import type { GenerationMetrics } from '../core/aggregate';
import type { OllamaClient } from '../core/client';
import { connectClient } from '../n8n/client';
import { LENGTH_HINT, parseStructured, readableMetrics, shapeThinking } from './output';
import { runPerItem } from '../n8n/items';
import { constantPerItem } from '../n8n/itemValues';
import { openLiveStream } from '../n8n/liveStream';
import { withPullIfMissing } from '../core/pullIfMissing';
import type { Logprob, ToolCall } from '../core/types';
import type { PromptCut } from '../core/contextWindow';
import { ContextWindows, cutHint } from '../core/contextWindow';

/** Returns true when the text went on to a caller live. */
export type OnDelta = (text: string, thinking: string) => boolean;

/**
 * Runs one item's generation: streams it live when the execution streams, and accounts its
 * tokens in n8n's usage figures.
 */
export async function runGeneration<R extends { metrics: GenerationMetrics }>(
	context: IExecuteFunctions,
	itemIndex: number,
	settings: GenerationSettings,
	call: (onDelta: OnDelta) => Promise<R>,
): Promise<R> {
	const live = openLiveStream(context, itemIndex, {
		enabled: settings.streamResponse,
		includeThinking: settings.streamThinking,
	});
	const outcome = await call((text, thinking) => live.push(text, thinking)).then(
		(value) => ({ value }),
		(error: Error) => ({ error }),
	);
	live.end('error' in outcome ? outcome.error : undefined);
	if ('error' in outcome) throw outcome.error;
	const { promptTokens = 0, outputTokens = 0 } = outcome.value.metrics;
	accumulateTokenUsage(context, promptTokens, outputTokens);
	return outcome.value;
}

export interface Answer {
	text: string;
	thinking: string;
	doneReason?: string;
	toolCalls?: ToolCall[];
	/** Per token, when Log Probabilities was asked for. */
	logprobs?: Logprob[];
	metrics: GenerationMetrics;
}

/** The simplified output: text under `textField`, reasoning per mode, parsed JSON, hints, metrics. */
export function simplifiedOutput(
	context: IExecuteFunctions,
	itemIndex: number,
	settings: GenerationSettings,
	textField: 'response' | 'content',
	model: string,
	answer: Answer,
): IDataObject {
	const shaped = shapeThinking(answer.text, answer.thinking, settings.thinkingMode);
	const output: IDataObject = { [textField]: shaped.text };
	if (shaped.thinking !== undefined) output.thinking = shaped.thinking;
	if (settings.request.format !== undefined) {
		const parsed = parseStructured(shaped.text);
		if (parsed.error !== undefined) {
			throw new NodeOperationError(context.getNode(), parsed.error, {
				itemIndex,
				description:
					answer.doneReason === 'length'
						? LENGTH_HINT
						: 'Structured output was asked for (Output Format). Try a lower Temperature or a model that follows formats well.',
			});
		}
		output.json = parsed.value as IDataObject;
	}
	if (answer.toolCalls?.length) output.tool_calls = answer.toolCalls as unknown as IDataObject[];
	if (answer.logprobs?.length) output.logprobs = answer.logprobs as unknown as IDataObject[];
	output.done_reason = answer.doneReason ?? null;
	if (answer.doneReason === 'length') output.hint = LENGTH_HINT;
	output.model = model;
	output.metrics = readableMetrics(answer.metrics);
	return output;
}

/** What a generating node does for one item, after the shared settings are read. */
export interface GenerationItem<R> {
	/** Sends the request; `onDelta` gets text and reasoning as they arrive. */
	send(client: OllamaClient, onDelta: OnDelta): Promise<R>;
	/** The parts of the simplified output. */
	answer(result: R): Answer;
	/** Ollama's final object, for Raw Response. */
	final(result: R): object;
	/** The node's own fields added to the simplified output. */
	extra?(result: R): IDataObject;
}

/**
 * The execute of Generate and Chat: items through the pool at the node's Concurrency, each with
 * its model and settings, Pull Model If Missing, live streaming and the chosen output.
 */
export async function executeGeneration<R extends { metrics: GenerationMetrics }>(
	context: IExecuteFunctions,
	textField: 'response' | 'content',
	prepare: (
		itemIndex: number,
		model: string,
		settings: GenerationSettings,
	) => Promise<GenerationItem<R>>,
): Promise<INodeExecutionData[][]> {
	const client = await connectClient(context, readClientSettings(context));
	const modelOf = constantPerItem(context, ['model'], (i) => readModel(context, i));
	const settingsOf = constantPerItem(context, ['options'], (i) =>
		readGenerationSettings(context, i),
	);
	const pullIfMissingOf = constantPerItem(context, ['reliability'], (i) =>
		readPullIfMissing(context, i),
	);
	const windows = new ContextWindows(client);
	const cuts: Array<{ itemIndex: number; cut: PromptCut }> = [];
	const output = await runPerItem(context, readConcurrency(context), async (i) => {
		const model = modelOf(i);
		const settings = settingsOf(i);
		const pullIfMissing = pullIfMissingOf(i);
		const item = await prepare(i, model, settings);
		const result = await runGeneration(context, i, settings, async (onDelta) => {
			const send = async () => await item.send(client, onDelta);
			return pullIfMissing ? await withPullIfMissing(client, model, send) : await send();
		});
		const numCtx = settings.request.options?.num_ctx;
		const cut = await windows.cut(model, numCtx, result.metrics.promptTokens);
		if (cut) cuts.push({ itemIndex: i, cut });
		if (settings.rawResponse) return item.final(result) as IDataObject;
		const json = simplifiedOutput(context, i, settings, textField, model, item.answer(result));
		return { ...json, ...item.extra?.(result), ...(cut && { promptTruncated: { ...cut } }) };
	});
	if (cuts.length) {
		cuts.sort((a, b) => a.itemIndex - b.itemIndex);
		context.addExecutionHints({ message: cutHint(cuts), location: 'outputPane' });
	}
	return [output];
}
