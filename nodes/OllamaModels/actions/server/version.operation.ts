import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { OllamaClient } from '../../../core/client';
import { hostProperty, onChosenHosts } from '../hosts';

export const description = updateDisplayOptions(
	{ show: { resource: ['server'], operation: ['version'] } },
	[hostProperty],
);

/**
 * With several hosts and All Hosts: `version` and `baseUrl` of the first host that answered,
 * and in `hosts` each host's version or error.
 */
export async function execute(
	this: IExecuteFunctions,
	client: OllamaClient,
	i: number,
): Promise<IDataObject> {
	return await onChosenHosts(this, client, i, {
		common: {},
		run: async (hostClient) => {
			const { version } = await hostClient.version();
			return { version, baseUrl: hostClient.displayUrl };
		},
		summary: ([first]) => ({ version: first.value.version, baseUrl: first.host }),
		entry: (value) => ({ version: value.version }),
	});
}
