import type { INodeProperties } from 'n8n-workflow';

import * as copy from './copy.operation';
import * as create from './create.operation';
import * as deleteModel from './delete.operation';
import * as ensurePresent from './ensurePresent.operation';
import * as get from './get.operation';
import * as list from './list.operation';
import * as pull from './pull.operation';
import * as push from './push.operation';

/** What each operation of the Model resource does for one item, by its value. */
export const operations = {
	copy,
	create,
	delete: deleteModel,
	ensurePresent,
	get,
	list,
	pull,
	push,
};

const operation: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['model'] } },
	default: 'list',
	options: [
		{
			name: 'Copy',
			value: 'copy',
			action: 'Copy a model',
			description: 'Copy a model under a new name',
		},
		{
			name: 'Create',
			value: 'create',
			action: 'Create a model',
			description: 'Create a model from a base model or a Modelfile',
		},
		{
			name: 'Delete',
			value: 'delete',
			action: 'Delete a model',
			description: 'Delete a model from the server',
		},
		{
			name: 'Ensure Present',
			value: 'ensurePresent',
			action: 'Ensure a model is present',
			description: 'Pull a model only if the server does not have it',
		},
		{
			name: 'Get',
			value: 'get',
			action: 'Get a model',
			description: 'Show details, capabilities and parameters of a model',
		},
		{
			name: 'List',
			value: 'list',
			action: 'List models',
			description: 'List the models on the server',
		},
		{
			name: 'Pull',
			value: 'pull',
			action: 'Pull a model',
			description: 'Download a model from the registry',
		},
		{
			name: 'Push',
			value: 'push',
			action: 'Push a model',
			description: 'Upload a model to a registry',
		},
	],
};

export const description: INodeProperties[] = [
	operation,
	...list.description,
	...get.description,
	...pull.description,
	...ensurePresent.description,
	...push.description,
	...copy.description,
	...deleteModel.description,
	...create.description,
];
