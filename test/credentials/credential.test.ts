import { OllamaServerApi } from '../../credentials/OllamaServerApi.credentials';
import { applyServerAuthentication } from '../../nodes/n8n/credential';

const base = { baseUrl: 'http://localhost:11434', ignoreSslIssues: false };

describe('OllamaServerApi credential', () => {
	const credential = new OllamaServerApi();

	it('is not named ollamaApi, which n8n itself ships', () => {
		expect(credential.name).toBe('ollamaServerApi');
	});

	it('tests the connection with GET /api/version (OpenAI-compatible: /v1/models) and explains 401, 403 and 404', () => {
		expect(credential.test.request).toMatchObject({
			url: '={{ $credentials.api === "openai" ? "/v1/models" : "/api/version" }}',
			method: 'GET',
		});
		const codes = (credential.test.rules ?? []).map(
			(rule) => (rule.properties as { value: number }).value,
		);
		expect(codes).toEqual([401, 403, 404]);
	});

	it('marks every secret as a password field', () => {
		const secrets = credential.properties.filter((p) =>
			['apiKey', 'password', 'headerSecret'].includes(p.name),
		);
		expect(secrets).toHaveLength(3);
		for (const field of secrets) expect(field.typeOptions?.password).toBe(true);
	});

	it('offers the four authentication modes', () => {
		const auth = credential.properties.find((p) => p.name === 'authentication');
		expect(auth?.options?.map((o) => (o as { value: string }).value).sort()).toEqual([
			'basicAuth',
			'bearer',
			'header',
			'none',
		]);
	});
});

describe('applyServerAuthentication', () => {
	it('sends no authentication with None', () => {
		const options = applyServerAuthentication(
			{ ...base, authentication: 'none' },
			{ url: '/api/tags' },
		);
		expect(options.headers).toEqual({});
		expect(options.auth).toBeUndefined();
		expect(options.baseURL).toBe('http://localhost:11434');
	});

	it('sends a Bearer header with Bearer API Key', () => {
		const options = applyServerAuthentication(
			{ ...base, authentication: 'bearer', apiKey: 'sk-123' },
			{ url: '/api/tags' },
		);
		expect(options.headers).toEqual({ Authorization: 'Bearer sk-123' });
	});

	it('sets basic auth with Basic Auth', () => {
		const options = applyServerAuthentication(
			{ ...base, authentication: 'basicAuth', user: 'u', password: 'p' },
			{ url: '/api/tags' },
		);
		expect(options.auth).toEqual({ username: 'u', password: 'p' });
	});

	it('sets the named header with Custom Header', () => {
		const options = applyServerAuthentication(
			{ ...base, authentication: 'header', headerName: 'X-API-Key', headerSecret: 's3' },
			{ url: '/api/tags', headers: { Accept: 'application/json' } },
		);
		expect(options.headers).toEqual({ Accept: 'application/json', 'X-API-Key': 's3' });
	});

	it('refuses a header name that is not a valid HTTP token', () => {
		expect(() =>
			applyServerAuthentication(
				{ ...base, authentication: 'header', headerName: 'X Bad', headerSecret: 's' },
				{ url: '/api/tags' },
			),
		).toThrow(/not a valid HTTP header name/);
	});

	it('normalises the base URL of the credential test request and skips TLS checks when asked', () => {
		const options = applyServerAuthentication(
			{ ...base, ignoreSslIssues: true },
			{ baseURL: 'localhost/api/', url: '/api/version' },
		);
		expect(options.baseURL).toBe('http://localhost:11434');
		expect(options.skipSslCertificateValidation).toBe(true);
	});
});
