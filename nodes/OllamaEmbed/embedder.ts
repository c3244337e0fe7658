import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError, accumulateTokenUsage } from 'n8n-workflow';

import { readMetrics } from '../core/aggregate';
import type { OllamaClient } from '../core/client';
import { mapInOrder } from '../core/concurrency';
import { ContextWindows } from '../core/contextWindow';
import { OllamaFailure, isModelNotFound } from '../core/failures';
import { withPullIfMissing } from '../core/pullIfMissing';
import { readCount } from '../n8n/itemValues';
import { embedBody } from './body';
import { embedOneByOne } from './legacy';
import type { Batch, ItemJob, RequestSettings } from './plan';
import { batchTexts, planBatches } from './plan';
import type { OutputSettings } from './read';
import { likeEmbed, vectorProblem } from './vectors';
import type { Requested, TextCut } from './window';
import { embedWithinWindow } from './window';

/** Failures that can be caused by one input of a batch: worth retrying the batch item by item. */
const PER_INPUT_STATUSES = new Set([400, 413, 500]);

/** What Ollama reported for the request(s) an item's texts went in (shared with the batch's other items). */
export interface BatchMetrics {
	texts: number;
	promptTokens?: number;
	totalMs?: number;
	loadMs?: number;
}

export interface ItemState {
	job?: ItemJob;
	output?: OutputSettings;
	vectors?: number[][];
	legacy?: boolean;
	batch?: BatchMetrics;
	/** Texts of this item that filled the context window (Ollama embedded only their start). */
	cuts?: TextCut[];
	contextLength?: number;
	error?: unknown;
}

interface Embedded {
	vectors: number[][];
	legacy: boolean;
	metrics?: Omit<BatchMetrics, 'texts'>;
	cuts?: TextCut[];
	contextLength?: number;
}

/** Runs the batches of one execution and settles every item: vectors or an error. */
export class Embedder {
	/** Set once a batch finds that the server lacks /api/embed (API: Auto). */
	private serverIsLegacy = false;

	/** Stops new batches: the execution was cancelled, or an item failed without Continue On Fail. */
	private readonly stop = new AbortController();

	private states: ItemState[] = [];

	private continueOnFail = false;

	/** The first item that failed (not merely stopped), in the order failures happened. */
	private firstFailure?: { itemIndex: number; error: unknown };

	private readonly windows: ContextWindows;

	constructor(
		private readonly context: IExecuteFunctions,
		private readonly client: OllamaClient,
	) {
		this.windows = new ContextWindows(client);
	}

	async run(
		jobs: ItemJob[],
		states: ItemState[],
		continueOnFail: boolean,
	): Promise<{ itemIndex: number; error: unknown } | undefined> {
		this.states = states;
		this.continueOnFail = continueOnFail;
		const cancel = this.context.getExecutionCancelSignal();
		if (cancel?.aborted) this.stop.abort();
		cancel?.addEventListener('abort', () => this.stop.abort(), { once: true });

		const batchSize = readCount(this.context, 'batchSize', 'Batch Size');
		const concurrency = readCount(this.context, 'concurrency', 'Concurrency');
		const batches = planBatches(jobs, batchSize);
		const outcomes = await mapInOrder(
			batches.length,
			concurrency,
			async (b) => await this.runBatch(batches[b]),
			{ signal: this.stop.signal },
		);
		// runBatch settles every item itself: a batch that is not ok never started.
		outcomes.forEach((outcome, b) => {
			if (!outcome.ok) for (const slice of batches[b].slices) this.notStarted(slice.itemIndex);
		});
		return this.firstFailure;
	}

	private async runBatch(batch: Batch): Promise<void> {
		const first = batch.slices[0].itemIndex;
		let failure: unknown;
		try {
			this.deliver(batch, await this.embed(batch.settings, batchTexts(batch), first));
			return;
		} catch (error) {
			failure = error;
		}
		const items = new Set(batch.slices.map((slice) => slice.itemIndex));
		if (items.size > 1 && isPerInput(failure) && !this.stop.signal.aborted) {
			await this.isolate(batch);
			return;
		}
		for (const itemIndex of items) this.fail(itemIndex, failure);
	}

	/** The batch failed in a way one input can cause: each item's texts again, on their own. */
	private async isolate(batch: Batch): Promise<void> {
		for (const slice of batch.slices) {
			if (this.states[slice.itemIndex].error !== undefined) continue;
			if (this.stop.signal.aborted) {
				this.notStarted(slice.itemIndex);
				continue;
			}
			try {
				const embedded = await this.embed(batch.settings, slice.texts, slice.itemIndex);
				this.deliver({ settings: batch.settings, slices: [slice] }, embedded);
			} catch (error) {
				this.fail(slice.itemIndex, error);
			}
		}
	}

	private deliver(batch: Batch, { vectors, legacy, metrics, cuts, contextLength }: Embedded): void {
		let next = 0;
		for (const slice of batch.slices) {
			const state = this.states[slice.itemIndex];
			const first = next;
			for (let k = 0; k < slice.texts.length; k++) state.vectors![slice.from + k] = vectors[next++];
			if (legacy) state.legacy = true;
			if (metrics) state.batch = addMetrics(state.batch, vectors.length, metrics);
			for (const cut of cuts ?? []) {
				if (cut.index < first || cut.index >= next) continue;
				state.cuts = [...(state.cuts ?? []), { ...cut, index: slice.from + cut.index - first }];
				state.contextLength = contextLength;
			}
		}
	}

