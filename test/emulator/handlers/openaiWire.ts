// What Ollama's /v1 routes share (O:openai/openai.go NewError; O:middleware/openai.go BaseWriter
// and the *Middleware functions): binding, the error object, the two ways an error is written,
// and the writer base class every /v1 route installs before it hands over to the native handler.

import { bind, type Bound, type Struct } from '../bind';
import { goDecode, goMarshal } from '../json';
import { JSON_PLAIN, type Dialect, type Exchange } from '../wire';

export const SSE = 'text/event-stream';
export const SSE_DONE = 'data: [DONE]\n\n';
export const FINGERPRINT = 'fp_ollama';

/** openai.NewError: the type follows the status; `param` and `code` are always null. */
export function openAIError(status: number, message: string) {
	const type =
		status === 400 ? 'invalid_request_error' : status === 404 ? 'not_found_error' : 'api_error';
	return { error: { message, type, param: null, code: null } };
}

/** gin's ShouldBindJSON with an OpenAI request type: an empty body is io.EOF (`EOF`). */
export function bindOpenAI<T>(body: Buffer, struct: Struct): Bound<T> {
	if ('eof' in goDecode(body)) return { ok: false, error: 'EOF' };
	return bind<T>(body, struct);
}

/**
 * An error of the middleware itself (c.AbortWithStatusJSON), before any writer is installed:
 * plain c.JSON, `application/json; charset=utf-8`, no newline.
 */
export function abort(ex: Exchange, status: number, message: string): Promise<void> {
	ex.dialect = undefined;
	return ex.json(status, openAIError(status, message));
}

/** Go's %T of a decoded JSON value, as Ollama's conversion errors name it. */
export function goType(v: unknown): string {
	if (v === null || v === undefined) return '<nil>';
	if (typeof v === 'string') return 'string';
	if (typeof v === 'number') return 'float64';
	if (typeof v === 'boolean') return 'bool';
	if (Array.isArray(v)) return '[]interface {}';
	return 'map[string]interface {}';
}

/** json.NewEncoder(w).Encode: Go JSON and a newline. */
export const encode = (value: unknown) => goMarshal(value) + '\n';

/** One server-sent event as the writers frame it. */
export const sse = (value: unknown) => `data: ${goMarshal(value)}\n\n`;

/** The writers' ids: `chatcmpl-N` / `cmpl-N` with N below 999 (Ollama draws N at random). */
export function completionId(prefix: string, ex: Exchange): string {
	return `${prefix}-${ex.entry.id % 999}`;
}

/** time.Time.Unix() of an RFC 3339 UTC time; `now` when absent (Go's zero time in a stream). */
export function unixSeconds(time: unknown, fallbackNow = true): number {
	if (typeof time === 'string' && time.length >= 19) {
		return Math.floor(Date.parse(time.slice(0, 19) + 'Z') / 1000);
	}
	return fallbackNow ? Math.floor(Date.now() / 1000) : -62135596800;
}

/** api.StatusError.Error() of a native error body, as BaseWriter.writeError reads it. */
function statusErrorText(body: unknown): string {
	const error = (body as { error?: unknown } | null)?.error;
	if (typeof error === 'string' && error !== '') return error;
	// Not an api.StatusError: Ollama uses the raw bytes as the message.
	if (error !== undefined && error !== null && typeof error !== 'string') return goMarshal(body);
	return 'something went wrong, please see the ollama server logs for details';
}

/**
 * BaseWriter: a reply with a status other than 200 becomes the /v1 error object
 * (`application/json`, encoder newline); everything else goes to the route's writeResponse.
 */
export class OpenAIWriter implements Dialect {
	constructor(readonly stream = false) {}

	get streamType(): string {
		return this.stream ? SSE : JSON_PLAIN;
	}

	reply(status: number, body: unknown): { body: string; contentType: string } {
		if (status !== 200) {
			return { body: encode(openAIError(status, statusErrorText(body))), contentType: JSON_PLAIN };
		}
		return { body: this.writeResponse(body), contentType: this.streamType };
	}

	/** Native stream objects arrive with status 200, error objects too. */
	line(obj: unknown): string {
		return this.writeResponse(obj);
	}

	garbage(text: string): string {
		return this.stream ? `data: ${text}\n\n` : text + '\n';
	}

	/** The route's translation of one native response (errors only in this base). */
	protected writeResponse(body: unknown): string {
		return encode(body);
	}
}
