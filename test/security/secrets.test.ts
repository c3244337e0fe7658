import { captureOutput } from './debugLogs';

import { createServer } from 'http';
import type { Server } from 'http';
import { inspect } from 'util';

import { OllamaServerApi } from '../../credentials/OllamaServerApi.credentials';
import { OllamaChat } from '../../nodes/OllamaChat/OllamaChat.node';
import { OllamaModels } from '../../nodes/OllamaModels/OllamaModels.node';
import type { Emulator } from '../emulator';
import { startEmulator } from '../emulator';
import { closedPort } from '../faults/ports';
import type { RunResult } from '../harness/run';
import { runNode } from '../harness/run';

const SECRETS = {
	apiKey: 'sk-SECRET-bearer-7f3a',
	password: 'SECRET-basic-pass-91c2',
	headerSecret: 'SECRET-header-value-55d0',
	// An `@` in a URL password is where naive redaction leaves a tail behind.
	urlPassword: 'SECRET-url-p@ss-3e1',
};

/** Every form a secret could be written in: as is, percent-encoded (URLs), in Basic auth. */
const FORMS = [
	...Object.values(SECRETS),
	encodeURIComponent(SECRETS.urlPassword),
	SECRETS.urlPassword.split('@')[1],
	Buffer.from(`n8n:${SECRETS.password}`).toString('base64'),
	Buffer.from(`n8n:${SECRETS.urlPassword}`).toString('base64'),
	Buffer.from(`n8n:${encodeURIComponent(SECRETS.urlPassword)}`).toString('base64'),
];

type CredentialType = { name: string; data: Record<string, string>; userInfo?: boolean };

const CREDENTIAL_TYPES: CredentialType[] = [
	{ name: 'Bearer', data: { authentication: 'bearer', apiKey: SECRETS.apiKey } },
	{ name: 'Basic', data: { authentication: 'basicAuth', user: 'n8n', password: SECRETS.password } },
	{
		name: 'custom header',
		data: { authentication: 'header', headerName: 'X-API-Key', headerSecret: SECRETS.headerSecret },
	},
	{ name: 'user:password in the URL', data: { authentication: 'none' }, userInfo: true },
];

let emulator: Emulator;
/** Another origin a redirect points to: it must never see a request. */
let elsewhere: Server;
let elsewhereUrl: string;
const elsewhereRequests: Array<Record<string, unknown>> = [];

beforeAll(async () => {
	emulator = await startEmulator();
	elsewhere = createServer((request, response) => {
		elsewhereRequests.push(request.headers);
		response.writeHead(200, { 'content-type': 'application/json' });
		response.end('{"version":"0.0.0-elsewhere"}');
	});
	await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
	elsewhereUrl = `http://127.0.0.1:${(elsewhere.address() as { port: number }).port}`;
	// n8n-core sets up its logger during the first run; capturing starts after that.
	await runNode({
		node: { type: OllamaModels, parameters: { resource: 'server', operation: 'version' } },
		credentials: { baseUrl: emulator.url },
	});
});
afterAll(async () => {
	await emulator.close();
	await new Promise((resolve) => elsewhere.close(resolve));
});
beforeEach(() => {
	emulator.reset();
	elsewhereRequests.length = 0;
});

/** Puts `user:password@` into an http(s) address, or in front of one without a scheme. */
function withUserInfo(url: string): string {
	const info = `n8n:${SECRETS.urlPassword}@`;
	const scheme = /^[a-z]+:\/\//i.exec(url)?.[0] ?? '';
	return scheme + info + url.slice(scheme.length);
}

interface Failure {
	name: string;
	/** The Base URL to use; the emulator's by default. */
	baseUrl?: () => Promise<string> | string;
	arrange?: () => void;
	/** What the user must read instead (never the secret). */
	message: RegExp;
}

