import type { INodeProperties, NodeHint } from 'n8n-workflow';

import type { Think } from '../core/types';
import { keepAliveProperty } from './keepAlive';
import type { ModelOptionName } from './modelOptions';
import { pickModelOptions } from './modelOptions';
import { optionsCollection } from './options';

/** Items in flight per node; more only queues at the server and costs memory. */
export const MAX_CONCURRENCY = 64;

/** The model options (Ollama's `options` object) that Generate and Chat send. */
export const GENERATION_OPTION_NAMES: ModelOptionName[] = [
	'num_ctx',
	'num_predict',
	'temperature',
	'top_k',
	'top_p',
	'min_p',
	'typical_p',
	'repeat_last_n',
	'repeat_penalty',
	'presence_penalty',
	'frequency_penalty',
	'seed',
	'stop',
	'num_keep',
	'num_batch',
	'num_gpu',
	'main_gpu',
	'use_mmap',
	'num_thread',
];

/** The Thinking choices and what each sends as `think` (default: nothing, the model decides). */
export const THINK_VALUES: Record<string, Think | undefined> = {
	default: undefined,
	on: true,
	off: false,
	low: 'low',
	medium: 'medium',
	high: 'high',
	max: 'max',
};

/** Top-level request fields and output settings, the same for Generate and Chat. */
const generationFields: INodeProperties[] = [
	{
		displayName: 'Concurrency',
		name: 'concurrency',
		type: 'number',
		default: 1,
		typeOptions: { minValue: 1, maxValue: MAX_CONCURRENCY },
		description:
			'How many items are sent to Ollama at once; output keeps the input order. About twice the server’s OLLAMA_NUM_PARALLEL keeps every slot busy while n8n prepares the next items.',
	},
	{
		displayName: 'Output Format',
		name: 'format',
		type: 'options',
		default: 'text',
		description: 'Ask for structured output; the answer is then parsed into JSON',
		options: [
			{ name: 'Text', value: 'text' },
			{ name: 'JSON', value: 'json', description: 'Any valid JSON' },
			{ name: 'JSON Schema', value: 'schema', description: 'JSON that follows the schema below' },
		],
	},
	{
		displayName: 'JSON Schema',
		name: 'jsonSchema',
		type: 'json',
		default:
			'{\n  "type": "object",\n  "properties": {\n    "answer": { "type": "string" }\n  },\n  "required": ["answer"]\n}',
		description: 'The shape the answer must have',
		displayOptions: { show: { format: ['schema'] } },
	},
	keepAliveProperty(),
	{
		displayName: 'Log Probabilities',
		name: 'logprobs',
		type: 'boolean',
		default: false,
		description: 'Whether to return the log probability of each output token',
	},
	{
		displayName: 'Top Log Probabilities',
		name: 'top_logprobs',
		type: 'number',
		default: 5,
		typeOptions: { minValue: 0, maxValue: 20 },
		description: 'How many most likely alternatives to return per token',
		displayOptions: { show: { logprobs: [true] } },
	},
	{
		displayName: 'Thinking',
		name: 'think',
		type: 'options',
		default: 'default',
		description:
			'Reasoning for thinking models; models without it refuse anything but Default and Off',
		options: [
			{
				name: 'Default',
				value: 'default',
				description: 'The model decides (thinking models think)',
			},
			{ name: 'High', value: 'high' },
			{ name: 'Low', value: 'low' },
			{ name: 'Max', value: 'max' },
			{ name: 'Medium', value: 'medium' },
			{ name: 'Off', value: 'off' },
			{ name: 'On', value: 'on' },
		],
	},
	{
		displayName: 'Thinking Output',
		name: 'thinkingMode',
		type: 'options',
		default: 'separate',
		description:
			'What to do with the model’s reasoning, including &lt;think&gt; tags older models write into the text',
		options: [
			{ name: 'Separate Field', value: 'separate', description: 'Put it in a "thinking" field' },
			{ name: 'Drop', value: 'drop', description: 'Leave it out of the output' },
			{
				name: 'Include Inline',
				value: 'inline',
				description: 'Keep it in the text inside &lt;think&gt; tags',
			},
		],
	},
	{
		displayName: 'Stream Response',
		name: 'streamResponse',
		type: 'boolean',
		default: true,
		description:
			'Whether to send tokens live when the workflow streams its response (Webhook or Chat Trigger in streaming mode). The full text is still the node’s output.',
	},
	{
		displayName: 'Stream Thinking',
		name: 'streamThinking',
		type: 'boolean',
		default: false,
		description: 'Whether live streaming also sends the model’s reasoning',
	},
	{
		displayName: 'Raw Response',
		name: 'rawResponse',
		type: 'boolean',
		default: false,
		description:
			'Whether to output Ollama’s final response object as it is, instead of the simplified output',
	},
];

/** Options about a node's items and output, which an AI sub-node (one model, no items) does not have. */
export const ITEM_OUTPUT_OPTIONS = [
	'concurrency',
	'streamResponse',
	'streamThinking',
	'rawResponse',
	'thinkingMode',
	'logprobs',
	'top_logprobs',
];

/**
 * The Options collection of a generating node: its own fields, the shared ones, every model
 * option, less the shared ones named in `omit`.
 */
export function generationOptions(extra: INodeProperties[], omit: string[] = []): INodeProperties {
	const options = [
		...extra,
		...generationFields.filter((field) => !omit.includes(field.name)),
		...pickModelOptions(GENERATION_OPTION_NAMES),
	];
	return optionsCollection(options);
}

export const streamingHint: NodeHint = {
	message:
		'You are using streaming responses. Make sure to set the response mode to "Streaming Response" on the connected trigger node.',
	type: 'warning',
	location: 'outputPane',
	whenToDisplay: 'afterExecution',
	displayCondition: '={{ $parameter["options"]["streamResponse"] !== false }}',
};
