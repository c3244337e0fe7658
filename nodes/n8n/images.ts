import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

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
	const images: string[] = [];
	for (const name of names) {
		const binary = item.binary?.[name];
		if (!binary) {
			throw new NodeOperationError(
				context.getNode(),
				`Item ${itemIndex} has no binary property "${name}".`,
				{
					itemIndex,
					description: `Check the "${parameter}" parameter: it names binary properties of the input item, separated by commas.`,
				},
			);
		}
		if (!binary.mimeType?.startsWith('image/')) {
			throw new NodeOperationError(
				context.getNode(),
				`Binary property "${name}" is ${binary.mimeType || 'of unknown type'}, not an image.`,
				{ itemIndex, description: `Check the "${parameter}" parameter.` },
			);
		}
		const buffer = await context.helpers.getBinaryDataBuffer(itemIndex, name);
		images.push(buffer.toString('base64'));
	}
	return images;
}
