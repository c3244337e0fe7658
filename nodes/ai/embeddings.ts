import type { AiEvent, INodeExecutionData, ISupplyDataFunctions } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import type { OllamaClient } from '../core/client';
import { withPullIfMissing } from '../core/pullIfMissing';
import { embedBody } from '../OllamaEmbed/body';
import type { RequestSettings } from '../OllamaEmbed/plan';
import { likeEmbed, vectorProblem } from '../OllamaEmbed/vectors';
import { asSubNodeError } from './errors';

/** What LangChain's vector stores call on an embeddings object; nothing checks more than that. */
export interface OllamaEmbeddings {
	embedDocuments(texts: string[]): Promise<number[][]>;
	embedQuery(text: string): Promise<number[]>;
}

export type EmbeddingsContext = Pick<
	ISupplyDataFunctions,
	'getNode' | 'addInputData' | 'addOutputData' | 'logAiEvent'
>;

/**
 * Embeddings over our batched /api/embed: texts in requests of `batchSize`, vectors in input
 * order. Each call shows on the sub-node's run data (input and output), as n8n's own
 * embeddings nodes do.
 */
export function ollamaEmbeddings(
	context: EmbeddingsContext,
	client: OllamaClient,
	settings: RequestSettings,
	batchSize: number,
): OllamaEmbeddings {
	const embed = async (texts: string[]): Promise<number[][]> => {
		const vectors: number[][] = [];
		for (let from = 0; from < texts.length; from += batchSize) {
			const batch = texts.slice(from, from + batchSize);
			const run = async () => await client.embed(embedBody(settings, batch));
			const response = settings.pullIfMissing
				? await withPullIfMissing(client, settings.model, run)
				: await run();
			vectors.push(...checked(context, response.embeddings, batch.length, settings.dimensions));
		}
		return vectors;
	};

	return {
		embedDocuments: async (texts) => {
			checkDocuments(context, texts);
			return await logged(context, { documents: texts }, 'ai-document-embedded', async () =>
				texts.length ? await embed(texts) : [],
			);
		},
		embedQuery: async (text) => {
			if (typeof text !== 'string' || text.trim() === '') {
				throw new NodeOperationError(
					context.getNode(),
					`Cannot embed the query: it is ${describe(text)}, and Ollama returns no vector for it.`,
					{ description: 'Check what the connected node sends as the query or prompt.' },
				);
			}
			return await logged(context, { query: text }, 'ai-query-embedded', async () => {
				const [vector] = await embed([text]);
				return vector;
			});
		},
	};
}

function checkDocuments(context: EmbeddingsContext, texts: unknown): asserts texts is string[] {
	if (!Array.isArray(texts)) {
		throw new NodeOperationError(
			context.getNode(),
			`Cannot embed the documents: expected a list of texts, got ${describe(texts)}.`,
		);
	}
	texts.forEach((text, index) => {
		if (typeof text !== 'string' || text.trim() === '') {
			throw new NodeOperationError(
				context.getNode(),
				`Cannot embed document ${index}: it is ${describe(text)}, and Ollama returns no vector for it.`,
				{ description: 'Remove empty documents before they reach the vector store.' },
			);
		}
	});
}

function checked(
	context: EmbeddingsContext,
	vectors: number[][] | undefined,
	count: number,
	dimensions: number | undefined,
): number[][] {
	const bad = (message: string) =>
		new NodeOperationError(context.getNode(), message, {
			description: 'Check that the model is an embedding model and that the server is Ollama.',
		});
	if (!Array.isArray(vectors) || vectors.length !== count) {
		throw bad(
			`Ollama returned ${Array.isArray(vectors) ? vectors.length : 'no'} vectors for ${count} texts.`,
		);
	}
	return vectors.map((vector) => {
		const problem = vectorProblem(vector, dimensions);
		if (problem) throw bad(`Ollama returned ${problem}.`);
		// A server before 0.11.11 ignores `dimensions`: cut and normalise as newer ones do.
		return dimensions !== undefined && vector.length > dimensions
			? likeEmbed(vector, dimensions)
			: vector;
	});
}

/** Records the call on the sub-node's run data; the output shows the vectors' count and size, not every number. */
async function logged<T extends number[] | number[][]>(
	context: EmbeddingsContext,
	input: { documents: string[] } | { query: string },
	event: AiEvent,
	run: () => Promise<T>,
): Promise<T> {
	const { index } = context.addInputData(NodeConnectionTypes.AiEmbedding, [[{ json: input }]]);
	let result: T;
	try {
		result = await run();
	} catch (error) {
		const failure = asSubNodeError(context.getNode(), error);
		context.addOutputData(NodeConnectionTypes.AiEmbedding, index, failure);
		throw failure;
	}
	context.logAiEvent(event);
	const vectors = (isList(result) ? result : [result]) as number[][];
	const output: INodeExecutionData = {
		json: { response: { vectors: vectors.length, dimensions: vectors[0]?.length ?? 0 } },
	};
	context.addOutputData(NodeConnectionTypes.AiEmbedding, index, [[output]]);
	return result;
}

function isList(result: number[] | number[][]): result is number[][] {
	return Array.isArray(result[0]);
}

function describe(value: unknown): string {
	if (value === undefined) return 'missing (undefined)';
	if (value === null) return 'null';
	if (typeof value === 'string') {
		if (value === '') return 'empty';
		return value.trim() === '' ? 'only whitespace' : 'a string';
	}
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'object') return 'an object';
	return `a ${typeof value}`;
}
