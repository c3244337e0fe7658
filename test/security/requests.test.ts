import axios from 'axios';
import type { InternalAxiosRequestConfig } from 'axios';
import type { IDataObject, INodeParameters, INodeType } from 'n8n-workflow';

import { OllamaChat } from '../../nodes/OllamaChat/OllamaChat.node';
import { OllamaEmbed } from '../../nodes/OllamaEmbed/OllamaEmbed.node';
import { OllamaGenerate } from '../../nodes/OllamaGenerate/OllamaGenerate.node';
import { OllamaModels } from '../../nodes/OllamaModels/OllamaModels.node';
import { closedPort } from '../faults/ports';
import { useEmulator } from '../nodes/emulator.fixture';
import { runNode } from '../harness/run';
import { byName } from '../nodes/generation.fixture';

const emulator = useEmulator();

const chatMessages = {
	messagesSource: 'define',
	messages: { message: [{ role: 'user', content: 'hi' }] },
};

/** Each node, doing what it does most, with one attempt. */
const NODES: Array<{
	name: string;
	type: new () => INodeType;
	path: string;
	parameters: INodeParameters;
}> = [
	{
		name: 'Generate',
		type: OllamaGenerate,
		path: '/api/generate',
		parameters: { model: byName('llama3.2'), prompt: 'hi', reliability: { maxAttempts: 1 } },
	},
	{
		name: 'Chat',
		type: OllamaChat,
		path: '/api/chat',
		parameters: { model: byName('llama3.2'), ...chatMessages, reliability: { maxAttempts: 1 } },
	},
	{
		name: 'Embed',
		type: OllamaEmbed,
		path: '/api/embed',
		parameters: { model: byName('all-minilm'), text: 'hi', reliability: { maxAttempts: 1 } },
	},
	{
		name: 'Model Management (List)',
		type: OllamaModels,
		path: '/api/tags',
		parameters: { resource: 'model', operation: 'list', reliability: { maxAttempts: 1 } },
	},
];

async function errorOf(
	type: new () => INodeType,
	parameters: INodeParameters,
	credentials: IDataObject = {},
): Promise<IDataObject> {
	const { items } = await runNode({
		node: { type, parameters, continueOnFail: true },
		credentials: { baseUrl: emulator.url, authentication: 'none', ...credentials },
	});
	expect(items).toHaveLength(1);
	return items[0].json;
}

describe('redirects are reported, never followed', () => {
	it.each(NODES)(
		'$name: a 301 to another origin is a clear error; nothing goes there',
		async (node) => {
			const elsewhere = `http://user:hidden@127.0.0.1:${await closedPort()}`;
			emulator.addFault({
				type: 'status',
				status: 301,
				body: '',
				headers: { Location: `${elsewhere}${node.path}` },
				path: node.path,
			});
			const output = await errorOf(node.type, node.parameters);
			expect(output.error).toBe(
				`The server at ${emulator.url} answered ${node.path} with a redirect (HTTP 301) to ${elsewhere.replace('user:hidden@', '')}${node.path}. Redirects are not followed, so the credential was not sent there.`,
			);
			expect(output.description).toMatch(/Ollama itself never redirects.*Base URL/);
			expect(output.httpCode).toBe('301');
			expect(emulator.requests.filter((r) => r.path === node.path)).toHaveLength(1);
		},
	);

	it('does not follow a redirect on the same server either (the answer would not be Ollama’s)', async () => {
		emulator.addFault({
			type: 'status',
			status: 302,
			body: '',
			headers: { Location: '/api/version' },
			path: '/api/tags',
		});
		const output = await errorOf(OllamaModels, NODES[3].parameters);
		expect(output.error).toMatch(
			/redirect \(HTTP 302\) to http:\/\/127\.0\.0\.1:\d+\/api\/version\./,
		);
		expect(emulator.requests.map((r) => r.path)).toEqual(['/api/tags']);
	});
});

describe('Timeout 0 means no limit, through n8n’s real request helper', () => {
	let seen: Array<{ url?: string; timeout?: number }> = [];
	let interceptor: number;
	beforeAll(() => {
		// n8n-core sets axios' default timeout to 300 s when it loads; record what each request gets.
		interceptor = axios.interceptors.request.use((config: InternalAxiosRequestConfig) => {
			seen.push({ url: config.url, timeout: config.timeout });
			return config;
		});
	});
	afterAll(() => axios.interceptors.request.eject(interceptor));
	beforeEach(() => (seen = []));

	it.each([
		[0, 0],
		[45000, 45000],
	])('Timeout %s: the generation request has a timeout of %s ms', async (timeout, expected) => {
		expect(axios.defaults.timeout).toBe(300000);
		const output = await errorOf(OllamaGenerate, {
			model: byName('llama3.2'),
			prompt: 'hi',
			reliability: { timeout },
		});
		expect(output.error).toBeUndefined();
		expect(seen).toEqual([{ url: '/api/generate', timeout: expected }]);
	});
});

