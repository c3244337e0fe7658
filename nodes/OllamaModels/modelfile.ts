import type { Message, Options } from '../core/types';

/** The fields of /api/create that a Modelfile describes. */
export interface ModelfileFields {
	from?: string;
	system?: string;
	template?: string;
	license?: string[];
	parameters?: Options;
	messages?: Message[];
	/** FROM a local path: the model file, uploaded from the item's binary data. */
	fromFile?: string;
	/** ADAPTER paths, uploaded the same way. */
	adapterFiles?: string[];
}

export class ModelfileError extends Error {
	constructor(
		message: string,
		readonly line: number,
	) {
		super(`Modelfile line ${line}: ${message}`);
		this.name = 'ModelfileError';
	}
}

type ParameterType = 'integer' | 'float' | 'boolean' | 'strings';

/** Option types as Ollama's api.Options declares them. */
export const PARAMETER_TYPES: Record<string, ParameterType> = {
	num_ctx: 'integer',
	num_batch: 'integer',
	num_gpu: 'integer',
	main_gpu: 'integer',
	num_thread: 'integer',
	num_keep: 'integer',
	num_predict: 'integer',
	draft_num_predict: 'integer',
	seed: 'integer',
	top_k: 'integer',
	repeat_last_n: 'integer',
	top_p: 'float',
	min_p: 'float',
	typical_p: 'float',
	temperature: 'float',
	repeat_penalty: 'float',
	presence_penalty: 'float',
	frequency_penalty: 'float',
	use_mmap: 'boolean',
	stop: 'strings',
};

const ROLES = new Set(['system', 'user', 'assistant', 'tool']);

/**
 * Translates a Modelfile into /api/create fields the way Ollama's CLI does before sending:
 * current servers reject the old `modelfile` field. Local paths (FROM ./model.gguf, ADAPTER)
 * are returned for the caller to upload.
 */
export function parseModelfile(text: string): ModelfileFields {
	const fields: ModelfileFields = {};
	for (const { instruction, args, line } of readInstructions(text)) {
		switch (instruction) {
			case 'from':
				// As in Ollama's parser, a later FROM replaces an earlier one.
				delete fields.from;
				delete fields.fromFile;
				if (looksLikeLocalPath(args)) fields.fromFile = args;
				else fields.from = args;
				break;
			case 'adapter':
				if (args === '') throw new ModelfileError('ADAPTER needs the path of a file', line);
				(fields.adapterFiles ??= []).push(args);
				break;
			case 'system':
				fields.system = args;
				break;
			case 'template':
				fields.template = args;
				break;
			case 'license':
				(fields.license ??= []).push(args);
				break;
			case 'parameter':
				addParameter((fields.parameters ??= {}), args, line);
				break;
			case 'message':
				(fields.messages ??= []).push(readMessage(args, line));
				break;
			default:
				throw new ModelfileError(
					`unknown instruction "${instruction.toUpperCase()}" (expected FROM, SYSTEM, TEMPLATE, PARAMETER, MESSAGE, LICENSE or ADAPTER)`,
					line,
				);
		}
	}
	if (!fields.from && !fields.fromFile)
		throw new ModelfileError(
			'no FROM instruction: a Modelfile must say which model it builds on',
			1,
		);
	return fields;
}

interface Instruction {
	instruction: string;
	args: string;
	line: number;
}

/** Splits the text into instructions; values may be "quoted" or """triple quoted""" over several lines. */
function readInstructions(text: string): Instruction[] {
	const lines = text.replace(/\r\n?/g, '\n').split('\n');
	const instructions: Instruction[] = [];
	for (let i = 0; i < lines.length; i++) {
		const trimmed = lines[i].trim();
		if (trimmed === '' || trimmed.startsWith('#')) continue;
		const match = /^(\S+)\s*([\s\S]*)$/.exec(trimmed) as RegExpExecArray;
		const startLine = i + 1;
		let args = match[2];
		const tripleAt = args.indexOf('"""');
		if (tripleAt !== -1) {
			const head = args.slice(0, tripleAt);
			let body = args.slice(tripleAt + 3);
			while (!body.includes('"""')) {
				i++;
				if (i >= lines.length) throw new ModelfileError('a """ value is never closed', startLine);
				body += `\n${lines[i]}`;
			}
			const end = body.indexOf('"""');
			if (body.slice(end + 3).trim() !== '') {
				throw new ModelfileError('unexpected text after the closing """', i + 1);
			}
			args = head + body.slice(0, end);
		} else {
			args = unquote(args.trim());
		}
		instructions.push({ instruction: match[1].toLowerCase(), args, line: startLine });
	}
	return instructions;
}

function unquote(value: string): string {
	if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) return value.slice(1, -1);
	return value;
}

function looksLikeLocalPath(value: string): boolean {
	return (
		/^(\.{1,2}[\\/]|[\\/]|~|[A-Za-z]:\\)/.test(value) || /\.(gguf|safetensors|bin)$/i.test(value)
	);
}

function addParameter(parameters: Options, args: string, line: number): void {
	const match = /^(\S+)\s+([\s\S]+)$/.exec(args.trim());
	if (!match) throw new ModelfileError('PARAMETER needs a name and a value', line);
	const problem = setParameter(parameters, match[1], unquote(match[2].trim()));
	if (problem) throw new ModelfileError(problem, line);
}

/**
 * Sets one model parameter with the type Ollama expects (`stop` collects into a list).
 * Returns what is wrong with the value, or undefined when it was set.
 */
export function setParameter(parameters: Options, key: string, raw: string): string | undefined {
	const name = key.toLowerCase();
	const type = PARAMETER_TYPES[name];
	const target = parameters as Record<string, unknown>;
	switch (type) {
		case 'strings':
			target[name] = [...((target[name] as string[] | undefined) ?? []), raw];
			return undefined;
		case 'boolean':
			if (!/^(true|false)$/i.test(raw)) return `${name} must be true or false, not "${raw}"`;
			target[name] = raw.toLowerCase() === 'true';
			return undefined;
		case 'integer':
			if (!/^[-+]?\d+$/.test(raw)) return `${name} must be a whole number, not "${raw}"`;
			target[name] = Number(raw);
			return undefined;
		case 'float':
			if (raw.trim() === '' || Number.isNaN(Number(raw)))
				return `${name} must be a number, not "${raw}"`;
			target[name] = Number(raw);
			return undefined;
		default:
			return `unknown parameter "${name}"`;
	}
}

function readMessage(args: string, line: number): Message {
	const match = /^(\S+)\s+([\s\S]*)$/.exec(args);
	const role = match?.[1]?.toLowerCase() ?? '';
	if (!ROLES.has(role)) {
		throw new ModelfileError(
			`MESSAGE needs a role (system, user, assistant or tool), not "${match?.[1] ?? args}"`,
			line,
		);
	}
	return { role: role as Message['role'], content: unquote((match as RegExpExecArray)[2]) };
}
