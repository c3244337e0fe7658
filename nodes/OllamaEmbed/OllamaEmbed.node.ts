import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { searchEmbeddingModels } from '../methods/listSearch';
import { embedItems } from './execute';
import { properties } from './properties';

export class OllamaEmbed implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Ollama Embed',
		name: 'ollamaEmbed',
		icon: { light: 'file:../icons/ollama.svg', dark: 'file:../icons/ollama.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle:
			'={{"Embed with " + ($parameter["model"].cachedResultName || $parameter["model"].value || "a model")}}',
		description: 'Turn texts into vectors with an Ollama embedding model, many texts per request',
		defaults: { name: 'Ollama Embed' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'ollamaServerApi', required: true }],
		properties,
	};

	methods = { listSearch: { searchEmbeddingModels } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await embedItems.call(this);
	}
}
