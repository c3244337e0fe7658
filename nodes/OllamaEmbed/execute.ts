import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { readClientSettings } from '../parameters/reliability';
import type { OllamaClient } from '../core/client';
import { connectClient } from '../n8n/client';
import { mapInOrder } from '../core/concurrency';
import { asNodeError, runPerItem } from '../n8n/items';
import { readCount } from '../n8n/itemValues';
import { OllamaFailure, isModelNotFound } from '../core/failures';
import { withPullIfMissing } from '../core/pullIfMissing';
import type { Batch, ItemJob, RequestSettings } from './plan';
import { batchTexts, planBatches } from './plan';
import type { OutputSettings } from './parameters';
import { itemReader } from './parameters';
import { likeEmbed, vectorProblem } from './vectors';

export const LEGACY_NOTICE =
	'This server has no /api/embed (Ollama before 0.3.0): the vectors come from /api/embeddings, one text per request, normalised like /api/embed vectors. Truncate is not available there.';

/** Failures that can be caused by one input of a batch: worth retrying the batch item by item. */
const PER_INPUT_STATUSES = new Set([400, 413, 500]);

interface ItemState {
	job?: ItemJob;
	output?: OutputSettings;
	vectors?: number[][];
	legacy?: boolean;
	error?: unknown;
}

/**
 * Embeds the texts of all items: items are grouped by model and settings, their texts sent in
 * batches (Batch Size texts per /api/embed request, Concurrency batches in flight), and every
 * vector goes back to its own item, in order, with pairedItem.
 */
export async function embedItems(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const input = this.getInputData();
	const continueOnFail = this.continueOnFail();
	const states: ItemState[] = input.map(() => ({}));
	const readItem = itemReader(this);

	for (let i = 0; i < input.length; i++) {
		try {
			const { job, output } = readItem(i);
			states[i] = { job, output, vectors: new Array<number[]>(job.texts.length) };
		} catch (error) {
			// Checked before anything is sent: without Continue On Fail, nothing is.
			if (!continueOnFail) throw asNodeError(this, error, i);
			states[i] = { error };
		}
	}

	const jobs = states.flatMap((state) => (state.job ? [state.job] : []));
	if (jobs.length > 0) {
		const embedder = new Embedder(this, await connectClient(this, readClientSettings(this)));
		const fatal = await embedder.run(jobs, states, continueOnFail);
		if (fatal && !continueOnFail) throw asNodeError(this, fatal.error, fatal.itemIndex);
	}

	const output = await runPerItem(this, 1, async (i) => {
		const state = states[i];
		if (state.error !== undefined) throw state.error;
		return toOutput(input[i], state);
	});
	return [output];
}

class Embedder {
	/** Set once a batch finds that the server lacks /api/embed (API: Auto). */
	private serverIsLegacy = false;

	/** Stops new batches: the execution was cancelled, or an item failed without Continue On Fail. */
	private readonly stop = new AbortController();

	private states: ItemState[] = [];

	private continueOnFail = false;

	/** The first item that failed (not merely stopped), in the order failures happened. */
	private firstFailure?: { itemIndex: number; error: unknown };

