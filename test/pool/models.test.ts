// Model Management with several hosts behind one credential, three emulators: List merges the
// hosts' models, Pull and Ensure Present act on every host, Get, Delete, Copy, Load, Unload, List
// Running and Version take a Host (default: all) and say per host what happened; with one host
// every output is as without More Hosts.
import type { IDataObject, ILoadOptionsFunctions, INodeParameters } from 'n8n-workflow';

import { listHosts } from '../../nodes/methods/loadOptions';
import { OllamaModels } from '../../nodes/OllamaModels/OllamaModels.node';
import { startEmulator } from '../emulator';
import type { Emulator } from '../emulator';
import type { RunOptions } from '../harness/run';
import { runNode } from '../harness/run';
import { closedPort } from '../faults/ports';
import { clientFor } from '../ai/host';

let hosts: Emulator[] = [];
beforeEach(async () => {
	hosts = await Promise.all([0, 1, 2].map(async () => await startEmulator()));
});
afterEach(async () => {
	await Promise.all(hosts.map(async (host) => await host.close()));
});

const byName = (value: string) => ({ __rl: true, mode: 'name', value });
const urls = () => hosts.map((host) => host.url);

function node(parameters: INodeParameters, pool: string[], extra: Partial<RunOptions> = {}) {
	return {
		node: {
			type: OllamaModels,
			parameters: { reliability: { maxAttempts: 1 }, ...parameters },
			continueOnFail: true,
		},
		credentials: { baseUrl: pool[0], hosts: pool.slice(1).join('\n'), authentication: 'none' },
		...extra,
	};
}

async function run(
	parameters: INodeParameters,
	pool: string[] = urls(),
	extra: Partial<RunOptions> = {},
): Promise<IDataObject[]> {
	const { items, error } = await runNode(node(parameters, pool, extra));
	if (error) throw error;
	return items.map((item) => item.json);
}

/** Deletes a model on one emulator directly, as `ollama rm` on that host would. */
async function removeOn(host: Emulator, model: string): Promise<void> {
	const response = await fetch(`${host.url}/api/delete`, {
		method: 'DELETE',
		body: JSON.stringify({ model }),
	});
	expect(response.status).toBe(200);
	host.clearRequests();
}

const paths = (host: Emulator, path: string) => host.requests.filter((r) => r.path === path);

