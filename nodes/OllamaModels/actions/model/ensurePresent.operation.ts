import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { OllamaClient } from '../../../core/client';
import { sameModel } from '../../../core/modelName';
import { hostResults, isPool, succeeded } from '../hosts';
import { pullOnEveryHost, sendProgressNote, transferModel, transferOptions } from '../progress';
import { modelNameParameter, readModelName } from '../target';

const properties: INodeProperties[] = [
	modelNameParameter(
		'Model',
		'The model that must be on the server (on every host of the credential), e.g. llama3.2; pulled only where missing',
	),
	transferOptions,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['model'], operation: ['ensurePresent'] } },
	properties,
);

/** The model as the server lists it, when it has it. */
async function findModel(
	client: OllamaClient,
	model: string,
): Promise<{ name: string; digest: string } | undefined> {
	const { models } = await client.list();
	return models.find((entry) => sameModel(entry.name, model));
}

/**
 * With several hosts: each host pulls the model only if it lacks it, all at once; `present` says
 * every host has it now, `pulled` that some host pulled it, `hosts` what each host did.
 */
export async function execute(
	this: IExecuteFunctions,
	client: OllamaClient,
	i: number,
): Promise<IDataObject> {
	const model = readModelName(this, i, 'modelName');
	if (isPool(client)) {
		const outcomes = await pullOnEveryHost(
			this,
			client,
			model,
			i,
			async (hostClient, note) => {
				const present = await findModel(hostClient, model);
				if (!present) return undefined;
				note(`${present.name} is already present`);
				return { present: true, pulled: false, name: present.name, digest: present.digest };
			},
			{ present: true, pulled: true },
		);
		const done = succeeded(outcomes);
		return {
			model,
			present: done.length === outcomes.length,
			pulled: done.some((outcome) => outcome.value.pulled === true),
			hosts: hostResults(outcomes),
		};
	}
	const present = await findModel(client, model);
	if (present) {
		sendProgressNote(this, i, `${present.name} is already present`);
		return { model, present: true, pulled: false, name: present.name, digest: present.digest };
	}
	return { ...(await transferModel(this, client, 'pull', model, i)), present: true, pulled: true };
}
