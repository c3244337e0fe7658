import type { Sha256 } from './blobs';
import { OllamaFailure } from './failures';
import { parseRetryAfter } from './retry';
import { displayUrl } from './url';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'DELETE';

export interface OllamaRequest {
	method: HttpMethod;
	/** Endpoint path such as `/api/chat`. */
	path: string;
	body?: object;
	/** Raw bytes to send instead of a JSON body (a blob upload): the host's buffer or stream. */
	content?: { bytes: object; length?: number };
	/** Read the answer as a byte stream (NDJSON endpoints). */
	stream?: boolean;
	/** Socket-idle timeout in ms (before the answer and between chunks); 0 = none. */
	timeoutMs: number;
	/** Aborts this request alone (the stream's idle watch); the execution's stop still applies. */
	signal?: AbortSignal;
}

/** What came back, whatever the status. */
export interface HttpAnswer {
	statusCode: number;
	headers: Record<string, unknown>;
	/** Parsed JSON, raw text, or (stream requests) a byte stream. */
	body: unknown;
}

/**
 * Sends one request to `baseUrl` + `request.path` with the credential applied, and resolves
 * with the answer whatever its HTTP status. It must not follow redirects (Ollama never
 * redirects, and a redirect would carry the credential elsewhere) and must honour
 * `timeoutMs` (0 = none) and `signal`. It rejects only when no answer came.
 */
export type SendHttp = (baseUrl: string, request: OllamaRequest) => Promise<HttpAnswer>;

/** What the client is handed by its host (n8n): the HTTP call, a timer, the stop signal. */
export interface ClientHost {
	http: SendHttp;
	/** Resolves after `ms`; rejects at once when `signal` aborts. */
	sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
	/** The execution's stop signal. */
	cancelSignal?: () => AbortSignal | undefined;
	/** An incremental SHA-256 (model files are hashed before they are uploaded). */
	sha256?: () => Sha256;
}

export interface OllamaResponse {
	status: number;
	headers: Record<string, unknown>;
	/** Parsed JSON, raw text, or (stream requests) an async-iterable byte stream. */
	body: unknown;
}

/** Sends a request and turns what goes wrong (no answer, 3xx, 4xx, 5xx) into an OllamaFailure. */
export async function sendRequest(
	host: ClientHost,
	baseUrl: string,
	request: OllamaRequest,
): Promise<OllamaResponse> {
	let response: HttpAnswer;
	try {
		response = await host.http(baseUrl, request);
	} catch (error) {
		throw requestFailure(error, host, request);
	}
	if (response.statusCode >= 300 && response.statusCode < 400) {
		discard(response.body);
		throw redirectFailure(response.statusCode, response.headers, baseUrl, request.path);
	}
	if (response.statusCode >= 400) {
		const body = request.stream ? await readAll(response.body) : response.body;
		throw httpFailure(response.statusCode, response.headers, body, request.path);
	}
	return { status: response.statusCode, headers: response.headers, body: response.body };
}

/** A 3xx answer, not followed: where it pointed (without any user:password), and that nothing went there. */
export function redirectFailure(
	status: number,
	headers: Record<string, unknown>,
	baseUrl: string,
	path: string,
): OllamaFailure {
	const location = headers.location;
	const target =
		typeof location === 'string' && location !== ''
			? `to ${displayUrl(new URL(location, `${baseUrl}${path}`).href)}`
			: 'with no Location';
	return new OllamaFailure(
		`The server at ${displayUrl(baseUrl)} answered ${path} with a redirect (HTTP ${status}) ${target}. Redirects are not followed, so the credential was not sent there.`,
		{ kind: 'redirect', status, path },
	);
}

function discard(body: unknown): void {
	const stream = body as { destroy?: () => void } | null;
	if (stream && typeof stream === 'object' && typeof stream.destroy === 'function')
		stream.destroy();
}

/** An HTTP error answer: Ollama's `{"error"}` text, or the raw text/HTML of a proxy or gin. */
export function httpFailure(
	status: number,
	headers: Record<string, unknown>,
	body: unknown,
	path: string,
): OllamaFailure {
	const text = errorText(body);
	const message = text !== '' ? text : `Ollama answered HTTP ${status} with no error text`;
	return new OllamaFailure(message, {
		kind: 'http',
		status,
		ollamaMessage: text,
		retryAfterMs: parseRetryAfter(headers['retry-after']),
		path,
		signinUrl: signinUrlOf(body),
	});
}

/** Where a local server not signed in to ollama.com asks to be connected (a cloud model's 401). */
function signinUrlOf(body: unknown): string | undefined {
	let value = body;
	if (Buffer.isBuffer(value)) value = value.toString('utf8');
	if (typeof value === 'string' && value.trimStart().startsWith('{')) {
		try {
			value = JSON.parse(value) as unknown;
		} catch {
			return undefined;
		}
	}
	const url = (value as { signin_url?: unknown } | null)?.signin_url;
	return typeof url === 'string' && /^https?:\/\//.test(url) ? url : undefined;
}

