import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { OllamaFailure } from '../core/failures';
import { isModelNotFound } from '../core/failures';
import { displayUrl } from '../core/url';

export interface FailureContext {
	baseUrl: string;
	/** The credential's API: hints name an OpenAI-compatible server "the server", not Ollama. */
	api?: 'ollama' | 'openai';
	/** Model the request was for, used in hints. */
	model?: string;
	itemIndex?: number;
}

/** How hints name the server, and the remedies that exist only on Ollama. */
interface Server {
	/** "Ollama" or "the server". */
	name: string;
	/** The same at the start of a sentence. */
	Name: string;
	ollama: boolean;
}

const OLLAMA: Server = { name: 'Ollama', Name: 'Ollama', ollama: true };
const OPENAI_SERVER: Server = { name: 'the server', Name: 'The server', ollama: false };

function dockerHint(server: Server): string {
	return server.ollama
		? 'If n8n runs in Docker, "localhost" is the n8n container itself: use http://host.docker.internal:11434 as the Base URL and start Ollama with OLLAMA_HOST=0.0.0.0.'
		: 'If n8n runs in Docker, "localhost" is the n8n container itself: use http://host.docker.internal and the server\'s port as the Base URL.';
}

/** A hint a user can act on, for the failure as Ollama or the network reported it. */
export function hintFor(failure: OllamaFailure, context: FailureContext): string {
	const url = displayUrl(context.baseUrl);
	const text = failure.ollamaMessage ?? '';
	const model = context.model ? `"${context.model}"` : 'the model';
	const server = context.api === 'openai' ? OPENAI_SERVER : OLLAMA;
	const setup = setupHint(failure, url, server);
	if (setup) return setup;
	switch (failure.kind) {
		case 'network':
			return networkHint(failure.code, url, server);
		case 'timeoutBeforeResponse':
			return `${server.Name} at ${url} sent nothing within the timeout. A busy server queues requests without answering; raise the Timeout option (0 means no limit) or lower Concurrency.`;
		case 'timeoutIdle':
			return 'The stream stalled for longer than the Timeout option. Raise it (0 means no limit) if the server is slow but healthy.';
		case 'truncated':
			return `The ${server.ollama ? 'Ollama ' : ''}server may have stopped or restarted, or a proxy cut the connection. Check the server log and try again.`;
		case 'protocol':
			return server.ollama
				? `The answer did not look like Ollama's. Check that the Base URL (${url}) points at an Ollama server and not at a proxy error page.`
				: `The answer did not look like an OpenAI-compatible server's. Check that the Base URL (${url}) points at one and not at a proxy error page.`;
		case 'cancelled':
			return 'The execution was stopped.';
		case 'redirect':
			return `${server.ollama ? 'Ollama itself never redirects' : 'The request was redirected'}: a proxy or another server answers at ${url}. Set the credential's Base URL to the address ${server.name} answers at.`;
		case 'configuration':
			return `Nothing was sent to ${server.name}. Correct the setting the message names (in the credential or in this node) and run again.`;
		default:
			if (isModelNotFound(failure)) {
				return server.ollama
					? pullHint(model)
					: `The server has no model ${model}: check the name (List Models shows the models it serves).`;
			}
			return httpHint(failure.status, text, model, url, failure.path, server);
	}
}

/** The errors (and their causes) behind a failure, outermost first. */
function causes(failure: OllamaFailure): Array<Record<string, unknown>> {
	const chain: Array<Record<string, unknown>> = [];
	let current: unknown = failure;
	for (let depth = 0; current && typeof current === 'object' && depth < 6; depth++) {
		chain.push(current as Record<string, unknown>);
		current = (current as { cause?: unknown }).cause;
	}
	return chain;
}