describe('Model Management on a pool of three hosts', () => {
	it('List: every model once, with the hosts that have it (no user:password)', async () => {
		await removeOn(hosts[1], 'qwen3');
		const withSecret = hosts[2].url.replace('http://', 'http://someone:s3cret@');
		const out = await run({ resource: 'model', operation: 'list' }, [
			hosts[0].url,
			hosts[1].url,
			withSecret,
		]);
		const names = out.map((model) => model.name);
		expect(new Set(names).size).toBe(names.length);
		const llama = out.find((model) => model.name === 'llama3.2:latest') as IDataObject;
		expect(llama.hosts).toEqual(urls());
		expect(llama.sizeHuman).toMatch(/^\d+\.\d (MB|GB)$/);
		expect(out.find((model) => model.name === 'qwen3:latest')?.hosts).toEqual([
			hosts[0].url,
			hosts[2].url,
		]);
		expect(JSON.stringify(out)).not.toContain('s3cret');
		expect(out.every((model) => model.failedHosts === undefined)).toBe(true);
	});

	it('List: a host that fails is named on every model; the others still list', async () => {
		const down = `http://127.0.0.1:${await closedPort()}`;
		const out = await run({ resource: 'model', operation: 'list' }, [hosts[0].url, down]);
		expect(out.length).toBeGreaterThan(3);
		expect(out[0].hosts).toEqual([hosts[0].url]);
		expect(out[0].failedHosts).toEqual([{ host: down, error: expect.any(String) }]);
	});

	it('Ensure Present pulls only on the hosts that lack the model', async () => {
		await removeOn(hosts[2], 'llama3.2');
		const [out] = await run({
			resource: 'model',
			operation: 'ensurePresent',
			modelName: 'llama3.2',
		});
		expect(out).toMatchObject({ model: 'llama3.2', present: true, pulled: true });
		expect(out.hosts).toEqual([
			expect.objectContaining({ host: hosts[0].url, present: true, pulled: false }),
			expect.objectContaining({ host: hosts[1].url, present: true, pulled: false }),
			expect.objectContaining({
				host: hosts[2].url,
				present: true,
				pulled: true,
				status: 'success',
			}),
		]);
		expect(hosts.map((host) => paths(host, '/api/pull').length)).toEqual([0, 0, 1]);

		const [again] = await run({
			resource: 'model',
			operation: 'ensurePresent',
			modelName: 'llama3.2:latest',
		});
		expect(again).toMatchObject({ present: true, pulled: false });
		expect(hosts.map((host) => paths(host, '/api/pull').length)).toEqual([0, 0, 1]);
	});

	it('Pull runs on every host, each with its own result', async () => {
		const [out] = await run({ resource: 'model', operation: 'pull', modelName: 'mistral' });
		expect(out.model).toBe('mistral');
		expect(out.hosts).toEqual(
			urls().map((host) =>
				expect.objectContaining({ host, status: 'success', totalBytes: expect.any(Number) }),
			),
		);
		expect(hosts.map((host) => paths(host, '/api/pull').length)).toEqual([1, 1, 1]);
		const listed = await run({
			resource: 'model',
			operation: 'list',
			filters: { nameContains: 'mistral' },
		});
		expect(listed).toEqual([expect.objectContaining({ name: 'mistral:latest', hosts: urls() })]);
	});

	it('Pull: a host that fails is in its result, not the item’s; every host failing fails the item', async () => {
		const down = `http://127.0.0.1:${await closedPort()}`;
		const [partly] = await run({ resource: 'model', operation: 'pull', modelName: 'mistral' }, [
			hosts[0].url,
			down,
		]);
		expect(partly.error).toBeUndefined();
		expect(partly.hosts).toEqual([
			expect.objectContaining({ host: hosts[0].url, status: 'success' }),
			expect.objectContaining({ host: down, error: expect.any(String) }),
		]);

		const [failed] = await run({ resource: 'model', operation: 'pull', modelName: 'no-such' });
		expect(failed.error).toMatch(/^Every Ollama host failed\./);
		for (const host of urls()) {
			expect(failed.error).toContain(`${host}: pull model manifest: file does not exist`);
		}
	});

	it('Pull streams progress lines that name their host', async () => {
		const { chunks } = await runNode(
			node(
				{
					resource: 'model',
					operation: 'pull',
					modelName: 'phi3',
					options: { streamProgress: true },
				},
				urls(),
				{ streaming: true },
			),
		);
		expect(chunks.map((chunk) => chunk.type).filter((type) => type !== 'item')).toEqual([
			'begin',
			'end',
		]);
		const lines = chunks.filter((chunk) => chunk.type === 'item').map((chunk) => chunk.content);
		for (const host of urls()) expect(lines).toContain(`${host}: success\n`);
	});

	it('Get on one chosen host asks only that host and says which', async () => {
		const [out] = await run({
			resource: 'model',
			operation: 'get',
			model: byName('llama3.2'),
			host: hosts[1].url,
		});
		expect(out).toMatchObject({ model: 'llama3.2', host: hosts[1].url });
		expect(out.capabilities).toEqual(expect.arrayContaining(['completion', 'tools']));
		expect(out.hosts).toBeUndefined();
		expect(hosts.map((host) => paths(host, '/api/show').length)).toEqual([0, 1, 0]);
	});

	it('Get on all hosts: the details from the first that has it, each host’s outcome listed', async () => {
		await removeOn(hosts[0], 'qwen3');
		const [out] = await run({ resource: 'model', operation: 'get', model: byName('qwen3') });
		expect(out).toMatchObject({ model: 'qwen3', host: hosts[1].url });
		expect(out.capabilities).toContain('thinking');
		expect(out.hosts).toEqual([
			expect.objectContaining({
				host: hosts[0].url,
				error: expect.stringMatching(/^model 'qwen3(:latest)?' not found$/),
				httpCode: '404',
			}),
			{ host: hosts[1].url, modified_at: expect.any(String) },
			{ host: hosts[2].url, modified_at: expect.any(String) },
		]);
	});

	it('refuses a Host that is not one of the credential’s, naming the parameter', async () => {
		const [out] = await run({
			resource: 'model',
			operation: 'get',
			model: byName('llama3.2'),
			host: 'http://elsewhere:11434',
		});
		expect(out.error).toBe('"http://elsewhere:11434" is not one of the credential\'s hosts.');
		expect(out.description).toContain('"Host Name or ID"');
		expect(hosts.every((host) => host.requests.length === 0)).toBe(true);
	});

	it('Delete on all hosts: a host without the model says missing, the item succeeds', async () => {
		await removeOn(hosts[1], 'qwen3');
		const [out] = await run({ resource: 'model', operation: 'delete', model: byName('qwen3') });
		expect(out).toEqual({
			model: 'qwen3',
			deleted: true,
			hosts: [
				{ host: hosts[0].url, deleted: true },
				{ host: hosts[1].url, deleted: false, missing: true },
				{ host: hosts[2].url, deleted: true },
			],
		});

		// Now no host has it: an error naming each host, unless Ignore If Missing.
		const [again] = await run({ resource: 'model', operation: 'delete', model: byName('qwen3') });
		expect(again.error).toMatch(/^Every Ollama host failed\./);
		expect(again.error).toContain(`${hosts[2].url}: model 'qwen3' not found`);
		const [ignored] = await run({
			resource: 'model',
			operation: 'delete',
			model: byName('qwen3'),
			ignoreIfMissing: true,
		});
		expect(ignored).toMatchObject({ model: 'qwen3', deleted: false });
		expect(ignored.error).toBeUndefined();
	});

	it('Copy on all hosts: copied where the source is, the host without it says so', async () => {
		await removeOn(hosts[2], 'llama3.2');
		const [out] = await run({
			resource: 'model',
			operation: 'copy',
			model: byName('llama3.2'),
			destination: 'my-llama:v1',
		});
		expect(out).toMatchObject({ source: 'llama3.2', destination: 'my-llama:v1', copied: true });
		expect(out.hosts).toEqual([
			{ host: hosts[0].url, copied: true },
			{ host: hosts[1].url, copied: true },
			expect.objectContaining({ host: hosts[2].url, error: expect.stringMatching(/not found/) }),
		]);
	});

	it('Load, List Running and Unload per host', async () => {
		const [loaded] = await run({
			resource: 'running',
			operation: 'load',
			model: byName('llama3.2'),
		});
		expect(loaded).toEqual({
			model: 'llama3.2',
			action: 'load',
			hosts: urls().map((host) => ({ host, action: 'load' })),
		});
		await run({
			resource: 'running',
			operation: 'load',
			model: byName('qwen3'),
			host: hosts[2].url,
		});
		const running = await run({ resource: 'running', operation: 'list' });
		expect(running.map((model) => [model.host, model.name])).toEqual([
			[hosts[0].url, 'llama3.2:latest'],
			[hosts[1].url, 'llama3.2:latest'],
			[hosts[2].url, expect.any(String)],
			[hosts[2].url, expect.any(String)],
		]);
		const onOne = await run({ resource: 'running', operation: 'list', host: hosts[1].url });
		expect(onOne).toEqual([
			expect.objectContaining({ host: hosts[1].url, name: 'llama3.2:latest' }),
		]);

		const [unloaded] = await run({
			resource: 'running',
			operation: 'unload',
			model: byName('llama3.2'),
		});
		expect(unloaded).toEqual({
			model: 'llama3.2',
			action: 'unload',
			hosts: urls().map((host) => ({ host, action: 'unload' })),
		});
		const left = await run({ resource: 'running', operation: 'list' });
		expect(left.map((model) => [model.host, model.name])).toEqual([[hosts[2].url, 'qwen3:latest']]);
	});

	it('Version of every host', async () => {
		const [out] = await run({ resource: 'server', operation: 'version' });
		expect(out).toEqual({
			version: expect.stringMatching(/^\d+\.\d+\.\d+/),
			baseUrl: hosts[0].url,
			hosts: urls().map((host) => ({ host, version: out.version })),
		});
	});
});

