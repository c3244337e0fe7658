import type { IDataObject, INodeExecutionData, INodeParameters, INodeType } from 'n8n-workflow';

import type { Emulator } from '../emulator';
import type { RunOptions } from '../harness/run';
import { runNode } from '../harness/run';

export const byName = (value: string) => ({ __rl: true, mode: 'name', value });

export function nodeRun(
	emulator: Emulator,
	type: new () => INodeType,
	parameters: INodeParameters,
	extra: Partial<RunOptions> = {},
): RunOptions {
	return {
		node: { type, parameters, continueOnFail: true },
		credentials: { baseUrl: emulator.url, authentication: 'none' },
		...extra,
	};
}

export async function outputOf(options: RunOptions): Promise<IDataObject[]> {
	const { items, error } = await runNode(options);
	if (error) throw error;
	return items.map((item: INodeExecutionData) => item.json);
}

/** The body of the last request the emulator got on `path`. */
export function sentTo(emulator: Emulator, path: string): IDataObject {
	const requests = emulator.requests.filter((r) => r.path === path);
	return requests[requests.length - 1]?.body as IDataObject;
}

/** A 1×1 PNG. */
export const PNG = Buffer.from(
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
	'base64',
);
