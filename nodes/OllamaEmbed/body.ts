import type { EmbedRequest, EmbeddingsRequest } from '../core/types';
import type { RequestSettings } from './plan';

/** The whole /api/embed body for one batch of texts. */
export function embedBody(settings: RequestSettings, texts: string[]): EmbedRequest {
	return {
		model: settings.model,
		input: texts,
		truncate: settings.truncate,
		dimensions: settings.dimensions,
		keep_alive: settings.keepAlive,
		options: settings.options,
	};
}

/** The whole legacy /api/embeddings body for one text (no truncate, no dimensions there). */
export function embeddingsBody(settings: RequestSettings, prompt: string): EmbeddingsRequest {
	return {
		model: settings.model,
		prompt,
		keep_alive: settings.keepAlive,
		options: settings.options,
	};
}
