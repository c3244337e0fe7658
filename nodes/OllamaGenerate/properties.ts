import type { INodeProperties } from 'n8n-workflow';

import { imageProperties } from '../parameters/images';

/** Generate's own options, next to the shared generation options. */
export const generateFields: INodeProperties[] = [
	{
		displayName: 'System',
		name: 'system',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		description: 'System prompt; replaces the one in the model’s Modelfile',
	},
	{
		displayName: 'Suffix',
		name: 'suffix',
		type: 'string',
		default: '',
		description:
			'Text after the insertion point, for fill-in-the-middle with insert-capable (code) models',
	},
	{
		displayName: 'Template',
		name: 'template',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		description: 'Prompt template (Go template syntax); replaces the model’s',
	},
	{
		displayName: 'Raw',
		name: 'raw',
		type: 'boolean',
		default: false,
		description:
			'Whether to send the prompt as is, without the model’s template (cannot be combined with System, Template or Context)',
	},
	...imageProperties,
	{
		displayName: 'Context',
		name: 'context',
		type: 'json',
		default: '[]',
		description:
			'The "context" array a previous Generate returned (with Return Context on), to continue that conversation; use an expression that reads it from the input item',
	},
	{
		displayName: 'Return Context',
		name: 'returnContext',
		type: 'boolean',
		default: false,
		description:
			'Whether to output the "context" array, for a continuation by a following Generate',
	},
];
