// Deterministic model output: the same request always yields the same tokens.

import { createHash } from 'crypto';
import { DEFAULT_MODELS, type Capability, type ThinkStyle } from './models';
import { displayName, parseName } from './names';

export const DEFAULT_REPLY_TOKENS = 12;
export const DEFAULT_THINKING_TOKENS = 8;

const words = (
	'llama graze quietly near the old river while tiny clouds drift above green hills and ' +
	'every small stone keeps a story about warm summer light falling on calm water under ' +
	'bright morning skies where gentle winds carry seeds across open fields toward distant ' +
	'mountains'
).split(' ');
const multibyteWords = (
	'café naïve über 日本語 llama🦙 Ωmega привет ñandú façade 東京 smörgåsbord ✓done ' +
	'crème brûlée Ärger 한국어 emoji😀 ça øre'
).split(' ');
const thoughtWords = (
	'let me think about this carefully first the user wants a short answer so I should ' +
	'check the facts and then reply'
).split(' ');

/** A small seeded generator (mulberry32) fed from a SHA-256 of the input. */
export class Rng {
	private state: number;
	constructor(seed: string) {
		this.state = createHash('sha256').update(seed).digest().readUInt32LE(0);
	}
	next(): number {
		let t = (this.state = (this.state + 0x6d2b79f5) | 0);
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	}
	int(max: number): number {
		return Math.floor(this.next() * max);
	}
	pick<T>(list: readonly T[]): T {
		return list[this.int(list.length)];
	}
}

export interface ChatMessageLike {
	role?: string;
	content?: string;
}

export interface ToolLike {
	type?: string;
	function?: { name?: string; description?: string; parameters?: unknown };
}

export interface ToolCall {
	id: string;
	function: { index: number; name: string; arguments: Record<string, unknown> };
}

export interface ReplyRequest {
	/** Any spelling; names are normalised (`llama3.2` = `LLaMA3.2:latest`). */
	model: string;
	prompt?: string;
	suffix?: string;
	system?: string;
	messages?: ChatMessageLike[];
	/** options.seed; negative or absent means the default sequence. */
	seed?: number;
	/** `"json"` or a JSON-schema object. */
	format?: unknown;
	/** `false` turns thinking off for models that think in the `thinking` field. */
	think?: boolean | string;
	/** Default: from the built-in model table by name, else `none`. */
	thinkStyle?: ThinkStyle;
	/** Default: from the built-in model table by name. */
	capabilities?: Capability[];
	tools?: ToolLike[];
	/** options.num_predict (< 0 = unlimited). */
	numPredict?: number;
	/** options.stop */
	stop?: string[];
	/** Natural answer length in tokens (default 12). */
	tokens?: number;
	/** Thinking length in tokens (default 8). */
	thinkingTokens?: number;
	/** Use words with multi-byte UTF-8 characters. */
	multibyte?: boolean;
	/** Force the answer text (it is split into several tokens). */
	text?: string;
	/** Force the tool call, when there is one: this tool (if offered) with these arguments. */
	toolCall?: { name?: string; arguments: Record<string, unknown> };
}

export interface Reply {
	thinking: string;
	/** The answer text (`response` / `message.content`). */
	response: string;
	thinkingChunks: string[];
	chunks: string[];
	toolCalls: ToolCall[];
	doneReason: 'stop' | 'length';
	/** Tokens generated, for eval_count. */
	evalCount: number;
}

function normaliseModel(model: string): string {
	const n = parseName(model);
	return (n ? displayName(n) : model).toLowerCase();
}

function builtin(model: string) {
	const key = normaliseModel(model);
	return DEFAULT_MODELS.find((m) => m.name.toLowerCase() === key);
}

/**
 * Splits text into token-like pieces: tags such as `<think>` whole, words with their leading space,
 * long runs in 4-character parts.
 */
export function tokenise(text: string): string[] {
	const out: string[] = [];
	for (const part of text.split(/(<\/?[A-Za-z][\w|-]*>)/)) {
		if (!part) continue;
		if (/^<\/?[A-Za-z][\w|-]*>$/.test(part)) {
			out.push(part);
			continue;
		}
		for (const piece of part.match(/\s*\S+|\s+/g) ?? []) {
			const chars = Array.from(piece);
			if (chars.length <= 8) out.push(piece);
			else for (let k = 0; k < chars.length; k += 4) out.push(chars.slice(k, k + 4).join(''));
		}
	}
	return out;
}

