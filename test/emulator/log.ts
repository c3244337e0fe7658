// The request log tests read to prove retries, timing and cancellations.

export interface RequestLogEntry {
	id: number;
	method: string;
	path: string;
	headers: Record<string, string | string[] | undefined>;
	/** Parsed JSON when the body parses, else the raw text; undefined when empty. */
	body: unknown;
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
