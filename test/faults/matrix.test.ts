/**
 * The fault matrix: every node runs a batch of items while the emulator injects one fault, on
 * each API it speaks (Ollama's own /api, and the OpenAI-compatible /v1 where it has an endpoint).
 * In every cell each input item yields exactly one output (a result or an error item), in
 * order; transient faults are recovered by retries (the request log shows the attempts);
 * permanent ones carry Ollama's own text; nothing already streamed is sent twice.
 */
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INodeParameters,
	INodeType,
} from 'n8n-workflow';

import { OllamaChat } from '../../nodes/OllamaChat/OllamaChat.node';
import { OllamaEmbed } from '../../nodes/OllamaEmbed/OllamaEmbed.node';
import { OllamaGenerate } from '../../nodes/OllamaGenerate/OllamaGenerate.node';
import { OllamaModels } from '../../nodes/OllamaModels/OllamaModels.node';
import type { Emulator, FaultSpec } from '../emulator';
import { startEmulator } from '../emulator';
import { runNode } from '../harness/run';
import { closedPort } from './ports';

/** The API the credential names: Ollama's own (/api) or the OpenAI-compatible one (/v1). */
type Api = 'ollama' | 'openai';

interface SubjectBase {
	name: string;
	type: new () => INodeType;
	/** The endpoint the node calls on each API it runs on (every subject has Ollama's own). */
	paths: { ollama: string; openai?: string };
	parameters: INodeParameters;
	/** The field that holds the streamed text, for nodes that stream tokens. */
	textField?: string;
	/** Progress streams (pull) may be repeated after output: they resume. */
	repeatable?: boolean;
	/** One JSON answer for the whole batch of items (embed), not a stream per item. */
	batched?: boolean;
}

interface Subject extends Omit<SubjectBase, 'paths'> {
	api: Api;
	path: string;
}

const bases: SubjectBase[] = [
	{
		name: 'Generate',
		type: OllamaGenerate,
		paths: { ollama: '/api/generate', openai: '/v1/completions' },
		parameters: {
			model: { __rl: true, mode: 'name', value: 'llama3.2' },
			prompt: '={{ $json.text }}',
		},
		textField: 'response',
	},
	{
		name: 'Chat',
		type: OllamaChat,
		paths: { ollama: '/api/chat', openai: '/v1/chat/completions' },
		parameters: {
			model: { __rl: true, mode: 'name', value: 'llama3.2' },
			messagesSource: 'define',
			messages: { message: [{ role: 'user', content: '={{ $json.text }}' }] },
		},
		textField: 'content',
	},
	{
		name: 'Model Management (pull)',
		type: OllamaModels,
		paths: { ollama: '/api/pull' },
		parameters: { resource: 'model', operation: 'pull', modelName: 'mistral' },
		repeatable: true,
	},
	{
		name: 'Embed',
		type: OllamaEmbed,
		paths: { ollama: '/api/embed', openai: '/v1/embeddings' },
		parameters: {
			model: { __rl: true, mode: 'name', value: 'all-minilm' },
			text: '={{ $json.text }}',
		},
		batched: true,
	},
];

/** Every subject on every API it has an endpoint on. */
const subjects: Subject[] = bases.flatMap(({ paths, ...base }) =>
	(['ollama', 'openai'] as const).flatMap((api) => {
		const path = paths[api];
		return path === undefined ? [] : [{ ...base, api, path }];
	}),
);

type Expect = 'ok' | RegExp;

interface Outcome {
	expect: Expect;
	attempts: number;
}

interface Cell {
	fault: string;
	/**
	 * For the batched node (one request for all items): what every item gets and the requests
	 * made. A failed batch is retried item by item (400, 413 and 500), so the other items still
	 * get their vectors.
	 */
	batched: Outcome;
	spec?: (path: string, subject: Subject) => FaultSpec;
	/** What the faulted (first) item gets; the other items always succeed. */
	expect: Expect | ((subject: Subject) => Expect);
	/** Requests the faulted item makes, counting retries. */
	attempts: number | ((subject: Subject) => number);
	timeoutMs?: number;
	refused?: boolean;
	/** Why the fault does not apply to this subject, when it does not. */
	notApplied?: (subject: Subject) => string | undefined;
}

const RUNNER = /^model runner has unexpectedly stopped/;

