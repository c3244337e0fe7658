import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { reliabilityCollection } from '../parameters/reliability';
import * as model from './actions/model';
import * as running from './actions/running';
import * as server from './actions/server';
import { searchModels } from '../methods/listSearch';
import { listHosts } from '../methods/loadOptions';
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
			...model.description,
			...running.description,
			...server.description,
			reliabilityCollection(),
		],
	};

	methods = { listSearch: { searchModels }, loadOptions: { listHosts } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
