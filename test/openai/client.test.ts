// The core client on the OpenAI-compatible API, outside n8n: what it asks the server for.
import { listModelsWithCapabilities } from '../../nodes/core/catalog';
import { withPullIfMissing } from '../../nodes/core/pullIfMissing';
import { clientFor } from '../ai/host';
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
