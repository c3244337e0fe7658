// Request binding as gin's ShouldBindJSON does it: Go decoder errors, Go type errors, Ollama's
// custom unmarshalers (keep_alive, think, base64 images).

import { base64Error } from './base64';
import { goDecode, jsonKind } from './json';
import { parseKeepAlive } from './keepAlive';

export type Field =
	| 'string'
	| 'bool'
	| 'int'
	| 'float'
	| 'float32'
	| 'any'
	| 'map'
	| 'duration'
	| 'think'
	| 'image'
	| { slice: Field; type: string }
	| { struct: Struct; type?: string }
	| { stringMap: string };

export interface Struct {
	name: string;
	fields: Record<string, Field>;
	/** The Go package of a top-level request type (default `api`). */
	pkg?: string;
}

const typeNames: Record<string, string> = {
	string: 'string',
	bool: 'bool',
	int: 'int',
	float: 'float64',
	float32: 'float32',
	map: 'map[string]interface {}',
	image: 'api.ImageData',
};

const toolCall: Struct = {
	name: 'ToolCall',
	fields: {
		id: 'string',
		function: {
			struct: {
				name: 'ToolCallFunction',
				fields: { index: 'int', name: 'string', arguments: 'any' },
			},
			type: 'api.ToolCallFunction',
		},
	},
};

const message: Struct = {
	name: 'Message',
	fields: {
		role: 'string',
		content: 'string',
		thinking: 'string',
		images: { slice: 'image', type: '[]api.ImageData' },
		tool_calls: { slice: { struct: toolCall }, type: '[]api.ToolCall' },
		tool_name: 'string',
		tool_call_id: 'string',
	},
};

export const Tool: Struct = {
	name: 'Tool',
	fields: {
		type: 'string',
		items: 'any',
		function: {
			struct: {
				name: 'ToolFunction',
				fields: { name: 'string', description: 'string', parameters: 'any' },
			},
			type: 'api.ToolFunction',
		},
	},
};

const common: Record<string, Field> = {
	model: 'string',
	stream: 'bool',
	format: 'any',
	keep_alive: 'duration',
	options: 'map',
	think: 'think',
	truncate: 'bool',
	shift: 'bool',
	logprobs: 'bool',
	top_logprobs: 'int',
};

export const GenerateRequest: Struct = {
	name: 'GenerateRequest',
	fields: {
		...common,
		prompt: 'string',
		suffix: 'string',
		system: 'string',
		template: 'string',
		context: { slice: 'int', type: '[]int' },
		raw: 'bool',
		images: { slice: 'image', type: '[]api.ImageData' },
	},
};

export const ChatRequest: Struct = {
	name: 'ChatRequest',
	fields: {
		...common,
		messages: { slice: { struct: message }, type: '[]api.Message' },
		tools: { slice: { struct: Tool }, type: 'api.Tools' },
	},
};

export const EmbedRequest: Struct = {
	name: 'EmbedRequest',
	fields: {
		model: 'string',
		input: 'any',
		keep_alive: 'duration',
		truncate: 'bool',
		dimensions: 'int',
		options: 'map',
	},
};

export const EmbeddingRequest: Struct = {
	name: 'EmbeddingRequest',
	fields: { model: 'string', prompt: 'string', keep_alive: 'duration', options: 'map' },
};

export const ShowRequest: Struct = {
	name: 'ShowRequest',
	fields: {
		model: 'string',
		system: 'string',
		template: 'string',
		verbose: 'bool',
		options: 'map',
		name: 'string',
	},
};

export const PullRequest: Struct = {
	name: 'PullRequest',
	fields: {
		model: 'string',
		insecure: 'bool',
		username: 'string',
		password: 'string',
		stream: 'bool',
		name: 'string',
	},
};

export const PushRequest: Struct = { ...PullRequest, name: 'PushRequest' };

export const CreateRequest: Struct = {
	name: 'CreateRequest',
	fields: {
		model: 'string',
		stream: 'bool',
		quantize: 'string',
		from: 'string',
		files: { stringMap: 'map[string]string' },
		adapters: { stringMap: 'map[string]string' },
		template: 'string',
		license: 'any',
		system: 'string',
		parameters: 'map',
		messages: { slice: { struct: message }, type: '[]api.Message' },
		renderer: 'string',
		parser: 'string',
		name: 'string',
		quantization: 'string',
	},
};

export const CopyRequest: Struct = {
	name: 'CopyRequest',
	fields: { source: 'string', destination: 'string' },
};

export const DeleteRequest: Struct = {
	name: 'DeleteRequest',
	fields: { model: 'string', name: 'string' },
};

const thinkLevels = ['high', 'medium', 'low', 'max'];

class Abort extends Error {}

export type Bound<T = Record<string, unknown>> =
	{ ok: true; value: T } | { ok: false; error: string };

