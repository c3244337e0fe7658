import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { ProgressResult } from '../../core/aggregate';
import type { OllamaClient } from '../../core/client';
import type { ProgressResponse } from '../../core/types';
import { optionsCollection } from '../../parameters/options';
import { progressOutput } from './format';
import type { HostOutcome } from './hosts';
import { failIfNoneSucceeded, onEachHost } from './hosts';

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
 * for it, sends progress as chunks: every new status, and each further 10% of a layer. Lines
 * given with a host (several hosts at once) start with it.
 */
export async function withProgressChunks<T = ProgressResult>(
	context: IExecuteFunctions,
	itemIndex: number,
	run: (onDelta?: (line: ProgressResponse, host?: string) => boolean) => Promise<T>,
): Promise<T> {
	const wanted = context.getNodeParameter('options.streamProgress', itemIndex, false) as boolean;
	if (!wanted || !context.isStreaming()) return await run();

	const lastLine = new Map<string | undefined, string>();
	context.sendChunk('begin', itemIndex);
	const outcome = await run((line, host) => {
		const percent =
			line.total && line.completed !== undefined
				? Math.floor((line.completed / line.total) * 10) * 10
				: undefined;
		const text = percent === undefined ? line.status : `${line.status} ${percent}%`;
		if (text !== lastLine.get(host)) {
			lastLine.set(host, text);
			context.sendChunk('item', itemIndex, host === undefined ? `${text}\n` : `${host}: ${text}\n`);
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

function transferRequest(
	context: IExecuteFunctions,
	model: string,
	itemIndex: number,
): { model: string; insecure?: boolean } {
	const insecure = context.getNodeParameter('options.insecure', itemIndex, false) as boolean;
	return { model, ...(insecure ? { insecure: true } : {}) };
}

/** A pull or a push of `model` with the transfer Options, as the aggregated progress output. */
export async function transferModel(
	context: IExecuteFunctions,
	client: OllamaClient,
	direction: 'pull' | 'push',
	model: string,
	itemIndex: number,
): Promise<IDataObject> {
	const request = transferRequest(context, model, itemIndex);
	const startedAt = Date.now();
	const progress = await withProgressChunks(
		context,
		itemIndex,
		async (onDelta) => await client[direction](request, { onDelta }),
	);
	return progressOutput(model, progress, startedAt);
}

/**
 * A pull of `model` on every host of the pool at once, its progress lines named by host.
 * `skip` may answer for a host without pulling (Ensure Present: the model is there already),
 * telling the caller of a streaming workflow with `note`. Each host's result is its own; the
 * item fails only when every host failed.
 */
export async function pullOnEveryHost(
	context: IExecuteFunctions,
	client: OllamaClient,
	model: string,
	itemIndex: number,
	skip?: (
		hostClient: OllamaClient,
		note: (text: string) => void,
	) => Promise<IDataObject | undefined>,
	/** Added to the result of each host that pulled. */
	pulledFields: IDataObject = {},
): Promise<HostOutcome[]> {
	const request = transferRequest(context, model, itemIndex);
	return await withProgressChunks(context, itemIndex, async (onDelta) => {
		const note = (host: string, status: string) => onDelta?.({ status }, host);
		const outcomes = await onEachHost(
			context,
			client,
			itemIndex,
			client.hostUrls,
			async (hostClient, host) => {
				const answer = await skip?.(hostClient, (text) => note(host, text));
				if (answer) return answer;
				const startedAt = Date.now();
				const progress = await hostClient.pull(request, {
					onDelta: onDelta && ((line) => onDelta(line, host)),
				});
				const { model: _model, ...output } = progressOutput(model, progress, startedAt);
				return { ...output, ...pulledFields };
			},
		);
		for (const outcome of outcomes) {
			if ('error' in outcome) note(outcome.host, `failed: ${outcome.error.message}`);
		}
		failIfNoneSucceeded(outcomes);
		return outcomes;
	});
}
