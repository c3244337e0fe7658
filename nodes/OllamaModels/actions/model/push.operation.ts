import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { modelLocator, readModel } from '../../../parameters/model';
import type { OllamaClient } from '../../../core/client';
import { transferModel, transferOptions } from '../progress';

const properties: INodeProperties[] = [
	modelLocator('searchModels', {
		description: 'The local model to upload, named <namespace>/<model>:<tag> for the registry',
	}),
	transferOptions,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['model'], operation: ['push'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	client: OllamaClient,
	i: number,
): Promise<IDataObject> {
	return await transferModel(this, client, 'push', readModel(this, i), i);
}
