import type { INodeProperties } from 'n8n-workflow';

import { parseKeepAlive } from '../core/keepAlive';
import type { KeepAlive } from '../core/types';
import type { ParameterContext } from '../n8n/context';
import type { ParameterError } from '../n8n/parameterError';
import { parameterErrors } from '../n8n/parameterError';

export function keepAliveProperty(name = 'keep_alive', defaultValue = '5m'): INodeProperties {
	return {
		displayName: 'Keep Alive',
		name,
		type: 'string',
		default: defaultValue,
		placeholder: 'e.g. 5m, 1h30m, 300, -1',
		description:
			'How long the model stays loaded after this request: a duration (5m, 1h30m), a number of seconds, -1 to keep it loaded, 0 to unload at once. Empty means the server default (5m).',
	};
}

/** keep_alive for one item, checked before anything is sent. */
export function readKeepAlive(
	context: ParameterContext,
	parameter: string,
	itemIndex: number,
	fail: ParameterError = parameterErrors(context, itemIndex),
): KeepAlive | undefined {
	const value = context.getNodeParameter(parameter, itemIndex, '');
	const problem = keepAliveProblem(value);
	if (problem) throw fail('Keep Alive', problem);
	return parseKeepAlive(value);
}

function keepAliveProblem(value: unknown): string | undefined {
	try {
		parseKeepAlive(value);
		return undefined;
	} catch (error) {
		return (error as Error).message;
	}
}
