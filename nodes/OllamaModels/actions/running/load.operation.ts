import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { keepAliveProperty, readKeepAlive } from '../../../parameters/keepAlive';
import { modelLocator, readModel } from '../../../parameters/model';
import type { OllamaClient } from '../../../core/client';
import type { KeepAlive } from '../../../core/types';
import { hostProperty, onChosenHosts } from '../hosts';

const properties: INodeProperties[] = [
	modelLocator('searchModels', { description: 'The model to load into memory' }),
	keepAliveProperty('keepAlive', ''),
	hostProperty,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['running'], operation: ['load'] } },
	properties,
);

/**
 * Loads or unloads with an empty request, as Ollama documents: /api/generate for models that
 * generate text, /api/embed for embedding-only models (which refuse /api/generate).
 */
async function loadOrUnloadOn(
	client: OllamaClient,
	model: string,
	keepAlive: KeepAlive | undefined,
): Promise<IDataObject> {
	const keep = keepAlive === undefined ? {} : { keep_alive: keepAlive };
	const fallback = keepAlive === 0 ? 'unload' : 'load';
	const { capabilities } = await client.show({ model });
	if (capabilities?.includes('embedding') && !capabilities.includes('completion')) {
		await client.embed({ model, input: [], ...keep });
		return { model, action: fallback };
	}
	const result = await client.generate({ model, prompt: '', ...keep });
	return { model, action: result.done_reason ?? fallback };
}

/**
 * Loads or unloads on the hosts the Host parameter chooses. With several hosts and All Hosts:
 * `action` from the first host that did it, and in `hosts` each host's action or error.
 */
export async function loadOrUnload(
	context: IExecuteFunctions,
	client: OllamaClient,
	model: string,
	keepAlive: KeepAlive | undefined,
	i: number,
): Promise<IDataObject> {
	return await onChosenHosts(context, client, i, {
		common: { model },
		run: async (hostClient) => await loadOrUnloadOn(hostClient, model, keepAlive),
		summary: ([first]) => ({ action: first.value.action }),
	});
}

export async function execute(
	this: IExecuteFunctions,
	client: OllamaClient,
	i: number,
): Promise<IDataObject> {
	return await loadOrUnload(
		this,
		client,
		readModel(this, i),
		readKeepAlive(this, 'keepAlive', i),
		i,
	);
}
