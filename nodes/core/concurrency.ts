export type Settled<R> = { ok: true; value: R } | { ok: false; error: unknown };

/**
 * Runs `task` for indexes 0..count-1 with at most `limit` in flight and returns the outcomes
 * in index order, whatever order they finished in. Once `signal` aborts, no new task starts;
 * the ones not started are reported with `notStarted(index)`.
 */
export async function mapInOrder<R>(
	count: number,
	limit: number,
	task: (index: number) => Promise<R>,
	options: { signal?: AbortSignal; notStarted?: (index: number) => unknown } = {},
): Promise<Array<Settled<R>>> {
	const results = new Array<Settled<R>>(count);
	const width = Math.max(1, Math.min(Math.floor(limit) || 1, count));
	let next = 0;

	const lane = async () => {
		while (next < count) {
			const index = next++;
			if (options.signal?.aborted) {
				results[index] = { ok: false, error: options.notStarted?.(index) ?? options.signal.reason };
				continue;
			}
			try {
				results[index] = { ok: true, value: await task(index) };
			} catch (error) {
				results[index] = { ok: false, error };
			}
		}
	};
	await Promise.all(Array.from({ length: width }, lane));
	return results;
}
