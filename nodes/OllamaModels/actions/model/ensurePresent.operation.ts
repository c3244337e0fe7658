import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { OllamaClient } from '../../../core/client';
import { sameModel } from '../../../core/modelName';
import { sendProgressNote, transferModel, transferOptions } from '../progress';
import { modelNameParameter, readModelName } from '../target';

const properties: INodeProperties[] = [
	modelNameParameter(
		'Model',
		'The model that must be on the server, e.g. llama3.2; pulled only if missing',
	),
	transferOptions,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['model'], operation: ['ensurePresent'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	client: OllamaClient,
	i: number,
): Promise<IDataObject> {
	const model = readModelName(this, i, 'modelName');
	const { models } = await client.list();
	const present = models.find((entry) => sameModel(entry.name, model));
	if (present) {
		sendProgressNote(this, i, `${present.name} is already present`);
		return { model, present: true, pulled: false, name: present.name, digest: present.digest };
	}
	return { ...(await transferModel(this, client, 'pull', model, i)), present: true, pulled: true };
}
