import { inspect } from 'util';

import { OllamaServerApi } from '../../credentials/OllamaServerApi.credentials';
import { OllamaChat } from '../../nodes/OllamaChat/OllamaChat.node';
import { OllamaModels } from '../../nodes/OllamaModels/OllamaModels.node';
import type { Emulator } from '../emulator';
import { startEmulator } from '../emulator';
import { closedPort } from '../faults/ports';
import { runNode } from '../harness/run';

const SECRETS = {
	apiKey: 'sk-SECRET-bearer-7f3a',
	password: 'SECRET-basic-pass-91c2',
	headerSecret: 'SECRET-header-value-55d0',
};

const modes: Array<Record<string, string>> = [
	{ authentication: 'bearer', apiKey: SECRETS.apiKey },
	{ authentication: 'basicAuth', user: 'n8n', password: SECRETS.password },
	{ authentication: 'header', headerName: 'X-API-Key', headerSecret: SECRETS.headerSecret },
];

let emulator: Emulator;
beforeAll(async () => {
	emulator = await startEmulator();
});
afterAll(async () => {
	await emulator.close();
});
beforeEach(() => emulator.reset());

/** Everything a run leaves behind, as text: items, errors (with causes), run data. */
function everything(value: unknown): string {
	return inspect(value, {
		depth: 12,
		getters: false,
		showHidden: false,
		maxStringLength: Infinity,
	});
}

function expectNoSecret(text: string): void {
	for (const secret of Object.values(SECRETS)) expect(text).not.toContain(secret);
	expect(text).not.toContain(Buffer.from(`n8n:${SECRETS.password}`).toString('base64'));
}

const chat = {
	model: { __rl: true, mode: 'name', value: 'llama3.2' },
	messagesSource: 'define',
	messages: { message: [{ role: 'user', content: 'hi' }] },
	reliability: { maxAttempts: 1 },
};

describe('secrets never leave the credential', () => {
	it.each(modes)(
		'$authentication: not in outputs, errors or run data, whatever fails',
		async (credential) => {
			const scenarios: Array<() => void> = [
				() => undefined,
				() => emulator.addFault({ type: 'unauthorized', path: '/api/chat' }),
				() => emulator.addFault({ type: 'status', status: 403, body: '', path: '/api/chat' }),
				() => emulator.addFault({ type: 'errorLine', afterChunks: 1, path: '/api/chat' }),
				() => emulator.addFault({ type: 'reset', afterChunks: 1, path: '/api/chat' }),
			];
			for (const continueOnFail of [true, false]) {
				for (const arrange of scenarios) {
					emulator.reset();
					arrange();
					const result = await runNode({
						node: { type: OllamaChat, parameters: chat, continueOnFail },
						credentials: { baseUrl: emulator.url, ...credential },
					});
					expectNoSecret(everything(result));
					expect(emulator.requests.length).toBeGreaterThan(0);
				}
			}
			const refused = await runNode({
				node: {
					type: OllamaModels,
					parameters: { resource: 'server', operation: 'version', reliability: { maxAttempts: 1 } },
				},
				credentials: {
					baseUrl: `http://n8n:${SECRETS.password}@127.0.0.1:${await closedPort()}`,
					...credential,
				},
			});
			expect(refused.error?.message).toBe('Could not connect to Ollama: connection refused');
			expectNoSecret(everything(refused));
		},
	);

	it('keeps every secret field a password field, and none in the node descriptions', () => {
		const credential = new OllamaServerApi();
		const text = everything([
			credential.properties,
			new OllamaChat().description,
			new OllamaModels().description,
		]);
		expectNoSecret(text);
	});
});
