import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { modelLocator, readModel } from '../../../parameters/model';
import type { OllamaClient } from '../../../core/client';
import { hostProperty, onChosenHosts } from '../hosts';
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
	hostProperty,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['model'], operation: ['get'] } },
	properties,
);

/**
 * With several hosts and All Hosts: the details from the first host that has the model (`host`),
 * and in `hosts` each host's modified_at or error.
 */
export async function execute(
	this: IExecuteFunctions,
	client: OllamaClient,
	i: number,
): Promise<IDataObject> {
	const model = readModel(this, i);
	const verbose = this.getNodeParameter('verbose', i, false) as boolean;
	return await onChosenHosts(this, client, i, {
		common: { model },
		run: async (hostClient) => await show(hostClient, model, verbose),
		summary: ([first]) => ({ ...first.value, host: first.host }),
		entry: (value) => ({ modified_at: value.modified_at }),
	});
}

async function show(client: OllamaClient, model: string, verbose: boolean): Promise<IDataObject> {
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
		modelfile: shown.modelfile ?? '',
		model_info: shown.model_info as IDataObject,
		modified_at: shown.modified_at,
		...(shown.messages ? { messages: shown.messages as unknown as IDataObject[] } : {}),
		...(shown.tensors ? { tensors: shown.tensors as unknown as IDataObject[] } : {}),
	};
}
