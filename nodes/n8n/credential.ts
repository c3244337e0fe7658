import type { ICredentialDataDecryptedObject, IHttpRequestOptions } from 'n8n-workflow';

import { OllamaFailure } from '../core/failures';
import { normalizeBaseUrl } from '../core/url';

export const CREDENTIAL_TYPE = 'ollamaServerApi';

export type AuthenticationMode = 'none' | 'bearer' | 'basicAuth' | 'header';

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Headers the HTTP client owns: a credential that set them would break or smuggle requests. */
const RESERVED_HEADERS = new Set([
	'host',
	'content-length',
	'content-type',
	'transfer-encoding',
	'connection',
	'keep-alive',
	'upgrade',
	'te',
	'trailer',
	'proxy-connection',
	'proxy-authorization',
	'expect',
]);

/** CR and LF end a header line; NUL ends it in some servers. Node would drop them silently. */
const LINE_BREAKING = /[\r\n\0]/;

function configurationError(message: string): OllamaFailure {
	return new OllamaFailure(message, { kind: 'configuration' });
}

/** A secret as it will be sent, or a failure that names the field (never the value). */
function headerValue(value: unknown, field: string): string {
	const text = String(value ?? '');
	if (LINE_BREAKING.test(text)) {
		throw configurationError(
			`The credential's ${field} contains a line break or NUL character, which cannot be sent in an HTTP header. Paste it again without them.`,
		);
	}
	return text;
}

/**
 * What the credential adds to every request: the address, TLS leniency and one of the
 * authentication modes. Kept apart from the credential class so it can be unit-tested.
 */
export function applyServerAuthentication(
	credentials: ICredentialDataDecryptedObject,
	requestOptions: IHttpRequestOptions,
): IHttpRequestOptions {
	const options: IHttpRequestOptions = {
		...requestOptions,
		headers: { ...requestOptions.headers },
	};
	const api = credentials.api === 'openai' ? 'openai' : 'ollama';
	try {
		if (options.baseURL !== undefined) {
			options.baseURL = normalizeBaseUrl(String(options.baseURL), api);
		} else if (!/^https?:\/\//i.test(options.url)) {
			options.baseURL = normalizeBaseUrl(String(credentials.baseUrl ?? ''), api);
		}
	} catch (error) {
		throw configurationError((error as Error).message);
	}
	if (credentials.ignoreSslIssues === true) options.skipSslCertificateValidation = true;

	const mode = (credentials.authentication ?? 'none') as AuthenticationMode;
	const headers = options.headers as Record<string, string>;
	if (mode === 'bearer') {
		headers.Authorization = `Bearer ${headerValue(credentials.apiKey, 'API Key')}`;
	} else if (mode === 'basicAuth') {
		options.auth = {
			username: String(credentials.user ?? ''),
			password: String(credentials.password ?? ''),
		};
	} else if (mode === 'header') {
		const name = String(credentials.headerName ?? '').trim();
		if (!HEADER_NAME.test(name)) {
			throw configurationError(
				`The credential's Header Name "${name}" is not a valid HTTP header name (letters, digits and - only).`,
			);
		}
		if (RESERVED_HEADERS.has(name.toLowerCase())) {
			throw configurationError(
				`The credential's Header Name "${name}" is a header the HTTP client sets itself. Use the header your server or proxy checks, e.g. X-API-Key or Authorization.`,
			);
		}
		headers[name] = headerValue(credentials.headerSecret, 'Header Value');
	}
	return options;
}