	private fail(itemIndex: number, error: unknown): void {
		this.states[itemIndex].error ??= error;
		this.firstFailure ??= { itemIndex, error };
		if (!this.continueOnFail) this.stop.abort();
	}

	private notStarted(itemIndex: number): void {
		this.states[itemIndex].error ??= new NodeOperationError(
			this.context.getNode(),
			'The execution was stopped before this item was embedded.',
			{ itemIndex },
		);
	}

	/** Vectors for `texts`, in their order: /api/embed, or the legacy endpoint when that is the way. */
	private async embed(
		settings: RequestSettings,
		texts: string[],
		itemIndex: number,
	): Promise<Embedded> {
		const run = async () => await this.embedVia(settings, texts, itemIndex);
		if (!settings.pullIfMissing) return await run();
		return await withPullIfMissing(this.client, settings.model, run);
	}

	private async embedVia(
		settings: RequestSettings,
		texts: string[],
		itemIndex: number,
	): Promise<Embedded> {
		if (settings.api === 'embeddings' || (settings.api === 'auto' && this.serverIsLegacy)) {
			return { vectors: await this.embedLegacy(settings, texts, itemIndex), legacy: true };
		}
		let failure: unknown;
		try {
			return { ...(await this.embedBatch(settings, texts, itemIndex)), legacy: false };
		} catch (error) {
			failure = error;
		}
		if (settings.api !== 'auto' || !isMissingEndpoint(failure)) throw failure;
		this.serverIsLegacy = true;
		return { vectors: await this.embedLegacy(settings, texts, itemIndex), legacy: true };
	}

	private async embedBatch(
		settings: RequestSettings,
		texts: string[],
		itemIndex: number,
	): Promise<Omit<Embedded, 'legacy'>> {
		const request = async (part: string[]) => await this.embedRequest(settings, part, itemIndex);
		// Without Truncate, Ollama refuses a text that does not fit instead of cutting it.
		const watched =
			settings.truncate === false
				? { ...(await request(texts)), cuts: [] }
				: await embedWithinWindow(texts, request, {
						known: () => this.windows.known(settings.model, settings.options?.num_ctx),
						find: async (promptTokens) =>
							await this.windows.window(settings.model, settings.options?.num_ctx, promptTokens),
					});
		// n8n's token usage figures for the execution count every embedded token once.
		const promptTokens = watched.metrics.promptTokens;
		if (promptTokens) accumulateTokenUsage(this.context, promptTokens, 0);
		return watched;
	}

	/** One /api/embed request: as many valid vectors as texts, in their order. */
	private async embedRequest(
		settings: RequestSettings,
		texts: string[],
		itemIndex: number,
	): Promise<Requested> {
		const response = await this.client.embed(embedBody(settings, texts));
		const vectors = response?.embeddings;
		if (!Array.isArray(vectors) || vectors.length !== texts.length) {
			throw this.badAnswer(
				`Ollama returned ${Array.isArray(vectors) ? vectors.length : 'no'} vectors for ${texts.length} texts.`,
				itemIndex,
			);
		}
		const dimensions = settings.dimensions;
		const checked = vectors.map((vector) => {
			const problem = vectorProblem(vector, dimensions);
			if (problem) throw this.badAnswer(`Ollama returned ${problem}.`, itemIndex);
			// A server before 0.11.11 ignores `dimensions`: cut and normalise as newer ones do.
			return dimensions !== undefined && vector.length > dimensions
				? likeEmbed(vector, dimensions)
				: vector;
		});
		const { promptTokens, totalMs, loadMs } = readMetrics(response);
		return { vectors: checked, metrics: { promptTokens, totalMs, loadMs } };
	}

	private async embedLegacy(
		settings: RequestSettings,
		texts: string[],
		itemIndex: number,
	): Promise<number[][]> {
		return await embedOneByOne(this.client, settings, texts, (message) =>
			this.badAnswer(message, itemIndex),
		);
	}

	private badAnswer(message: string, itemIndex: number): NodeOperationError {
		return new NodeOperationError(this.context.getNode(), message, {
			itemIndex,
			description:
				'Check that the model is an embedding model and that "Dimensions" is not larger than its vectors.',
		});
	}
}

/** The server has no /api/embed: gin's `404 page not found`, not Ollama's model-not-found. */
function isMissingEndpoint(error: unknown): boolean {
	return error instanceof OllamaFailure && error.status === 404 && !isModelNotFound(error);
}

function isPerInput(error: unknown): boolean {
	return error instanceof OllamaFailure && PER_INPUT_STATUSES.has(error.status ?? 0);
}

/** An item's batch figures, summed over every request its texts went in. */
function addMetrics(
	sum: BatchMetrics | undefined,
	texts: number,
	metrics: Omit<BatchMetrics, 'texts'>,
): BatchMetrics {
	const add = (a?: number, b?: number) =>
		a === undefined && b === undefined ? undefined : (a ?? 0) + (b ?? 0);
	const total: BatchMetrics = { texts: (sum?.texts ?? 0) + texts };
	const promptTokens = add(sum?.promptTokens, metrics.promptTokens);
	const totalMs = add(sum?.totalMs, metrics.totalMs);
	const loadMs = add(sum?.loadMs, metrics.loadMs);
	if (promptTokens !== undefined) total.promptTokens = promptTokens;
	if (totalMs !== undefined) total.totalMs = Math.round(totalMs);
	if (loadMs !== undefined) total.loadMs = Math.round(loadMs);
	return total;
}
