import type { GenerationMetrics } from '../core/aggregate';
import { splitThinkTags } from '../core/thinkTags';

export type ThinkingMode = 'separate' | 'drop' | 'inline';

export interface ShapedText {
	text: string;
	/** Present in `separate` mode when there was reasoning. */
	thinking?: string;
}

/**
 * Applies the Thinking Output mode to an answer. Reasoning comes from Ollama's `thinking`
 * field or, for older models, from `<think>` tags in the text.
 */
export function shapeThinking(text: string, thinking: string, mode: ThinkingMode): ShapedText {
	if (mode === 'inline') {
		return { text: thinking ? `<think>\n${thinking}\n</think>\n\n${text}` : text };
	}
	const split = splitThinkTags(text);
	const reasoning = [thinking, split.thinking].filter((part) => part !== '').join('\n');
	if (mode === 'drop' || reasoning === '') return { text: split.text };
	return { text: split.text, thinking: reasoning };
}

/** Parses a structured answer; the error quotes the start of what the model wrote. */
export function parseStructured(text: string): { value?: unknown; error?: string } {
	try {
		return { value: JSON.parse(text) };
	} catch {
		const shown = text.length > 200 ? `${text.slice(0, 200)}…` : text;
		return { error: `The model's answer is not valid JSON: ${JSON.stringify(shown)}` };
	}
}

export const LENGTH_HINT =
	'The answer was cut at Max Tokens (done reason "length"). Raise Max Tokens (num_predict) for a complete answer.';

/** Metrics as a person reads them: token counts, whole milliseconds, tokens per second. */
export function readableMetrics(metrics: GenerationMetrics): Record<string, number> {
	const out: Record<string, number> = {};
	if (metrics.promptTokens !== undefined) out.promptTokens = metrics.promptTokens;
	if (metrics.outputTokens !== undefined) out.outputTokens = metrics.outputTokens;
	if (metrics.totalMs !== undefined) out.totalMs = Math.round(metrics.totalMs);
	if (metrics.loadMs !== undefined) out.loadMs = Math.round(metrics.loadMs);
	if (metrics.promptEvalMs !== undefined) out.promptEvalMs = Math.round(metrics.promptEvalMs);
	if (metrics.evalMs !== undefined) out.evalMs = Math.round(metrics.evalMs);
	if (metrics.tokensPerSecond !== undefined) out.tokensPerSecond = metrics.tokensPerSecond;
	return out;
}
