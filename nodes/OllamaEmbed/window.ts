/**
 * Texts cut by Truncate: Ollama embeds a text longer than the context window up to the window and
 * says nothing. Its count for a batch is the sum over the texts, so only a text sent alone shows
 * that it filled the window.
 */

/** Start and end markers a model may add to each text (BOS/EOS, or BERT's CLS/SEP). */
const MARKERS = 2;

export interface Requested {
	vectors: number[][];
	metrics: { promptTokens?: number; totalMs?: number; loadMs?: number };
}

/** A text that filled the window; `index` is its place in the texts given. */
export interface TextCut {
	index: number;
	promptTokens: number;
}

export interface Watched extends Requested {
	cuts: TextCut[];
	contextLength?: number;
}

export interface WindowSource {
	/** The window, when known before sending (the option, or reported earlier). */
	known(): number | undefined;
	/** The window a request's count could have filled, asking the server when need be. */
	find(promptTokens: number | undefined): Promise<number | undefined>;
}

/** A count that reached the window, but for the markers the cut may leave out. */
const filled = (promptTokens: number | undefined, window: number) =>
	promptTokens !== undefined && promptTokens >= window - MARKERS;

/** UTF-8 bytes: no token covers less than a byte, so a text has at most this many plus markers. */
function utf8Length(text: string): number {
	let bytes = 0;
	for (const char of text) {
		const point = char.codePointAt(0)!;
		bytes += point < 0x80 ? 1 : point < 0x800 ? 2 : point < 0x10000 ? 3 : 4;
	}
	return bytes;
}

/** Whether a text could hold more tokens than the window leaves room for. */
export function mayFill(text: string, window: number): boolean {
	// A UTF-16 unit is 1 to 3 UTF-8 bytes (a pair, 4): most texts are decided without counting.
	if (text.length * 3 + MARKERS <= window - MARKERS) return false;
	if (text.length + MARKERS > window - MARKERS) return true;
	return utf8Length(text) + MARKERS > window - MARKERS;
}

/**
 * Embeds `texts` with `request` and finds which were cut. With the window known, texts that could
 * fill it go alone and the rest together; else the batch goes as is and, when its count could hide
 * a cut, each text that could fill the window is counted alone again (its batch vector stands, and
 * those counts are not the batch's).
 */
export async function embedWithinWindow(
	texts: string[],
	request: (texts: string[]) => Promise<Requested>,
	source: WindowSource,
): Promise<Watched> {
	const known = source.known();
	const long = (window: number) => texts.flatMap((text, i) => (mayFill(text, window) ? [i] : []));
	if (known !== undefined && texts.length > 1) {
		const alone = long(known);
		if (alone.length > 0) return await embedApart(texts, alone, request, known);
	}
	const whole = await request(texts);
	const window = await source.find(whole.metrics.promptTokens);
	if (window === undefined || !filled(whole.metrics.promptTokens, window)) {
		return { ...whole, cuts: [] };
	}
	if (texts.length === 1) {
		return {
			...whole,
			cuts: [{ index: 0, promptTokens: whole.metrics.promptTokens! }],
			contextLength: window,
		};
	}
	const cuts: TextCut[] = [];
	for (const index of long(window)) {
		const { metrics } = await request([texts[index]]);
		if (filled(metrics.promptTokens, window))
			cuts.push({ index, promptTokens: metrics.promptTokens! });
	}
	return { ...whole, cuts, contextLength: cuts.length ? window : undefined };
}

/** The texts in `alone` one per request, the others in one; vectors back in order, counts summed. */
async function embedApart(
	texts: string[],
	alone: number[],
	request: (texts: string[]) => Promise<Requested>,
	window: number,
): Promise<Watched> {
	const vectors = new Array<number[]>(texts.length);
	const sum: Requested['metrics'] = {};
	const add = (metrics: Requested['metrics']) => {
		for (const key of ['promptTokens', 'totalMs', 'loadMs'] as const) {
			if (metrics[key] !== undefined) sum[key] = (sum[key] ?? 0) + metrics[key];
		}
	};
	const together = texts.flatMap((_, i) => (alone.includes(i) ? [] : [i]));
	if (together.length > 0) {
		const result = await request(together.map((i) => texts[i]));
		together.forEach((i, k) => (vectors[i] = result.vectors[k]));
		add(result.metrics);
	}
	const cuts: TextCut[] = [];
	for (const index of alone) {
		const result = await request([texts[index]]);
		vectors[index] = result.vectors[0];
		add(result.metrics);
		if (filled(result.metrics.promptTokens, window))
			cuts.push({ index, promptTokens: result.metrics.promptTokens! });
	}
	return { vectors, metrics: sum, cuts, contextLength: cuts.length ? window : undefined };
}
