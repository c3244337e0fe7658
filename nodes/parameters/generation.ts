import type { IDataObject, IExecuteFunctions, INodeProperties, NodeHint } from 'n8n-workflow';

import type { ThinkingMode } from '../generation/output';
import { readCount } from '../n8n/itemValues';
import { parameterErrors } from '../n8n/parameterError';
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../core/jsonDepth';
import type { ChatRequest, Format, Think } from '../core/types';
import { keepAliveProperty, readKeepAlive } from './keepAlive';
import type { ModelOptionName } from './modelOptions';
import { MODEL_OPTIONS, pickModelOptions, toOllamaOptions } from './modelOptions';

/** Items in flight per node; more only queues at the server and costs memory. */
const MAX_CONCURRENCY = 64;

/** The options of protocol §1.4 that Generate and Chat send inside `options`. */
const GENERATION_OPTION_NAMES: ModelOptionName[] = [
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

const THINK_VALUES: Record<string, Think | undefined> = {
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

/** The Options collection of a generating node: its own fields, the shared ones, every model option. */
export function generationOptions(extra: INodeProperties[]): INodeProperties {
	const options = [...extra, ...generationFields, ...pickModelOptions(GENERATION_OPTION_NAMES)];
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: options.sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
}

export const streamingHint: NodeHint = {
	message:
		'You are using streaming responses. Make sure to set the response mode to "Streaming Response" on the connected trigger node.',
	type: 'warning',
	location: 'outputPane',
	whenToDisplay: 'afterExecution',
	displayCondition: '={{ $parameter["options"]["streamResponse"] !== false }}',
};

export type GenerationFields = Pick<
	ChatRequest,
	'options' | 'format' | 'think' | 'keep_alive' | 'logprobs' | 'top_logprobs'
>;

export interface GenerationSettings {
	/** The Options collection as set for the item, for the node's own fields. */
	values: IDataObject;
	/** What Generate and Chat both send next to model and prompt/messages (see their body.ts). */
	request: GenerationFields;
	thinkingMode: ThinkingMode;
	streamResponse: boolean;
	streamThinking: boolean;
	rawResponse: boolean;
}

/** Reads and checks the shared options of one item; a bad value names the option and the item. */
export function readGenerationSettings(
	context: IExecuteFunctions,
	itemIndex: number,
): GenerationSettings {
	const values = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const fail = parameterErrors(context, itemIndex, { kind: 'option' });

	for (const name of GENERATION_OPTION_NAMES) {
		const value = values[name];
		if (value === undefined) continue;
		const expected = MODEL_OPTIONS[name].type;
		const ok =
			expected === 'number'
				? typeof value === 'number' && Number.isFinite(value)
				: expected === 'boolean'
					? typeof value === 'boolean'
					: Array.isArray(value) || typeof value === 'string';
		if (!ok) {
			const label = MODEL_OPTIONS[name].displayName;
			throw fail(
				label,
				`${label} must be a ${expected === 'string' ? 'list of texts' : expected}, not ${JSON.stringify(value)}.`,
			);
		}
	}

	const request: GenerationSettings['request'] = {};
	const options = toOllamaOptions(values, GENERATION_OPTION_NAMES);
	if (options) request.options = options;

	const format = (values.format as string | undefined) ?? 'text';
	if (format === 'json') request.format = 'json';
	else if (format === 'schema') request.format = readSchema(values.jsonSchema, fail);
	else if (format !== 'text')
		throw fail(
			'Output Format',
			`Output Format must be Text, JSON or JSON Schema, not "${format}".`,
		);

	const think = String(values.think ?? 'default');
	if (!(think in THINK_VALUES)) {
		throw fail(
			'Thinking',
			`Thinking must be one of ${Object.keys(THINK_VALUES).join(', ')}, not "${think}".`,
		);
	}
	if (THINK_VALUES[think] !== undefined) request.think = THINK_VALUES[think];

	if (values.keep_alive !== undefined) {
		const keepAlive = readKeepAlive(context, 'options.keep_alive', itemIndex);
		if (keepAlive !== undefined) request.keep_alive = keepAlive;
	}
	if (values.logprobs === true) {
		request.logprobs = true;
		if (values.top_logprobs !== undefined) {
			const top = values.top_logprobs;
			if (typeof top !== 'number' || !Number.isInteger(top) || top < 0 || top > 20) {
				throw fail(
					'Top Log Probabilities',
					`Top Log Probabilities must be a whole number from 0 to 20, not ${JSON.stringify(top)}.`,
				);
			}
			request.top_logprobs = top;
		}
	}

	const thinkingMode = String(values.thinkingMode ?? 'separate') as ThinkingMode;
	if (!['separate', 'drop', 'inline'].includes(thinkingMode)) {
		throw fail(
			'Thinking Output',
			`Thinking Output must be separate, drop or inline, not "${thinkingMode}".`,
		);
	}
	return {
		values,
		request,
		thinkingMode,
		streamResponse: values.streamResponse !== false,
		streamThinking: values.streamThinking === true,
		rawResponse: values.rawResponse === true,
	};
}

/** The node-wide Concurrency (read once, from the first item). */
export function readConcurrency(context: IExecuteFunctions): number {
	return readCount(context, 'options.concurrency', 'Concurrency', MAX_CONCURRENCY);
}

function readSchema(value: unknown, fail: (option: string, message: string) => Error): Format {
	let schema = value;
	if (typeof value === 'string') {
		const parsed = parseJson(value);
		if (parsed.error) throw fail('JSON Schema', `JSON Schema is not valid JSON: ${parsed.error}`);
		schema = parsed.value;
	}
	if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
		throw fail(
			'JSON Schema',
			'JSON Schema must be a JSON object, e.g. {"type": "object", "properties": {…}}.',
		);
	}
	if (nestsDeeperThan(schema)) {
		throw fail('JSON Schema', `JSON Schema is nested more than ${MAX_JSON_DEPTH} levels deep.`);
	}
	return schema as Format;
}

function parseJson(text: string): { value?: unknown; error?: string } {
	try {
		return { value: JSON.parse(text) };
	} catch (error) {
		return { error: (error as Error).message };
	}
}
