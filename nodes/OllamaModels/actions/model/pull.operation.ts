import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { OllamaClient } from '../../../core/client';
import { transferModel, transferOptions } from '../progress';
import { modelNameParameter, readModelName } from '../target';

const properties: INodeProperties[] = [
	modelNameParameter('Model', 'The model to download, e.g. llama3.2 or qwen3:8b'),
	transferOptions,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['model'], operation: ['pull'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	client: OllamaClient,
	i: number,
): Promise<IDataObject> {
	return await transferModel(this, client, 'pull', readModelName(this, i, 'modelName'), i);
}
