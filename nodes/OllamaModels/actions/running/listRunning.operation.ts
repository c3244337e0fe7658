import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { OllamaClient } from '../../../core/client';
import type { ProcessModel } from '../../../core/types';
import { humanBytes } from '../format';
import { chosenHosts, hostProperty, isPool, listOnHosts } from '../hosts';

/** Ollama writes "forever" as now + the largest Go duration, about 292 years ahead. */
const FOREVER_AFTER_MS = 100 * 365 * 24 * 3600 * 1000;

export const description = updateDisplayOptions(
	{ show: { resource: ['running'], operation: ['list'] } },
	[hostProperty],
);

/** With several hosts: one item per model per host it runs on, with `host`. */
export async function execute(
	this: IExecuteFunctions,
	client: OllamaClient,
	i: number,
): Promise<IDataObject[]> {
	const hosts = chosenHosts(this, client, i);
	if (!isPool(client)) return runningOutput((await client.ps()).models);
	const lists = await listOnHosts(this, client, i, hosts, async (hostClient) =>
		runningOutput((await hostClient.ps()).models),
	);
	return lists.lists.flatMap(({ host, entries }) =>
		entries.map((entry) => ({ ...entry, host, ...lists.failedHosts })),
	);
}

function runningOutput(models: ProcessModel[]): IDataObject[] {
	const now = Date.now();
	return models.map((model) => {
		const expiresInMs = Date.parse(model.expires_at) - now;
		const forever = expiresInMs > FOREVER_AFTER_MS;
		return {
			name: model.name,
			model: model.model,
			size: model.size,
			sizeHuman: humanBytes(model.size),
			size_vram: model.size_vram,
			context_length: model.context_length,
			digest: model.digest,
			details: model.details as unknown as IDataObject,
			expires_at: forever ? null : model.expires_at,
			expiresInSeconds: forever ? null : Math.max(0, Math.round(expiresInMs / 1000)),
			keptForever: forever,
		};
	});
}
