// The context window: Ollama cuts a prompt that does not fit num_ctx (or the server's default)
// without an error; only what fits is evaluated, and prompt_eval_count says so.
import { useEmulator } from '../nodes/emulator.fixture';

const emulator = useEmulator();

async function post(path: string, body: object): Promise<Record<string, unknown>> {
	const response = await fetch(`${emulator.url}${path}`, {
		method: 'POST',
		body: JSON.stringify({ ...body, stream: false }),
	});
	expect(response.status).toBe(200);
	return (await response.json()) as Record<string, unknown>;
}

const longText = 'word '.repeat(400);

describe('the context window', () => {
	it('generate: a prompt longer than num_ctx is evaluated up to num_ctx, a short one whole', async () => {
		const cut = await post('/api/generate', {
			model: 'llama3.2',
			prompt: longText,
			options: { num_ctx: 64 },
		});
		expect(cut.prompt_eval_count).toBe(64);
		const whole = await post('/api/generate', {
			model: 'llama3.2',
			prompt: 'Hi',
			options: { num_ctx: 64 },
		});
		expect(whole.prompt_eval_count).toBeLessThan(64);
	});

	it("chat: the same, and without num_ctx the server's default window (4096 here) applies", async () => {
		const cut = await post('/api/chat', {
			model: 'llama3.2',
			messages: [{ role: 'user', content: longText }],
			options: { num_ctx: 100 },
		});
		expect(cut.prompt_eval_count).toBe(100);
		emulator.configure({ numCtx: 128 });
		const byDefault = await post('/api/chat', {
			model: 'llama3.2',
			messages: [{ role: 'user', content: longText }],
		});
		expect(byDefault.prompt_eval_count).toBe(128);
	});

	it('embed: each text is cut to the window on its own, which is never more than the model was trained for', async () => {
		// all-minilm was trained for 512 tokens: the server default (4096) and a larger num_ctx give 512.
		const cut = await post('/api/embed', {
			model: 'all-minilm',
			input: ['word '.repeat(800), 'Hi'],
			options: { num_ctx: 2048 },
		});
		expect(cut.prompt_eval_count).toBe(512 + 1);
		const ps = (await (await fetch(`${emulator.url}/api/ps`)).json()) as {
			models: Array<{ name: string; context_length: number }>;
		};
		expect(ps.models.find((m) => m.name === 'all-minilm:latest')?.context_length).toBe(512);
		const narrow = await post('/api/embed', {
			model: 'all-minilm',
			input: ['word '.repeat(800), 'word '.repeat(800)],
			options: { num_ctx: 64 },
		});
		expect(narrow.prompt_eval_count).toBe(128);
	});
});
