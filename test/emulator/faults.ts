// Fault injection: specs queued per path and/or model, each hitting `times` matching requests.

import { displayName, parseName } from './names';

export interface FaultMatch {
	/** Exact request path, e.g. `/api/chat`. Absent = any path. */
	path?: string;
	/** Model name as requested (normalised: `llama3.2` matches `llama3.2:latest`). Absent = any. */
	model?: string;
	/** How many matching requests it hits (default 1; -1 = every one until cleared). */
	times?: number;
	/** Also force the reply text (any type), e.g. with `splitWrites` for multi-byte splits. */
	text?: string;
}

export type FaultSpec = FaultMatch &
	(
		| {
				/** Any status before the first byte: `{"error":error}` JSON, or a raw `body`. */
				type: 'status';
				status: number;
				error?: string;
				body?: string;
				/** Default `application/json; charset=utf-8` for `error`, `text/plain` for `body`. */
				contentType?: string;
				headers?: Record<string, string>;
		  }
		| { type: 'busy' }
		| { type: 'rateLimit'; retryAfter?: number }
		| { type: 'runnerCrash'; detail?: string }
		| { type: 'unauthorized'; signinUrl?: string }
		| {
				/** HTTP 200, then `{"error":…}` after N chunks (stream:false ⇒ 500 JSON). */
				type: 'errorLine';
				afterChunks?: number;
				error?: string;
		  }
		| {
				/** End cleanly after N chunks, no done/success (non-streamed: after `afterBytes`). */
				type: 'truncate';
				afterChunks?: number;
				afterBytes?: number;
		  }
		| {
				/** Destroy the socket: before headers, or after N chunks. */
				type: 'reset';
				afterChunks?: number;
		  }
		| {
				/** Sleep before headers, or after N chunks, then continue. */
				type: 'stall';
				ms: number;
				afterChunks?: number;
		  }
		| { type: 'garbageLine'; afterChunks?: number; line?: string }
		| {
				/** Write the body split at these byte offsets, or every K bytes. */
				type: 'splitWrites';
				offsets?: number[];
				every?: number;
				/** Pause between the parts (default 2 ms) so they arrive separately. */
				delayMs?: number;
		  }
		| { type: 'text'; text: string }
		| {
				/** The tool call of a chat with tools: this tool (default the first) with these arguments. */
				type: 'toolCall';
				name?: string;
				arguments: Record<string, unknown>;
		  }
		| { type: 'noDoneReason' }
		| {
				/** A final chunk whose line is at least `bytes` long (default 1 MiB). */
				type: 'hugeLine';
				bytes?: number;
		  }
	);

export type FaultType = FaultSpec['type'];

export const FAULT_TYPES: FaultType[] = [
	'status',
	'busy',
	'rateLimit',
	'runnerCrash',
	'unauthorized',
	'errorLine',
	'truncate',
	'reset',
	'stall',
	'garbageLine',
	'splitWrites',
	'text',
	'toolCall',
	'noDoneReason',
	'hugeLine',
];

export const RUNNER_CRASH =
	'model runner has unexpectedly stopped, this may be due to resource limitations or an internal ' +
	'error, check ollama server logs for details';
export const MODEL_ERROR = 'an error was encountered while running the model';

function sameModel(a: string, b: string): boolean {
	const na = parseName(a);
	const nb = parseName(b);
	if (!na || !nb) return a.toLowerCase() === b.toLowerCase();
	return displayName(na).toLowerCase() === displayName(nb).toLowerCase();
}

export function validateFault(spec: unknown): FaultSpec {
	const s = spec as FaultSpec;
	if (!s || typeof s !== 'object' || !FAULT_TYPES.includes(s.type)) {
		throw new Error(`unknown fault type: ${JSON.stringify((s as { type?: unknown })?.type)}`);
	}
	if (s.type === 'status' && typeof s.status !== 'number')
		throw new Error('status fault needs a status');
	if (s.type === 'stall' && typeof s.ms !== 'number') throw new Error('stall fault needs ms');
	if (s.type === 'text' && typeof s.text !== 'string') throw new Error('text fault needs text');
	if (
		s.type === 'toolCall' &&
		(!s.arguments || typeof s.arguments !== 'object' || Array.isArray(s.arguments))
	)
		throw new Error('toolCall fault needs arguments (an object)');
	return s;
}

export class FaultQueue {
	private specs: { spec: FaultSpec; left: number }[] = [];

	add(spec: FaultSpec | FaultSpec[]): void {
		for (const s of Array.isArray(spec) ? spec : [spec]) {
			const valid = validateFault(s);
			this.specs.push({ spec: { ...valid }, left: valid.times ?? 1 });
		}
	}

	clear(): void {
		this.specs = [];
	}

	get pending(): FaultSpec[] {
		return this.specs.map((s) => s.spec);
	}

	/** The first spec matching this request, consumed once. */
	take(path: string, model: string | undefined): FaultSpec | undefined {
		const at = this.specs.findIndex(
			({ spec }) =>
				(spec.path === undefined || spec.path === path) &&
				(spec.model === undefined || (model !== undefined && sameModel(spec.model, model))),
		);
		if (at < 0) return undefined;
		const entry = this.specs[at];
		if (entry.left > 0) entry.left--;
		if (entry.left === 0) this.specs.splice(at, 1);
		return entry.spec;
	}
}