function sentence(rng: Rng, vocabulary: string[], count: number): string[] {
	const out: string[] = [];
	for (let k = 0; k < count; k++) {
		let w = rng.pick(vocabulary);
		if (k === 0) w = w[0].toUpperCase() + w.slice(1);
		else w = ' ' + w;
		if (k === count - 1) w += '.';
		out.push(w);
	}
	return out;
}

function seedText(req: ReplyRequest): string {
	return JSON.stringify({
		model: normaliseModel(req.model),
		prompt: req.prompt || undefined,
		suffix: req.suffix || undefined,
		system: req.system || undefined,
		messages: req.messages?.map((m) => [m.role, m.content ?? '']),
		seed: req.seed !== undefined && req.seed >= 0 ? req.seed : undefined,
	});
}

function wantsThinking(think: boolean | string | undefined): boolean {
	return think !== false;
}

/** The complete deterministic reply for a generate or chat request. Pure. */
export function replyFor(req: ReplyRequest): Reply {
	const known = builtin(req.model);
	const style = req.thinkStyle ?? known?.thinkStyle ?? 'none';
	const capabilities = req.capabilities ?? known?.capabilities ?? ['completion'];
	const rng = new Rng(seedText(req));
	const vocabulary = req.multibyte ? multibyteWords : words;

	let thinkingChunks: string[] = [];
	if (style === 'field' && wantsThinking(req.think)) {
		thinkingChunks = sentence(rng, thoughtWords, req.thinkingTokens ?? DEFAULT_THINKING_TOKENS);
	}

	const toolCalls: ToolCall[] = [];
	let answer: string[];
	const lastRole = req.messages?.[req.messages.length - 1]?.role;
	const tools = (req.tools ?? []).filter((t) => t.function?.name);
	if (tools.length > 0 && capabilities.includes('tools') && lastRole !== 'tool') {
		const forced = req.toolCall;
		const fn = (
			tools.find((t) => forced?.name !== undefined && t.function!.name === forced.name) ?? tools[0]
		).function!;
		toolCalls.push({
			id: 'call_' + idChars(rng, 8),
			function: {
				index: 0,
				name: fn.name!,
				arguments: forced
					? { ...forced.arguments }
					: asObject(valueForSchema(fn.parameters ?? { type: 'object' }, rng)),
			},
		});
		answer = [];
	} else if (req.text !== undefined) {
		answer = tokenise(req.text);
	} else if (req.format !== undefined && req.format !== null && req.format !== '') {
		const value =
			req.format === 'json'
				? { answer: sentence(rng, vocabulary, 5).join(''), confidence: rng.int(100) / 100 }
				: valueForSchema(req.format, rng);
		answer = tokenise(JSON.stringify(value));
	} else {
		answer = sentence(rng, vocabulary, req.tokens ?? DEFAULT_REPLY_TOKENS);
	}

	if (style === 'inline') {
		const thought = sentence(rng, thoughtWords, req.thinkingTokens ?? DEFAULT_THINKING_TOKENS);
		answer = ['<think>', '\n', ...thought, '\n', '</think>', '\n\n', ...answer];
	}

	return limit(thinkingChunks, answer, toolCalls, req.numPredict ?? -1, req.stop ?? []);
}

/** Applies num_predict (over thinking and answer tokens) and stop sequences (over the answer). */
function limit(
	thinkingIn: string[],
	answerIn: string[],
	toolCalls: ToolCall[],
	numPredict: number,
	stop: string[],
): Reply {
	const thinkingChunks: string[] = [];
	const chunks: string[] = [];
	let doneReason: 'stop' | 'length' = 'stop';
	let count = 0;
	let text = '';
	const full = numPredict >= 0 ? () => count >= numPredict : () => false;
	let cut = false;
	for (const t of thinkingIn) {
		if (full()) {
			cut = true;
			break;
		}
		thinkingChunks.push(t);
		count++;
	}
	if (!cut) {
		for (const t of answerIn) {
			if (full()) {
				cut = true;
				break;
			}
			const before = text.length;
			text += t;
			count++;
			const at = firstStop(text, stop);
			if (at >= 0) {
				const keep = text.slice(before, Math.max(before, at));
				if (keep) chunks.push(keep);
				text = text.slice(0, at);
				return finish('stop');
			}
			chunks.push(t);
		}
	}
	if (cut) doneReason = 'length';
	return finish(doneReason);

	function finish(reason: 'stop' | 'length'): Reply {
		const calls = reason === 'length' && cut ? [] : toolCalls;
		return {
			thinking: thinkingChunks.join(''),
			response: chunks.join(''),
			thinkingChunks,
			chunks,
			toolCalls: calls,
			doneReason: reason,
			evalCount: count + (calls.length > 0 ? 12 : 0),
		};
	}
}

