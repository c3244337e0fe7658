import type { INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { EmbeddingsContext } from '../../nodes/ai/embeddings';
import { ollamaEmbeddings } from '../../nodes/ai/embeddings';
import type { RequestSettings } from '../../nodes/OllamaEmbed/plan';
import { embeddingFor } from '../emulator';
import { useEmulator } from '../nodes/emulator.fixture';
import { NODE, clientFor } from './host';

const emulator = useEmulator();
const MODEL = 'all-minilm';

/** A sub-node context that records what n8n would show in the sub-node's run data. */
function recordingContext() {
	const inputs: unknown[] = [];
	const outputs: Array<{ index: number; data: INodeExecutionData[][] | Error }> = [];
	const events: string[] = [];
	const context: EmbeddingsContext = {
		getNode: () => NODE,
		addInputData: (_type, data) => {
			inputs.push((data as INodeExecutionData[][])[0][0].json);
			return { index: inputs.length - 1 };
		},
		addOutputData: (_type, index, data) => outputs.push({ index, data: data as never }),
		logAiEvent: (event) => events.push(event),
	};
	return { context, inputs, outputs, events };
}

const settings = (over: Partial<RequestSettings> = {}): RequestSettings => ({
	model: MODEL,
	api: 'embed',
	pullIfMissing: false,
	...over,
});
const embedBodies = () =>
	emulator.requests
		.filter((r) => r.path === '/api/embed')
		.map((r) => r.body as { input: string[] });
const asFloat32 = (vector: number[]) => vector.map((x) => Math.fround(x));

describe('Ollama Embeddings', () => {
	it('embeds documents in batches of Batch Size and returns the vectors in input order', async () => {
		const { context, inputs, outputs, events } = recordingContext();
		const texts = ['one', 'two', 'three', 'four', 'five'];
		const vectors = await ollamaEmbeddings(
			context,
			clientFor(emulator.url),
			settings(),
			2,
		).embedDocuments(texts);

		expect(embedBodies().map((b) => b.input)).toEqual([
			['one', 'two'],
			['three', 'four'],
			['five'],
		]);
		expect(vectors.map(asFloat32)).toEqual(
			texts.map((t) => asFloat32(embeddingFor(MODEL, t, 384))),
		);
		expect(inputs).toEqual([{ documents: texts }]);
		expect(outputs).toEqual([
			{ index: 0, data: [[{ json: { response: { vectors: 5, dimensions: 384 } } }]] },
		]);
		expect(events).toEqual(['ai-document-embedded']);
	});

	it('embeds a query with the same vector as a document, sending truncate, dimensions and keep alive', async () => {
		const { context, inputs, events } = recordingContext();
		const embeddings = ollamaEmbeddings(
			context,
			clientFor(emulator.url),
			settings({ truncate: false, dimensions: 64, keepAlive: '1m' }),
			32,
		);
		const vector = await embeddings.embedQuery('what is love');
		expect(asFloat32(vector)).toEqual(asFloat32(embeddingFor(MODEL, 'what is love', 384, 64)));
		expect(emulator.requests[0].body).toEqual({
			model: MODEL,
			input: ['what is love'],
			truncate: false,
			dimensions: 64,
			keep_alive: '1m',
		});
		expect(inputs).toEqual([{ query: 'what is love' }]);
		expect(events).toEqual(['ai-query-embedded']);
	});

	it('refuses documents that are not a list of non-empty texts, before sending anything', async () => {
		const { context } = recordingContext();
		const embeddings = ollamaEmbeddings(context, clientFor(emulator.url), settings(), 32);
		await expect(embeddings.embedDocuments(['ok', ''])).rejects.toThrow(
			/Cannot embed document 1: it is empty/,
		);
		await expect(embeddings.embedDocuments('text' as never)).rejects.toThrow(
			/expected a list of texts, got a string/,
		);
		await expect(embeddings.embedQuery(undefined as never)).rejects.toThrow(
			/Cannot embed the query: it is missing/,
		);
		await expect(embeddings.embedQuery(' ')).rejects.toBeInstanceOf(NodeOperationError);
		expect(emulator.requests).toEqual([]);
	});

	it("fails with Ollama's text for a missing model and records the error on the sub-node", async () => {
		const { context, outputs } = recordingContext();
		const embeddings = ollamaEmbeddings(
			context,
			clientFor(emulator.url),
			settings({ model: 'nosuchmodel' }),
			32,
		);
		const error = await embeddings.embedQuery('hi').catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as Error).message).toMatch(/model "nosuchmodel" not found/);
		expect(outputs).toEqual([{ index: 0, data: error }]);
	});
});
