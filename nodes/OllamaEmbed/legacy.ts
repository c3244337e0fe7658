import type { OllamaClient } from '../core/client';
import { embeddingsBody } from './body';
import type { RequestSettings } from './plan';
import { likeEmbed, vectorProblem } from './vectors';

export const LEGACY_NOTICE =
	'This server has no /api/embed (Ollama before 0.3.0): the vectors come from /api/embeddings, one text per request, normalised like /api/embed vectors. Truncate is not available there.';

/**
 * Vectors from the legacy /api/embeddings, one text per request, normalised like /api/embed
 * vectors (the legacy endpoint does not normalise). `bad` makes the error for an answer that is
 * not a vector.
 */
export async function embedOneByOne(
	client: OllamaClient,
	settings: RequestSettings,
	texts: string[],
	bad: (message: string) => Error,
): Promise<number[][]> {
	const vectors: number[][] = [];
	for (const prompt of texts) {
		const { embedding } = await client.embeddings(embeddingsBody(settings, prompt));
		const problem = vectorProblem(embedding, settings.dimensions);
		if (problem) throw bad(`Ollama's /api/embeddings returned ${problem}.`);
		vectors.push(likeEmbed(embedding, settings.dimensions));
	}
	return vectors;
}
