// The editor in a real browser (Debian's chromium via playwright-core): owner setup, example 2,
// its Ollama Generate node's parameters and model list. `node scripts/browser.js` runs the same
// check and saves the README's screenshot; this one goes to the temporary user folder.
import path from 'path';

import type { Emulator } from '../emulator';
import { startEmulator } from '../emulator';
import {
	N8nInstance,
	checkEditor,
	ensureChromium,
	provision,
	startN8n,
	stopAll,
} from '../../scripts/n8n';
import { describeE2e, exampleId, prepare } from './support';

describeE2e('the editor in chromium', () => {
	let emulator: Emulator;
	let n8n: N8nInstance;

	beforeAll(async () => {
		provision();
		ensureChromium(); // apt-get install on a fresh machine: minutes, hence the longer timeout
		emulator = await startEmulator();
		n8n = N8nInstance.temporary();
		await prepare(n8n, emulator);
	}, 600000);
	afterAll(async () => {
		await stopAll();
		await emulator?.close();
		n8n?.remove();
	});

	it('example 2: the Generate node renders its parameters and lists the emulator’s generating models', async () => {
		const main = await startN8n(n8n, { ui: true });

		const result = await checkEditor({
			baseUrl: main.url,
			workflowId: exampleId(/^2\./),
			nodeName: 'Summarize',
			expectParameters: ['model', 'prompt', 'concurrency'],
			expectModels: ['llama3.2:latest', 'qwen3:latest'],
			screenshot: path.join(n8n.userFolder, 'logs', 'editor-generate-node.png'),
		});

		expect(result.signedIn).toBe('owner set up');
		expect(result.canvasNodes).toEqual(
			expect.arrayContaining([
				'Every Night at 2:00',
				'When clicking ‘Execute workflow’',
				'Summarize',
			]),
		);
		expect(result.parameters).toEqual(expect.arrayContaining(['model', 'prompt', 'concurrency']));
		expect(result.credential).toBe('Ollama (local)');
		expect(result.selectedModel).toBe('llama3.2:latest');
		const names = result.models.map((text) => text.split(' ')[0]);
		expect(names).toEqual(
			expect.arrayContaining([
				'llama3.2:latest',
				'qwen3:latest',
				'deepseek-r1:latest',
				'llava:latest',
			]),
		);
		// Embedding models cannot generate: the list leaves them out.
		expect(names).not.toContain('nomic-embed-text:latest');
		expect(names).not.toContain('all-minilm:latest');
		expect(result.models).toContain('qwen3:latest 8.2B (tools, thinking)');
		// The list came from the emulator, through the credential.
		expect(emulator.requests.some((entry) => entry.path === '/api/tags')).toBe(true);
		await main.stop();
	});
});
