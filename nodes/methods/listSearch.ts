import type {
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
} from 'n8n-workflow';

import type { CatalogModel } from '../core/catalog';
import { hasCapabilities, listModelsWithCapabilities } from '../core/catalog';
import { OllamaFailure } from '../core/failures';
import { connectClient } from '../n8n/client';
import { nodeErrorFor } from '../n8n/errors';
import type { Capability } from '../core/types';

const MARKED: Capability[] = ['vision', 'tools', 'thinking', 'insert'];

function toItem(model: CatalogModel): INodeListSearchItems {
	const marks = MARKED.filter((capability) => model.capabilities?.includes(capability));
	const size = model.details?.parameter_size ? ` ${model.details.parameter_size}` : '';
	return {
		name: marks.length ? `${model.name}${size} (${marks.join(', ')})` : `${model.name}${size}`,
		value: model.name,
	};
}

async function search(
	context: ILoadOptionsFunctions,
	filter: string | undefined,
	keep: (model: CatalogModel) => boolean,
): Promise<INodeListSearchResult> {
	const client = await connectClient(context, { retry: { maxAttempts: 1 } });
	const models = await listModelsWithCapabilities(client).catch((error: unknown) => {
		throw error instanceof OllamaFailure ? nodeErrorFor(context.getNode(), error) : error;
	});
	const needle = (filter ?? '').trim().toLowerCase();
	const results = models
		.filter((model) => keep(model) && (needle === '' || model.name.toLowerCase().includes(needle)))
		.sort((a, b) => a.name.localeCompare(b.name))
		.map(toItem);
	return { results };
}

/** Every local model. */
export async function searchModels(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	return await search(this, filter, () => true);
}

/** Models that generate text (chat and generate): embedding-only models are left out. */
export async function searchCompletionModels(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	return await search(this, filter, (model) => hasCapabilities(model, ['completion']));
}

/** Models that produce embeddings. */
export async function searchEmbeddingModels(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	return await search(this, filter, (model) => hasCapabilities(model, ['embedding']));
}
