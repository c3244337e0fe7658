import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { modelLocator, readModel } from '../../../parameters/model';
import type { OllamaClient } from '../../../core/client';
import { hostProperty } from '../hosts';
import { loadOrUnload } from './load.operation';

const properties: INodeProperties[] = [
	modelLocator('searchModels', { description: 'The model to free from memory' }),
	hostProperty,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['running'], operation: ['unload'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	client: OllamaClient,
	i: number,
): Promise<IDataObject> {
	return await loadOrUnload(this, client, readModel(this, i), 0, i);
}
