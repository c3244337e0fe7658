// Webhook streaming through `n8n start`: the caller reads the pull's progress line by line
// while the pull is still running. Then the same in queue mode, executed by an `n8n worker`.
import type { Emulator } from '../emulator';
import { startEmulator } from '../emulator';
import {
	N8nInstance,
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

const streamExample = () => {
	const id = exampleId(/stream/i);
	const example = exampleWorkflows().find((e) => e.id === id)!;
	return { id, path: webhookPaths(example.workflow)[0].path };
};

/** begin, at least a few items, end – from our node; the first item well before the end. */
function expectLiveProgress(lines: StreamLine[], endedAt: number): void {
	const ours = lines.filter((line) => line.metadata?.nodeName === 'Ensure Model Present');
	const types = ours.map((line) => line.type);
	expect(types[0]).toBe('begin');
	expect(types[types.length - 1]).toBe('end');
	expect(types.slice(1, -1).every((type) => type === 'item')).toBe(true);
	const items = ours.filter((line) => line.type === 'item').map((line) => line.content ?? '');
	expect(items[0]).toBe('pulling manifest\n');
	expect(items).toEqual(expect.arrayContaining(['verifying sha256 digest\n', 'success\n']));
	expect(items.some((text) => /^pulling [0-9a-f]{12} \d+%\n$/.test(text))).toBe(true);
	const firstItem = ours.find((line) => line.type === 'item')!;
	const end = ours[ours.length - 1];
	// The pull takes > 1 s (one progress line every PULL_INTERVAL_MS): a buffered response
	// would deliver everything at once.
	expect(end.at - firstItem.at).toBeGreaterThan(5 * PULL_INTERVAL_MS);
	expect(firstItem.at).toBeLessThan(endedAt - 5 * PULL_INTERVAL_MS);
}

describeE2e('webhook streaming in real n8n', () => {
	let emulator: Emulator;
	let n8n: N8nInstance;

	beforeAll(async () => {
		provision();
		emulator = await startEmulator();
		// One user folder for both tests: queue mode reuses its database and the published workflow.
		n8n = N8nInstance.temporary();
		await prepare(n8n, emulator);
		await n8n.publishWorkflow(streamExample().id);
	});
	afterAll(async () => {
		await stopAll(); // everything still running, also after a failed test
		await emulator?.close();
		n8n?.remove();
	});
	beforeEach(() => {
		emulator.reset();
		emulator.configure({ latency: { pullIntervalMs: PULL_INTERVAL_MS } });
	});

	it('n8n start: progress lines reach the caller while the model is being pulled', async () => {
		const main = await startN8n(n8n);
		const url = await waitForWebhook(main, streamExample().path);

		expect(await modelNames(emulator)).not.toContain('mistral:latest');
		const { status, lines, endedAt } = await postAndReadLines(url, { model: 'mistral' });

		expect(status).toBe(200);
		expectLiveProgress(lines, endedAt);
		expect(await modelNames(emulator)).toContain('mistral:latest');
		await main.stop();
	});

	it('queue mode: the webhook execution runs on an n8n worker and still streams', async () => {
		const redis = await startRedis();
		const [worker, main] = await Promise.all([
			startWorker(n8n, { redisPort: redis.port }),
			startN8n(n8n, { redisPort: redis.port }),
		]);
		const url = await waitForWebhook(main, streamExample().path);

		const { status, lines, endedAt } = await postAndReadLines(url, { model: 'gemma3' });

		expect(status).toBe(200);
		expectLiveProgress(lines, endedAt);
		expect(await modelNames(emulator)).toContain('gemma3:latest');
		const enqueued = main.output().match(/Enqueued execution (\d+) \(job (\d+)\)/);
		expect(enqueued).not.toBeNull();
		const [, execution, job] = enqueued!;
		expect(worker.output()).toContain(`Worker started execution ${execution} (job ${job})`);
		await stopAll([main, worker, redis]);
	});
});
