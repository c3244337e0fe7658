/**
 * What can go wrong between us and an Ollama server, as plain data (no n8n types), so the
 * retry policy and the error mapping can both decide on it and be unit-tested.
 */
export type FailureKind =
	/** The server answered with an HTTP status >= 400 before streaming. */
	| 'http'
	/** The server answered 3xx: redirects are not followed, so the credential never leaves for another address. */
	| 'redirect'
	/** The credential or a parameter cannot make a valid request (Base URL, header name, a body that cannot be encoded). */
	| 'configuration'
	/** HTTP 200 stream that carried an `{"error": ...}` line. */
	| 'streamError'
	/** The stream ended (EOF) before `done:true` / `status:"success"`. */
	| 'truncated'
	/** A line that is not JSON, or a body that is not what the endpoint returns. */
	| 'protocol'
	/** Connection refused, reset, DNS failure, TLS failure: no usable answer. */
	| 'network'
	/** No answer (headers) within the timeout. */
	| 'timeoutBeforeResponse'
	/** The stream stalled longer than the idle timeout after it had started. */
	| 'timeoutIdle'
	/** The execution was cancelled. */
	| 'cancelled';

export interface OllamaFailureDetails {
	kind: FailureKind;
	/** HTTP status, when the server answered. */
	status?: number;
	/** Ollama's own `error` text (or the raw body for text/plain and HTML errors). */
	ollamaMessage?: string;
	/** Node/axios error code such as ECONNREFUSED. */
	code?: string;
	/** True once any stream chunk reached us: such a request is never retried. */
	outputStarted?: boolean;
	/** From a Retry-After header, in milliseconds. */
	retryAfterMs?: number;
	/** Endpoint path, e.g. `/api/chat`. */
	path?: string;
	/** A cloud model's 401 on a server not signed in: where to connect it (Ollama's `signin_url`). */
	signinUrl?: string;
	cause?: unknown;
}

export class OllamaFailure extends Error {
	readonly kind: FailureKind;
	readonly status?: number;
	readonly ollamaMessage?: string;
	readonly code?: string;
	outputStarted: boolean;
	readonly retryAfterMs?: number;
	readonly signinUrl?: string;
	path?: string;
	/** Set by the client: the server (without user:password) and model, for hints. */
	baseUrl?: string;
	model?: string;
	/** Set by the client: which API the server was spoken to in (hints name the server by it). */
	api?: 'ollama' | 'openai';
	/** What the failure happened during, when that is not the request the user asked for. */
	during?: string;

	constructor(message: string, details: OllamaFailureDetails) {
		super(message);
		this.name = 'OllamaFailure';
		this.kind = details.kind;
		this.status = details.status;
		this.ollamaMessage = details.ollamaMessage;
		this.code = details.code;
		this.outputStarted = details.outputStarted ?? false;
		this.retryAfterMs = details.retryAfterMs;
		this.path = details.path;
		this.signinUrl = details.signinUrl;
		if (details.cause !== undefined) (this as { cause?: unknown }).cause = details.cause;
	}
}

/** Ollama's "model not found": `model 'x' not found` (generate, chat, show, delete) or `model "x" not found, try pulling it first` (embed), always 404. */
export function isModelNotFound(failure: unknown): boolean {
	return (
		failure instanceof OllamaFailure &&
		failure.status === 404 &&
		/^model (['"]).+\1 not found/.test(failure.ollamaMessage ?? '')
	);
}
