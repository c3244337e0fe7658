import type { OllamaClient } from './client';
import { normalizeModelName, sameModel } from './modelName';

/** Prompts shorter than this are not checked against a window the server must be asked for. */
const SMALLEST_DEFAULT_WINDOW = 256;

export interface PromptCut {
	promptTokens: number;
	contextLength: number;
}

/**
 * Ollama cuts a prompt that does not fit the context window without an error: the answer then
 * ignores the prompt's start. A prompt that filled the window was (almost certainly) cut. The
 * window is the Context Length option, else what the server reports for the loaded model
 * (/api/ps, asked once per model and execution).
 */
export class ContextWindows {
	private readonly loaded = new Map<string, Promise<number | undefined>>();

	/** Windows the server has reported, for callers that must decide before sending. */
	private readonly learned = new Map<string, number>();

	constructor(private readonly client: OllamaClient) {}

	async cut(
		model: string,
		numCtx: number | undefined,
		promptTokens: number | undefined,
	): Promise<PromptCut | undefined> {
		const window = await this.window(model, numCtx, promptTokens);
		return window !== undefined && promptTokens !== undefined && promptTokens >= window
			? { promptTokens, contextLength: window }
			: undefined;
	}

	/**
	 * The window `promptTokens` were counted against, when they could have filled it: the Context
	 * Length option, else the loaded model's (asked only for counts that could fill a window).
	 */
	async window(
		model: string,
		numCtx: number | undefined,
		promptTokens: number | undefined,
	): Promise<number | undefined> {
		if (!promptTokens) return undefined;
		if (numCtx !== undefined) return numCtx;
		return promptTokens >= SMALLEST_DEFAULT_WINDOW ? await this.loadedWindow(model) : undefined;
	}

	/** The window known without asking: the option, or what the server reported earlier. */
	known(model: string, numCtx: number | undefined): number | undefined {
		return numCtx ?? this.learned.get(normalizeModelName(model));
	}

	private async loadedWindow(model: string): Promise<number | undefined> {
		// An OpenAI-compatible server does not say.
		if (this.client.api === 'openai') return undefined;
		const key = normalizeModelName(model);
		let window = this.loaded.get(key);
		if (!window) {
			window = this.client
				.ps({ maxAttempts: 1 })
				.then(({ models }) => {
					const length = models.find(
						(loaded) => sameModel(loaded.name, model) || sameModel(loaded.model, model),
					)?.context_length;
					if (length !== undefined) this.learned.set(key, length);
					return length;
				})
				.catch(() => undefined);
			this.loaded.set(key, window);
		}
		return await window;
	}
}

/** One hint for the node, however many items were cut: the count and the first one's numbers. */
export function cutHint(cuts: Array<{ itemIndex: number; cut: PromptCut }>): string {
	const [{ itemIndex, cut }] = cuts;
	const which =
		cuts.length === 1
			? `Item ${itemIndex}'s prompt`
			: `${cuts.length} items' prompts (first: item ${itemIndex})`;
	return `${which} filled the whole context window (${cut.promptTokens} of ${cut.contextLength} tokens), so Ollama cut the start without an error and the answer ignores it. Raise the Context Length option or shorten the prompt.`;
}
