import type {
	ICredentialsDecrypted,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
} from 'n8n-workflow';

import type { HttpAnswer, OllamaRequest, SendHttp } from '../core/transport';
import { CREDENTIAL_TYPE } from './credential';

/** What the HTTP call needs of an n8n context: the authenticated request helper, and cancellation. */
export interface HttpContext {
	helpers: Pick<IExecuteFunctions['helpers'], 'httpRequestWithAuthentication'>;
	getExecutionCancelSignal?: () => AbortSignal | undefined;
}

type AuthenticatedRequest = (
	this: HttpContext,
	credentialsType: string,
	requestOptions: IHttpRequestOptions,
	additional?: { credentialsDecrypted: ICredentialsDecrypted },
) => Promise<unknown>;

/**
 * The client's HTTP call over n8n's `httpRequestWithAuthentication`, the only way a community
 * node may send a request. n8n is asked not to throw on HTTP statuses (its wrapping hides
 * Ollama's `{"error"}` text) and not to follow redirects.
 */
export function n8nHttp(context: HttpContext, credentials?: ICredentialsDecrypted): SendHttp {
	const authenticated = context.helpers.httpRequestWithAuthentication as AuthenticatedRequest;
	return async (baseUrl: string, request: OllamaRequest): Promise<HttpAnswer> => {
		const options: IHttpRequestOptions = {
			method: request.method,
			baseURL: baseUrl,
			url: request.path,
			headers: { Accept: accept(request) },
			ignoreHttpStatusErrors: true,
			returnFullResponse: true,
			// n8n's default would be a hidden 300 s cap: 0 really means no limit.
			timeout: request.timeoutMs,
			// Ollama never redirects. Following would send the credential (Authorization, Basic,
			// or a custom header that n8n does not strip) to wherever the answer points.
			disableFollowRedirect: true,
		};
		if (request.body !== undefined) options.body = request.body as IDataObject;
		if (request.content) {
			options.body = request.content.bytes as Buffer;
			options.headers = { ...options.headers, 'Content-Type': 'application/octet-stream' };
			if (request.content.length !== undefined)
				options.headers['Content-Length'] = String(request.content.length);
		}
		if (request.stream) options.encoding = 'stream';
		// Handing n8n the credential read once per execution saves its decryption per request;
		// n8n still applies it (authenticate) and still attaches the execution's stop signal.
		return (await authenticated.call(
			request.signal ? withSignal(context, request.signal) : context,
			CREDENTIAL_TYPE,
			options,
			credentials ? { credentialsDecrypted: credentials } : undefined,
		)) as HttpAnswer;
	};
}

/**
 * The context as n8n's request helper sees it, with a stop signal that also fires on `signal`.
 * The helper takes the signal it attaches to the request from the context it is called on.
 */
function withSignal(context: HttpContext, signal: AbortSignal): HttpContext {
	const execution = context.getExecutionCancelSignal?.();
	const combined = execution ? AbortSignal.any([execution, signal]) : signal;
	return Object.create(context, { getExecutionCancelSignal: { value: () => combined } });
}

/** Native streams are NDJSON; the OpenAI-compatible /v1 streams server-sent events. */
function accept(request: OllamaRequest): string {
	if (!request.stream) return 'application/json';
	return request.path.startsWith('/v1/') ? 'text/event-stream' : 'application/x-ndjson';
}
