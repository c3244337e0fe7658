import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { OllamaClient } from '../../../shared/client';
import { progressOutput } from '../format';
import { transferOptions, withProgressChunks } from '../progress';
import { modelNameParameter, readModelName } from '../target';

const properties: INodeProperties[] = [
	modelNameParameter('Model', 'The model to download, e.g. llama3.2 or qwen3:8b'),
	transferOptions,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['model'], operation: ['pull'] } },
	properties,
);

/** Pulls `model` and returns the aggregated progress; shared with Ensure Present. */
export async function pullModel(
	context: IExecuteFunctions,
	client: OllamaClient,
	model: string,
	i: number,
): Promise<IDataObject> {
	const insecure = context.getNodeParameter('options.insecure', i, false) as boolean;
	const startedAt = Date.now();
	const progress = await withProgressChunks(
		context,
		i,
		async (onDelta) =>
			await client.pull(
				{ model, ...(insecure ? { insecure: true } : {}) },
				{ itemIndex: i, onDelta },
			),
	);
	return progressOutput(model, progress, startedAt);
}

export async function execute(
	this: IExecuteFunctions,
	client: OllamaClient,
	i: number,
): Promise<IDataObject> {
	return await pullModel(this, client, readModelName(this, i, 'modelName'), i);
}
