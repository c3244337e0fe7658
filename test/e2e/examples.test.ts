// The example workflows in real n8n (`n8n execute --id`), against the Ollama emulator.
import type { Emulator } from '../emulator';
import { startEmulator } from '../emulator';
import { EXAMPLE_CREDENTIAL, N8nInstance, exampleWorkflows, provision } from '../../scripts/n8n';
import { describeE2e, exampleId, getJson, outputOf, prepare } from './support';

describeE2e('example workflows in real n8n', () => {
	let emulator: Emulator;
	let n8n: N8nInstance;

	beforeAll(async () => {
		provision();
		emulator = await startEmulator();
		n8n = N8nInstance.temporary();
		await prepare(n8n, emulator);
	});
	afterAll(async () => {
		await emulator?.close();
		n8n?.remove();
	});
	beforeEach(() => emulator.reset());

	it('every example uses this package, with the credential npm start creates', () => {
		for (const { workflow } of exampleWorkflows()) {
			const ours = workflow.nodes.filter((node) => node.type.startsWith('n8n-nodes-ollama.'));
			expect(ours.length).toBeGreaterThan(0);
			for (const node of ours) {
				expect(node.credentials).toEqual({
					ollamaServerApi: { id: EXAMPLE_CREDENTIAL.id, name: EXAMPLE_CREDENTIAL.name },
				});
			}
		}
	});

	it('5. Model housekeeping: reports the version, lists models and running models, unloads them', async () => {
		await getJson(`${emulator.url}/api/generate`, { model: 'llama3.2', prompt: '' });
		const running = (await getJson(`${emulator.url}/api/ps`)).body as { models: unknown[] };
		expect(running.models).toHaveLength(1);

		const { code, run, error } = await n8n.execute(exampleId(/housekeeping/i));

		expect(error).toBeUndefined();
		expect(code).toBe(0);
		expect(outputOf(run, 'Server Version')).toEqual([
			expect.objectContaining({ version: expect.stringMatching(/^\d+\.\d+\.\d+/) }),
		]);
		const models = outputOf(run, 'List Models');
		expect(models.map((m) => m.name)).toEqual(
			expect.arrayContaining(['llama3.2:latest', 'nomic-embed-text:latest']),
		);
		expect(models[0]).toEqual(
			expect.objectContaining({ sizeHuman: expect.stringMatching(/^\d+\.\d (MB|GB)$/) }),
		);
		expect(outputOf(run, 'List Running Models')).toEqual([
			expect.objectContaining({ name: 'llama3.2:latest', keptForever: false }),
		]);
		expect(outputOf(run, 'Unload Model')).toEqual([
			expect.objectContaining({ model: 'llama3.2:latest', action: 'unload' }),
		]);
		const after = (await getJson(`${emulator.url}/api/ps`)).body as { models: unknown[] };
		expect(after.models).toEqual([]);
	});

	it("the error path: a missing model fails the execution with Ollama's own text", async () => {
		const { code, run, error } = await n8n.execute(exampleId(/does not exist/i));

		expect(code).toBe(1);
		expect(error?.message).toContain("model 'no-such-model:7b' not found");
		expect(run.data.resultData.lastNodeExecuted).toBe('Get Missing Model');
		const nodeRun = run.data.resultData.runData['Get Missing Model'][0];
		expect(nodeRun.error?.message).toContain("model 'no-such-model:7b' not found");
		expect(nodeRun.error?.httpCode).toBe('404');
	});
});
