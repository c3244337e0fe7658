import type { INodeProperties } from 'n8n-workflow';

import { keepAliveProperty } from '../parameters/keepAlive';
import { modelLocator } from '../parameters/model';
import { optionsCollection } from '../parameters/options';
import type { ModelOptionName } from '../parameters/modelOptions';
import { pickModelOptions } from '../parameters/modelOptions';
import { pullIfMissingOption } from '../parameters/pullIfMissing';
import { reliabilityCollection } from '../parameters/reliability';

/** The `options` that change how an embedding model is loaded. */
export const LOAD_OPTIONS: readonly ModelOptionName[] = ['num_ctx', 'num_thread', 'num_gpu'];

/** Texts per /api/embed request (Embed and the Embeddings sub-node). */
/**
 * The Options collection of an embedding node: what /api/embed takes (load options, Dimensions,
 * Keep Alive, Truncate) and the node's own `extra`.
 */
export function embeddingOptions(extra: INodeProperties[]): INodeProperties {
	return optionsCollection([
		...extra,
		...pickModelOptions(LOAD_OPTIONS),
		dimensionsOption,
		keepAliveProperty(),
		truncateOption,
	]);
}

export const batchSizeProperty: INodeProperties = {
	displayName: 'Batch Size',
	name: 'batchSize',
	type: 'number',
	default: 32,
	typeOptions: { minValue: 1 },
	description:
		'Texts sent in one request, taken from consecutive items. Larger batches are much faster; 1 sends every text on its own.',
};

export const dimensionsOption: INodeProperties = {
	displayName: 'Dimensions',
	name: 'dimensions',
	type: 'number',
	default: 512,
	typeOptions: { minValue: 1 },
	description:
		"Length of the vectors: the model's vectors are cut to this size and normalised again (models trained for it, e.g. nomic-embed-text, keep their quality). A size longer than the model's vectors is an error.",
};

export const truncateOption: INodeProperties = {
	displayName: 'Truncate',
	name: 'truncate',
	type: 'boolean',
	default: true,
	description:
		"Whether to cut texts longer than the model's context to fit (Ollama's default). Off makes an over-long text an error for its item.",
};

export const properties: INodeProperties[] = [
	modelLocator('searchEmbeddingModels', {
		description:
			'The embedding model, e.g. nomic-embed-text. The list shows embedding models only.',
	}),
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		default: '={{ $json.text }}',
		required: true,
		typeOptions: { rows: 2 },
		description:
			'The text to embed, or an expression giving a list of texts (the item then gets a list of vectors). Empty texts are an error: Ollama returns no vector for them.',
	},
	batchSizeProperty,
	{
		displayName: 'Concurrency',
		name: 'concurrency',
		type: 'number',
		default: 1,
		typeOptions: { minValue: 1 },
		description:
			'Batches in flight at once. Ollama serves OLLAMA_NUM_PARALLEL requests per model (default 1) and queues the rest.',
	},
	{
		displayName: 'Output Field',
		name: 'outputField',
		type: 'string',
		default: 'embedding',
		required: true,
		description: 'Field of the output item that receives the vector (or the list of vectors)',
	},
	embeddingOptions([
		{
			displayName: 'API',
			name: 'api',
			type: 'options',
			default: 'auto',
			options: [
				{
					name: 'Auto',
					value: 'auto',
					description:
						'/api/embed in batches; when the server does not have it (Ollama before 0.3.0), /api/embeddings one text at a time',
				},
				{
					name: 'Embed',
					value: 'embed',
					description: '/api/embed only: several texts per request',
				},
				{
					name: 'Legacy Embeddings',
					value: 'embeddings',
					description:
						'/api/embeddings only: one text per request; vectors are normalised like /api/embed ones',
				},
			],
			description: 'Which Ollama endpoint makes the vectors',
		},
		{
			displayName: 'Include Input Text',
			name: 'includeText',
			type: 'boolean',
			default: false,
			description: 'Whether to add the embedded text (or list of texts) to the output as "text"',
		},
		{
			displayName: 'Keep Input Fields',
			name: 'keepInputFields',
			type: 'boolean',
			default: false,
			description:
				'Whether to keep the fields of the input item and add the vector to them; otherwise the output holds only the vector, its dimensions and the model',
		},
	]),
	reliabilityCollection([pullIfMissingOption]),
];
