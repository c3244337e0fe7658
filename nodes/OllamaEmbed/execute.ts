import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { connectClient } from '../n8n/client';
import { asNodeError, runPerItem } from '../n8n/items';
import { readClientSettings } from '../parameters/reliability';
import type { ItemState } from './embedder';
import type { ItemJob } from './plan';
import { Embedder } from './embedder';
import { LEGACY_NOTICE } from './legacy';
import { itemReader } from './read';

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
	const cut = states.flatMap((state, itemIndex) => (state.cuts ? [{ itemIndex, state }] : []));
	if (cut.length > 0) this.addExecutionHints({ message: cutHint(cut), location: 'outputPane' });
	return [output];
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
	// The request(s) this item's texts went in, with the other items of the batch.
	if (state.batch) json.batch = { ...state.batch };
	if (state.cuts) json.promptTruncated = truncation(job, state);
	if (state.legacy) {
		json.api = 'embeddings';
		json.notice = LEGACY_NOTICE;
	}
	return json;
}

/** Which of the item's texts filled the window: like Generate's for one text, by place for a list. */
function truncation(job: ItemJob, state: ItemState): IDataObject {
	const contextLength = state.contextLength!;
	const cuts = state.cuts!;
	if (!job.list) return { promptTokens: cuts[0].promptTokens, contextLength };
	return { contextLength, texts: cuts.map((cut) => ({ ...cut })) };
}

/** One hint for the node, however many items had a text cut: the count and the first one's numbers. */
function cutHint(cut: Array<{ itemIndex: number; state: ItemState }>): string {
	const [{ itemIndex, state }] = cut;
	const which =
		cut.length === 1
			? `A text of item ${itemIndex}`
			: `Texts of ${cut.length} items (first: item ${itemIndex})`;
	return `${which} filled the embedding model's whole context window (${state.cuts![0].promptTokens} of ${state.contextLength} tokens), so Ollama embedded only its start (Truncate is on). Raise the Context Length option, up to what the model was trained for, or split the text into smaller chunks.`;
}
