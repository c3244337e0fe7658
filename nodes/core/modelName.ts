/** `llama3.2` and `llama3.2:latest` name the same model; Ollama compares names case-insensitively. */
export function normalizeModelName(name: string): string {
	const trimmed = name.trim().toLowerCase();
	const lastSegment = trimmed.slice(trimmed.lastIndexOf('/') + 1);
	return lastSegment.includes(':') ? trimmed : `${trimmed}:latest`;
}

export function sameModel(a: string, b: string): boolean {
	return normalizeModelName(a) === normalizeModelName(b);
}

/** A message for a model name Ollama would reject, or undefined when it looks valid. */
export function modelNameProblem(name: string): string | undefined {
	if (name.trim() === '') return 'The model name is empty.';
	if (/\s/.test(name.trim()))
		return `The model name "${name}" contains spaces, which Ollama does not allow.`;
	if (!/^[A-Za-z0-9._\-:/]+$/.test(name.trim())) {
		return `The model name "${name}" has characters Ollama does not allow (use letters, digits, . _ - : /).`;
	}
	return undefined;
}
