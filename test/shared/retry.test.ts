import { sleep } from 'n8n-workflow';

import { OllamaFailure } from '../../nodes/core/failures';
import {
	DEFAULT_RETRY_POLICY,
	isRetryable,
	parseRetryAfter,
	retryDelayMs,
	withRetry,
} from '../../nodes/core/retry';

const RUNNER_STOPPED =
	'model runner has unexpectedly stopped, this may be due to resource limitations or an internal error, check ollama server logs for details';

const http = (status: number, text = 'x', extra: Partial<OllamaFailure> = {}) =>
	Object.assign(new OllamaFailure(text, { kind: 'http', status, ollamaMessage: text }), extra);

describe('isRetryable', () => {
	it.each([429, 502, 503, 504])('retries HTTP %i', (status) => {
		expect(isRetryable(http(status))).toBe(true);
	});

	it.each([400, 401, 403, 404, 405, 413, 499])('never retries HTTP %i', (status) => {
		expect(isRetryable(http(status))).toBe(false);
	});

	it('retries a 500 only when the model runner stopped', () => {
		expect(
			isRetryable(
				http(
					500,
					'model runner has unexpectedly stopped, this may be due to resource limitations or an internal error, check ollama server logs for details',
				),
			),
		).toBe(true);
		expect(isRetryable(http(500, 'option "num_ctx" must be of type integer'))).toBe(false);
	});

	it.each([
		'ECONNREFUSED',
		'ECONNRESET',
		'EPIPE',
		'ETIMEDOUT',
		'EAI_AGAIN',
		'EHOSTUNREACH',
		'ENETUNREACH',
		'ENETDOWN',
		'UND_ERR_SOCKET',
	])('retries network failure %s', (code) => {
		expect(isRetryable(new OllamaFailure('x', { kind: 'network', code }))).toBe(true);
	});

	it('retries a model runner that stopped before any output, reported in the stream', () => {
		const stopped = (outputStarted: boolean) =>
			new OllamaFailure(RUNNER_STOPPED, {
				kind: 'streamError',
				ollamaMessage: RUNNER_STOPPED,
				outputStarted,
			});
		expect(isRetryable(stopped(false))).toBe(true);
		expect(isRetryable(stopped(true))).toBe(false);
	});

	it('takes the runner-stopped text as a crash only with HTTP 500', () => {
		expect(isRetryable(http(500, RUNNER_STOPPED))).toBe(true);
		expect(isRetryable(http(400, RUNNER_STOPPED))).toBe(false);
		expect(isRetryable(http(501, RUNNER_STOPPED))).toBe(false);
	});

	it('does not retry an HTTP failure that carries no status', () => {
		expect(isRetryable(new OllamaFailure('x', { kind: 'http' }))).toBe(false);
	});

	it('does not retry a network failure without a code: nothing says it was passing', () => {
		expect(isRetryable(new OllamaFailure('x', { kind: 'network' }))).toBe(false);
	});

	it('does not retry a host that does not exist or a bad certificate', () => {
		expect(isRetryable(new OllamaFailure('x', { kind: 'network', code: 'ENOTFOUND' }))).toBe(false);
		expect(
			isRetryable(new OllamaFailure('x', { kind: 'network', code: 'DEPTH_ZERO_SELF_SIGNED_CERT' })),
		).toBe(false);
	});

	it('retries a timeout or a stream cut before any output', () => {
		expect(isRetryable(new OllamaFailure('x', { kind: 'timeoutBeforeResponse' }))).toBe(true);
		expect(isRetryable(new OllamaFailure('x', { kind: 'timeoutIdle' }))).toBe(true);
		expect(isRetryable(new OllamaFailure('x', { kind: 'truncated' }))).toBe(true);
	});

	it('never retries once output has arrived, whatever the failure', () => {
		for (const kind of ['truncated', 'network', 'timeoutIdle', 'streamError'] as const) {
			expect(
				isRetryable(
					new OllamaFailure('model runner has unexpectedly stopped', {
						kind,
						code: 'ECONNRESET',
						ollamaMessage: 'model runner has unexpectedly stopped',
						outputStarted: true,
					}),
				),
			).toBe(false);
		}
	});

	it('never retries a cancelled request, a protocol error or a plain error line', () => {
		expect(isRetryable(new OllamaFailure('x', { kind: 'cancelled' }))).toBe(false);
		expect(isRetryable(new OllamaFailure('x', { kind: 'protocol' }))).toBe(false);
		expect(
			isRetryable(
				new OllamaFailure('x', {
					kind: 'streamError',
					ollamaMessage: 'pull model manifest: file does not exist',
				}),
			),
		).toBe(false);
	});
});

