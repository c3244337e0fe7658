import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { itemValueReader } from '../n8n/itemValues';
import type { ParameterContext } from '../n8n/context';
import type { ParameterError } from '../n8n/parameterError';
import { parameterErrors } from '../n8n/parameterError';
import { readKeepAlive } from '../parameters/keepAlive';
import { readModel } from '../parameters/model';
import { toOllamaOptions } from '../parameters/modelOptions';
import { readPullIfMissing } from '../parameters/pullIfMissing';
import type { ApiMode, ItemJob, RequestSettings } from './plan';
import { LOAD_OPTIONS } from './properties';

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
	const request = readRequestOptions(context, itemIndex, options, fail);

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
				...request,
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

/**
 * The /api/embed fields of the Options collection (truncate, dimensions, keep alive, load
 * options), checked. Shared with the Embeddings sub-node.
 */
export function readRequestOptions(
	context: ParameterContext,
	itemIndex: number,
	options: IDataObject,
	fail: ParameterError,
): Pick<RequestSettings, 'truncate' | 'dimensions' | 'keepAlive' | 'options'> {
	const invalid = (message: string, parameter: string) => fail(parameter, message);
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

	return { truncate, dimensions, keepAlive, options: loadOptions };
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
