import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { ProgressResult } from '../../core/aggregate';
import type { OllamaClient } from '../../core/client';
import type { ProgressResponse } from '../../core/types';
import { optionsCollection } from '../../parameters/options';
import { progressOutput } from './format';

const insecureOption: INodeProperties = {
	displayName: 'Insecure',
	name: 'insecure',
	type: 'boolean',
	default: false,
	description: 'Whether to allow a registry without valid TLS (only for your own registries)',
};

export const streamProgressOption: INodeProperties = {
	displayName: 'Stream Progress',
	name: 'streamProgress',
	type: 'boolean',
	default: false,
	description:
		'Whether to send progress lines live when the workflow streams its response (Webhook or Chat Trigger in streaming mode)',
};

/** The Options of a pull or push (Ensure Present included). */
export const transferOptions = optionsCollection([insecureOption, streamProgressOption]);

/**
 * Runs a pull, push or create and, when the execution streams to a trigger and the user asked
 * for it, sends progress as chunks: every new status, and each further 10% of a layer.
 */
export async function withProgressChunks(
	context: IExecuteFunctions,
	itemIndex: number,
	run: (onDelta?: (line: ProgressResponse) => boolean) => Promise<ProgressResult>,
): Promise<ProgressResult> {
	const wanted = context.getNodeParameter('options.streamProgress', itemIndex, false) as boolean;
	if (!wanted || !context.isStreaming()) return await run();

	let lastLine = '';
	context.sendChunk('begin', itemIndex);
	const outcome = await run((line) => {
		const percent =
			line.total && line.completed !== undefined
				? Math.floor((line.completed / line.total) * 10) * 10
				: undefined;
		const text = percent === undefined ? line.status : `${line.status} ${percent}%`;
		if (text !== lastLine) {
			lastLine = text;
			context.sendChunk('item', itemIndex, `${text}\n`);
		}
		return true;
	}).then(
		(value) => ({ value }),
		(error: Error) => ({ error }),
	);
	// The caller of a streaming webhook sees Ollama's own text, not only n8n's error description.
	if ('error' in outcome) context.sendChunk('error', itemIndex, outcome.error.message);
	context.sendChunk('end', itemIndex);
	if ('error' in outcome) throw outcome.error;
	return outcome.value;
}

/** A line for the caller of a streaming workflow when there is nothing to stream. */
export function sendProgressNote(
	context: IExecuteFunctions,
	itemIndex: number,
	note: string,
): void {
	const wanted = context.getNodeParameter('options.streamProgress', itemIndex, false) as boolean;
	if (!wanted || !context.isStreaming()) return;
	context.sendChunk('begin', itemIndex);
	context.sendChunk('item', itemIndex, `${note}\n`);
	context.sendChunk('end', itemIndex);
}

/** A pull or a push of `model` with the transfer Options, as the aggregated progress output. */
export async function transferModel(
	context: IExecuteFunctions,
	client: OllamaClient,
	direction: 'pull' | 'push',
	model: string,
	itemIndex: number,
): Promise<IDataObject> {
	const insecure = context.getNodeParameter('options.insecure', itemIndex, false) as boolean;
	const request = { model, ...(insecure ? { insecure: true } : {}) };
	const startedAt = Date.now();
	const progress = await withProgressChunks(
		context,
		itemIndex,
		async (onDelta) => await client[direction](request, { onDelta }),
	);
	return progressOutput(model, progress, startedAt);
}