function firstStop(text: string, stop: string[]): number {
	let best = -1;
	for (const s of stop) {
		if (!s) continue;
		const at = text.indexOf(s);
		if (at >= 0 && (best < 0 || at < best)) best = at;
	}
	return best;
}

function idChars(rng: Rng, n: number): string {
	const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
	let s = '';
	for (let k = 0; k < n; k++) s += alphabet[rng.int(alphabet.length)];
	return s;
}

function asObject(v: unknown): Record<string, unknown> {
	return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

type Schema = Record<string, unknown>;

/** A JSON value that conforms to a (reasonable subset of) JSON Schema. */
export function valueForSchema(
	schema: unknown,
	rng: Rng,
	root: unknown = schema,
	depth = 0,
): unknown {
	if (!schema || typeof schema !== 'object') return sentence(rng, words, 2).join('');
	const s = schema as Schema;
	if (typeof s.$ref === 'string') {
		const path = s.$ref.replace(/^#\//, '').split('/');
		let target: unknown = root;
		for (const p of path) target = (target as Schema | undefined)?.[p];
		return valueForSchema(target, rng, root, depth + 1);
	}
	if ('const' in s) return s.const;
	if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[0];
	for (const key of ['anyOf', 'oneOf', 'allOf']) {
		const list = s[key];
		if (Array.isArray(list) && list.length > 0) {
			const pick = list.find((x) => (x as Schema)?.type !== 'null') ?? list[0];
			return valueForSchema({ ...s, [key]: undefined, ...(pick as Schema) }, rng, root, depth);
		}
	}
	let type = s.type;
	if (Array.isArray(type)) type = type.find((t) => t !== 'null') ?? type[0];
	if (type === undefined) type = s.properties ? 'object' : s.items ? 'array' : 'string';
	const num = (key: string) => (typeof s[key] === 'number' ? (s[key] as number) : undefined);
	switch (type) {
		case 'object': {
			const out: Record<string, unknown> = {};
			const props = (s.properties ?? {}) as Record<string, unknown>;
			if (depth > 6) return out;
			for (const [k, v] of Object.entries(props)) out[k] = valueForSchema(v, rng, root, depth + 1);
			for (const k of Array.isArray(s.required) ? s.required : []) {
				if (typeof k === 'string' && !(k in out)) out[k] = sentence(rng, words, 2).join('');
			}
			return out;
		}
		case 'array': {
			const min = num('minItems') ?? 0;
			const max = num('maxItems') ?? Math.max(min, 3);
			const count = Math.min(max, Math.max(min, 2));
			const items: unknown[] = [];
			for (let k = 0; k < count && depth <= 6; k++) {
				items.push(valueForSchema(s.items ?? { type: 'string' }, rng, root, depth + 1));
			}
			return items;
		}
		case 'integer': {
			const lo = Math.ceil(num('minimum') ?? num('exclusiveMinimum') ?? 0);
			const hi = Math.floor(num('maximum') ?? num('exclusiveMaximum') ?? lo + 100);
			return lo + rng.int(Math.max(1, hi - lo));
		}
		case 'number': {
			const lo = num('minimum') ?? 0;
			const hi = num('maximum') ?? lo + 100;
			return Math.round((lo + rng.next() * (hi - lo)) * 100) / 100;
		}
		case 'boolean':
			return rng.next() < 0.5;
		case 'null':
			return null;
		default: {
			if (s.format === 'date') return '2024-06-01';
			if (s.format === 'date-time') return '2024-06-01T12:00:00Z';
			if (s.format === 'email') return 'llama@example.com';
			const text = sentence(rng, words, 2).join('').replace(/\.$/, '');
			const maxLength = num('maxLength');
			return maxLength !== undefined ? text.slice(0, maxLength) : text;
		}
	}
}

/** A stable token id for a piece of text (for `context`). */
export function tokenId(piece: string): number {
	let h = 0x811c9dc5;
	for (let k = 0; k < piece.length; k++) h = Math.imul(h ^ piece.charCodeAt(k), 0x01000193);
	return ((h >>> 0) % 128000) + 1;
}

/** Approximate token count: about four bytes of UTF-8 per token. */
export function countTokens(text: string): number {
	return Math.ceil(Buffer.byteLength(text, 'utf8') / 4);
}

/** Approximate token ids of a text: one per four bytes. */
export function tokenIds(text: string): number[] {
	const ids: number[] = [];
	const bytes = Buffer.from(text, 'utf8');
	for (let k = 0; k < bytes.length; k += 4)
		ids.push(tokenId(bytes.subarray(k, k + 4).toString('latin1')));
	return ids;
}
