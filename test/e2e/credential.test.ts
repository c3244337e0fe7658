// The credential's connection test as n8n's editor runs it (POST /rest/credentials/test): a
// healthy server passes; 401, 403 and a server that is not Ollama get our messages; a closed
// port gets n8n's connection error.
import { createServer } from 'net';

import type { Emulator } from '../emulator';
import { startEmulator } from '../emulator';
import type { Service } from '../../scripts/n8n';
import { N8nInstance, provision, request, startN8n } from '../../scripts/n8n';
import { BROWSER_ID, describeE2e, setupOwner } from './support';

interface TestAnswer {
	status: 'OK' | 'Error';
	message: string;
}

async function closedPort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as { port: number };
	await new Promise((resolve) => server.close(resolve));
	return port;
}

describeE2e('credential test in real n8n', () => {
	let emulator: Emulator;
	let n8n: N8nInstance;
	let main: (Service & { url: string }) | undefined;
	let cookie: string;

	beforeAll(async () => {
		provision();
		emulator = await startEmulator();
		n8n = N8nInstance.temporary('n8n-ollama-credential-');
		n8n.installPackage();
		main = await startN8n(n8n);
		cookie = await setupOwner(main);
	});
	afterAll(async () => {
		await main?.stop();
		await emulator?.close();
		n8n?.remove();
	});

	async function testCredential(data: Record<string, unknown>): Promise<TestAnswer> {
		const res = await request(`${main!.url}/rest/credentials/test`, {
			method: 'POST',
			headers: { cookie, 'browser-id': BROWSER_ID },
			body: { credentials: { id: '', name: 'Ollama', type: 'ollamaServerApi', data } },
			timeoutMs: 30000,
		});
		expect(res.status).toBe(200);
		return (JSON.parse(res.body) as { data: TestAnswer }).data;
	}

	it('passes against a healthy server, with a base URL ending in /api/ and Bearer auth', async () => {
		emulator.clearRequests();
		const answer = await testCredential({
			baseUrl: `${emulator.url}/api/`,
			authentication: 'bearer',
			apiKey: 'sk-e2e',
		});
		expect(answer.status).toBe('OK');
		const [call] = emulator.requests;
		expect(call).toMatchObject({ method: 'GET', path: '/api/version', status: 200 });
		expect(call.headers.authorization).toBe('Bearer sk-e2e');
	});

	it('explains a 401 and a 403', async () => {
		// n8n itself sends a request again after a 401 (to refresh a token), so the fault stays.
		emulator.addFault({ type: 'unauthorized', path: '/api/version', times: -1 });
		const unauthorized = await testCredential({ baseUrl: emulator.url, authentication: 'none' });
		expect(unauthorized).toEqual({
			status: 'Error',
			message:
				'The server refused the credentials (401). Check the Authentication type and its API key, user/password or header.',
		});
		emulator.clearFaults();
		emulator.addFault({ type: 'status', status: 403, body: '', path: '/api/version' });
		const forbidden = await testCredential({ baseUrl: emulator.url, authentication: 'none' });
		expect(forbidden.status).toBe('Error');
		expect(forbidden.message).toMatch(/^Access forbidden \(403\)\. .*OLLAMA_HOST=0\.0\.0\.0/);
	});

	it('says when the base URL does not point at Ollama', async () => {
		const answer = await testCredential({ baseUrl: `${emulator.url}/v1`, authentication: 'none' });
		expect(answer.status).toBe('Error');
		expect(answer.message).toMatch(
			/^The server has no such endpoint \(404\)\. With the Ollama API/,
		);
	});

	it('OpenAI-compatible API: tests GET /v1/models, with or without /v1 in the Base URL, with the API key', async () => {
		for (const baseUrl of [emulator.url, `${emulator.url}/v1/`]) {
			emulator.clearRequests();
			const answer = await testCredential({
				api: 'openai',
				baseUrl,
				authentication: 'bearer',
				apiKey: 'sk-openai',
			});
			expect(answer.status).toBe('OK');
			const [call] = emulator.requests;
			expect(call).toMatchObject({ method: 'GET', path: '/v1/models', status: 200 });
			expect(call.headers.authorization).toBe('Bearer sk-openai');
		}
	});

	it('reports a closed port as a refused connection', async () => {
		const answer = await testCredential({
			baseUrl: `http://127.0.0.1:${await closedPort()}`,
			authentication: 'none',
		});
		expect(answer.status).toBe('Error');
		expect(answer.message).toMatch(/refused|ECONNREFUSED/i);
	});
});