const FAILURES: Failure[] = [
	{
		name: 'invalid URL (space in the host)',
		baseUrl: () => withUserInfo('http://exa mple.com:11434'),
		message: /The Base URL "http:\/\/exa mple\.com:11434" is not a valid address/,
	},
	{
		name: 'invalid URL (no scheme, space in the host)',
		baseUrl: () => withUserInfo('exa mple.com:11434'),
		message: /The Base URL "exa mple\.com:11434" is not a valid address/,
	},
	{
		name: 'invalid URL (ftp)',
		baseUrl: () => withUserInfo('ftp://example.com'),
		message: /The Base URL "ftp:\/\/example\.com" must start with http/,
	},
	{
		name: 'invalid URL (broken IPv6)',
		baseUrl: () => withUserInfo('http://[::1:11434'),
		message: /The Base URL "http:\/\/\[::1:11434" is not a valid address/,
	},
	{
		name: 'connection refused',
		baseUrl: async () => `http://127.0.0.1:${await closedPort()}`,
		message: /^Could not connect to Ollama: connection refused$/,
	},
	{
		name: 'DNS',
		baseUrl: () => 'http://ollama-nowhere.invalid:11434',
		message: /^Could not connect to Ollama: host not found$/,
	},
	{
		name: 'TLS to a plain-HTTP server',
		baseUrl: () => emulator.url.replace('http://', 'https://'),
		message: /did not answer over TLS/,
	},
	{
		name: '401',
		arrange: () => emulator.addFault({ type: 'unauthorized', path: '/api/chat' }),
		message: /unauthorized/,
	},
	{
		name: '403',
		arrange: () => emulator.addFault({ type: 'status', status: 403, body: '', path: '/api/chat' }),
		message: /HTTP 403/,
	},
	{
		name: 'redirect to another origin',
		arrange: () =>
			emulator.addFault({
				type: 'status',
				status: 307,
				body: '',
				headers: { Location: `${elsewhereUrl}/api/chat` },
				path: '/api/chat',
			}),
		message:
			/redirect \(HTTP 307\) to http:\/\/127\.0\.0\.1:\d+\/api\/chat\. Redirects are not followed, so the credential was not sent there\./,
	},
	{
		name: 'timeout',
		arrange: () => emulator.addFault({ type: 'stall', ms: 4000, path: '/api/chat' }),
		message: /did not answer \/api\/chat within the timeout of 1000 ms/,
	},
	{
		name: 'stream cut',
		arrange: () => emulator.addFault({ type: 'reset', afterChunks: 1, path: '/api/chat' }),
		message: /cut while \/api\/chat was streaming/,
	},
	{
		name: 'error line mid-stream',
		arrange: () => emulator.addFault({ type: 'errorLine', afterChunks: 1, path: '/api/chat' }),
		message: /.+/,
	},
];

const chat = {
	model: { __rl: true, mode: 'id', value: 'llama3.2' },
	messagesSource: 'define',
	messages: { message: [{ role: 'user', content: 'hi' }] },
	// Long enough for a loaded machine to answer every other cell well within it.
	reliability: { maxAttempts: 1, timeout: 1000 },
};

/** Everything a run leaves behind, as text: items, errors (with causes and stacks), run data. */
function everything(value: unknown): string {
	return inspect(value, { depth: 14, getters: false, maxStringLength: Infinity });
}

function expectNoSecret(channel: string, text: string): void {
	for (const form of FORMS) {
		if (text.includes(form)) throw new Error(`a secret (${form}) reached ${channel}`);
	}
}

async function run(
	credential: CredentialType,
	failure: Failure,
	continueOnFail: boolean,
): Promise<{ result: RunResult; logs: string }> {
	emulator.reset();
	failure.arrange?.();
	let baseUrl = failure.baseUrl ? await failure.baseUrl() : emulator.url;
	// The invalid-URL failures carry user:password already, whatever the credential type.
	if (credential.userInfo && !baseUrl.includes('@')) baseUrl = withUserInfo(baseUrl);
	const { value, output } = await captureOutput(() =>
		runNode({
			node: { type: OllamaChat, parameters: chat, continueOnFail },
			credentials: { baseUrl, ...credential.data },
		}),
	);
	return { result: value, logs: output };
}

describe('secrets never leave the credential', () => {
	describe.each(CREDENTIAL_TYPES)('$name', (credential) => {
		it.each(FAILURES)(
			'$name: not in the message, description, output, run data or logs',
			async (failure) => {
				for (const continueOnFail of [true, false]) {
					const { result, logs } = await run(credential, failure, continueOnFail);
					const error = continueOnFail
						? (result.items[0]?.json as { error?: string; description?: string })
						: { error: result.error?.message, description: result.error?.description ?? undefined };
					expect(error.error).toMatch(failure.message);
					expectNoSecret('the error message', String(error.error));
					expectNoSecret('the error description', String(error.description));
					expectNoSecret('the item output', everything(result.items));
					expectNoSecret('the execution data', everything(result.run));
					expectNoSecret("n8n's logs", logs);
					expect(logs).toContain('Start executing node');
				}
				expect(elsewhereRequests).toEqual([]);
			},
		);
	});

	it('keeps every secret field a password field, and none in the node descriptions', () => {
		const credential = new OllamaServerApi();
		const secretFields = credential.properties.filter((property) =>
			['apiKey', 'password', 'headerSecret'].includes(property.name),
		);
		expect(secretFields.map((field) => field.name).sort()).toEqual([
			'apiKey',
			'headerSecret',
			'password',
		]);
		for (const field of secretFields) expect(field.typeOptions?.password).toBe(true);
		expectNoSecret(
			'the descriptions',
			everything([
				credential.properties,
				new OllamaChat().description,
				new OllamaModels().description,
			]),
		);
	});
});
