import type { OllamaClient } from '../core/client';
import { normalizeModelName, sameModel } from '../core/modelName';

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

	constructor(private readonly client: OllamaClient) {}

	async cut(
		model: string,
		numCtx: number | undefined,
		promptTokens: number | undefined,
	): Promise<PromptCut | undefined> {
		if (!promptTokens) return undefined;
		const window =
			numCtx ??
			(promptTokens >= SMALLEST_DEFAULT_WINDOW ? await this.loadedWindow(model) : undefined);
		return window !== undefined && promptTokens >= window
			? { promptTokens, contextLength: window }
			: undefined;
	}

	private async loadedWindow(model: string): Promise<number | undefined> {
		// An OpenAI-compatible server does not say.
		if (this.client.api === 'openai') return undefined;
		const key = normalizeModelName(model);
		let window = this.loaded.get(key);
		if (!window) {
			window = this.client
				.ps({ maxAttempts: 1 })
				.then(
					({ models }) =>
						models.find((loaded) => sameModel(loaded.name, model) || sameModel(loaded.model, model))
							?.context_length,
				)
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
