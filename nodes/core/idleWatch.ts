/**
 * Aborts a streamed request that has been silent for `timeoutMs`. Redirects are not followed,
 * so axios talks to Node's http directly, and its timeout stops watching once the headers are
 * in: a stream that stalls mid-way would otherwise wait forever. One sleep at a time, a quarter
 * of the timeout long, so a stall is noticed between 1 and 1.25 timeouts after the last byte.
 */
export class IdleWatch {
	private readonly request = new AbortController();

	private readonly stopped = new AbortController();

	lastByteAt = Date.now();

	constructor(
		private readonly timeoutMs: number,
		private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>,
	) {
		if (timeoutMs > 0) this.watch().catch(() => undefined);
	}

	/** Give this to the request: it fires when the stream stalls. */
	get signal(): AbortSignal | undefined {
		return this.timeoutMs > 0 ? this.request.signal : undefined;
	}

	/** Call with every chunk. */
	touch(): void {
		this.lastByteAt = Date.now();
	}

	stop(): void {
		this.stopped.abort();
	}

	private async watch(): Promise<void> {
		const tick = Math.max(10, Math.floor(this.timeoutMs / 4));
		for (;;) {
			await this.sleep(tick, this.stopped.signal);
			if (Date.now() - this.lastByteAt >= this.timeoutMs) {
				this.request.abort(Object.assign(new Error('The stream stalled.'), { code: 'ETIMEDOUT' }));
				return;
			}
		}
	}
}
