import type { Emulator } from '../emulator';
import { startEmulator } from '../emulator';
import { CoreProbe } from '../harness/fixtures/CoreProbe.node';
import type { RunOptions } from '../harness/run';
import { runNode, startRun } from '../harness/run';

export interface ProbeParameters {
	endpoint: string;
	body?: object;
	timeoutMs?: number;
	maxAttempts?: number;
	baseDelayMs?: number;
	concurrency?: number;
}

export function probe(
	emulator: Emulator,
	parameters: ProbeParameters,
	extra: Partial<RunOptions> = {},
): RunOptions {
	return {
		node: {
			type: CoreProbe,
			parameters: {
				endpoint: parameters.endpoint,
				body: JSON.stringify(parameters.body ?? {}),
				timeoutMs: parameters.timeoutMs ?? 0,
				maxAttempts: parameters.maxAttempts ?? 3,
				baseDelayMs: parameters.baseDelayMs ?? 50,
				concurrency: parameters.concurrency ?? 1,
			},
			continueOnFail: true,
		},
		credentials: { baseUrl: emulator.url, authentication: 'none' },
		...extra,
	};
}

export { runNode, startEmulator, startRun };
export type { Emulator };
