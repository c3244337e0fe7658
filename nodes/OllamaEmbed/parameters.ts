import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { parameterErrors } from '../n8n/parameterError';

import { keepAliveProperty, readKeepAlive } from '../parameters/keepAlive';
import { modelLocator, readModel } from '../parameters/model';
import type { ModelOptionName } from '../parameters/modelOptions';
import { pickModelOptions, toOllamaOptions } from '../parameters/modelOptions';
import { pullIfMissingOption, readPullIfMissing } from '../parameters/pullIfMissing';
import { reliabilityCollection } from '../parameters/reliability';
import { itemValueReader } from '../n8n/itemValues';
import type { ApiMode, ItemJob } from './plan';

/** The `options` that change how an embedding model is loaded. */
export const LOAD_OPTIONS: readonly ModelOptionName[] = ['num_ctx', 'num_thread', 'num_gpu'];

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
	{
		displayName: 'Batch Size',
		name: 'batchSize',
		type: 'number',
		default: 32,
		typeOptions: { minValue: 1 },
		description:
			'Texts sent in one request, taken from consecutive items. Larger batches are much faster; 1 sends every text on its own.',
	},
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
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
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
			...pickModelOptions(['num_ctx', 'num_thread']),
			{
				displayName: 'Dimensions',
				name: 'dimensions',
				type: 'number',
				default: 512,
				typeOptions: { minValue: 1 },
				description:
					"Length of the vectors: the model's vectors are cut to this size and normalised again (models trained for it, e.g. nomic-embed-text, keep their quality). A size longer than the model's vectors is an error.",
			},
			...pickModelOptions(['num_gpu']),
			{
				displayName: 'Include Input Text',
				name: 'includeText',
				type: 'boolean',
				default: false,
				description: 'Whether to add the embedded text (or list of texts) to the output as "text"',
			},
			keepAliveProperty(),
			{
				displayName: 'Keep Input Fields',
				name: 'keepInputFields',
				type: 'boolean',
				default: false,
				description:
					'Whether to keep the fields of the input item and add the vector to them; otherwise the output holds only the vector, its dimensions and the model',
			},
			{
				displayName: 'Truncate',
				name: 'truncate',
				type: 'boolean',
				default: true,
				description:
					"Whether to cut texts longer than the model's context to fit (Ollama's default). Off makes an over-long text an error for its item.",
			},
		],
	},
	reliabilityCollection([pullIfMissingOption]),
];

/** How an item's output looks; resolved per item like everything else. */
export interface OutputSettings {
	field: string;
	includeText: boolean;
	keepInputFields: boolean;
}

export interface ReadItem {
	job: ItemJob;
	output: OutputSettings;
}

const API_MODES: readonly ApiMode[] = ['auto', 'embed', 'embeddings'];

/**
 * A reader of everything one item needs, checked before anything is sent. Errors name the
 * parameter and the item.
 */
export function itemReader(context: IExecuteFunctions): (itemIndex: number) => ReadItem {
	const readText = itemValueReader(context, 'text');
	return (itemIndex) => readItem(context, itemIndex, readText);
}

function readItem(
	context: IExecuteFunctions,
	itemIndex: number,
	readText: (itemIndex: number) => unknown,
): ReadItem {
	const fail = parameterErrors(context, itemIndex, { nameItem: true });
	const invalid = (message: string, parameter: string) => fail(parameter, message);

	const model = readModel(context, itemIndex, 'model', fail);
	const { texts, list } = readTexts(readText(itemIndex), itemIndex, (m) => invalid(m, 'Text'));
	const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;

	const api = (options.api ?? 'auto') as ApiMode;
	if (!API_MODES.includes(api)) {
		throw invalid(
			`The "API" of item ${itemIndex} is "${String(api)}", not one of ${API_MODES.join(', ')}.`,
			'API',
		);
	}
	let dimensions: number | undefined;
	if (
		options.dimensions !== undefined &&
		options.dimensions !== '' &&
		options.dimensions !== null
	) {
		dimensions = Number(options.dimensions);
		if (!Number.isInteger(dimensions) || dimensions < 1) {
			throw invalid(
				`The "Dimensions" of item ${itemIndex} must be a whole number of 1 or more, not ${JSON.stringify(options.dimensions)}.`,
				'Dimensions',
			);
		}
	}
	let truncate: boolean | undefined;
	if (options.truncate !== undefined) {
		if (typeof options.truncate !== 'boolean') {
			throw invalid(
				`The "Truncate" of item ${itemIndex} must be true or false, not ${JSON.stringify(options.truncate)}.`,
				'Truncate',
			);
		}
		truncate = options.truncate;
	}
	const keepAlive =
		options.keep_alive === undefined
			? undefined
			: readKeepAlive(context, 'options.keep_alive', itemIndex, fail);
	const loadOptions = toOllamaOptions(options, LOAD_OPTIONS);
	for (const [name, value] of Object.entries(loadOptions ?? {})) {
		if (typeof value !== 'number' || !Number.isInteger(value)) {
			throw invalid(
				`The option "${name}" of item ${itemIndex} must be a whole number, not ${JSON.stringify(value)}.`,
				name,
			);
		}
	}

	const field = String(
		context.getNodeParameter('outputField', itemIndex, 'embedding') ?? '',
	).trim();
	if (field === '')
		throw invalid(`The "Output Field" of item ${itemIndex} is empty.`, 'Output Field');

	return {
		job: {
			itemIndex,
			texts,
			list,
			settings: {
				model,
				api,
				truncate,
				dimensions,
				keepAlive,
				options: loadOptions,
				pullIfMissing: readPullIfMissing(context, itemIndex),
			},
		},
		output: {
			field,
			includeText: options.includeText === true,
			keepInputFields: options.keepInputFields === true,
		},
	};
}

/** The texts of one item: a string, or a list of strings; none of them empty. */
export function readTexts(
	value: unknown,
	itemIndex: number,
	invalid: (message: string) => Error,
): { texts: string[]; list: boolean } {
	if (typeof value === 'string') {
		if (value.trim() === '') {
			throw invalid(
				`The "Text" of item ${itemIndex} is empty or only whitespace: Ollama returns no vector for it.`,
			);
		}
		return { texts: [value], list: false };
	}
	if (Array.isArray(value)) {
		if (value.length === 0) {
			throw invalid(`The "Text" of item ${itemIndex} is an empty list: there is nothing to embed.`);
		}
		value.forEach((entry, position) => {
			if (typeof entry !== 'string') {
				throw invalid(
					`Entry ${position} of the "Text" list of item ${itemIndex} is ${describe(entry)}, not a string.`,
				);
			}
			if (entry.trim() === '') {
				throw invalid(
					`Entry ${position} of the "Text" list of item ${itemIndex} is empty or only whitespace: Ollama returns no vector for it.`,
				);
			}
		});
		return { texts: value as string[], list: true };
	}
	throw invalid(
		`The "Text" of item ${itemIndex} is ${describe(value)}, not a string or a list of strings.`,
	);
}

function describe(value: unknown): string {
	if (value === undefined) return 'missing (undefined)';
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'object') return 'an object';
	return `a ${typeof value} (${JSON.stringify(value)})`;
}
