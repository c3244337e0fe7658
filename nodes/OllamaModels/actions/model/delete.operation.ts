import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { modelLocator, readModel } from '../../../parameters/model';
import type { OllamaClient } from '../../../core/client';

const properties: INodeProperties[] = [
	modelLocator('searchModels', { description: 'The model to delete from the server' }),
	{
		displayName: 'Ignore If Missing',
		name: 'ignoreIfMissing',
		type: 'boolean',
		default: false,
		description: 'Whether a model that is not there counts as deleted instead of an error',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['model'], operation: ['delete'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	client: OllamaClient,
	i: number,
): Promise<IDataObject> {
	const model = readModel(this, i);
	const ignoreIfMissing = this.getNodeParameter('ignoreIfMissing', i, false) as boolean;
	const deleted = await client.delete({ model }, { ignoreMissing: ignoreIfMissing });
	return deleted ? { model, deleted: true } : { model, deleted: false, missing: true };
}