const cells: Cell[] = [
	{
		fault: 'connection refused',
		batched: { expect: /^Could not connect to Ollama: connection refused$/, attempts: 0 },
		refused: true,
		expect: /^Could not connect to Ollama: connection refused$/,
		attempts: 0,
	},
	{
		fault: 'reset before headers',
		batched: { expect: 'ok', attempts: 2 },
		spec: (path) => ({ type: 'reset', path }),
		expect: 'ok',
		attempts: 2,
	},
	{
		fault: 'reset mid-stream',
		batched: { expect: 'ok', attempts: 2 },
		spec: (path) => ({ type: 'reset', path, afterChunks: 2 }),
		expect: (s) => (s.repeatable ? 'ok' : /^The connection to Ollama was cut while/),
		attempts: (s) => (s.repeatable ? 2 : 1),
	},
	{
		fault: '503 busy ×2',
		batched: { expect: 'ok', attempts: 3 },
		spec: (path) => ({ type: 'busy', path, times: 2 }),
		expect: 'ok',
		attempts: 3,
	},
	{
		fault: '429 Retry-After',
		batched: { expect: 'ok', attempts: 2 },
		spec: (path) => ({ type: 'rateLimit', path, retryAfter: 1 }),
		expect: 'ok',
		attempts: 2,
	},
	{
		fault: '500 runner crash',
		batched: { expect: 'ok', attempts: 2 },
		spec: (path) => ({ type: 'runnerCrash', path }),
		expect: 'ok',
		attempts: 2,
	},
	{
		fault: '500 runner crash, persistent',
		batched: { expect: 'ok', attempts: 3 + 3 },
		spec: (path) => ({ type: 'runnerCrash', path, times: 3 }),
		expect: RUNNER,
		attempts: 3,
	},
	{
		fault: '404 model not found',
		batched: { expect: /^model 'llama3\.2' not found$/, attempts: 1 },
		spec: (path) => ({ type: 'status', path, status: 404, error: "model 'llama3.2' not found" }),
		expect: /^model 'llama3\.2' not found$/,
		attempts: 1,
	},
	{
		fault: '400 capability',
		batched: { expect: 'ok', attempts: 1 + 3 },
		spec: (path) => ({
			type: 'status',
			path,
			status: 400,
			error: '"llama3.2" does not support chat',
		}),
		expect: /^"llama3\.2" does not support chat$/,
		attempts: 1,
	},
	{
		fault: 'error line after chunks',
		batched: { expect: 'ok', attempts: 1 + 3 },
		spec: (path) => ({
			type: 'errorLine',
			path,
			afterChunks: 2,
			error: 'an error was encountered while running the model',
		}),
		expect: (s) =>
			// Ollama's /v1 writer drops the error: an empty chunk, then the end (no finish_reason, no [DONE]).
			s.api === 'openai'
				? /ended before its final message/
				: /^an error was encountered while running the model$/,
		attempts: 1,
	},
	{
		fault: 'EOF without done',
		batched: { expect: 'ok', attempts: 2 },
		spec: (path) => ({ type: 'truncate', path, afterChunks: 2 }),
		expect: (s) => (s.repeatable ? 'ok' : /ended before its final message/),
		attempts: (s) => (s.repeatable ? 2 : 1),
	},
	{
		fault: 'stall before headers > timeout',
		batched: { expect: 'ok', attempts: 2 },
		spec: (path) => ({ type: 'stall', path, ms: 2000 }),
		timeoutMs: 300,
		expect: 'ok',
		attempts: 2,
	},
	{
		fault: 'stall mid-stream > timeout',
		batched: { expect: 'ok', attempts: 2 },
		spec: (path) => ({ type: 'stall', path, ms: 2000, afterChunks: 2 }),
		timeoutMs: 300,
		expect: (s) => (s.repeatable ? 'ok' : /stalled: nothing arrived/),
		attempts: (s) => (s.repeatable ? 2 : 1),
	},
	{
		fault: 'garbage line',
		batched: { expect: 'ok', attempts: 1 },
		spec: (path) => ({ type: 'garbageLine', path, afterChunks: 1, line: 'upstream hiccup' }),
		expect: /not JSON: upstream hiccup/,
		attempts: 1,
	},
	{
		fault: 'writes split inside UTF-8 characters',
		batched: { expect: 'ok', attempts: 1 },
		spec: (path, subject) => ({
			type: 'splitWrites',
			path,
			every: subject.batched ? 997 : 5,
			text: 'Ünïcödé 😀 split — ok',
		}),
		expect: 'ok',
		attempts: 1,
	},
	{
		fault: '50 MB line',
		batched: { expect: 'ok', attempts: 1 },
		spec: (path) => ({ type: 'hugeLine', path, bytes: 50 * 1024 * 1024 }),
		expect: 'ok',
		attempts: 1,
		notApplied: (s) =>
			// The emulator puts generate's huge line in `context`, which the /v1 writer drops.
			s.path === '/v1/completions' ? 'the /v1 writer drops the context it pads' : undefined,
	},
];

