import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { OllamaClient } from '../../../core/client';
import { hostResults, isPool } from '../hosts';
import { pullOnEveryHost, transferModel, transferOptions } from '../progress';
import { modelNameParameter, readModelName } from '../target';

const properties: INodeProperties[] = [
	modelNameParameter(
		'Model',
		'The model to download, e.g. llama3.2 or qwen3:8b (on every host of the credential)',
	),
	transferOptions,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['model'], operation: ['pull'] } },
	properties,
);

/** With several hosts: pulled on every host at once, each host's result in `hosts`. */
export async function execute(
	this: IExecuteFunctions,
	client: OllamaClient,
	i: number,
): Promise<IDataObject> {
	const model = readModelName(this, i, 'modelName');
	if (!isPool(client)) return await transferModel(this, client, 'pull', model, i);
	const startedAt = Date.now();
	const outcomes = await pullOnEveryHost(this, client, model, i);
	return { model, durationMs: Date.now() - startedAt, hosts: hostResults(outcomes) };
}
