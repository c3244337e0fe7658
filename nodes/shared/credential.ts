import type { ICredentialDataDecryptedObject, IHttpRequestOptions } from 'n8n-workflow';

import { normalizeBaseUrl } from './url';

export const CREDENTIAL_TYPE = 'ollamaServerApi';

export type AuthenticationMode = 'none' | 'bearer' | 'basicAuth' | 'header';

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

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
	if (options.baseURL !== undefined) {
		options.baseURL = normalizeBaseUrl(String(options.baseURL));
	} else if (!/^https?:\/\//i.test(options.url)) {
		options.baseURL = normalizeBaseUrl(String(credentials.baseUrl ?? ''));
	}
	if (credentials.ignoreSslIssues === true) options.skipSslCertificateValidation = true;

	const mode = (credentials.authentication ?? 'none') as AuthenticationMode;
	const headers = options.headers as Record<string, string>;
	if (mode === 'bearer') {
		headers.Authorization = `Bearer ${String(credentials.apiKey ?? '')}`;
	} else if (mode === 'basicAuth') {
		options.auth = {
			username: String(credentials.user ?? ''),
			password: String(credentials.password ?? ''),
		};
	} else if (mode === 'header') {
		const name = String(credentials.headerName ?? '').trim();
		if (!HEADER_NAME.test(name)) {
			throw new Error(
				`The credential's Header Name "${name}" is not a valid HTTP header name (letters, digits and - only).`,
			);
		}
		headers[name] = String(credentials.headerSecret ?? '');
	}
	return options;
}