/** Hints for what goes wrong in particular setups: Docker, IPv6 localhost, n8n's SSRF guard, memory. */
function setupHint(failure: OllamaFailure, url: string, server: Server): string | undefined {
	const chain = causes(failure);
	const ssrf = chain.find((error) => /^SsrfBlocked/.test(String(error.name)));
	if (ssrf) {
		const host = typeof ssrf.hostname === 'string' ? ssrf.hostname : undefined;
		const ip = typeof ssrf.ip === 'string' ? ssrf.ip : undefined;
		const allow = [
			host && `N8N_SSRF_ALLOWED_HOSTNAMES=${host}`,
			ip && `N8N_SSRF_ALLOWED_IP_RANGES=${ip}${ip.includes(':') ? '/128' : '/32'}`,
		].filter(Boolean);
		return `n8n's SSRF protection blocked the request to ${url}${ip ? ` (${ip})` : ''}. An n8n administrator can allow it with ${allow.length ? allow.join(' or ') : 'N8N_SSRF_ALLOWED_HOSTNAMES or N8N_SSRF_ALLOWED_IP_RANGES'} in n8n's environment.`;
	}
	const host = hostOf(url);
	if (
		failure.code === 'ECONNREFUSED' &&
		chain.some((error) => /\b::1\b/.test(String(error.message)) || error.address === '::1')
	) {
		return `${url} was refused at ::1, the IPv6 address "localhost" resolves to first. ${server.ollama ? 'Ollama listens on 127.0.0.1 only by default: use' : 'If the server listens on IPv4 only, use'} http://127.0.0.1${portOf(url)} as the Base URL${server.ollama ? ' (or start Ollama with OLLAMA_HOST=[::])' : ''}.`;
	}
	if (
		(failure.code === 'ENOTFOUND' || failure.code === 'EAI_AGAIN') &&
		host === 'host.docker.internal'
	) {
		return 'host.docker.internal is not known inside this container: on Linux, Docker defines it only when asked. Start n8n\'s container with --add-host=host.docker.internal:host-gateway (Docker Compose: extra_hosts: ["host.docker.internal:host-gateway"]).';
	}
	if (failure.kind === 'http' && /requires more system memory/.test(failure.ollamaMessage ?? '')) {
		const model = failure.model ? `"${failure.model}"` : 'The model';
		return `${model} needs more memory than the server has free. Choose a smaller model (or a smaller quantization), lower the Context Length option, or unload other models (Ollama Model Management → List Running, Unload).`;
	}
	if (failure.status === 401 && failure.signinUrl !== undefined) {
		return `This is a cloud model, and the Ollama server is not signed in to ollama.com: run "ollama signin" on the server (or open ${failure.signinUrl} to connect it), then try again.`;
	}
	return undefined;
}

function hostOf(url: string): string {
	try {
		return new URL(url).hostname;
	} catch {
		return '';
	}
}

function portOf(url: string): string {
	try {
		const port = new URL(url).port;
		return port ? `:${port}` : '';
	} catch {
		return '';
	}
}

function networkHint(code: string | undefined, url: string, server: Server): string {
	switch (code) {
		case 'ECONNREFUSED':
			return `Nothing is listening at ${url}. Is ${server.ollama ? 'Ollama running (ollama serve)' : 'the server running'}? ${dockerHint(server)}`;
		case 'ENOTFOUND':
		case 'EAI_AGAIN':
			return `The host name in ${url} could not be resolved. Check the Base URL. ${dockerHint(server)}`;
		case 'ECONNRESET':
		case 'EPIPE':
			return `The connection to ${url} was closed unexpectedly. The server may have restarted, or a proxy closed it.`;
		case 'EHOSTUNREACH':
		case 'ENETUNREACH':
			return `The host in ${url} cannot be reached from n8n. Check the address and any firewall.`;
		case 'EPROTO':
			return `The server at ${url} speaks plain HTTP, not HTTPS: use http:// in the Base URL (or put a TLS proxy in front of ${server.name}).`;
		default:
			if (code && /CERT|SSL|TLS|SELF_SIGNED/i.test(code)) {
				return `The TLS certificate of ${url} could not be verified. For a self-signed certificate, turn on "Ignore SSL Issues" in the credential.`;
			}
			return `Could not reach ${server.name} at ${url}. Check that it is running and that the Base URL is right. ${dockerHint(server)}`;
	}
}

