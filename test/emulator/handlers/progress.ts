// Progress replies of pull/push/create: NDJSON lines, or with stream:false one JSON object at the end.

import { MODEL_ERROR } from '../faults';
import { sleep } from '../latency';
import type { State } from '../state';
import { JSON_PLAIN, type Exchange } from '../wire';

export interface Progress {
	status: string;
	digest?: string;
	total?: number;
	completed?: number;
}

export class ProgressReply {
	private latest: Progress = { status: '' };
	private sent = 0;

	constructor(
		private ex: Exchange,
		private state: State,
		private stream: boolean,
	) {}

	/** Sends one progress value; false when the client is gone or a fault ended the stream. */
	async send(p: Progress): Promise<boolean> {
		const value: Progress = { status: p.status };
		if (p.digest) value.digest = p.digest;
		if (p.total) value.total = p.total;
		if (p.completed) value.completed = p.completed;
		this.latest = value;
		if (
			this.sent++ > 0 &&
			!(await sleep(this.state.config.latency.pullIntervalMs, this.ex.signal))
		) {
			return false;
		}
		if (!this.stream) return !this.ex.closed;
		return this.ex.line(value, value.status === 'success');
	}

	async fail(message: string, status = 500): Promise<void> {
		if (this.stream) return this.ex.streamError(message, status);
		await this.ex.json(status, { error: message }, JSON_PLAIN);
	}

	async finish(): Promise<void> {
		if (this.stream) return this.ex.end();
		const f = this.ex.fault;
		if (f?.type === 'errorLine') return this.fail(f.error ?? MODEL_ERROR);
		await this.ex.json(200, this.latest, JSON_PLAIN);
	}
}

/** Sends `pullSteps` lines with `completed` rising to `total` (the first line has no `completed`). */
export async function transferLayer(
	reply: ProgressReply,
	state: State,
	verb: string,
	digest: string,
	total: number,
	cached: boolean,
): Promise<boolean> {
	const status = `${verb} ${digest.slice(7, 19)}`;
	if (cached) return reply.send({ status, digest, total, completed: total });
	const steps = Math.max(1, state.config.latency.pullSteps);
	for (let k = 0; k <= steps; k++) {
		if (
			!(await reply.send({ status, digest, total, completed: Math.floor((total * k) / steps) }))
		) {
			return false;
		}
	}
	return true;
}
