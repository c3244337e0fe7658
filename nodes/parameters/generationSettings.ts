import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { MAX_JSON_DEPTH, nestsDeeperThan } from '../core/jsonDepth';
import type { ChatRequest, Format } from '../core/types';
import type { ThinkingMode } from '../generation/output';
import type { ParameterContext } from '../n8n/context';
import { readCount } from '../n8n/itemValues';
import { parameterErrors } from '../n8n/parameterError';
import { GENERATION_OPTION_NAMES, MAX_CONCURRENCY, THINK_VALUES } from './generation';
import { readKeepAlive } from './keepAlive';
import { MODEL_OPTIONS, toOllamaOptions } from './modelOptions';

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
	context: ParameterContext,
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
