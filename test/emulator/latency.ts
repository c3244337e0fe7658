// Parallel slots per model and the wait queue in front of them (OLLAMA_NUM_PARALLEL, OLLAMA_MAX_QUEUE).

import type { LatencyConfig } from './config';

export class BusyError extends Error {
	constructor() {
		super('server busy, please try again.  maximum pending requests exceeded');
	}
}

export class AbortedError extends Error {
	constructor() {
		super('request canceled');
	}
}

interface Waiter {
	granted: boolean;
	resolve: () => void;
	reject: (e: Error) => void;
}

export class Slots {
	private active = new Map<string, number>();
	private queues = new Map<string, Waiter[]>();
	private pending = 0;

	constructor(private latency: () => LatencyConfig) {}

	/** Number of requests waiting for a slot, over all models. */
	get waiting(): number {
		return this.pending;
	}

	/**
	 * Takes a slot for `model`, waiting in line when all are busy. Throws BusyError at once when the
	 * queue is full, AbortedError when `signal` fires while waiting. Returns the release function.
	 */
	async acquire(model: string, signal: AbortSignal): Promise<() => void> {
		if (signal.aborted) throw new AbortedError();
		if (this.count(model) < this.latency().parallel && !this.queues.get(model)?.length) {
			this.active.set(model, this.count(model) + 1);
		} else {
			if (this.pending >= this.latency().maxQueue) throw new BusyError();
			this.pending++;
			try {
				await new Promise<void>((resolve, reject) => {
					const waiter: Waiter = { granted: false, resolve, reject };
					const queue = this.queues.get(model) ?? [];
					queue.push(waiter);
					this.queues.set(model, queue);
					signal.addEventListener(
						'abort',
						() => {
							if (waiter.granted) return;
							const q = this.queues.get(model) ?? [];
							const at = q.indexOf(waiter);
							if (at >= 0) q.splice(at, 1);
							reject(new AbortedError());
						},
						{ once: true },
					);
				});
			} finally {
				this.pending--;
			}
		}
		let released = false;
		return () => {
			if (released) return;
			released = true;
			this.active.set(model, Math.max(0, this.count(model) - 1));
			this.wake(model);
		};
	}

	private count(model: string): number {
		return this.active.get(model) ?? 0;
	}

	/** Lets waiters in while slots are free (also after `parallel` grows). */
	wake(model?: string): void {
		const models = model ? [model] : [...this.queues.keys()];
		for (const m of models) {
			const queue = this.queues.get(m) ?? [];
			while (queue.length > 0 && this.count(m) < this.latency().parallel) {
				const next = queue.shift()!;
				next.granted = true;
				this.active.set(m, this.count(m) + 1);
				next.resolve();
			}
		}
	}

	/** Rejects every waiter (server shutdown). */
	clear(): void {
		for (const queue of this.queues.values()) {
			for (const w of queue.splice(0)) w.reject(new AbortedError());
		}
		this.active.clear();
	}
}

/** Sleeps `ms`; resolves false when `signal` fires first. Zero still yields to the event loop. */
export function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
	return new Promise((resolve) => {
		if (signal?.aborted) return resolve(false);
		if (ms <= 0) {
			setImmediate(() => resolve(!signal?.aborted));
			return;
		}
		const onAbort = () => {
			clearTimeout(timer);
			resolve(false);
		};
		const timer = setTimeout(() => {
			signal?.removeEventListener('abort', onAbort);
			resolve(true);
		}, ms);
		signal?.addEventListener('abort', onAbort, { once: true });
	});
}
