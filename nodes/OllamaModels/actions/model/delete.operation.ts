import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { modelLocator, readModel } from '../../../parameters/model';
import type { OllamaClient } from '../../../core/client';
import { isModelNotFound } from '../../../core/failures';
import { asNodeError } from '../../../n8n/items';
import { everyHostFailed, failIfNoneSucceeded, hostProperty, onChosenHosts } from '../hosts';

const properties: INodeProperties[] = [
	modelLocator('searchModels', { description: 'The model to delete from the server' }),
	{
		displayName: 'Ignore If Missing',
		name: 'ignoreIfMissing',
		type: 'boolean',
		default: false,
		description:
			'Whether a model that is not there counts as deleted instead of an error (with All Hosts: whether the item may succeed when no host had it)',
	},
	hostProperty,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['model'], operation: ['delete'] } },
	properties,
);

/**
 * With several hosts and All Hosts: deleted on each host that has it; a host without it says
 * `missing` (not an error). The item fails when no host deleted the model, unless Ignore If
 * Missing is on: then only when every host failed.
 */
export async function execute(
	this: IExecuteFunctions,
	client: OllamaClient,
	i: number,
): Promise<IDataObject> {
	const model = readModel(this, i);
	const ignoreIfMissing = this.getNodeParameter('ignoreIfMissing', i, false) as boolean;
	// With every host: the hosts that lacked the model, with what they said.
	const notFound = new Map<string, unknown>();
	return await onChosenHosts(this, client, i, {
		common: { model },
		run: async (hostClient, host, every) => {
			if (!every) {
				const deleted = await hostClient.delete({ model }, { ignoreMissing: ignoreIfMissing });
				return deleted ? { model, deleted: true } : { model, deleted: false, missing: true };
			}
			return await hostClient.delete({ model }).then(
				() => ({ model, deleted: true }),
				(error: unknown) => {
					if (!isModelNotFound(error)) throw error;
					notFound.set(host, error);
					return { model, deleted: false, missing: true };
				},
			);
		},
		summary: (done) => ({ deleted: done.some((outcome) => outcome.value.deleted === true) }),
		check: (outcomes) => {
			if (ignoreIfMissing) return failIfNoneSucceeded(outcomes);
			if (outcomes.some((outcome) => 'value' in outcome && outcome.value.deleted === true)) return;
			throw everyHostFailed(
				outcomes.map((outcome) =>
					'error' in outcome
						? outcome
						: { host: outcome.host, error: asNodeError(this, notFound.get(outcome.host), i) },
				),
			);
		},
	});
}
