import { OllamaFailure } from './failures';

export interface RetryPolicy {
	/** Attempts in all, the first one included. 1 = no retries. */
	maxAttempts: number;
	/** Wait before the first retry; doubles each retry. */
	baseDelayMs: number;
	maxDelayMs: number;
	/** Share of the wait that is random, 0–1, so parallel items do not retry in lockstep. */
	jitter: number;
	/** The longest Retry-After we honour; a server asking for more is not retried. */
	maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	maxAttempts: 3,
	baseDelayMs: 500,
	maxDelayMs: 20_000,
	jitter: 0.25,
	maxRetryAfterMs: 120_000,
};

const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);
const RETRYABLE_NETWORK_CODES = new Set([
	'ECONNREFUSED',
	'ECONNRESET',
	'EPIPE',
	'ETIMEDOUT',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'ENETDOWN',
	'UND_ERR_SOCKET',
]);
const RUNNER_STOPPED = 'model runner has unexpectedly stopped';

/**
 * Whether repeating the same request can succeed. Never once output has been received:
 * the caller may already have passed it on (streamed to a user, or a create/push in progress).
 */
export function isRetryable(failure: OllamaFailure): boolean {
	if (failure.outputStarted) return false;
	switch (failure.kind) {
		case 'network':
			return failure.code !== undefined && RETRYABLE_NETWORK_CODES.has(failure.code);
		case 'timeoutBeforeResponse':
		case 'timeoutIdle':
		case 'truncated':
			return true;
		case 'http':
			if (failure.status === undefined) return false;
			if (RETRYABLE_STATUSES.has(failure.status)) return true;
			return failure.status === 500 && isRunnerStopped(failure);
		case 'streamError':
			return isRunnerStopped(failure);
		default:
			// cancelled, protocol, configuration, redirect
			return false;
	}
}

function isRunnerStopped(failure: OllamaFailure): boolean {
	return (failure.ollamaMessage ?? '').includes(RUNNER_STOPPED);
}

/** Wait before retry number `retry` (1 = first retry), or undefined when not to retry at all. */
export function retryDelayMs(
	retry: number,
	failure: OllamaFailure,
	policy: RetryPolicy,
	random: () => number = Math.random,
): number | undefined {
	if (failure.retryAfterMs !== undefined) {
		return failure.retryAfterMs <= policy.maxRetryAfterMs ? failure.retryAfterMs : undefined;
	}
	const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
	const spread = exponential * policy.jitter;
	return Math.round(exponential - spread + random() * 2 * spread);
}

/** Parses a Retry-After header (seconds or an HTTP date) into milliseconds. */
export function parseRetryAfter(value: unknown, now = Date.now()): number | undefined {
	if (typeof value !== 'string' && typeof value !== 'number') return undefined;
	const text = String(value).trim();
	if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
	// Only the date form servers send (`Thu, 01 Jan 2026 00:00:10 GMT`, which Date writes back
	// as is): Date.parse alone reads text such as "in 5" as a day in 2001, that is no wait at all.
	const date = new Date(text);
	const time = date.getTime();
	return !Number.isNaN(time) && date.toUTCString() === text ? Math.max(0, time - now) : undefined;
}

export interface RetryHooks {
	signal?: AbortSignal;
	onRetry?: (info: { attempt: number; delayMs: number; failure: OllamaFailure }) => void;
	/** The host's timer: resolves after `ms`, rejects at once when `signal` aborts. */
	wait: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * Runs `attempt` until it succeeds, fails in a way that is not worth repeating, or the
 * policy's attempts are used up. Waiting stops at once when the execution is cancelled.
 */
export async function withRetry<T>(
	attempt: (attemptNumber: number) => Promise<T>,
	policy: RetryPolicy,
	hooks: RetryHooks,
): Promise<T> {
	const wait = hooks.wait;
	for (let attemptNumber = 1; ; attemptNumber++) {
		let failure: unknown;
		try {
			return await attempt(attemptNumber);
		} catch (error) {
			failure = error;
		}
		if (!(failure instanceof OllamaFailure)) throw failure;
		if (attemptNumber >= policy.maxAttempts || !isRetryable(failure)) throw failure;
		const delayMs = retryDelayMs(attemptNumber, failure, policy);
		if (delayMs === undefined) throw failure;
		hooks.onRetry?.({ attempt: attemptNumber, delayMs, failure });
		const cancelled = await wait(delayMs, hooks.signal).then(
			() => false,
			() => true,
		);
		if (cancelled) {
			throw new OllamaFailure('The execution was cancelled while waiting to retry.', {
				kind: 'cancelled',
				path: failure.path,
			});
		}
	}
}
