import type {
	IDataObject,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
	ISupplyDataFunctions,
	SupplyData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { ollamaEmbeddings } from '../ai/embeddings';
import { connectionHint } from '../ai/notice';
import { searchEmbeddingModels } from '../methods/listSearch';
import { connectClient } from '../n8n/client';
import { readCount } from '../n8n/itemValues';
import { parameterErrors } from '../n8n/parameterError';
import { modelLocator, readModel } from '../parameters/model';
import { pullIfMissingOption, readPullIfMissing } from '../parameters/pullIfMissing';
import { readClientSettings, reliabilityCollection } from '../parameters/reliability';
import { batchSizeProperty, embeddingOptions } from '../OllamaEmbed/properties';
import { readRequestOptions } from '../OllamaEmbed/read';

/**
 * Vector stores hand over batches of their own (the Simple Vector Store: 200 texts): the default
 * sends each in one request rather than cutting it up.
 */
const subNodeBatchSize: INodeProperties = {
	...batchSizeProperty,
	default: 512,
	description:
		'Most texts sent in one request. Vector stores already hand over batches (e.g. 200 texts), each sent in one request up to this size; 1 sends every text on its own.',
};

export class OllamaEmbeddings implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Ollama Embeddings',
		name: 'ollamaEmbeddings',
		icon: { light: 'file:../icons/ollama.svg', dark: 'file:../icons/ollama.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["model"].cachedResultName || $parameter["model"].value }}',
		description: 'Ollama embeddings for vector stores, in batches over /api/embed',
		defaults: { name: 'Ollama Embeddings' },
		inputs: [],
		outputs: [NodeConnectionTypes.AiEmbedding],
		outputNames: ['Embeddings'],
		credentials: [{ name: 'ollamaServerApi', required: true }],
		properties: [
			connectionHint(
				"This node must be connected to a vector store. <a data-action='openSelectiveNodeCreator' data-action-parameter-connectiontype='ai_vectorStore'>Insert one</a>",
			),
			modelLocator('searchEmbeddingModels', {
				description:
					'The embedding model, e.g. nomic-embed-text. The list shows embedding models only.',
			}),
			embeddingOptions([subNodeBatchSize]),
			reliabilityCollection([pullIfMissingOption]),
		],
	};

	methods = { listSearch: { searchEmbeddingModels } };

	async supplyData(this: ISupplyDataFunctions, itemIndex: number): Promise<SupplyData> {
		const fail = parameterErrors(this, itemIndex);
		const model = readModel(this, itemIndex, 'model', fail);
		const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
		const batchSize =
			options.batchSize === undefined
				? (subNodeBatchSize.default as number)
				: readCount(this, 'options.batchSize', 'Batch Size');
		const client = await connectClient(this, readClientSettings(this));
		const settings = {
			model,
			api: 'embed' as const,
			...readRequestOptions(this, itemIndex, options, fail),
			pullIfMissing: readPullIfMissing(this, itemIndex),
		};
		return { response: ollamaEmbeddings(this, client, settings, batchSize) };
	}
}
