import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { modelLocator, readModel } from '../../../parameters/model';
import type { OllamaClient } from '../../../core/client';
import { sameModel } from '../../../core/modelName';
import { hostProperty, onChosenHosts } from '../hosts';
import { modelNameParameter, readModelName } from '../target';

const properties: INodeProperties[] = [
	modelLocator('searchModels', { displayName: 'Source Model', description: 'The model to copy' }),
	modelNameParameter('Destination', 'Name of the copy, e.g. my-llama:v1', 'destination'),
	hostProperty,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['model'], operation: ['copy'] } },
	properties,
);

/** With several hosts and All Hosts: copied on each host that has the source (`hosts`). */
export async function execute(
	this: IExecuteFunctions,
	client: OllamaClient,
	i: number,
): Promise<IDataObject> {
	const source = readModel(this, i);
	const destination = readModelName(this, i, 'destination');
	if (sameModel(source, destination)) {
		throw new NodeOperationError(this.getNode(), `Cannot copy "${source}" onto itself.`, {
			itemIndex: i,
			description: 'Choose a Destination name that differs from the Source Model.',
		});
	}
	return await onChosenHosts(this, client, i, {
		common: { source, destination },
		run: async (hostClient) => {
			await hostClient.copy({ source, destination });
			return { source, destination, copied: true };
		},
		summary: () => ({ copied: true }),
	});
}
