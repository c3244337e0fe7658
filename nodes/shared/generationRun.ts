import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError, accumulateTokenUsage } from 'n8n-workflow';

import type { GenerationSettings } from '../descriptions/generation';
import type { GenerationMetrics } from './aggregate';
import { LENGTH_HINT, parseStructured, readableMetrics, shapeThinking } from './generationOutput';
import { openLiveStream } from './liveStream';
import type { ToolCall } from './types';

export type OnDelta = (text: string, thinking: string) => void;

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
	output.done_reason = answer.doneReason ?? null;
	if (answer.doneReason === 'length') output.hint = LENGTH_HINT;
	output.model = model;
	output.metrics = readableMetrics(answer.metrics);
	return output;
}