/** Decodes `body` into `struct`'s shape, with the 400 message Ollama would send on failure. */
export function bind<T = Record<string, unknown>>(body: Buffer, struct: Struct): Bound<T> {
	const decoded = goDecode(body);
	if ('eof' in decoded) return { ok: false, error: 'missing request body' };
	if ('error' in decoded) return { ok: false, error: decoded.error };
	const v = decoded.value;
	if (v === null) return { ok: true, value: {} as T };
	if (jsonKind(v) !== 'object') {
		return {
			ok: false,
			error: `json: cannot unmarshal ${jsonKind(v)} into Go value of type ${struct.pkg ?? 'api'}.${struct.name}`,
		};
	}
	let saved: string | undefined;
	const save = (e: string) => {
		saved ??= e;
	};

	const typeError = (value: unknown, f: Field, owner: string, path: string[]) => {
		const kind = jsonKind(value);
		const what = kind === 'number' && f === 'int' ? `number ${String(value)}` : kind;
		save(
			`json: cannot unmarshal ${what} into Go struct field ${owner}.${path.join('.')} of type ${typeName(f)}`,
		);
	};

	const decodeStruct = (obj: Record<string, unknown>, s: Struct, path: string[]) => {
		const out: Record<string, unknown> = {};
		for (const [rawKey, value] of Object.entries(obj)) {
			const key =
				rawKey in s.fields
					? rawKey
					: Object.keys(s.fields).find((k) => k.toLowerCase() === rawKey.toLowerCase());
			if (!key) continue;
			const decoded = decodeField(value, s.fields[key], s.name, [...path, key]);
			if (decoded !== undefined) out[key] = decoded;
		}
		return out;
	};

	const decodeField = (value: unknown, f: Field, owner: string, path: string[]): unknown => {
		if (value === null) return undefined;
		const kind = jsonKind(value);
		if (f === 'any') return value;
		if (f === 'duration') {
			try {
				return parseKeepAlive(value);
			} catch (e) {
				throw new Abort((e as Error).message);
			}
		}
		if (f === 'think') {
			if (typeof value === 'boolean') return value;
			if (typeof value === 'string') {
				if (thinkLevels.includes(value)) return value;
				throw new Abort(
					`invalid think value: ${JSON.stringify(value)} (must be "high", "medium", "low", "max", true, or false)`,
				);
			}
			throw new Abort('think must be a boolean or string');
		}
		if (f === 'string' || f === 'image') {
			if (kind !== 'string') return typeError(value, f, owner, path);
			if (f === 'image') {
				const err = base64Error(value as string);
				if (err) return save(err);
			}
			return value;
		}
		if (f === 'bool') return kind === 'bool' ? value : typeError(value, f, owner, path);
		if (f === 'int') {
			if (kind !== 'number' || !Number.isInteger(value)) return typeError(value, f, owner, path);
			return value;
		}
		if (f === 'float' || f === 'float32')
			return kind === 'number' ? value : typeError(value, f, owner, path);
		if (f === 'map') return kind === 'object' ? value : typeError(value, f, owner, path);
		if ('stringMap' in f) {
			if (kind !== 'object') return typeError(value, f, owner, path);
			const out: Record<string, string> = {};
			for (const [k, item] of Object.entries(value as Record<string, unknown>)) {
				if (typeof item === 'string') out[k] = item;
				else if (item !== null) typeError(item, 'string', owner, path);
			}
			return out;
		}
		if ('slice' in f) {
			if (kind !== 'array') return typeError(value, f, owner, path);
			return (value as unknown[]).map((item) => decodeField(item, f.slice, owner, path));
		}
		if (kind !== 'object') return typeError(value, f, owner, path);
		return decodeStruct(value as Record<string, unknown>, f.struct, path);
	};

	try {
		const value = decodeStruct(v as Record<string, unknown>, struct, []);
		if (saved) return { ok: false, error: saved };
		return { ok: true, value: value as T };
	} catch (e) {
		if (e instanceof Abort) return { ok: false, error: e.message };
		throw e;
	}
}

function typeName(f: Field): string {
	if (typeof f === 'string') return typeNames[f] ?? f;
	if ('slice' in f) return f.type;
	if ('stringMap' in f) return f.stringMap;
	return f.type ?? `api.${f.struct.name}`;
}

// --- options: api.Options.FromMap, whose errors come back as 500 ---

const optionTypes: Record<string, 'integer' | 'float32' | 'boolean' | 'string' | 'array'> = {
	num_ctx: 'integer',
	num_batch: 'integer',
	num_gpu: 'integer',
	main_gpu: 'integer',
	use_mmap: 'boolean',
	num_thread: 'integer',
	num_keep: 'integer',
	seed: 'integer',
	num_predict: 'integer',
	top_k: 'integer',
	top_p: 'float32',
	min_p: 'float32',
	typical_p: 'float32',
	repeat_last_n: 'integer',
	temperature: 'float32',
	repeat_penalty: 'float32',
	presence_penalty: 'float32',
	frequency_penalty: 'float32',
	stop: 'array',
};

export interface RunOptions {
	numCtx?: number;
	numPredict?: number;
	seed?: number;
	stop?: string[];
}

/** Checks option types; returns Go's error text or the options the emulator uses. */
export function readOptions(options: Record<string, unknown> | undefined): RunOptions | string {
	const out: RunOptions = {};
	for (const [key, value] of Object.entries(options ?? {})) {
		const type = optionTypes[key];
		if (!type || value === null) continue;
		const q = JSON.stringify(key);
		switch (type) {
			case 'integer':
				if (typeof value !== 'number') return `option ${q} must be of type integer`;
				break;
			case 'float32':
				if (typeof value !== 'number') return `option ${q} must be of type float32`;
				break;
			case 'boolean':
				if (typeof value !== 'boolean') return `option ${q} must be of type boolean`;
				break;
			case 'array':
				if (!Array.isArray(value)) return `option ${q} must be of type array`;
				if (value.some((s) => typeof s !== 'string'))
					return `option ${q} must be of an array of strings`;
				break;
		}
	}
	const o = options ?? {};
	const int = (v: unknown) => (typeof v === 'number' ? Math.trunc(v) : undefined);
	out.numCtx = int(o.num_ctx);
	out.numPredict = int(o.num_predict);
	out.seed = int(o.seed);
	if (Array.isArray(o.stop)) out.stop = o.stop as string[];
	return out;
}
