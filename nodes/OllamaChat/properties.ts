import type { INodeProperties } from 'n8n-workflow';

import { imageProperties } from '../parameters/images';
import { messageFields as roleAndContent } from '../parameters/messages';

const defineOnly = { show: { messagesSource: ['define'] } };

/** How the conversation is given: message by message in the UI, or as a JSON history. */
export const messageFields: INodeProperties[] = [
	{
		displayName: 'Messages From',
		name: 'messagesSource',
		type: 'options',
		noDataExpression: true,
		default: 'define',
		options: [
			{ name: 'Define Below', value: 'define', description: 'Write the messages here' },
			{
				name: 'JSON',
				value: 'json',
				description:
					'A JSON array of {role, content} messages, e.g. a history from a previous node',
			},
		],
	},
	{
		displayName: 'Messages',
		name: 'messages',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		default: { message: [{ role: 'user', content: '' }] },
		placeholder: 'Add Message',
		displayOptions: defineOnly,
		options: [
			{
				displayName: 'Message',
				name: 'message',
				values: [...roleAndContent(['assistant', 'system', 'tool', 'user']), ...imageProperties],
			},
		],
	},
	{
		displayName: 'Messages (JSON)',
		name: 'messagesJson',
		type: 'json',
		default: '[\n  { "role": "user", "content": "Hello!" }\n]',
		required: true,
		description:
			'Roles: system, user, assistant, tool. Images in "images": base64, data URLs or http(s) URLs (fetched by n8n).',
		displayOptions: { show: { messagesSource: ['json'] } },
	},
];

/** Chat's own options, next to the shared generation options. */
export const chatFields: INodeProperties[] = [
	{
		displayName: 'System Message',
		name: 'systemMessage',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		description: 'Put first in the conversation as a system message',
	},
	{
		displayName: 'Tools (JSON)',
		name: 'tools',
		type: 'json',
		default:
			'[\n  {\n    "type": "function",\n    "function": {\n      "name": "get_weather",\n      "description": "Current weather for a city",\n      "parameters": {\n        "type": "object",\n        "properties": { "city": { "type": "string" } },\n        "required": ["city"]\n      }\n    }\n  }\n]',
		description:
			'Functions the model may call. Its calls come out in "tool_calls"; answer them with role "tool" messages in the next Chat.',
	},
];
