// The heaviest rows of the fault matrix through real n8n (`n8n execute`), with each
// authentication mode's secret set: retries recover a busy server, a stream cut mid-way fails
// only its item, and no secret ever shows in the execution data, the log or n8n's files.
import { readFileSync, readdirSync, statSync, writeFileSync } from 'fs';
import { join } from 'path';

import type { Emulator, FaultSpec } from '../emulator';
import { startEmulator } from '../emulator';
import { N8nInstance, provision } from '../../scripts/n8n';
import { describeE2e, outputOf } from './support';

const SECRETS = {
	apiKey: 'sk-E2E-SECRET-bearer-31f9',
	password: 'E2E-SECRET-basic-77ab',
	headerSecret: 'E2E-SECRET-header-c4d2',
};
const CREDENTIALS = [
	{ id: 'e2eSecretBearer1', data: { authentication: 'bearer', apiKey: SECRETS.apiKey } },
	{
		id: 'e2eSecretBasic01',
		data: { authentication: 'basicAuth', user: 'n8n', password: SECRETS.password },
	},
	{
		id: 'e2eSecretHeader1',
		data: { authentication: 'header', headerName: 'X-API-Key', headerSecret: SECRETS.headerSecret },
	},
];
const TEXTS = ['first', 'second', 'third'];
/** The Chat node's Timeout: silence longer than this, even mid-stream, ends the request. */
const STALL_TIMEOUT_MS = 3000;

/** Manual Trigger → three items → Ollama Chat (Continue On Fail), with one of the credentials. */
function workflow(id: string, credentialId: string) {
	return {
		id,
		name: `Faults ${id}`,
		active: false,
		settings: { executionOrder: 'v1' },
		connections: {
			Start: { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
			Items: { main: [[{ node: 'Chat', type: 'main', index: 0 }]] },
		},
		nodes: [
			{
				id: 'n1',
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: 'n2',
				name: 'Items',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [200, 0],
				parameters: {
					jsCode: `return ${JSON.stringify(TEXTS)}.map((text) => ({ json: { text } }));`,
				},
			},
			{
				id: 'n3',
				name: 'Chat',
				type: 'n8n-nodes-ollama.ollamaChat',
				typeVersion: 1,
				position: [400, 0],
				onError: 'continueRegularOutput',
				parameters: {
					model: { __rl: true, mode: 'name', value: 'llama3.2' },
					messagesSource: 'define',
					messages: { message: [{ role: 'user', content: '={{ $json.text }}' }] },
					reliability: { maxAttempts: 3, timeout: STALL_TIMEOUT_MS },
				},
				credentials: { ollamaServerApi: { id: credentialId, name: credentialId } },
			},
		],
	};
}

/** Every file n8n wrote in its user folder (database, logs, config), as text. */
function filesOf(folder: string): string {
	let text = '';
	for (const name of readdirSync(folder)) {
		const file = join(folder, name);
		const stat = statSync(file);
		if (stat.isDirectory()) {
			if (name !== 'node_modules') text += filesOf(file);
		} else if (stat.size < 200 * 1024 * 1024) {
			text += readFileSync(file).toString('latin1');
		}
	}
	return text;
}

function expectNoSecret(text: string): void {
	for (const secret of Object.values(SECRETS)) expect(text).not.toContain(secret);
	expect(text).not.toContain(Buffer.from(`n8n:${SECRETS.password}`).toString('base64'));
}

describeE2e('faults and secrets in real n8n', () => {
	let emulator: Emulator;
	let n8n: N8nInstance;

	beforeAll(async () => {
		provision();
		emulator = await startEmulator();
		n8n = N8nInstance.temporary('n8n-ollama-faults-');
		n8n.installPackage();
		await n8n.importCredentials(
			CREDENTIALS.map(({ id, data }) => ({
				id,
				name: id,
				type: 'ollamaServerApi',
				data: { baseUrl: emulator.url, ...data },
			})),
		);
		const files = CREDENTIALS.map(({ id }, i) => {
			const file = join(n8n.userFolder, `faults-${i}.json`);
			writeFileSync(file, JSON.stringify(workflow(`e2eFaults${i}`, id)));
			return file;
		});
		await n8n.importWorkflows(files);
	});
	afterAll(async () => {
		await emulator?.close();
		n8n?.remove();
	});
	beforeEach(() => emulator.reset());

	const cases: Array<{
		name: string;
		fault: FaultSpec;
		check: (items: Array<Record<string, unknown>>) => void;
		attempts: number;
	}> = [
		{
			name: '503 busy twice: recovered by retries',
			fault: { type: 'busy', path: '/api/chat', times: 2 },
			attempts: 3 + 2,
			check: (items) => items.forEach((item) => expect(item.error).toBeUndefined()),
		},
		{
			name: 'stream cut mid-way: only that item fails, with a clear message',
			fault: { type: 'reset', path: '/api/chat', afterChunks: 2 },
			attempts: 1 + 2,
			check: (items) => {
				expect(items[0].error).toMatch(
					/^The connection to Ollama was cut while \/api\/chat was streaming/,
				);
				expect(items.slice(1).map((item) => item.error)).toEqual([undefined, undefined]);
			},
		},
		{
			// The idle timer after the headers is n8n's (axios and follow-redirects): prove it holds.
			name: 'stream stalls mid-way past the Timeout: that item fails, naming the Timeout',
			fault: { type: 'stall', path: '/api/chat', afterChunks: 2, ms: 3 * STALL_TIMEOUT_MS },
			attempts: 1 + 2,
			check: (items) => {
				expect(items[0].error).toBe(
					`The stream from Ollama stalled: nothing arrived on /api/chat for ${STALL_TIMEOUT_MS} ms (the Timeout option).`,
				);
				expect(items.slice(1).map((item) => item.error)).toEqual([undefined, undefined]);
			},
		},
		{
			name: '401 from a proxy: Ollama-side text reaches the item',
			fault: { type: 'unauthorized', path: '/api/chat', times: -1 },
			attempts: 3,
			check: (items) => items.forEach((item) => expect(item.error).toBe('unauthorized')),
		},
	];

	it.each(CREDENTIALS.map(({ data }, i) => ({ mode: data.authentication, i })))(
		'$mode: faults handled, secrets nowhere',
		async ({ i }) => {
			// Every fault with the first mode; the refused-credentials case (most likely to echo a
			// secret) with the others, to keep the suite short.
			for (const { fault, check, attempts } of i === 0 ? cases : cases.slice(-1)) {
				emulator.reset();
				emulator.addFault(fault);
				const { run, logs } = await n8n.execute(`e2eFaults${i}`);
				const items = outputOf(run, 'Chat');
				expect(items).toHaveLength(TEXTS.length);
				check(items);
				expect(emulator.requests.filter((r) => r.path === '/api/chat')).toHaveLength(attempts);
				expectNoSecret(`${logs}\n${JSON.stringify(run)}`);
			}
			expectNoSecret(filesOf(n8n.userFolder));
		},
	);
});
