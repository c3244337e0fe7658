import type { IExecuteFunctions } from 'n8n-workflow';

import { parameterErrors } from './parameterError';

/**
 * The images named by a comma-separated list of binary property names, as the plain base64
 * Ollama wants (a `data:` prefix makes it answer 400).
 */
export async function readImages(
	context: IExecuteFunctions,
	itemIndex: number,
	propertyList: string,
	parameter: string,
): Promise<string[]> {
	const names = propertyList
		.split(',')
		.map((name) => name.trim())
		.filter((name) => name !== '');
	const item = context.getInputData()[itemIndex];
	const fail = parameterErrors(context, itemIndex);
	const images: string[] = [];
	for (const name of names) {
		const binary = item.binary?.[name];
		if (!binary) {
			throw fail(
				parameter,
				`Item ${itemIndex} has no binary property "${name}".`,
				'it names binary properties of the input item, separated by commas.',
			);
		}
		if (!binary.mimeType?.startsWith('image/')) {
			throw fail(
				parameter,
				`Binary property "${name}" is ${binary.mimeType || 'of unknown type'}, not an image.`,
			);
		}
		const buffer = await context.helpers.getBinaryDataBuffer(itemIndex, name);
		images.push(buffer.toString('base64'));
	}
	return images;
}
