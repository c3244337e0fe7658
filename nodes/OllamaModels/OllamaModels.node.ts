import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { reliabilityCollection } from '../parameters/reliability';
import * as copy from './actions/model/copy.operation';
import * as create from './actions/model/create.operation';
import * as deleteModel from './actions/model/delete.operation';
import * as ensurePresent from './actions/model/ensurePresent.operation';
import * as get from './actions/model/get.operation';
import * as list from './actions/model/list.operation';
import * as pull from './actions/model/pull.operation';
import * as push from './actions/model/push.operation';
import * as load from './actions/running/load.operation';
import * as unload from './actions/running/unload.operation';
import { searchModels } from '../methods/listSearch';
import { router } from './actions/router';

const resource: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	default: 'model',
	options: [
		{ name: 'Model', value: 'model', description: 'Models stored on the server' },
		{ name: 'Running Model', value: 'running', description: 'Models loaded in memory' },
		{ name: 'Server', value: 'server' },
	],
};

const modelOperations: INodeProperties = {
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

const runningOperations: INodeProperties = {
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

const serverOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['server'] } },
	default: 'version',
	options: [{ name: 'Get Version', value: 'version', action: 'Get the server version' }],
};

export class OllamaModels implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Ollama Model Management',
		name: 'ollamaModels',
		icon: { light: 'file:../icons/ollama.svg', dark: 'file:../icons/ollama.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'List, pull, create, copy, delete, load and unload Ollama models',
		defaults: { name: 'Ollama Model Management' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'ollamaServerApi', required: true }],
		properties: [
			resource,
			modelOperations,
			runningOperations,
			serverOperations,
			...list.description,
			...get.description,
			...pull.description,
			...ensurePresent.description,
			...push.description,
			...copy.description,
			...deleteModel.description,
			...create.description,
			...load.description,
			...unload.description,
			reliabilityCollection(),
		],
	};

	methods = { listSearch: { searchModels } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
