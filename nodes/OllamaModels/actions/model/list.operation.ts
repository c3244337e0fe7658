import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { CatalogModel } from '../../../core/catalog';
import { hasCapabilities, listModelsWithCapabilities } from '../../../core/catalog';
import type { OllamaClient } from '../../../core/client';
import { normalizeModelName } from '../../../core/modelName';
import type { Capability } from '../../../core/types';
import { humanBytes } from '../format';
import { isPool, listOnHosts } from '../hosts';

const properties: INodeProperties[] = [
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Capabilities',
				name: 'capabilities',
				type: 'multiOptions',
				default: [],
				description:
					'Only models that have all of these (asks /api/show when the server does not list them)',
				options: [
					{ name: 'Completion', value: 'completion' },
					{ name: 'Embedding', value: 'embedding' },
					{ name: 'Insert', value: 'insert' },
					{ name: 'Thinking', value: 'thinking' },
					{ name: 'Tools', value: 'tools' },
					{ name: 'Vision', value: 'vision' },
				],
			},
			{
				displayName: 'Name Contains',
				name: 'nameContains',
				type: 'string',
				default: '',
				description: 'Only models whose name contains this text (case-insensitive)',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['model'], operation: ['list'] } },
	properties,
);

/**
 * With several hosts: every model of any host, once, with `hosts` naming the hosts that have
 * it (its other fields from the first of them).
 */
export async function execute(
	this: IExecuteFunctions,
	client: OllamaClient,
	i: number,
): Promise<IDataObject[]> {
	const filters = this.getNodeParameter('filters', i, {}) as {
		capabilities?: Capability[];
		nameContains?: string;
	};
	const wanted = filters.capabilities ?? [];
	const needle = (filters.nameContains ?? '').trim().toLowerCase();
	const list = async (server: OllamaClient): Promise<IDataObject[]> => {
		const models: CatalogModel[] = wanted.length
			? await listModelsWithCapabilities(server)
			: (await server.list()).models;
		return models
			.filter((model) => needle === '' || model.name.toLowerCase().includes(needle))
			.filter((model) => wanted.length === 0 || hasCapabilities(model, wanted))
			.map((model) => ({
				name: model.name,
				model: model.model,
				size: model.size,
				sizeHuman: humanBytes(model.size),
				digest: model.digest,
				modified_at: model.modified_at,
				details: model.details as unknown as IDataObject,
				...(model.capabilities ? { capabilities: model.capabilities } : {}),
			}));
	};
	if (!isPool(client)) return await list(client);
	const { lists, failedHosts } = await listOnHosts(this, client, i, client.hostUrls, list);
	const merged = new Map<string, { entry: IDataObject; hosts: string[] }>();
	for (const { host, entries } of lists) {
		for (const entry of entries) {
			const key = normalizeModelName(String(entry.name));
			const seen = merged.get(key);
			if (seen) seen.hosts.push(host);
			else merged.set(key, { entry, hosts: [host] });
		}
	}
	return [...merged.values()].map(({ entry, hosts }) => ({ ...entry, hosts, ...failedHosts }));
}
