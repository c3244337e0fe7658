import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { modelLocator, readModel } from '../../../parameters/model';
import type { OllamaClient } from '../../../core/client';
import { parseParameters } from '../showParameters';

const properties: INodeProperties[] = [
	modelLocator('searchModels'),
	{
		displayName: 'Verbose',
		name: 'verbose',
		type: 'boolean',
		default: false,
		description: 'Whether to include the full model_info (tokenizer arrays) and tensors',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['model'], operation: ['get'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	client: OllamaClient,
	i: number,
): Promise<IDataObject> {
	const model = readModel(this, i);
	const verbose = this.getNodeParameter('verbose', i, false) as boolean;
	const shown = await client.show({ model, ...(verbose ? { verbose: true } : {}) });
	return {
		model,
		capabilities: shown.capabilities ?? [],
		details: shown.details as unknown as IDataObject,
		parameters: parseParameters(shown.parameters ?? ''),
		parametersText: shown.parameters ?? '',
		template: shown.template ?? '',
		system: shown.system ?? '',
		license: shown.license ?? '',
		model_info: shown.model_info as IDataObject,
		modified_at: shown.modified_at,
		...(shown.messages ? { messages: shown.messages as unknown as IDataObject[] } : {}),
		...(shown.tensors ? { tensors: shown.tensors as unknown as IDataObject[] } : {}),
	};
}