describe('Model Management with one host', () => {
	const operations: INodeParameters[] = [
		{ resource: 'model', operation: 'list' },
		{ resource: 'model', operation: 'get', model: byName('llama3.2') },
		{ resource: 'model', operation: 'ensurePresent', modelName: 'llama3.2' },
		{ resource: 'model', operation: 'delete', model: byName('none'), ignoreIfMissing: true },
		{ resource: 'model', operation: 'delete', model: byName('none') },
		{ resource: 'running', operation: 'load', model: byName('llama3.2') },
		{ resource: 'running', operation: 'list' },
		{ resource: 'running', operation: 'unload', model: byName('llama3.2') },
		{ resource: 'server', operation: 'version' },
	];

	async function outputs(credentials: IDataObject, host?: string): Promise<IDataObject[][]> {
		const all: IDataObject[][] = [];
		for (const parameters of operations) {
			const { items, error } = await runNode({
				node: {
					type: OllamaModels,
					parameters: host ? { ...parameters, host } : parameters,
					continueOnFail: true,
				},
				credentials: { authentication: 'none', ...credentials },
			});
			if (error) throw error;
			all.push(items.map((item) => item.json));
		}
		return all;
	}

	/** Expiry counts down between runs. */
	const stable = (all: IDataObject[][]) =>
		all.map((items) => items.map(({ expiresInSeconds: _e, expires_at: _a, ...rest }) => rest));

	it('outputs as without More Hosts: empty More Hosts, or the Base URL chosen as Host', async () => {
		const url = hosts[0].url;
		const plain = await outputs({ baseUrl: url });
		const requests = hosts[0].requests.map((r) => `${r.method} ${r.path}`);
		expect(JSON.stringify(plain)).not.toMatch(/"hosts?"/);
		expect(plain[4][0].error).toBe("model 'none' not found");
		hosts[0].clearRequests();
		expect(stable(await outputs({ baseUrl: url, hosts: '' }))).toEqual(stable(plain));
		expect(stable(await outputs({ baseUrl: url, hosts: `${url}/` }, url))).toEqual(stable(plain));
		expect(hosts[0].requests.map((r) => `${r.method} ${r.path}`)).toEqual([
			...requests,
			...requests,
		]);
	});
});

