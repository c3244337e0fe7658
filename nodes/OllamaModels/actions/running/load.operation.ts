import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { modelLocator, readModel } from '../../../descriptions/model';
import type { OllamaClient } from '../../../shared/client';
import { parseKeepAlive } from '../../../shared/keepAlive';
import type { KeepAlive } from '../../../shared/types';

const properties: INodeProperties[] = [
	modelLocator('searchModels', { description: 'The model to load into memory' }),
	{
		displayName: 'Keep Alive',
		name: 'keepAlive',
		type: 'string',
		default: '',
		placeholder: 'e.g. 5m, 1h, -1',
		description:
			'How long the model stays loaded: a duration (5m, 1h30m), seconds (300), -1 for as long as the server runs. Empty means the server default (5m).',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['running'], operation: ['load'] } },
	properties,
);

/**
 * Loads or unloads with an empty request, as Ollama documents: /api/generate for models that
 * generate text, /api/embed for embedding-only models (which refuse /api/generate).
 */
export async function loadOrUnload(
	client: OllamaClient,
	model: string,
	keepAlive: KeepAlive | undefined,
	i: number,
): Promise<IDataObject> {
	const keep = keepAlive === undefined ? {} : { keep_alive: keepAlive };
	const fallback = keepAlive === 0 ? 'unload' : 'load';
	const { capabilities } = await client.show({ model }, { itemIndex: i });
	if (capabilities?.includes('embedding') && !capabilities.includes('completion')) {
		await client.embed({ model, input: [], ...keep }, { itemIndex: i });
		return { model, action: fallback };
	}
	const result = await client.generate({ model, prompt: '', ...keep }, { itemIndex: i });
	return { model, action: result.done_reason ?? fallback };
}

export async function execute(
	this: IExecuteFunctions,
	client: OllamaClient,
	i: number,
): Promise<IDataObject> {
	const model = readModel(this, i);
	let keepAlive: KeepAlive | undefined;
	try {
		keepAlive = parseKeepAlive(this.getNodeParameter('keepAlive', i, ''));
	} catch (error) {
		throw new NodeOperationError(this.getNode(), (error as Error).message, { itemIndex: i });
	}
	return await loadOrUnload(client, model, keepAlive, i);
}
