/** L2-normalises a vector, as /api/embed does (a zero vector stays zero). */
export function normalize(vector: readonly number[]): number[] {
	let sum = 0;
	for (const x of vector) sum += x * x;
	const norm = Math.sqrt(sum);
	return norm === 0 ? [...vector] : vector.map((x) => x / norm);
}

/**
 * A /api/embeddings (legacy) vector made like a /api/embed one: cut to `dimensions` when that is
 * shorter, then L2-normalised (Ollama's own rule for /api/embed).
 */
export function likeEmbed(vector: readonly number[], dimensions?: number): number[] {
	const cut =
		dimensions !== undefined && dimensions > 0 && dimensions < vector.length
			? vector.slice(0, dimensions)
			: vector;
	return normalize(cut);
}

/** What is wrong with a vector from the server, or undefined when it is a usable one. */
export function vectorProblem(vector: unknown, dimensions?: number): string | undefined {
	if (!Array.isArray(vector) || vector.length === 0) return 'an empty vector';
	if (!vector.every((x) => typeof x === 'number' && Number.isFinite(x)))
		return 'a vector with values that are not numbers';
	if (dimensions !== undefined && vector.length < dimensions) {
		return `${vector.length}-dimensional vectors, fewer than the ${dimensions} set in "Dimensions" (the model cannot make longer ones)`;
	}
	return undefined;
}