describe('the core client’s hosts', () => {
	it('hostUrls: the Base URL first, each host once, without user:password', () => {
		const secret = hosts[1].url.replace('http://', 'http://someone:s3cret@');
		const client = clientFor(hosts[0].url, { hosts: [secret, `${hosts[2].url}/`, hosts[2].url] });
		expect(client.hostUrls).toEqual(urls());
		expect(clientFor(hosts[0].url, { hosts: [hosts[0].url] }).hostUrls).toEqual([hosts[0].url]);
		expect(client.onHost('http://elsewhere:11434')).toBeUndefined();
	});

	it('onHost: a client for that host alone, no pool (no probe, no /api/ps, no failover)', async () => {
		const client = clientFor(hosts[0].url, { hosts: [hosts[1].url, hosts[2].url] });
		const one = client.onHost(hosts[1].url);
		expect(one?.hostUrls).toEqual([hosts[1].url]);
		await one?.generate({ model: 'llama3.2', prompt: 'Item 0' });
		expect(hosts.map((host) => host.requests.map((r) => r.path))).toEqual([
			[],
			['/api/generate'],
			[],
		]);
		await removeOn(hosts[2], 'llama3.2');
		await expect(
			client.onHost(hosts[2].url)?.generate({ model: 'llama3.2', prompt: 'Item 0' }),
		).rejects.toThrow(/not found/);
		expect(hosts[0].requests).toHaveLength(0);
	});
});

describe('the Host parameter’s choices (listHosts)', () => {
	const choices = async (credentials: IDataObject) =>
		await listHosts.call({
			getCredentials: async () => credentials,
			getNode: () => ({ credentials: {} }),
			helpers: { httpRequestWithAuthentication: async () => ({}) },
		} as unknown as ILoadOptionsFunctions);

	it('All Hosts first, then the Base URL and More Hosts, without user:password', async () => {
		const out = await choices({
			baseUrl: 'http://gpu-1:11434/',
			hosts: 'http://someone:s3cret@gpu-2:11434\n\ngpu-3',
		});
		expect(out.map((choice) => choice.value)).toEqual([
			'all',
			'http://gpu-1:11434',
			'http://gpu-2:11434',
			'http://gpu-3:11434',
		]);
		expect(JSON.stringify(out)).not.toContain('s3cret');
	});

	it('one host: All Hosts and that host', async () => {
		const out = await choices({ baseUrl: 'http://localhost:11434' });
		expect(out.map((choice) => choice.value)).toEqual(['all', 'http://localhost:11434']);
	});
});
