// The request log tests read to prove retries, timing and cancellations.

export interface RequestLogEntry {
	id: number;
	method: string;
	path: string;
	headers: Record<string, string | string[] | undefined>;
	/** Parsed JSON when the body parses, else the raw text; undefined when empty. */
	body: unknown;
	/** Bytes of the request body (a blob upload's bytes are counted, not kept). */
	bodyBytes?: number;
	/** Date.now() when the request arrived. */
	receivedAt: number;
	status?: number;
	headersSentAt?: number;
	firstChunkAt?: number;
	/** Date.now() as each NDJSON line was written (streamed answers), for latency measurements. */
	lineWrittenAt?: number[];
	finishedAt?: number;
	clientDisconnected: boolean;
	disconnectedAt?: number;
	/** The fault type applied to this request. */
	fault?: string;
}

/** The most requests the emulator held at once (received → finished or disconnected). */
export function maxInFlight(entries: RequestLogEntry[]): number {
	const events: Array<[number, number]> = [];
	for (const entry of entries) {
		events.push([entry.receivedAt, 1]);
		events.push([entry.finishedAt ?? entry.disconnectedAt ?? Number.MAX_SAFE_INTEGER, -1]);
	}
	// A request that ends in the same millisecond another starts did not overlap it.
	events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
	let current = 0;
	let max = 0;
	for (const [, delta] of events) {
		current += delta;
		max = Math.max(max, current);
	}
	return max;
}
