import type { INodeProperties } from 'n8n-workflow';

import type { ClientSettings } from '../core/client';
import { DEFAULT_RETRY_POLICY } from '../core/retry';
import type { ParameterContext } from '../n8n/context';

/** Reliability settings, the same in every node. */
const reliabilityFields: INodeProperties[] = [
	{
		displayName: 'Max Attempts',
		name: 'maxAttempts',
		type: 'number',
		default: 3,
		typeOptions: { minValue: 1, maxValue: 10 },
		description:
			'How often to try a request in all. Only failures that can pass are retried (connection refused or reset, busy 503, 429, 502/504, a crashed model runner), never one that already produced output.',
	},
	{
		displayName: 'Timeout (Ms)',
		name: 'timeout',
		type: 'number',
		default: 0,
		typeOptions: { minValue: 0 },
		description:
			'Longest silence allowed, before the answer and between streamed chunks, in milliseconds. 0 means no limit: Ollama sends nothing while a request waits for a free slot, so a limit can cut a healthy but queued request.',
	},
];

export function reliabilityCollection(extra: INodeProperties[] = []): INodeProperties {
	return {
		displayName: 'Reliability',
		name: 'reliability',
		type: 'collection',
		placeholder: 'Add Setting',
		default: {},
		options: [...reliabilityFields, ...extra],
	};
}

export function readClientSettings(context: ParameterContext): ClientSettings {
	const maxAttempts = context.getNodeParameter(
		'reliability.maxAttempts',
		0,
		DEFAULT_RETRY_POLICY.maxAttempts,
	) as number;
	const timeoutMs = context.getNodeParameter('reliability.timeout', 0, 0) as number;
	return {
		retry: { maxAttempts: Math.max(1, Math.floor(maxAttempts)) },
		timeoutMs: Math.max(0, timeoutMs),
	};
}
