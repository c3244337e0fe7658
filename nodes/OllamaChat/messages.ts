import { MAX_JSON_DEPTH, nestsDeeperThan } from '../core/jsonDepth';
import type { Message, Tool } from '../core/types';

const ROLES = new Set(['system', 'user', 'assistant', 'tool']);

type Parsed<T> = { value: T; error?: undefined } | { value?: undefined; error: string };

function fromJson(value: unknown, what: string): Parsed<unknown> {
	if (typeof value !== 'string') return { value };
	if (value.trim() === '') return { value: [] };
	try {
		return { value: JSON.parse(value) as unknown };
	} catch (error) {
		return { error: `${what} is not valid JSON: ${(error as Error).message}` };
	}
}

/** A chat history given as JSON (e.g. from a previous node), checked message by message. */
export function parseMessages(input: unknown): Parsed<Message[]> {
	const parsed = fromJson(input, 'Messages');
	if (parsed.error !== undefined) return parsed;
	if (!Array.isArray(parsed.value)) {
		return { error: 'Messages must be a JSON array of {"role": …, "content": …} objects.' };
	}
	const messages: Message[] = [];
	for (const [index, entry] of parsed.value.entries()) {
		const label = `Message ${index + 1}`;
		if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
			return { error: `${label} must be an object with "role" and "content".` };
		}
		const raw = entry as Record<string, unknown>;
		if (raw.role === undefined || raw.role === '') return { error: `${label} has no "role".` };
		const role = String(raw.role).toLowerCase();
		if (!ROLES.has(role)) {
			return {
				error: `${label} has the unknown role "${String(raw.role)}" (use system, user, assistant or tool).`,
			};
		}
		if (raw.content !== undefined && raw.content !== null && typeof raw.content !== 'string') {
			return { error: `${label} has a "content" that is not text.` };
		}
		const message: Message = {
			role: role as Message['role'],
			content: (raw.content as string | undefined) ?? '',
		};
		if (raw.images !== undefined) {
			if (!Array.isArray(raw.images) || !raw.images.every((image) => typeof image === 'string')) {
				return { error: `${label} has "images" that are not a list of base64 texts.` };
			}
			message.images = raw.images.map(stripDataUri);
		}
		if (Array.isArray(raw.tool_calls)) message.tool_calls = raw.tool_calls as Message['tool_calls'];
		if (typeof raw.thinking === 'string') message.thinking = raw.thinking;
		if (typeof raw.tool_name === 'string') message.tool_name = raw.tool_name;
		if (typeof raw.tool_call_id === 'string') message.tool_call_id = raw.tool_call_id;
		messages.push(message);
	}
	return { value: messages };
}

/** Ollama wants plain base64; a data URI's prefix would make it answer 400. */
export function stripDataUri(image: string): string {
	return image.replace(/^data:[^;,]*;base64,/, '');
}

/** Function definitions as JSON: Ollama's `{type, function}` form or the short `{name, parameters}` form. */
export function parseTools(input: unknown): Parsed<Tool[]> {
	const parsed = fromJson(input, 'Tools');
	if (parsed.error !== undefined) return parsed;
	if (!Array.isArray(parsed.value))
		return { error: 'Tools must be a JSON array of function definitions.' };
	const tools: Tool[] = [];
	for (const [index, entry] of parsed.value.entries()) {
		const label = `Tool ${index + 1}`;
		if (typeof entry !== 'object' || entry === null)
			return { error: `${label} must be an object.` };
		const raw = entry as Record<string, unknown>;
		const fn = (
			typeof raw.function === 'object' && raw.function !== null ? raw.function : raw
		) as Record<string, unknown>;
		if (typeof fn.name !== 'string' || fn.name.trim() === '')
			return { error: `${label} has no function name.` };
		const parameters = fn.parameters ?? { type: 'object', properties: {} };
		if (typeof parameters !== 'object' || parameters === null || Array.isArray(parameters)) {
			return {
				error: `${label} ("${fn.name}") has "parameters" that are not a JSON Schema object.`,
			};
		}
		if (nestsDeeperThan(parameters)) {
			return {
				error: `${label} ("${fn.name}") has "parameters" nested more than ${MAX_JSON_DEPTH} levels deep.`,
			};
		}
		tools.push({
			type: 'function',
			function: {
				name: fn.name,
				...(typeof fn.description === 'string' ? { description: fn.description } : {}),
				parameters: parameters as Tool['function']['parameters'],
			},
		});
	}
	return { value: tools };
}
