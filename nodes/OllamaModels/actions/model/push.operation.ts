import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { modelLocator, readModel } from '../../../descriptions/model';
import type { OllamaClient } from '../../../shared/client';
import { progressOutput } from '../format';
import { transferOptions, withProgressChunks } from '../progress';

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
	const model = readModel(this, i);
	const insecure = this.getNodeParameter('options.insecure', i, false) as boolean;
	const startedAt = Date.now();
	const progress = await withProgressChunks(
		this,
		i,
		async (onDelta) =>
			await client.push(
				{ model, ...(insecure ? { insecure: true } : {}) },
				{ itemIndex: i, onDelta },
			),
	);
	return progressOutput(model, progress, startedAt);
}
