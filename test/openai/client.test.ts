// The core client on the OpenAI-compatible API, outside n8n: what it asks the server for.
import { listModelsWithCapabilities } from '../../nodes/core/catalog';
import { withPullIfMissing } from '../../nodes/core/pullIfMissing';
import { OllamaFailure } from '../../nodes/core/failures';
import { nodeErrorFor } from '../../nodes/n8n/errors';
import { NODE, clientFor } from '../ai/host';
import { closedPort } from '../faults/ports';
import { useEmulator } from '../nodes/emulator.fixture';

const emulator = useEmulator();
const openAi = () => clientFor(emulator.url, { api: 'openai' });

describe('the client on an OpenAI-compatible server', () => {
	it('lists the models for a picker with one /v1/models request (no per-model lookups)', async () => {
		const models = await listModelsWithCapabilities(openAi());
		expect(models.map((model) => model.name)).toContain('llama3.2:latest');
		expect(models.every((model) => model.capabilities === undefined)).toBe(true);
		expect(emulator.requests.map((r) => r.path)).toEqual(['/v1/models']);
	});

	it('Pull Model If Missing does not pull: the server cannot, and its own error stands', async () => {
		const client = openAi();
		const run = () =>
			client.chat({ model: 'nosuchmodel', messages: [{ role: 'user', content: 'Hi' }] });
		await expect(withPullIfMissing(client, 'nosuchmodel', run)).rejects.toThrow(
			/model ['"]nosuchmodel['"] not found/,
		);
		expect(emulator.requests.map((r) => r.path)).toEqual(['/v1/chat/completions']);
	});

	it('keeps /api in an OpenAI-compatible Base URL (gateways such as OpenRouter live under it) and drops /v1', () => {
		expect(clientFor('https://gateway.example/api/v1/', { api: 'openai' }).baseUrl).toBe(
			'https://gateway.example/api',
		);
		expect(clientFor('https://gateway.example/api/', {}).baseUrl).toBe('https://gateway.example');
	});
});

describe('hints for a failure on an OpenAI-compatible server', () => {
	const hint = async (run: (client: ReturnType<typeof openAi>) => Promise<unknown>) => {
		const client = openAi();
		const failure = (await run(client).catch((error: unknown) => error)) as OllamaFailure;
		expect(failure).toBeInstanceOf(OllamaFailure);
		return nodeErrorFor(NODE, failure).description ?? '';
	};

	it('a missing model: check the name, not "ollama pull"', async () => {
		const text = await hint(
			async (client) =>
				await client.chat({ model: 'nosuchmodel', messages: [{ role: 'user', content: 'Hi' }] }),
		);
		expect(text).toBe(
			'The server has no model "nosuchmodel": check the name (List Models shows the models it serves).',
		);
	});

	it('nothing listening: the server, not Ollama and its OLLAMA_HOST', async () => {
		const client = clientFor(`http://127.0.0.1:${await closedPort()}`, { api: 'openai' });
		const failure = (await client.list().catch((error: unknown) => error)) as OllamaFailure;
		const text = nodeErrorFor(NODE, failure).description ?? '';
		expect(text).toMatch(
			/^Nothing is listening at http:\/\/127\.0\.0\.1:\d+\. Is the server running\?/,
		);
		expect(text).not.toMatch(/Ollama|OLLAMA/);
	});

	it('a busy server', async () => {
		emulator.addFault({ type: 'busy', path: '/v1/models' });
		expect(await hint(async (client) => await client.list())).toBe(
			'The server is busy. Lower Concurrency or try again later.',
		);
	});
});
