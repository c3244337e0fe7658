import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { Options } from '../core/types';

/**
 * Every key of Ollama's `options` object (runtime and load time), typed, with n8n display names.
 * Nodes pick the ones that apply: `pickModelOptions(['num_ctx', ...])`.
 */
export const MODEL_OPTIONS = {
	num_ctx: {
		displayName: 'Context Length',
		name: 'num_ctx',
		type: 'number',
		default: 4096,
		typeOptions: { minValue: 1 },
		description: 'Size of the context window in tokens (loads the model with this size)',
	},
	num_predict: {
		displayName: 'Max Tokens',
		name: 'num_predict',
		type: 'number',
		default: 1024,
		typeOptions: { minValue: -1 },
		description:
			'Most tokens to generate; -1 means no limit. The answer is cut (done reason "length") when reached.',
	},
	temperature: {
		displayName: 'Temperature',
		name: 'temperature',
		type: 'number',
		default: 0.8,
		typeOptions: { minValue: 0, maxValue: 2, numberPrecision: 2 },
		description: 'Higher is more creative, lower more focused and deterministic',
	},
	top_k: {
		displayName: 'Top K',
		name: 'top_k',
		type: 'number',
		default: 40,
		typeOptions: { minValue: 0 },
		description: 'Sample only from the K most likely tokens',
	},
	top_p: {
		displayName: 'Top P',
		name: 'top_p',
		type: 'number',
		default: 0.9,
		typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
		description: 'Sample from the smallest set of tokens whose probabilities add up to P',
	},
	min_p: {
		displayName: 'Min P',
		name: 'min_p',
		type: 'number',
		default: 0,
		typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
		description: 'Drop tokens less likely than P times the most likely one',
	},
	typical_p: {
		displayName: 'Typical P',
		name: 'typical_p',
		type: 'number',
		default: 1,
		typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
		description: 'Locally typical sampling; 1 turns it off',
	},
	repeat_last_n: {
		displayName: 'Repeat Last N',
		name: 'repeat_last_n',
		type: 'number',
		default: 64,
		typeOptions: { minValue: -1 },
		description: 'How far back to look for repetitions; 0 turns it off, -1 means the whole context',
	},
	repeat_penalty: {
		displayName: 'Repeat Penalty',
		name: 'repeat_penalty',
		type: 'number',
		default: 1.1,
		typeOptions: { minValue: 0, numberPrecision: 2 },
		description: 'How strongly to penalise repetitions',
	},
	presence_penalty: {
		displayName: 'Presence Penalty',
		name: 'presence_penalty',
		type: 'number',
		default: 0,
		typeOptions: { numberPrecision: 2 },
		description: 'Penalise tokens that already appeared at all',
	},
	frequency_penalty: {
		displayName: 'Frequency Penalty',
		name: 'frequency_penalty',
		type: 'number',
		default: 0,
		typeOptions: { numberPrecision: 2 },
		description: 'Penalise tokens by how often they already appeared',
	},
	seed: {
		displayName: 'Seed',
		name: 'seed',
		type: 'number',
		default: 42,
		description: 'Fixed seed for reproducible answers',
	},
	stop: {
		displayName: 'Stop Sequences',
		name: 'stop',
		type: 'string',
		typeOptions: { multipleValues: true, multipleValueButtonText: 'Add Stop Sequence' },
		default: [],
		description: 'Generation stops when the model writes one of these',
	},
	num_keep: {
		displayName: 'Keep Tokens',
		name: 'num_keep',
		type: 'number',
		default: 4,
		typeOptions: { minValue: -1 },
		description: 'Tokens of the prompt to keep when the context is shifted',
	},
	num_batch: {
		displayName: 'Batch Size',
		name: 'num_batch',
		type: 'number',
		default: 512,
		typeOptions: { minValue: 1 },
		description: 'Prompt tokens processed at once (load time)',
	},
	num_gpu: {
		displayName: 'GPU Layers',
		name: 'num_gpu',
		type: 'number',
		default: -1,
		typeOptions: { minValue: -1 },
		description: 'Layers to offload to the GPU; -1 lets Ollama decide, 0 runs on the CPU',
	},
	main_gpu: {
		displayName: 'Main GPU',
		name: 'main_gpu',
		type: 'number',
		default: 0,
		typeOptions: { minValue: 0 },
		description: 'Index of the GPU for small tensors when several are used',
	},
	use_mmap: {
		displayName: 'Use Memory Mapping',
		name: 'use_mmap',
		type: 'boolean',
		default: true,
		description: 'Whether to map the model file into memory instead of reading it',
	},
	num_thread: {
		displayName: 'CPU Threads',
		name: 'num_thread',
		type: 'number',
		default: 0,
		typeOptions: { minValue: 0 },
		description: 'Threads for CPU computation; 0 lets Ollama decide',
	},
} satisfies Record<Exclude<keyof Options, 'draft_num_predict'>, INodeProperties>;

export type ModelOptionName = keyof typeof MODEL_OPTIONS;

export function pickModelOptions(names: readonly ModelOptionName[]): INodeProperties[] {
	return names.map((name) => MODEL_OPTIONS[name]);
}

/** The `options` object for the wire: only keys the user set, `stop` without empty entries. */
export function toOllamaOptions(
	values: IDataObject,
	names: readonly ModelOptionName[],
): Options | undefined {
	const options: Record<string, unknown> = {};
	for (const name of names) {
		const value = values[name];
		if (value === undefined || value === '' || value === null) continue;
		if (name === 'stop') {
			const list = (Array.isArray(value) ? value : [value]).map(String).filter((s) => s !== '');
			if (list.length) options.stop = list;
			continue;
		}
		options[name] = value;
	}
	return Object.keys(options).length ? (options as Options) : undefined;
}
