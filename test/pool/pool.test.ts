// Several hosts behind one credential, with three emulators: Generate in n8n-core's
// WorkflowExecute spreads its items over the pool, moves on from a host that is down, busy or
// lacks the model, takes a host back after a probe, and names every host when all failed.
import type { IDataObject } from 'n8n-workflow';

import { OllamaGenerate } from '../../nodes/OllamaGenerate/OllamaGenerate.node';
import { DEFAULT_MODELS, replyFor, startEmulator } from '../emulator';
import type { Emulator } from '../emulator';
import type { RunOptions } from '../harness/run';
import { runNode } from '../harness/run';
import { closedPort } from '../faults/ports';
import { byName } from '../nodes/generation.fixture';
import { clientFor } from '../ai/host';

let hosts: Emulator[] = [];
beforeEach(async () => {
	hosts = await Promise.all([0, 1, 2].map(async () => await startEmulator()));
	for (const host of hosts) host.configure({ latency: { parallel: 2, firstTokenMs: 30 } });
});
afterEach(async () => {
	await Promise.all(hosts.map(async (host) => await host.close()));
});

const prompts = (n: number) =>
	Array.from({ length: n }, (_, k) => ({ json: { text: `Item ${k}` } }));

function generate(
	items: Array<{ json: IDataObject }>,
	urls: string[],
	parameters: IDataObject = {},
): RunOptions {
	return {
		node: {
			type: OllamaGenerate,
			parameters: {
				model: byName('llama3.2'),
				prompt: '={{ $json.text }}',
				options: { concurrency: 6 },
				...parameters,
			},
			continueOnFail: true,
		},
		credentials: { baseUrl: urls[0], hosts: urls.slice(1).join('\n'), authentication: 'none' },
		items,
	};
}

async function outputs(options: RunOptions): Promise<IDataObject[]> {
	const { items, error } = await runNode(options);
	if (error) throw error;
	return items.map((item) => item.json);
}

const served = (host: Emulator) => host.requests.filter((r) => r.path === '/api/generate');
const expectAnswers = (out: IDataObject[], n: number) => {
	expect(out).toHaveLength(n);
	out.forEach((item, k) =>
		expect(item.response).toBe(replyFor({ model: 'llama3.2', prompt: `Item ${k}` }).response),
	);
};

describe('a pool of three hosts', () => {
	it('spreads the items of one node over every host, each answer paired with its item', async () => {
		const out = await outputs(
			generate(
				prompts(30),
				hosts.map((h) => h.url),
			),
		);
		expectAnswers(out, 30);
		const counts = hosts.map((host) => served(host).length);
		expect(counts.reduce((a, b) => a + b)).toBe(30);
		for (const count of counts) expect(count).toBeGreaterThanOrEqual(6);
	});

	it('moves on at once from a host that refuses connections, busy (503) or lacks the model, without using Max Attempts', async () => {
		const down = `http://127.0.0.1:${await closedPort()}`;
		hosts[1].addFault({ type: 'busy', path: '/api/generate', times: -1 });
		await hosts[2].close();
		const fresh = await startEmulator({
			models: DEFAULT_MODELS.filter((model) => !model.name.startsWith('llama3.2')),
		});
		hosts[2] = fresh;
		const out = await outputs(
			generate(prompts(12), [down, hosts[1].url, fresh.url, hosts[0].url], {
				reliability: { maxAttempts: 1 },
			}),
		);
		expectAnswers(out, 12);
		expect(served(hosts[0])).toHaveLength(12);
		expect(served(hosts[1]).every((r) => r.status === 503)).toBe(true);
		// A host without the model is skipped for it once it has said so: only requests sent before
		// its first 404 arrived (at most Concurrency) reach it, each item's at most once.
		const missing = served(fresh);
		expect(missing.every((r) => r.status === 404)).toBe(true);
		expect(missing.length).toBeLessThanOrEqual(6);
		expect(new Set(missing.map((r) => (r.body as { prompt: string }).prompt)).size).toBe(
			missing.length,
		);
	});

	it('every host failed: one error that names each host and what it said', async () => {
		const down = `http://127.0.0.1:${await closedPort()}`;
		hosts[0].addFault({ type: 'busy', path: '/api/generate', times: -1 });
		const [out] = await outputs(
			generate(prompts(1), [hosts[0].url, down], { reliability: { maxAttempts: 1 } }),
		);
		expect(out.error).toMatch(/^Every Ollama host failed\./);
		expect(out.error).toContain(`${hosts[0].url}: server busy`);
		expect(out.error).toContain(`${down}: `);
	});

	it('takes a host back after its time out, once a probe answers', async () => {
		const url = hosts[2].url;
		const port = hosts[2].port;
		await hosts[2].close();
		const urls = [hosts[0].url, hosts[1].url, url];
		await outputs(generate(prompts(6), urls));
		hosts[2] = await startEmulator({ port });
		hosts[2].configure({ latency: { parallel: 2, firstTokenMs: 30 } });
		await new Promise((resolve) => setTimeout(resolve, 1_100));
		const out = await outputs(generate(prompts(12), urls));
		expectAnswers(out, 12);
		expect(hosts[2].requests[0].path).toBe('/api/version');
		expect(served(hosts[2]).length).toBeGreaterThan(0);
	});

	it('Pull Model If Missing: a model no host has is pulled once, on the host chosen, then answers there', async () => {
		const out = await outputs(
			generate(
				prompts(1),
				hosts.map((h) => h.url),
				{
					model: byName('mistral'),
					reliability: { pullIfMissing: true },
				},
			),
		);
		expect(out[0].error).toBeUndefined();
		const pulls = hosts.map((host) => host.requests.filter((r) => r.path === '/api/pull').length);
		expect(pulls.reduce((a, b) => a + b)).toBe(1);
		const puller = hosts[pulls.indexOf(1)];
		expect(served(puller).map((r) => r.status)).toEqual([404, 200]);
	});

	it('runs a generation cut mid-stream again on another host when nothing went out live', async () => {
		hosts[0].addFault({ type: 'reset', afterChunks: 2, path: '/api/generate' });
		const out = await outputs(
			generate(prompts(1), [hosts[0].url, hosts[1].url], { reliability: { maxAttempts: 1 } }),
		);
		expectAnswers(out, 1);
		expect(served(hosts[0])).toHaveLength(1);
		expect(served(hosts[1])).toHaveLength(1);
	});
});

describe('the pool in the core client', () => {
	it('a generation whose tokens already went out live stays on its host and fails with its error', async () => {
		hosts[0].addFault({ type: 'reset', afterChunks: 2, path: '/api/generate' });
		const client = clientFor(hosts[0].url, { hosts: [hosts[1].url] });
		const seen: string[] = [];
		const run = client.generate(
			{ model: 'llama3.2', prompt: 'Item 0' },
			{
				onDelta: (delta) => {
					seen.push(delta.response);
					return true;
				},
			},
		);
		await expect(run).rejects.toThrow(/cut while \/api\/generate was streaming/);
		expect(seen.length).toBeGreaterThan(0);
		expect(served(hosts[1])).toHaveLength(0);
	});

	it('one host behaves exactly as without a pool: no probe, no /api/ps', async () => {
		const client = clientFor(hosts[0].url, { hosts: [] });
		await client.generate({ model: 'llama3.2', prompt: 'Item 0' });
		expect(hosts[0].requests.map((r) => r.path)).toEqual(['/api/generate']);
	});
});
