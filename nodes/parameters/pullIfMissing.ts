import type { INodeProperties } from 'n8n-workflow';

import type { ParameterContext } from '../n8n/context';

/** "Pull Model If Missing": for `reliabilityCollection([pullIfMissingOption])` or an Options collection. */
export const pullIfMissingOption: INodeProperties = {
	displayName: 'Pull Model If Missing',
	name: 'pullIfMissing',
	type: 'boolean',
	default: false,
	description:
		'Whether to download the model when the server answers that it does not have it, then try once more. A large model can take minutes to download.',
};

export function readPullIfMissing(
	context: ParameterContext,
	itemIndex: number,
	parameter = 'reliability.pullIfMissing',
): boolean {
	return context.getNodeParameter(parameter, itemIndex, false) === true;
}
