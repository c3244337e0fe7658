// Embeddings cut by Truncate (issue 17, item 1): Ollama embeds only the start of a text longer than
// the context window and says nothing; the item says which text, and the node shows one hint.
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { OllamaEmbed } from '../../nodes/OllamaEmbed/OllamaEmbed.node';
import { mayFill } from '../../nodes/OllamaEmbed/window';
import { embeddingFor } from '../emulator';
import { runNode } from '../harness/run';
import { useEmulator } from './emulator.fixture';

const emulator = useEmulator();
// all-minilm was trained for 512 tokens: its window is 512 whatever the server's default (4096).
const MODEL = 'all-minilm';
const long = 'word '.repeat(600); // 750 tokens for the emulator (one per 4 bytes)

async function embed(parameters: INodeParameters, texts: unknown[]) {
	const result = await runNode({
		node: {
			type: OllamaEmbed,
			parameters: {
				model: { __rl: true, mode: 'name', value: MODEL },
				text: '={{ $json.text }}',
				...parameters,
			},
			continueOnFail: true,
		},
		credentials: { baseUrl: emulator.url, authentication: 'none' },
		items: texts.map((text) => ({ text }) as IDataObject),
	});
	const task = Object.values(result.run.data.resultData.runData)[0][0];
	return { json: result.items.map((item) => item.json as IDataObject), hints: task.hints ?? [] };
}

const requests = (path: string) => emulator.requests.filter((r) => r.path === path);
const asFloat32 = (vector: unknown) => (vector as number[]).map((x) => Math.fround(x));
const inputs = () => requests('/api/embed').map((r) => (r.body as { input: string[] }).input);

describe('a text that fills the embedding model’s context window', () => {
	it('without Context Length: the window from /api/ps, and only the long text counted again alone', async () => {
		const { json, hints } = await embed({}, ['doc 0', long, 'doc 2']);
		expect(json[1].promptTruncated).toEqual({ promptTokens: 512, contextLength: 512 });
		expect(json[0]).not.toHaveProperty('promptTruncated');
		expect(json[2]).not.toHaveProperty('promptTruncated');
		expect(hints).toEqual([
			expect.objectContaining({
				message:
					"A text of item 1 filled the embedding model's whole context window (512 of 512 tokens), so Ollama embedded only its start (Truncate is on). Raise the Context Length option, up to what the model was trained for, or split the text into smaller chunks.",
				location: 'outputPane',
			}),
		]);
		expect(inputs()).toEqual([['doc 0', long, 'doc 2'], [long]]);
		expect(requests('/api/ps')).toHaveLength(1);
		// The batch's vectors and counts are what the items get; the count again is not added.
		expect(asFloat32(json[1].embedding)).toEqual(embeddingFor(MODEL, long, 384));
		expect(json[0].batch).toEqual(expect.objectContaining({ texts: 3, promptTokens: 516 }));
	});

	it('with Context Length: texts that could fill it go alone from the start, the others together', async () => {
		const { json, hints } = await embed({ options: { num_ctx: 64 } }, [
			'doc 0',
			long,
			['a', long, 'b'],
		]);
		expect(json[1].promptTruncated).toEqual({ promptTokens: 64, contextLength: 64 });
		expect(json[2].promptTruncated).toEqual({
			contextLength: 64,
			texts: [{ index: 1, promptTokens: 64 }],
		});
		expect(json[0]).not.toHaveProperty('promptTruncated');
		expect(hints.map((hint) => hint.message)).toEqual([
			"Texts of 2 items (first: item 1) filled the embedding model's whole context window (64 of 64 tokens), so Ollama embedded only its start (Truncate is on). Raise the Context Length option, up to what the model was trained for, or split the text into smaller chunks.",
		]);
		expect(inputs()).toEqual([['doc 0', 'a', 'b'], [long], [long]]);
		expect(requests('/api/ps')).toHaveLength(0);
		// Every vector is still its own text's, in the item's order.
		expect((json[2].embedding as unknown[]).map(asFloat32)).toEqual(
			['a', long, 'b'].map((text) => embeddingFor(MODEL, text, 384)),
		);
	});

	it('a later batch uses the window learned from the first: no second /api/ps, no count again', async () => {
		const { json } = await embed({ batchSize: 2, concurrency: 1 }, ['doc 0', long, 'doc 2', long]);
		expect(json.map((item) => item.promptTruncated)).toEqual([
			undefined,
			{ promptTokens: 512, contextLength: 512 },
			undefined,
			{ promptTokens: 512, contextLength: 512 },
		]);
		expect(inputs()).toEqual([['doc 0', long], [long], ['doc 2'], [long]]);
		expect(requests('/api/ps')).toHaveLength(1);
	});

	it('a long text that fits a larger Context Length is not flagged', async () => {
		const { json, hints } = await embed({ options: { num_ctx: 1024 } }, [long, 'doc 1']);
		expect(json.every((item) => !('promptTruncated' in item))).toBe(true);
		expect(hints).toEqual([]);
	});

	it('short texts: no field, no hint, and the server is not asked for its window', async () => {
		const { json, hints } = await embed({}, ['doc 0', 'doc 1']);
		expect(json.every((item) => !('promptTruncated' in item))).toBe(true);
		expect(hints).toEqual([]);
		expect(requests('/api/ps')).toHaveLength(0);
		expect(requests('/api/embed')).toHaveLength(1);
	});

	it('with Truncate off, Ollama refuses the long text with its own words instead', async () => {
		const { json } = await embed({ options: { truncate: false } }, [long]);
		expect(String(json[0].error)).toContain('the input length exceeds the context length');
		expect(requests('/api/ps')).toHaveLength(0);
	});
});

describe('mayFill', () => {
	it('counts UTF-8 bytes, since no token is shorter than a byte, plus two markers', () => {
		expect(mayFill('a'.repeat(60), 64)).toBe(false);
		expect(mayFill('a'.repeat(61), 64)).toBe(true);
		expect(mayFill('é'.repeat(30), 64)).toBe(false); // 60 bytes
		expect(mayFill('é'.repeat(31), 64)).toBe(true);
		expect(mayFill('😀'.repeat(15), 64)).toBe(false); // 60 bytes, 30 UTF-16 units
		expect(mayFill('😀'.repeat(16), 64)).toBe(true);
		expect(mayFill('中'.repeat(21), 64)).toBe(true); // 63 bytes
	});
});