	constructor(
		private readonly context: IExecuteFunctions,
		private readonly client: OllamaClient,
	) {}

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
			const { vectors, legacy } = await this.embed(batch.settings, batchTexts(batch), first);
			this.deliver(batch, vectors, legacy);
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
				const { vectors, legacy } = await this.embed(batch.settings, slice.texts, slice.itemIndex);
				this.deliver({ settings: batch.settings, slices: [slice] }, vectors, legacy);
			} catch (error) {
				this.fail(slice.itemIndex, error);
			}
		}
	}

	private deliver(batch: Batch, vectors: number[][], legacy: boolean): void {
		let next = 0;
		for (const slice of batch.slices) {
			const state = this.states[slice.itemIndex];
			for (let k = 0; k < slice.texts.length; k++) state.vectors![slice.from + k] = vectors[next++];
			if (legacy) state.legacy = true;
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
	): Promise<{ vectors: number[][]; legacy: boolean }> {
		const run = async () => await this.embedVia(settings, texts, itemIndex);
		if (!settings.pullIfMissing) return await run();
		return await withPullIfMissing(this.client, settings.model, run);
	}

	private async embedVia(
		settings: RequestSettings,
		texts: string[],
		itemIndex: number,
	): Promise<{ vectors: number[][]; legacy: boolean }> {
		if (settings.api === 'embeddings' || (settings.api === 'auto' && this.serverIsLegacy)) {
			return { vectors: await this.embedLegacy(settings, texts, itemIndex), legacy: true };
		}
		let failure: unknown;
		try {
			return { vectors: await this.embedBatch(settings, texts, itemIndex), legacy: false };
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
	): Promise<number[][]> {
		const response = await this.client.embed({
			model: settings.model,
			input: texts,
			...(settings.truncate !== undefined ? { truncate: settings.truncate } : {}),
			...(settings.dimensions !== undefined ? { dimensions: settings.dimensions } : {}),
			...(settings.keepAlive !== undefined ? { keep_alive: settings.keepAlive } : {}),
			...(settings.options ? { options: settings.options } : {}),
		});
		const vectors = response?.embeddings;
		if (!Array.isArray(vectors) || vectors.length !== texts.length) {
			throw this.badAnswer(
				`Ollama returned ${Array.isArray(vectors) ? vectors.length : 'no'} vectors for ${texts.length} texts.`,
				itemIndex,
			);
		}
		const dimensions = settings.dimensions;
		return vectors.map((vector) => {
			const problem = vectorProblem(vector, dimensions);
			if (problem) throw this.badAnswer(`Ollama returned ${problem}.`, itemIndex);
			// A server before 0.11.11 ignores `dimensions`: cut and normalise as newer ones do.
			return dimensions !== undefined && vector.length > dimensions
				? likeEmbed(vector, dimensions)
				: vector;
		});
	}

	private async embedLegacy(
		settings: RequestSettings,
		texts: string[],
		itemIndex: number,
	): Promise<number[][]> {
		const vectors: number[][] = [];
		for (const prompt of texts) {
			const { embedding } = await this.client.embeddings({
				model: settings.model,
				prompt,
				...(settings.keepAlive !== undefined ? { keep_alive: settings.keepAlive } : {}),
				...(settings.options ? { options: settings.options } : {}),
			});
			const problem = vectorProblem(embedding, settings.dimensions);
			if (problem) throw this.badAnswer(`Ollama's /api/embeddings returned ${problem}.`, itemIndex);
			vectors.push(likeEmbed(embedding, settings.dimensions));
		}
		return vectors;
	}

	private badAnswer(message: string, itemIndex: number): NodeOperationError {
		return new NodeOperationError(this.context.getNode(), message, {
			itemIndex,
			description:
				'Check that the model is an embedding model and that "Dimensions" is not larger than its vectors.',
		});
	}
}

function toOutput(item: INodeExecutionData, state: ItemState): IDataObject {
	const job = state.job!;
	const output = state.output!;
	const vectors = state.vectors!;
	const json: IDataObject = output.keepInputFields ? { ...item.json } : {};
	json[output.field] = job.list ? vectors : vectors[0];
	json.dimensions = vectors[0].length;
	json.model = job.settings.model;
	if (output.includeText) json.text = job.list ? job.texts : job.texts[0];
	if (state.legacy) {
		json.api = 'embeddings';
		json.notice = LEGACY_NOTICE;
	}
	return json;
}

/** The server has no /api/embed: gin's `404 page not found`, not Ollama's model-not-found. */
function isMissingEndpoint(error: unknown): boolean {
	return error instanceof OllamaFailure && error.status === 404 && !isModelNotFound(error);
}

function isPerInput(error: unknown): boolean {
	return error instanceof OllamaFailure && PER_INPUT_STATUSES.has(error.status ?? 0);
}
