import type { INodeProperties } from 'n8n-workflow';

/** A node's "Options" collection, its entries in alphabetical order (n8n's lint rule). */
export function optionsCollection(options: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [...options].sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
}
