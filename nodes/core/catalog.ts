import type { OllamaClient } from './client';
import { mapInOrder } from './concurrency';
import type { Capability, ModelResponse } from './types';

export interface CatalogModel extends ModelResponse {
	/** Undefined when the server is too old to say. */
	capabilities?: Capability[];
}

/**
 * The local models with their capabilities. Newer servers list capabilities in /api/tags;
 * for older ones each model's /api/show is asked, a few at a time.
 */
export async function listModelsWithCapabilities(client: OllamaClient): Promise<CatalogModel[]> {
	const { models } = await client.list();
	const outcomes = await mapInOrder(models.length, 4, async (i) => {
		const model = models[i];
		// An OpenAI-compatible server says nothing of capabilities: every model passes.
		if (model.capabilities || client.api === 'openai') return model.capabilities;
		const shown = await client.show({ model: model.name });
		return shown.capabilities;
	});
	return models.map((model, i) => {
		const outcome = outcomes[i];
		return { ...model, capabilities: outcome.ok ? outcome.value : undefined };
	});
}

/** Whether the model can do all of `wanted`; a model whose capabilities are unknown passes. */
export function hasCapabilities(model: CatalogModel, wanted: readonly Capability[]): boolean {
	return model.capabilities === undefined || wanted.every((c) => model.capabilities?.includes(c));
}