let emulator: Emulator;
beforeAll(async () => {
	emulator = await startEmulator();
});
afterAll(async () => {
	await emulator.close();
});

const ITEMS = [{ text: 'first item' }, { text: 'second item' }, { text: 'third item' }];

describe.each(subjects)('$name on $path under faults', (subject) => {
	beforeEach(() => emulator.reset());

	for (const cell of cells) {
		const notApplied = cell.notApplied?.(subject);
		if (notApplied) it.skip(`${cell.fault} (not applied: ${notApplied})`, () => {});
		else it(cell.fault, () => runCell(subject, cell));
	}
});

async function runCell(subject: Subject, cell: Cell): Promise<void> {
	const spec = cell.spec?.(subject.path, subject);
	if (spec) emulator.addFault({ ...spec, model: undefined });
	const baseUrl = cell.refused ? `http://127.0.0.1:${await closedPort()}` : emulator.url;
	const credentials: ICredentialDataDecryptedObject =
		subject.api === 'openai'
			? { api: 'openai', baseUrl, authentication: 'bearer', apiKey: 'sk-local' }
			: { baseUrl, authentication: 'none' };
	const { items, chunks } = await runNode({
		node: {
			type: subject.type,
			parameters: {
				...subject.parameters,
				// Two attempts where nothing can answer, to keep the run short.
				reliability: {
					maxAttempts: cell.refused ? 2 : 3,
					...(cell.timeoutMs ? { timeout: cell.timeoutMs } : {}),
				},
			},
			continueOnFail: true,
		},
		credentials,
		items: ITEMS,
		streaming: true,
	});

	// Exactly one output per input, in order.
	expect(items.map((item) => item.pairedItem)).toEqual(ITEMS.map((_, item) => ({ item })));
	const pick = <T>(value: T | ((s: Subject) => T)) =>
		typeof value === 'function' ? (value as (s: Subject) => T)(subject) : value;
	const outcome: Outcome = subject.batched
		? cell.batched
		: { expect: pick(cell.expect), attempts: pick(cell.attempts) };
	// The fault hits the first request: the first item, or the whole batch.
	const hit = subject.batched || cell.refused ? items : items.slice(0, 1);
	for (const item of items) {
		if (hit.includes(item) && outcome.expect !== 'ok')
			expect(item.json.error).toMatch(outcome.expect);
		else expect(item.json.error).toBeUndefined();
	}
	if (!cell.refused) {
		const calls = emulator.requests.filter((r) => r.path === subject.path);
		const others = subject.batched ? 0 : ITEMS.length - 1;
		expect(calls).toHaveLength(outcome.attempts + others);
	}
	if (subject.textField) {
		// A reply text the fault forces arrives whole, every character intact.
		if (spec?.text !== undefined) expect(items[0].json[subject.textField]).toBe(spec.text);
		expectStreamedOnce(
			chunks,
			items.map((i) => i.json),
			subject.textField,
		);
	}
}

/** Each item's live chunks add up to its text exactly once: nothing is sent twice. */
function expectStreamedOnce(
	chunks: Array<{ type: string; content?: unknown; metadata: { itemIndex: number } }>,
	outputs: IDataObject[],
	textField: string,
): void {
	outputs.forEach((output, index) => {
		const own = chunks.filter((c) => c.metadata.itemIndex === index);
		expect(own.filter((c) => c.type === 'begin')).toHaveLength(1);
		expect(own.filter((c) => c.type === 'end')).toHaveLength(1);
		if (output.error) return;
		const text = own
			.filter((c) => c.type === 'item')
			.map((c) => c.content)
			.join('');
		expect(text).toBe(output[textField]);
	});
}
