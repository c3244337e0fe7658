import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { modelNameProblem } from '../core/modelName';

/**
 * The model picker: "From List" (searchable, filtered to what the node can use) or "By Name"
 * (free text or an expression, resolved per item).
 */
export function modelLocator(
	searchListMethod: string,
	overrides: Partial<INodeProperties> = {},
): INodeProperties {
	return {
		displayName: 'Model',
		name: 'model',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: 'The Ollama model to use',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod, searchable: true },
			},
			{
				displayName: 'By Name',
				name: 'name',
				type: 'string',
				placeholder: 'e.g. llama3.2 or qwen3:8b',
				hint: 'Any model name, or an expression. Names without a tag mean :latest.',
			},
		],
		...overrides,
	};
}

/** The model for one item, checked before anything is sent. */
export function readModel(
	context: IExecuteFunctions,
	itemIndex: number,
	parameter = 'model',
): string {
	const value = context.getNodeParameter(parameter, itemIndex, '', { extractValue: true });
	const name = typeof value === 'string' ? value.trim() : '';
	return checkModelName(context, name, itemIndex, parameter === 'model' ? 'Model' : parameter);
}

/** Refuses a model name Ollama would refuse, naming the parameter and the item. */
export function checkModelName(
	context: IExecuteFunctions,
	name: string,
	itemIndex: number,
	parameter: string,
): string {
	const problem = modelNameProblem(name);
	if (problem) {
		throw new NodeOperationError(context.getNode(), problem, {
			itemIndex,
			description: `Check the "${parameter}" parameter.`,
		});
	}
	return name;
}