describe('retryDelayMs', () => {
	const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 1000, jitter: 0.25 };

	it('doubles the wait each retry, within the jitter band, up to the maximum', () => {
		const low = () => 0;
		const high = () => 1;
		expect(retryDelayMs(1, http(503), policy, low)).toBe(75);
		expect(retryDelayMs(1, http(503), policy, high)).toBe(125);
		expect(retryDelayMs(2, http(503), policy, low)).toBe(150);
		expect(retryDelayMs(3, http(503), policy, high)).toBe(500);
		expect(retryDelayMs(10, http(503), policy, high)).toBe(1250);
		expect(retryDelayMs(10, http(503), policy, low)).toBe(750);
	});

	it('waits exactly as long as Retry-After asks, and gives up on a wait beyond the policy', () => {
		expect(retryDelayMs(1, http(429, 'x', { retryAfterMs: 2000 } as never), policy)).toBe(2000);
		expect(
			retryDelayMs(1, http(429, 'x', { retryAfterMs: 10 * 60_000 } as never), policy),
		).toBeUndefined();
	});

	it('still waits when Retry-After asks for exactly the longest wait the policy allows', () => {
		const longest = http(429, 'x', { retryAfterMs: policy.maxRetryAfterMs } as never);
		expect(retryDelayMs(1, longest, policy)).toBe(policy.maxRetryAfterMs);
	});
});

describe('parseRetryAfter', () => {
	it('reads seconds and HTTP dates', () => {
		expect(parseRetryAfter('3')).toBe(3000);
		expect(parseRetryAfter('1.5')).toBe(1500);
		const now = Date.parse('2026-01-01T00:00:00Z');
		expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:10 GMT', now)).toBe(10_000);
		expect(parseRetryAfter(undefined)).toBeUndefined();
		expect(parseRetryAfter('soon')).toBeUndefined();
	});

	it('reads whole and fractional seconds of any length, as text or a number, spaces aside', () => {
		expect(parseRetryAfter('10')).toBe(10_000);
		expect(parseRetryAfter('120')).toBe(120_000);
		expect(parseRetryAfter('1.25')).toBe(1250);
		expect(parseRetryAfter(' 3 ')).toBe(3000);
		expect(parseRetryAfter(7)).toBe(7000);
	});

	it('means retry now for a date already past', () => {
		const now = Date.parse('2026-01-01T00:00:00Z');
		expect(parseRetryAfter('Wed, 31 Dec 2025 23:59:00 GMT', now)).toBe(0);
	});

	it.each([['in 5'], ['-5'], ['5 minutes'], ['3s'], ['Invalid Date'], [['3']], [{}], [true]])(
		'ignores %j (neither seconds nor an HTTP date): the usual backoff applies',
		(value) => {
			expect(parseRetryAfter(value)).toBeUndefined();
		},
	);
});

describe('withRetry', () => {
	const policy = { ...DEFAULT_RETRY_POLICY, maxAttempts: 4, baseDelayMs: 10, jitter: 0 };
	const noWait = async () => {};

	it('repeats a retryable failure until it succeeds', async () => {
		let calls = 0;
		const result = await withRetry(
			async () => {
				calls++;
				if (calls < 3) throw http(503);
				return 'ok';
			},
			policy,
			{ wait: noWait },
		);
		expect(result).toBe('ok');
		expect(calls).toBe(3);
	});

	it('stops after maxAttempts and throws the last failure', async () => {
		let calls = 0;
		await expect(
			withRetry(
				async () => {
					calls++;
					throw http(503, `busy ${calls}`);
				},
				policy,
				{ wait: noWait },
			),
		).rejects.toThrow('busy 4');
		expect(calls).toBe(4);
	});

	it('does not repeat a permanent failure', async () => {
		let calls = 0;
		await expect(
			withRetry(
				async () => {
					calls++;
					throw http(404, "model 'x' not found");
				},
				policy,
				{ wait: noWait },
			),
		).rejects.toThrow("model 'x' not found");
		expect(calls).toBe(1);
	});

	it('reports each retry with its wait', async () => {
		const waits: number[] = [];
		let calls = 0;
		await withRetry(
			async () => {
				if (++calls < 3) throw http(503);
				return 1;
			},
			policy,
			{ wait: noWait, onRetry: ({ delayMs }) => waits.push(delayMs) },
		);
		expect(waits).toEqual([10, 20]);
	});

	it('abandons the wait at once when the execution is cancelled', async () => {
		const controller = new AbortController();
		const started = Date.now();
		const promise = withRetry(
			async () => {
				throw http(503);
			},
			{ ...policy, baseDelayMs: 60_000 },
			{ signal: controller.signal, wait: sleep },
		);
		setTimeout(() => controller.abort(), 50);
		await expect(promise).rejects.toMatchObject({
			kind: 'cancelled',
			message: 'The execution was cancelled while waiting to retry.',
		});
		expect(Date.now() - started).toBeLessThan(2000);
	});
});
