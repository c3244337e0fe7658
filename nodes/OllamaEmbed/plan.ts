import type { KeepAlive, Options } from '../core/types';

/** Which endpoint: /api/embed, falling back to /api/embeddings when the server lacks it (auto). */
export type ApiMode = 'auto' | 'embed' | 'embeddings';

/** What one request carries besides its texts: items may share a request only when all of it is equal. */
export interface RequestSettings {
	model: string;
	api: ApiMode;
	truncate?: boolean;
	dimensions?: number;
	keepAlive?: KeepAlive;
	options?: Options;
	pullIfMissing: boolean;
}

/** One input item's work: its texts (one, or a list) and its settings. */
export interface ItemJob {
	itemIndex: number;
	texts: string[];
	/** The item gave a list of texts: its output is a list of vectors. */
	list: boolean;
	settings: RequestSettings;
}

/** Consecutive texts of one item inside a batch; `from` is the position of the first one. */
export interface Slice {
	itemIndex: number;
	from: number;
	texts: string[];
}

/** The texts of one request, from one or more items with the same settings. */
export interface Batch {
	settings: RequestSettings;
	slices: Slice[];
}

export function batchTexts(batch: Batch): string[] {
	return batch.slices.flatMap((slice) => slice.texts);
}

/**
 * Groups items by their request settings (a batch holds one model's texts) and cuts each group
 * into batches of at most `batchSize` texts, keeping input order. An item whose texts do not fit
 * in the current batch continues in the next one.
 */
export function planBatches(jobs: readonly ItemJob[], batchSize: number): Batch[] {
	const size = Math.max(1, Math.floor(batchSize));
	const groups = new Map<string, Batch[]>();
	for (const job of jobs) {
		const key = JSON.stringify(job.settings);
		let batches = groups.get(key);
		if (!batches) {
			batches = [];
			groups.set(key, batches);
		}
		let from = 0;
		while (from < job.texts.length) {
			let current = batches[batches.length - 1];
			const used = current ? countTexts(current) : size;
			if (used >= size) {
				current = { settings: job.settings, slices: [] };
				batches.push(current);
			}
			const take = Math.min(size - (used >= size ? 0 : used), job.texts.length - from);
			current.slices.push({
				itemIndex: job.itemIndex,
				from,
				texts: job.texts.slice(from, from + take),
			});
			from += take;
		}
	}
	return [...groups.values()].flat();
}

function countTexts(batch: Batch): number {
	let count = 0;
	for (const slice of batch.slices) count += slice.texts.length;
	return count;
}
