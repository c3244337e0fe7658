// Streaming through `n8n start`: the chat example (Chat Trigger), the webhook AI step (Webhook in
// streaming mode → Ollama Chat) and the pull progress webhook. The caller reads tokens line by
// line while the emulator is still generating. Then queue mode: the same webhooks executed by an
// `n8n worker`, still streaming.
import type { Emulator, RequestLogEntry } from '../emulator';
import { replyFor, startEmulator } from '../emulator';
import type { Service } from '../../scripts/n8n';
import {
	N8nInstance,
	chatPaths,
	exampleWorkflows,
	provision,
	startN8n,
	startRedis,
	startWorker,
	stopAll,
	waitForWebhook,
	webhookPaths,
} from '../../scripts/n8n';
import type { StreamLine } from './support';
import { describeE2e, exampleId, modelNames, postAndReadLines, prepare } from './support';

const PULL_INTERVAL_MS = 100;
/** Per token after the first: the emulator's 12-token answer then takes about 1.3 s. */
const TOKEN_MS = 120;

const example = (name: RegExp) => {
	const id = exampleId(name);
	return exampleWorkflows().find((e) => e.id === id)!;
};
const pullExample = () => example(/progress of a model pull/i);
const webhookChatExample = () => example(/^3\./);
const chatExample = () => example(/^1\./);
const agentChatExample = () => example(/^8\./);

type AgentChatBody = {
	tools?: Array<{ function: { name: string } }>;
	messages: Array<{ role: string; content: string }>;
};

/**
 * One node's lines: begin, item…, end, nothing else (an AI Agent: one such group per model call);
 * returns the item lines.
 */
function ownStream(
	lines: StreamLine[],
	nodeName: string,
	groups: 'one' | 'per call' = 'one',
): { items: StreamLine[]; all: StreamLine[] } {
	const all = lines.filter((line) => line.metadata?.nodeName === nodeName);
	const shape = all.map((line) => ({ begin: 'b', item: 'i', end: 'e' })[line.type] ?? '?').join('');
	expect(shape).toMatch(groups === 'one' ? /^bi*e$/ : /^(bi*e)+$/);
	return { items: all.filter((line) => line.type === 'item'), all };
}

/** begin, at least a few items, end – from the pull node; the first item well before the end. */
function expectLiveProgress(lines: StreamLine[], endedAt: number): void {
	const { items, all } = ownStream(lines, 'Ensure Model Present');
	const texts = items.map((line) => line.content ?? '');
	expect(texts[0]).toBe('pulling manifest\n');
	expect(texts).toEqual(expect.arrayContaining(['verifying sha256 digest\n', 'success\n']));
	expect(texts.some((text) => /^pulling [0-9a-f]{12} \d+%\n$/.test(text))).toBe(true);
	const end = all[all.length - 1];
	// The pull takes > 1 s (one progress line every PULL_INTERVAL_MS): a buffered response
	// would deliver everything at once.
	expect(end.at - items[0].at).toBeGreaterThan(5 * PULL_INTERVAL_MS);
	expect(items[0].at).toBeLessThan(endedAt - 5 * PULL_INTERVAL_MS);
}

/**
 * The tokens of the Ollama Chat node reached the caller live: the text is exactly the emulator's
 * reply to the chat request it logged, and the first token arrived at the caller long before the
 * emulator finished generating (same clock: the emulator runs in this process).
 */
function expectLiveTokens(
	response: { lines: StreamLine[]; startedAt: number },
	chat: RequestLogEntry,
	nodeName = 'Ollama Chat',
): void {
	const { items } = ownStream(
		response.lines,
		nodeName,
		nodeName === 'AI Agent' ? 'per call' : 'one',
	);
	const body = chat.body as { model: string; messages: Array<{ role: string; content: string }> };
	expect(items.map((line) => line.content).join('')).toBe(
		replyFor({ model: body.model, messages: body.messages }).response,
	);
	expect(items.length).toBeGreaterThan(5);
	expect(chat.finishedAt).toBeDefined();
	const firstTokenAt = response.startedAt + items[0].at;
	// 12 tokens at TOKEN_MS each: the emulator is busy for ~1.3 s after its first token.
	expect(chat.finishedAt! - firstTokenAt).toBeGreaterThan(6 * TOKEN_MS);
	reportTokenLatency(response, items, chat, nodeName);
}

