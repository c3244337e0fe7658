import type { INodeProperties } from 'n8n-workflow';

import * as listRunning from './listRunning.operation';
import * as load from './load.operation';
import * as unload from './unload.operation';

/** What each operation of the Running Model resource does for one item, by its value. */
export const operations = { list: listRunning, load, unload };

const operation: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['running'] } },
	default: 'list',
	options: [
		{
			name: 'List',
			value: 'list',
			action: 'List running models',
			description: 'List the models loaded in memory',
		},
		{
			name: 'Load',
			value: 'load',
			action: 'Load a model',
			description: 'Load a model into memory',
		},
		{
			name: 'Unload',
			value: 'unload',
			action: 'Unload a model',
			description: 'Free a model from memory',
		},
	],
};

export const description: INodeProperties[] = [
	operation,
	...listRunning.description,
	...load.description,
	...unload.description,
];
