// Stopping a running execution in real n8n (issue 7): `n8n start`, a webhook starts Ollama
// Generate over many slow items at Concurrency 4, and n8n's own stop (POST /rest/executions/:id/stop,
// after owner setup over REST, as the editor's Stop button calls it) ends it. The emulator's log
// must show every request that was in flight cut by the client within 1 s of the stop, and no
// request starting after it.
import { mkdtempSync, writeFileSync } from 'fs';
import { join } from 'path';

import type { Emulator, RequestLogEntry } from '../emulator';
import { startEmulator } from '../emulator';
import type { Service } from '../../scripts/n8n';
import {
	N8nInstance,
	provision,
	request,
	sleep,
	startN8n,
	waitFor,
	waitForWebhook,
} from '../../scripts/n8n';
import { BROWSER_ID, describeE2e, setupOwner } from './support';

const ITEMS = 40;
const CONCURRENCY = 4;
/** Per token: the emulator's 12-token answer takes about 5.5 s, so requests are in flight long. */
const TOKEN_MS = 500;
const WORKFLOW_ID = 'e2eStopGenerate1';
const WEBHOOK_PATH = 'e2e-stop-generate';
const CREDENTIAL = { id: 'e2eStopOllama001', name: 'Ollama (stop)', type: 'ollamaServerApi' };

/** Webhook → Respond to Webhook (answers with the execution id at once) → Code (items) → Generate. */
function stopWorkflow() {
	return {
		id: WORKFLOW_ID,
		name: 'Stop: slow Ollama Generate started by a webhook',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: 'stop-webhook',
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: '5d1f3c1e-0000-4000-8000-00000000e2e7',
				parameters: { httpMethod: 'POST', path: WEBHOOK_PATH, responseMode: 'responseNode' },
			},
			{
				id: 'stop-respond',
				name: 'Respond',
				type: 'n8n-nodes-base.respondToWebhook',
				typeVersion: 1.1,
				position: [220, 0],
				parameters: {
					respondWith: 'json',
					responseBody: '={{ JSON.stringify({ executionId: $execution.id }) }}',
				},
			},
			{
				id: 'stop-items',
				name: 'Items',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [440, 0],
				parameters: {
					jsCode: `return Array.from({ length: ${ITEMS} }, (_, i) => ({ json: { prompt: 'Slow item ' + i } }));`,
				},
			},
			{
				id: 'stop-generate',
				name: 'Generate',
				type: 'n8n-nodes-ollama.ollamaGenerate',
				typeVersion: 1,
				position: [660, 0],
				parameters: {
					model: { __rl: true, mode: 'name', value: 'llama3.2' },
					prompt: '={{ $json.prompt }}',
					options: { concurrency: CONCURRENCY },
				},
				credentials: { ollamaServerApi: { id: CREDENTIAL.id, name: CREDENTIAL.name } },
			},
		],
		connections: {
			Webhook: { main: [[{ node: 'Respond', type: 'main', index: 0 }]] },
			Respond: { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
			Items: { main: [[{ node: 'Generate', type: 'main', index: 0 }]] },
		},
	};
}

const inFlightAt = (entries: RequestLogEntry[], at: number) =>
	entries.filter(
		(entry) =>
			entry.receivedAt <= at &&
			(entry.finishedAt === undefined || entry.finishedAt > at) &&
			(entry.disconnectedAt === undefined || entry.disconnectedAt > at),
	);

describeE2e('stopping an execution in real n8n', () => {
	let emulator: Emulator;
	let n8n: N8nInstance;
	let main: (Service & { url: string }) | undefined;

	beforeAll(async () => {
		provision();
		emulator = await startEmulator({
			latency: { parallel: CONCURRENCY, firstTokenMs: 0, tokenMs: TOKEN_MS },
		});
		n8n = N8nInstance.temporary('n8n-ollama-stop-');
		n8n.installPackage();
		await n8n.importCredentials([
			{ ...CREDENTIAL, data: { baseUrl: emulator.url, authentication: 'none' } },
		]);
		const folder = mkdtempSync(join(n8n.userFolder, 'workflows-'));
		const file = join(folder, `${WORKFLOW_ID}.json`);
		writeFileSync(file, JSON.stringify(stopWorkflow()));
		await n8n.importWorkflows([file]);
		await n8n.publishWorkflow(WORKFLOW_ID);
		main = await startN8n(n8n);
	});
	afterAll(async () => {
		await main?.stop();
		await emulator?.close();
		n8n?.remove();
	});

	it("n8n's Stop cuts the in-flight requests within 1 s and starts no new one", async () => {
		const cookie = await setupOwner(main!);
		const url = await waitForWebhook(main!, WEBHOOK_PATH);
		emulator.clearRequests();

		const started = await request(url, { method: 'POST', body: {}, timeoutMs: 15000 });
		expect(started.status).toBe(200);
		const { executionId } = JSON.parse(started.body) as { executionId: string };
		expect(executionId).toMatch(/^\d+$/);

		// Wait until Generate has its four requests in flight and has finished none.
		const generates = () => emulator.requests.filter((entry) => entry.path === '/api/generate');
		await waitFor(
			'four requests in flight',
			() => inFlightAt(generates(), Date.now()).length === CONCURRENCY,
			{ timeoutMs: 30000, intervalMs: 20 },
		);
		await sleep(300);

		const stopAt = Date.now();
		const stop = await request(`${main!.url}/rest/executions/${executionId}/stop`, {
			method: 'POST',
			headers: { cookie, 'browser-id': BROWSER_ID },
			timeoutMs: 15000,
		});
		const answeredAt = Date.now();
		expect(stop.status).toBe(200);

		const inFlight = inFlightAt(generates(), stopAt);
		expect(inFlight).toHaveLength(CONCURRENCY);
		await waitFor(
			'the in-flight requests to be cut',
			() => inFlight.every((entry) => entry.disconnectedAt !== undefined),
			{ timeoutMs: 5000, intervalMs: 20 },
		).catch(() => undefined);
		// Long enough for the next items to have started, had the stop not held them back.
		await sleep(2 * TOKEN_MS);

		const delays = inFlight.map((entry) =>
			entry.disconnectedAt === undefined ? Infinity : entry.disconnectedAt - stopAt,
		);
		for (const entry of inFlight) {
			expect(entry.clientDisconnected).toBe(true);
			expect(entry.finishedAt ?? entry.disconnectedAt).toBeDefined();
		}
		expect(Math.max(...delays)).toBeLessThan(1000);
		const after = generates().filter((entry) => entry.receivedAt > stopAt);
		expect(after).toEqual([]);
		expect(generates()).toHaveLength(CONCURRENCY);

		const execution = await request(`${main!.url}/rest/executions/${executionId}`, {
			headers: { cookie, 'browser-id': BROWSER_ID },
		});
		const status = (JSON.parse(execution.body) as { data?: { status?: string } }).data?.status;
		process.stdout.write(
			`[stop] execution ${executionId}: stop answered in ${answeredAt - stopAt} ms; ` +
				`in-flight requests cut ${delays.map((d) => `${d} ms`).join(', ')} after the stop; ` +
				`${after.length} requests started after it; status ${status}\n`,
		);
		expect(status).toBe('canceled');
	});
});
