// Silent prompt truncation (issue 17, item 1): a prompt that fills the context window was cut by
// Ollama without an error; the item says so, and the node shows one execution hint.
import type { INodeParameters } from 'n8n-workflow';

import { OllamaChat } from '../../nodes/OllamaChat/OllamaChat.node';
import { OllamaGenerate } from '../../nodes/OllamaGenerate/OllamaGenerate.node';
import { runNode } from '../harness/run';
import { useEmulator } from './emulator.fixture';
import { byName, nodeRun } from './generation.fixture';

const emulator = useEmulator();
const long = 'word '.repeat(400);
const items = [long, 'Hi', long].map((text) => ({ json: { text } }));

async function run(type: typeof OllamaGenerate | typeof OllamaChat, parameters: INodeParameters) {
	const result = await runNode(nodeRun(emulator, type, parameters, { items }));
	const task = Object.values(result.run.data.resultData.runData)[0][0];
	return { items: result.items.map((item) => item.json), hints: task.hints ?? [] };
}

describe('a prompt that fills the context window', () => {
	it('Generate with Context Length: the items cut say so, and one hint names the numbers and the option', async () => {
		const { items: out, hints } = await run(OllamaGenerate, {
			model: byName('llama3.2'),
			prompt: '={{ $json.text }}',
			options: { num_ctx: 64 },
		});
		expect(out[0].promptTruncated).toEqual({ promptTokens: 64, contextLength: 64 });
		expect(out[1]).not.toHaveProperty('promptTruncated');
		expect(out[2].promptTruncated).toEqual({ promptTokens: 64, contextLength: 64 });
		expect(hints).toEqual([
			expect.objectContaining({
				message:
					"2 items' prompts (first: item 0) filled the whole context window (64 of 64 tokens), so Ollama cut the start without an error and the answer ignores it. Raise the Context Length option or shorten the prompt.",
				location: 'outputPane',
			}),
		]);
		// With the window given, the server is not asked for it.
		expect(emulator.requests.filter((r) => r.path === '/api/ps')).toHaveLength(0);
	});

	it('Chat without Context Length: the window of the loaded model from /api/ps, asked once', async () => {
		emulator.configure({ numCtx: 300 });
		const { items: out, hints } = await run(OllamaChat, {
			model: byName('llama3.2'),
			messagesSource: 'define',
			messages: { message: [{ role: 'user', content: '={{ $json.text }}' }] },
		});
		expect(out[0].promptTruncated).toEqual({ promptTokens: 300, contextLength: 300 });
		expect(out[1]).not.toHaveProperty('promptTruncated');
		expect(hints).toHaveLength(1);
		expect(emulator.requests.filter((r) => r.path === '/api/ps')).toHaveLength(1);
	});

	it('a prompt that fits: no field, no hint', async () => {
		const { items: out, hints } = await run(OllamaGenerate, {
			model: byName('llama3.2'),
			prompt: 'Why is the sky blue?',
		});
		expect(out.every((item) => !('promptTruncated' in item))).toBe(true);
		expect(hints).toEqual([]);
	});
});
