import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { parameterErrors } from '../../n8n/parameterError';
import { checkModelName } from '../../parameters/model';

/** A free-text model name (for models that need not exist yet: pull, create, copy target). */
export function modelNameParameter(
	displayName: string,
	description: string,
	name = 'modelName',
): INodeProperties {
	return {
		displayName,
		name,
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. llama3.2',
		description,
	};
}

export function readModelName(
	context: IExecuteFunctions,
	itemIndex: number,
	parameter: string,
): string {
	const name = String(context.getNodeParameter(parameter, itemIndex, '')).trim();
	return checkModelName(name, parameter, parameterErrors(context, itemIndex));
}