function errorText(body: unknown): string {
	if (body === undefined || body === null) return '';
	if (Buffer.isBuffer(body)) return errorText(body.toString('utf8'));
	if (typeof body === 'object') {
		const error = (body as { error?: unknown }).error;
		if (typeof error === 'string') return error;
		if (
			error &&
			typeof error === 'object' &&
			typeof (error as { message?: unknown }).message === 'string'
		) {
			return (error as { message: string }).message;
		}
		return JSON.stringify(body).slice(0, 500);
	}
	const text = String(body).trim();
	if (text.startsWith('{')) {
		try {
			return errorText(JSON.parse(text));
		} catch {
			// not JSON after all: fall through to the text
		}
	}
	if (/^<!doctype html|^<html/i.test(text)) {
		const title = /<title>([^<]*)<\/title>/i.exec(text)?.[1].trim();
		return title
			? `${title} (an HTML error page, not from Ollama)`
			: 'An HTML error page, not from Ollama';
	}
	return text.slice(0, 1000);
}

async function readAll(body: unknown): Promise<Buffer> {
	if (Buffer.isBuffer(body)) return body;
	if (typeof body === 'string') return Buffer.from(body);
	const pieces: Buffer[] = [];
	for await (const chunk of body as AsyncIterable<Buffer | string>) {
		pieces.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
	}
	return Buffer.concat(pieces);
}

const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT']);

/** Turns what n8n/axios threw (no answer at all) into an OllamaFailure. */
export function requestFailure(
	error: unknown,
	host: Pick<ClientHost, 'cancelSignal'>,
	request: OllamaRequest,
): OllamaFailure {
	const own = ownFailure(error);
	if (own) return own;
	if (host.cancelSignal?.()?.aborted) {
		return new OllamaFailure('The execution was cancelled.', {
			kind: 'cancelled',
			path: request.path,
			cause: error,
		});
	}
	const code = errorCode(error);
	if ((code && TIMEOUT_CODES.has(code)) || request.signal?.aborted) {
		return new OllamaFailure(
			`Ollama did not answer ${request.path} within the timeout of ${request.timeoutMs} ms.`,
			{ kind: 'timeoutBeforeResponse', code, path: request.path, cause: error },
		);
	}
	if (code === 'ERR_BAD_RESPONSE' && /aborted/.test(rootMessage(error))) {
		// The answer had begun (headers) when the connection dropped; nothing reached the node yet.
		return new OllamaFailure(
			`The connection to Ollama was cut while ${request.path} was answering.`,
			{
				kind: 'network',
				code: 'ECONNRESET',
				path: request.path,
				cause: error,
			},
		);
	}
	if (code === 'ERR_CANCELED') {
		return new OllamaFailure('The request was cancelled.', {
			kind: 'cancelled',
			path: request.path,
			cause: error,
		});
	}
	const detail = rootMessage(error);
	if (isTlsMismatch(code, detail)) {
		return new OllamaFailure(
			'Could not connect to Ollama: the server did not answer over TLS (https)',
			{ kind: 'network', code: 'EPROTO', path: request.path, cause: error },
		);
	}
	if (isLocal(error, code)) {
		// Nothing left n8n: the request could not even be built (a body too deep to encode, say).
		return new OllamaFailure(`The request to ${request.path} could not be sent: ${detail}`, {
			kind: 'configuration',
			path: request.path,
			cause: error,
		});
	}
	return new OllamaFailure(`Could not connect to Ollama: ${describeCode(code) ?? detail}`, {
		kind: 'network',
		code,
		path: request.path,
		cause: error,
	});
}

function describeCode(code: string | undefined): string | undefined {
	switch (code) {
		case 'ECONNREFUSED':
			return 'connection refused';
		case 'ECONNRESET':
			return 'the connection was reset';
		case 'ENOTFOUND':
			return 'host not found';
		case 'EAI_AGAIN':
			return 'the host name could not be resolved (DNS)';
		case 'EHOSTUNREACH':
		case 'ENETUNREACH':
			return 'host unreachable';
		default:
			return undefined;
	}
}

/** An OllamaFailure thrown by our own code under n8n (the credential's authenticate), through n8n's wrapping. */
function ownFailure(error: unknown): OllamaFailure | undefined {
	let current: unknown = error;
	for (let depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
		if (current instanceof OllamaFailure) return current;
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

function isTlsMismatch(code: string | undefined, message: string): boolean {
	return (
		code === 'EPROTO' ||
		code === 'ERR_SSL_WRONG_VERSION_NUMBER' ||
		/wrong version number|packet length too long|http request/i.test(message)
	);
}

/**
 * An error raised in this process before anything was sent: no system or client error code
 * anywhere in the chain, or a JavaScript engine error (stack overflow, a value that cannot be
 * encoded).
 */
function isLocal(error: unknown, code: string | undefined): boolean {
	let current: unknown = error;
	for (let depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
		if (current instanceof RangeError || current instanceof TypeError) return true;
		current = (current as { cause?: unknown }).cause;
	}
	return code === undefined;
}

/** The Node/axios error code, looking through n8n's NodeApiError wrapping. */
export function errorCode(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
		const code = (current as { code?: unknown }).code;
		if (typeof code === 'string' && code !== '') return code;
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

function rootMessage(error: unknown): string {
	let current: unknown = error;
	let message = 'unknown error';
	for (let depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
		const text = (current as { message?: unknown }).message;
		if (typeof text === 'string' && text !== '') message = text;
		current = (current as { cause?: unknown }).cause;
	}
	return message;
}
