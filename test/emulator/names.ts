// Model names as Ollama parses them: [host/][namespace/]model[:tag], case-insensitive, tag "latest".

export const DEFAULT_HOST = 'registry.ollama.ai';
export const DEFAULT_NAMESPACE = 'library';

export interface ModelName {
	host: string;
	namespace: string;
	model: string;
	tag: string;
}

const partRe = {
	host: /^[a-zA-Z0-9][a-zA-Z0-9_.:-]{0,349}$/,
	namespace: /^[a-zA-Z0-9][a-zA-Z0-9_-]{0,79}$/,
	model: /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,79}$/,
	tag: /^[a-zA-Z0-9_][a-zA-Z0-9_.-]{0,79}$/,
};

/** Parses a name; undefined when Ollama would call it invalid. */
export function parseName(raw: string): ModelName | undefined {
	if (!raw) return undefined;
	let s = raw;
	const at = s.indexOf('@');
	if (at >= 0) s = s.slice(0, at);
	let tag = 'latest';
	const colon = s.lastIndexOf(':');
	const slash = s.lastIndexOf('/');
	if (colon > slash) {
		tag = s.slice(colon + 1);
		s = s.slice(0, colon);
	}
	const parts = s.split('/');
	if (parts.length > 3) return undefined;
	const model = parts.pop() ?? '';
	const namespace = parts.pop() ?? DEFAULT_NAMESPACE;
	const host = parts.pop() ?? DEFAULT_HOST;
	const name = { host, namespace, model, tag };
	if (!partRe.model.test(model) || !partRe.tag.test(tag)) return undefined;
	if (!partRe.namespace.test(namespace) || !partRe.host.test(host)) return undefined;
	return name;
}

/** The short form tags/ps/show use: `llama3.2:latest`, `user/model:tag`. */
export function displayName(n: ModelName): string {
	let s = `${n.model}:${n.tag}`;
	if (n.host !== DEFAULT_HOST) return `${n.host}/${n.namespace}/${s}`;
	if (n.namespace !== DEFAULT_NAMESPACE) s = `${n.namespace}/${s}`;
	return s;
}

/** The full form used in capability errors: `registry.ollama.ai/library/llama3.2:latest`. */
export function fullName(n: ModelName): string {
	return `${n.host}/${n.namespace}/${n.model}:${n.tag}`;
}

/** Registry key: the full name, lower-cased. */
export function nameKey(n: ModelName): string {
	return fullName(n).toLowerCase();
}