function pullHint(model: string): string {
	return `Pull the model first: run "ollama pull ${model.replace(/"/g, '')}" on the server, use the Ollama Model Management node (Pull or Ensure Present), or turn on "Pull Model If Missing".`;
}

function httpHint(
	status: number | undefined,
	text: string,
	model: string,
	url: string,
	path: string | undefined,
	server: Server,
): string {
	const capability = /does not support (\w+)/.exec(text);
	if (capability) {
		return `${model} cannot do "${capability[1]}". Choose a model with that capability (the model list shows what each model supports).`;
	}
	if (status === 401 || status === 403) {
		const host =
			status === 403 && text === ''
				? ' A local Ollama also answers 403 with no text when the Host header is not allowed: set OLLAMA_HOST=0.0.0.0 or OLLAMA_ORIGINS on the server.'
				: '';
		return `Check the credential's Authentication (API key, user/password or header).${host}`;
	}
	if (status === 404) {
		return server.ollama
			? `The server at ${url} has no ${path ?? 'such endpoint'}. Check that the Base URL points at Ollama (e.g. http://localhost:11434, without /v1), or update Ollama.`
			: `The server at ${url} has no ${path ?? 'such endpoint'}. Check that the Base URL is the address before /v1/…, and that the server has this endpoint.`;
	}
	if (status === 405)
		return `The server at ${url} does not accept this request method for ${path ?? 'this endpoint'}. Update ${server.name}.`;
	if (status === 413)
		return 'The request is too large for the server or a proxy in front of it. Send less data per request.';
	if (status === 429)
		return 'The server is rate limiting requests. Lower Concurrency or try again later.';
	if (status === 503) {
		return server.ollama
			? 'Ollama is busy: its queue of waiting requests is full (OLLAMA_MAX_QUEUE). Lower Concurrency or try again later.'
			: 'The server is busy. Lower Concurrency or try again later.';
	}
	if (status === 502 || status === 504)
		return `A proxy in front of ${server.name} could not get an answer from it. Check that ${server.name} is running.`;
	if (/must be of type/.test(text))
		return 'An option has a value of the wrong type. Check the Options values.';
	if (/model runner has unexpectedly stopped/.test(text)) {
		return 'The model crashed, often for lack of memory. Try a smaller model or a smaller Context Length, and check the server log.';
	}
	if (/keep_alive|duration/.test(text))
		return 'Keep Alive takes a duration like 5m or 1h30m, a number of seconds, or -1 to keep the model loaded.';
	return `See the message above, which is ${server.ollama ? "Ollama's" : "the server's"} own.`;
}

/** The failure as n8n shows it: Ollama's text as the message, a hint as the description. */
export function toNodeApiError(
	node: INode,
	failure: OllamaFailure,
	context: FailureContext,
): NodeApiError {
	const response: JsonObject = { message: failure.message };
	if (failure.ollamaMessage !== undefined) response.error = failure.ollamaMessage;
	if (failure.status !== undefined) response.status = failure.status;
	// Not `code`: NodeApiError would take a network code such as ECONNREFUSED for the HTTP code.
	if (failure.code !== undefined) response.networkCode = failure.code;
	const error = new NodeApiError(node, response, {
		message: failure.message,
		description: failure.during
			? `${failure.during} ${hintFor(failure, context)}`
			: hintFor(failure, context),
		httpCode: failure.status !== undefined ? String(failure.status) : undefined,
		itemIndex: context.itemIndex,
	});
	// NodeApiError rewrites messages that mention network codes; Ollama's text must survive as is.
	error.message = failure.message;
	if (failure.status === undefined) error.httpCode = null;
	return error;
}

/** At the node edge: a client failure as n8n shows it, for the item it happened to. */
export function nodeErrorFor(
	node: INode,
	failure: OllamaFailure,
	itemIndex?: number,
): NodeApiError {
	return toNodeApiError(node, failure, {
		baseUrl: failure.baseUrl ?? '',
		api: failure.api,
		model: failure.model,
		itemIndex,
	});
}
