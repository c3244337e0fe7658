import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { applyServerAuthentication } from '../nodes/n8n/credential';

export class OllamaServerApi implements ICredentialType {
	name = 'ollamaServerApi';

	displayName = 'Ollama Server API';

	icon: Icon = {
		light: 'file:../nodes/icons/ollama.svg',
		dark: 'file:../nodes/icons/ollama.dark.svg',
	};

	documentationUrl = 'https://github.com/ollama/ollama/blob/main/docs/api.md';

	properties: INodeProperties[] = [
		{
			displayName: 'API',
			name: 'api',
			type: 'options',
			default: 'ollama',
			options: [
				{
					name: 'Ollama',
					value: 'ollama',
					description: "Ollama's own API (/api): every node and operation",
				},
				{
					name: 'OpenAI-Compatible',
					value: 'openai',
					description:
						'The /v1 API of Ollama, LM Studio, vLLM, llama.cpp, LocalAI or a gateway: chat, generate, embed, list and get models',
				},
			],
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'http://localhost:11434',
			required: true,
			placeholder: 'e.g. http://localhost:11434',
			hint: 'If n8n runs in Docker, localhost is the container itself: use http://host.docker.internal:11434',
			description:
				'Address of the server. A trailing slash, /api (Ollama API) or /v1 (OpenAI-compatible API) is ignored; without a scheme, http:// and port 11434 are assumed.',
		},
		{
			displayName: 'More Hosts',
			name: 'hosts',
			type: 'string',
			default: '',
			typeOptions: { rows: 3 },
			placeholder: 'e.g. http://gpu-2:11434\nhttp://gpu-3:11434',
			description:
				'Further servers, one per line, with the same authentication: the nodes use all of them as one pool (each request to the least busy host, a host that fails skipped for a while). Empty: only the Base URL.',
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'options',
			default: 'none',
			options: [
				{
					name: 'Basic Auth',
					value: 'basicAuth',
					description: 'User and password, e.g. for a reverse proxy in front of Ollama',
				},
				{
					name: 'Bearer API Key',
					value: 'bearer',
					description: 'Authorization: Bearer header, e.g. for ollama.com or Open WebUI',
				},
				{
					name: 'Custom Header',
					value: 'header',
					description: 'One header of your choice, e.g. X-API-Key',
				},
				{
					name: 'None',
					value: 'none',
					description: 'A local Ollama needs no authentication',
				},
			],
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: { show: { authentication: ['bearer'] } },
		},
		{
			displayName: 'User',
			name: 'user',
			type: 'string',
			default: '',
			required: true,
			displayOptions: { show: { authentication: ['basicAuth'] } },
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: { show: { authentication: ['basicAuth'] } },
		},
		{
			displayName: 'Header Name',
			name: 'headerName',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. X-API-Key',
			displayOptions: { show: { authentication: ['header'] } },
		},
		{
			displayName: 'Header Value',
			name: 'headerSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: { show: { authentication: ['header'] } },
		},
		{
			displayName: 'Ignore SSL Issues (Insecure)',
			name: 'ignoreSslIssues',
			type: 'boolean',
			default: false,
			description:
				'Whether to connect even if the SSL certificate cannot be verified, e.g. a self-signed certificate',
		},
	];

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		return applyServerAuthentication(credentials, requestOptions);
	}

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{ $credentials.baseUrl }}',
			// The Base URL loses a trailing /api or /v1 when the credential applies it (authenticate).
			url: '={{ $credentials.api === "openai" ? "/v1/models" : "/api/version" }}',
			method: 'GET',
			skipSslCertificateValidation: '={{ $credentials.ignoreSslIssues }}',
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'The server refused the credentials (401). Check the Authentication type and its API key, user/password or header.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'Access forbidden (403). Check the credentials; a local Ollama also answers 403 to an unexpected Host header (set OLLAMA_HOST=0.0.0.0 or OLLAMA_ORIGINS).',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message:
						'The server has no such endpoint (404). With the Ollama API the Base URL is the server itself, e.g. http://localhost:11434 (without /v1); with the OpenAI-compatible API it is the address before /v1/models.',
				},
			},
		],
	};
}