describe('errors that are not the connection’s', () => {
	it('an invalid custom header name is a credential error, not "could not connect"; nothing is sent', async () => {
		const output = await errorOf(OllamaModels, NODES[3].parameters, {
			authentication: 'header',
			headerName: 'X API Key',
			headerSecret: 'k',
		});
		expect(output.error).toBe(
			'The credential\'s Header Name "X API Key" is not a valid HTTP header name (letters, digits and - only).',
		);
		expect(output.description).toMatch(/^Nothing was sent to Ollama/);
		expect(emulator.requests).toHaveLength(0);
	});

	it.each(['Host', 'content-length', 'Transfer-Encoding', 'Connection'])(
		'refuses the header name %s, which the HTTP client owns',
		async (headerName) => {
			const output = await errorOf(OllamaModels, NODES[3].parameters, {
				authentication: 'header',
				headerName,
				headerSecret: 'k',
			});
			expect(output.error).toMatch(`"${headerName}" is a header the HTTP client sets itself`);
			expect(emulator.requests).toHaveLength(0);
		},
	);

	it.each([
		['bearer', { apiKey: 'sk-abc\r\nX-Injected: 1' }, 'API Key'],
		['header', { headerName: 'X-API-Key', headerSecret: 'abc\n' }, 'Header Value'],
		['header', { headerName: 'X-API-Key', headerSecret: 'a\0bc' }, 'Header Value'],
	])(
		'refuses a %s secret with a line break or NUL instead of sending it altered',
		async (authentication, fields, field) => {
			const output = await errorOf(OllamaModels, NODES[3].parameters, {
				authentication,
				...fields,
			});
			expect(output.error).toBe(
				`The credential's ${field} contains a line break or NUL character, which cannot be sent in an HTTP header. Paste it again without them.`,
			);
			expect(emulator.requests).toHaveLength(0);
		},
	);

	it('a tools schema nested too deep names the Tools parameter; nothing is sent', async () => {
		// Deep enough that encoding the request body would overflow the stack.
		const depth = 20000;
		const schema =
			'{"type":"object","properties":{"a":'.repeat(depth) +
			'{"type":"string"}' +
			'}}'.repeat(depth);
		const output = await errorOf(OllamaChat, {
			model: byName('llama3.2'),
			...chatMessages,
			options: { tools: `[{"name":"deep","parameters":${schema}}]` },
		});
		expect(output.error).toBe('Tool 1 ("deep") has "parameters" nested more than 100 levels deep.');
		expect(output.description).toBe('Check the "Tools (JSON)" parameter.');
		expect(emulator.requests).toHaveLength(0);
	});

	it.each([
		[
			'/api/tags',
			{ resource: 'model', operation: 'list' },
			'{"models":null}',
			'an object with a "models" list, got {"models":null}',
		],
		[
			'/api/ps',
			{ resource: 'running', operation: 'list' },
			'[]',
			'an object with a "models" list, got a list',
		],
		[
			'/api/version',
			{ resource: 'server', operation: 'version' },
			'{"v":1}',
			'an object with a "version" text, got {"v":1}',
		],
	])(
		'a 200 answer of the wrong shape from %s is a protocol error naming it',
		async (path, parameters, body, expected) => {
			emulator.addFault({
				type: 'status',
				status: 200,
				body,
				contentType: 'application/json',
				path,
			});
			const output = await errorOf(OllamaModels, {
				...parameters,
				reliability: { maxAttempts: 1 },
			});
			expect(output.error).toBe(
				`Ollama's answer to ${path} is not what Ollama sends: expected ${expected}.`,
			);
			expect(output.description).toMatch(/did not look like Ollama's/);
		},
	);

	it('keeps HTTP codes in httpCode: a refused connection has none', async () => {
		const { items } = await runNode({
			node: { type: OllamaModels, parameters: NODES[3].parameters, continueOnFail: true },
			credentials: { baseUrl: `http://127.0.0.1:${await closedPort()}` },
		});
		expect(items[0].json.error).toBe('Could not connect to Ollama: connection refused');
		expect(items[0].json.httpCode).toBeUndefined();
	});

	it('https:// against a plain-HTTP server says so and how to fix it', async () => {
		const output = await errorOf(OllamaModels, NODES[3].parameters, {
			baseUrl: emulator.url.replace('http://', 'https://'),
		});
		expect(output.error).toBe(
			'Could not connect to Ollama: the server did not answer over TLS (https)',
		);
		expect(output.description).toMatch(/speaks plain HTTP, not HTTPS: use http:\/\//);
	});
});

describe('Concurrency is checked the same way in every node', () => {
	it.each([
		[
			'Generate',
			OllamaGenerate,
			{ prompt: 'hi' },
			(concurrency: string | number) => ({ options: { concurrency } }),
		],
		[
			'Chat',
			OllamaChat,
			chatMessages,
			(concurrency: string | number) => ({ options: { concurrency } }),
		],
		['Embed', OllamaEmbed, { text: 'hi' }, (concurrency: string | number) => ({ concurrency })],
	] as const)(
		'%s refuses 0, -1, 2.5, "abc" (and above 64 where there is a limit) before sending anything',
		async (_name, type, base, set) => {
			// Embed has no upper limit: its batches are few.
			const values = type === OllamaEmbed ? [0, -1, 2.5, 'abc'] : [0, -1, 2.5, 'abc', 1e9];
			for (const value of values) {
				const model = byName(type === OllamaEmbed ? 'all-minilm' : 'llama3.2');
				const { error } = await runNode({
					node: { type, parameters: { model, ...base, ...set(value) } },
					credentials: { baseUrl: emulator.url },
				});
				expect(error?.message).toMatch(
					/^"Concurrency" must be a whole number (from 1 to 64|of 1 or more), not /,
				);
				if (type !== OllamaEmbed || value !== 1e9)
					expect(error?.message).toContain(JSON.stringify(value));
			}
			expect(emulator.requests).toHaveLength(0);
		},
	);
});
