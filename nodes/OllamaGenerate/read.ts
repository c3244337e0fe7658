import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { readImageSources } from '../n8n/images';
import { parameterErrors } from '../n8n/parameterError';
import type { GenerateInput } from './body';

/** Generate's own request fields for one item, checked before anything is sent. */
export async function readGenerateFields(
	context: IExecuteFunctions,
	itemIndex: number,
	values: IDataObject,
): Promise<{ fields: GenerateInput; returnContext: boolean }> {
	const fail = parameterErrors(context, itemIndex, { kind: 'option' });
	const fields: GenerateInput = {};

	for (const name of ['system', 'suffix', 'template'] as const) {
		const value = values[name];
		if (value === undefined || value === '') continue;
		if (typeof value !== 'string')
			throw fail(name, `${name} must be text, not ${JSON.stringify(value)}.`);
		fields[name] = value;
	}
	if (values.raw === true) fields.raw = true;
	const images = await readImageSources(
		context,
		itemIndex,
		{ binary: values.images, urls: values.imageUrls, data: values.imageData },
		{ binary: 'Images', urls: 'Image URLs', data: 'Image Data' },
		'option',
	);
	if (images.length) fields.images = images;
	if (values.context !== undefined) {
		const contextTokens = readContext(values.context);
		if (contextTokens === undefined) {
			throw fail(
				'Context',
				'Context must be an array of numbers, as a previous Generate returned it.',
			);
		}
		if (contextTokens.length) fields.context = contextTokens;
	}
	if (fields.raw && (fields.system || fields.template || fields.context)) {
		throw fail(
			'Raw',
			'Raw cannot be combined with System, Template or Context: Ollama refuses that (raw mode uses no template).',
		);
	}
	return { fields, returnContext: values.returnContext === true };
}

function readContext(value: unknown): number[] | undefined {
	let parsed = value;
	if (typeof value === 'string') {
		if (value.trim() === '') return [];
		try {
			parsed = JSON.parse(value);
		} catch {
			return undefined;
		}
	}
	if (!Array.isArray(parsed) || !parsed.every((n) => typeof n === 'number' && Number.isInteger(n)))
		return undefined;
	return parsed as number[];
}
