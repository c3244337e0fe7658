import type { INodeProperties } from 'n8n-workflow';
import { modelNameProblem } from '../core/modelName';
import type { ParameterContext } from '../n8n/context';
import type { ParameterError } from '../n8n/parameterError';
import { parameterErrors } from '../n8n/parameterError';

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
	context: ParameterContext,
	itemIndex: number,
	parameter = 'model',
	fail: ParameterError = parameterErrors(context, itemIndex),
): string {
	const value = context.getNodeParameter(parameter, itemIndex, '', { extractValue: true });
	const name = typeof value === 'string' ? value.trim() : '';
	return checkModelName(name, parameter === 'model' ? 'Model' : parameter, fail);
}

/** Refuses a model name Ollama would refuse, naming the parameter and the item. */
export function checkModelName(name: string, label: string, fail: ParameterError): string {
	const problem = modelNameProblem(name);
	if (problem) throw fail(label, problem);
	return name;
}