/**
 * Streaming latency (issue 7's target: ≤ 50 ms): from the emulator writing a token line to the
 * webhook caller reading the chunk, token k against line k (one clock: the emulator runs here).
 * Printed, not asserted: a timing target belongs to measurements, not to pass/fail tests.
 */
function reportTokenLatency(
	response: { startedAt: number },
	items: StreamLine[],
	chat: RequestLogEntry,
	nodeName: string,
): void {
	const written = chat.lineWrittenAt ?? [];
	const latencies = items
		.map((line, k) => response.startedAt + line.at - written[k])
		.filter((ms) => Number.isFinite(ms))
		.sort((a, b) => a - b);
	expect(latencies.length).toBe(items.length);
	const at = (q: number) =>
		latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
	process.stdout.write(
		`streaming latency (${nodeName}, ${latencies.length} tokens, emulator write → caller read): median ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${latencies[latencies.length - 1]} ms (target ≤ 50 ms)\n`,
	);
}

function lastChat(emulator: Emulator): RequestLogEntry {
	const chats = emulator.requests.filter((entry) => entry.path === '/api/chat');
	expect(chats).toHaveLength(1);
	return chats[0];
}

describeE2e('streaming in real n8n', () => {
	let emulator: Emulator;
	let n8n: N8nInstance;

	beforeAll(async () => {
		provision();
		emulator = await startEmulator();
		// One user folder for both modes: queue mode reuses its database and the published workflows.
		n8n = N8nInstance.temporary();
		await prepare(n8n, emulator);
		for (const { id } of [pullExample(), webhookChatExample(), chatExample(), agentChatExample()]) {
			await n8n.publishWorkflow(id);
		}
	});
	afterAll(async () => {
		await stopAll(); // everything still running, also after a failed test
		await emulator?.close();
		n8n?.remove();
	});
	beforeEach(() => {
		emulator.reset();
		emulator.configure({ latency: { pullIntervalMs: PULL_INTERVAL_MS, tokenMs: TOKEN_MS } });
	});

	describe('n8n start', () => {
		let main: Service & { url: string };
		beforeAll(async () => {
			main = await startN8n(n8n);
		});
		afterAll(async () => {
			await main?.stop();
		});

		it('3. Webhook AI step: Ollama Chat tokens reach the caller while the model generates', async () => {
			const url = await waitForWebhook(main, webhookPaths(webhookChatExample().workflow)[0].path);

			const response = await postAndReadLines(url, { message: 'Why is the sky blue?' });

			expect(response.status).toBe(200);
			const chat = lastChat(emulator);
			expect(chat.body).toEqual(
				expect.objectContaining({
					model: 'llama3.2',
					stream: true,
					messages: [{ role: 'user', content: 'Why is the sky blue?' }],
				}),
			);
			expectLiveTokens(response, chat);
		});

		it('1. Chat: a message to the Chat Trigger streams the Ollama Chat answer back', async () => {
			const url = await waitForWebhook(main, chatPaths(chatExample().workflow)[0]);

			const response = await postAndReadLines(url, {
				action: 'sendMessage',
				sessionId: 'e2e-session-1',
				chatInput: 'Tell me a joke about llamas',
			});

			expect(response.status).toBe(200);
			const chat = lastChat(emulator);
			const messages = (chat.body as { messages: Array<{ role: string; content: string }> })
				.messages;
			expect(messages[messages.length - 1]).toEqual({
				role: 'user',
				content: 'Tell me a joke about llamas',
			});
			expectLiveTokens(response, chat);
		});

		it("8. AI Agent chat: the agent calls the Calculator, then the Ollama Chat Model's answer streams to the caller live; the next message of the session carries the first exchange", async () => {
			const url = await waitForWebhook(main, chatPaths(agentChatExample().workflow)[0]);
			emulator.addFault({
				type: 'toolCall',
				path: '/api/chat',
				name: 'Calculator',
				arguments: { input: '12*7' },
			});
			const send = async (chatInput: string) =>
				await postAndReadLines(url, { action: 'sendMessage', sessionId: 'agent-e2e', chatInput });

			const first = await send('What is 12 times 7?');

			expect(first.status).toBe(200);
			const chats = emulator.requests.filter((entry) => entry.path === '/api/chat');
			expect(chats).toHaveLength(2);
			const [ask, answer] = chats.map((entry) => entry.body as AgentChatBody);
			expect(ask.tools?.map((tool) => tool.function.name)).toEqual(['Calculator']);
			expect(answer.messages.slice(ask.messages.length)).toEqual([
				{
					role: 'assistant',
					content: '',
					tool_calls: [{ function: { name: 'Calculator', arguments: { input: '12*7' } } }],
				},
				{ role: 'tool', content: '[{"response":"84"}]', tool_name: 'Calculator' },
			]);
			expectLiveTokens(first, chats[1], 'AI Agent');

			// With tools bound, the emulator's model calls one for every question: the second turn
			// is a tool call and an answer too.
			emulator.reset();
			emulator.configure({ latency: { tokenMs: TOKEN_MS } });
			emulator.addFault({
				type: 'toolCall',
				path: '/api/chat',
				name: 'Calculator',
				arguments: { input: '1+1' },
			});
			const second = await send('And what did I just ask?');
			expect(second.status).toBe(200);
			const again = emulator.requests.filter((entry) => entry.path === '/api/chat');
			expect(again).toHaveLength(2);
			const said = (again[0].body as AgentChatBody).messages
				.filter((m) => m.role === 'user' || (m.role === 'assistant' && m.content !== ''))
				.map((m) => [m.role, m.content]);
			expect(said).toEqual([
				['user', 'What is 12 times 7?'],
				['assistant', replyFor({ model: 'llama3.2', messages: answer.messages }).response],
				['user', 'And what did I just ask?'],
			]);
			expectLiveTokens(second, again[1], 'AI Agent');
		});

		it('webhook pull: progress lines reach the caller while the model is being pulled', async () => {
			const url = await waitForWebhook(main, webhookPaths(pullExample().workflow)[0].path);

			expect(await modelNames(emulator)).not.toContain('mistral:latest');
			const { status, lines, endedAt } = await postAndReadLines(url, { model: 'mistral' });

			expect(status).toBe(200);
			expectLiveProgress(lines, endedAt);
			expect(await modelNames(emulator)).toContain('mistral:latest');
		});
	});

	it('queue mode: the webhook AI step runs on an n8n worker and still streams tokens live', async () => {
		const redis = await startRedis();
		const [worker, main] = await Promise.all([
			startWorker(n8n, { redisPort: redis.port }),
			startN8n(n8n, { redisPort: redis.port }),
		]);
		const chatUrl = await waitForWebhook(main, webhookPaths(webhookChatExample().workflow)[0].path);

		const response = await postAndReadLines(chatUrl, {
			message: 'Stream from the worker, please.',
		});

		expect(response.status).toBe(200);
		expectLiveTokens(response, lastChat(emulator));
		const enqueued = main.output().match(/Enqueued execution (\d+) \(job (\d+)\)/);
		expect(enqueued).not.toBeNull();
		const [, execution, job] = enqueued!;
		expect(worker.output()).toContain(`Worker started execution ${execution} (job ${job})`);

		// The pull progress streams from the worker too (cheap: the servers are up).
		const pullUrl = await waitForWebhook(main, webhookPaths(pullExample().workflow)[0].path);
		const pull = await postAndReadLines(pullUrl, { model: 'gemma3' });
		expect(pull.status).toBe(200);
		expectLiveProgress(pull.lines, pull.endedAt);
		expect(await modelNames(emulator)).toContain('gemma3:latest');
		await stopAll([main, worker, redis]);
	});
});
