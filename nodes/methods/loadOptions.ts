import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { connectClient } from '../n8n/client';
import { ALL_HOSTS } from '../OllamaModels/actions/hosts';

/** The Host parameter's choices: All Hosts, then each host of the credential (no user:password). */
export async function listHosts(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const client = await connectClient(this);
	const hosts = client.hostUrls.filter((url) => url !== '');
	return [
		{ name: 'All Hosts', value: ALL_HOSTS, description: 'Every host, one result per host' },
		...hosts.map((url, k) => ({
			name: url,
			value: url,
			description: k === 0 ? 'The Base URL' : 'One of More Hosts',
		})),
	];
}
