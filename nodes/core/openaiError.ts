/// <reference types="node" />
import { httpFailure } from './transport';

/** The text of an error object: its `message`, else its `type` and `code`. */
function objectText(value: object): string | undefined {
	const error = 'error' in value ? (value as { error: unknown }).error : value;
	// Ollama's native form, `{"error":"…"}`, as a native error line would carry it.
	if (typeof error === 'string') return error;
	if (typeof error !== 'object' || error === null) return undefined;
	const { message, type, code } = error as { message?: unknown; type?: unknown; code?: unknown };
	if (typeof message === 'string' && message.trim() !== '') return message;
	const label = [type, code]
		.filter((part) => (typeof part === 'string' && part !== '') || typeof part === 'number')
		.join(', ');
	return label !== '' ? `${label} (the server gave no message)` : undefined;
}

function parsed(body: unknown): unknown {
	const text = Buffer.isBuffer(body) ? body.toString('utf8') : body;
	if (typeof text !== 'string' || !text.trimStart().startsWith('{')) return text;
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return text;
	}
}

/**
 * The message of an OpenAI-style error, for an OllamaFailure's text and `ollamaMessage`:
 * `{"error":{"message","type","code"}}` (what Ollama's /v1 answers; a message-less one is named
 * by its type and code), the bare error object an `event: error` may carry, or Ollama's native
 * `{"error":"…"}`. The body may be parsed JSON, JSON text or a Buffer. Anything else (plain
 * text, an HTML page, an unknown object) is read as transport's httpFailure reads an HTTP error
 * body; `''` when there is no text at all.
 */
export function openAiErrorText(body: unknown): string {
	const value = parsed(body);
	if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
		const text = objectText(value);
		if (text !== undefined) return text;
	}
	return httpFailure(0, {}, value, '').ollamaMessage ?? '';
}
